package dev.groundwork.examples.bench;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import dev.groundwork.examples.results.Results;
import dev.groundwork.onnx.OnnxModels;
import dev.groundwork.onnx.OnnxOptions;
import dev.groundwork.onnx.OnnxSessionOptions;
import dev.groundwork.spark.ModelSource;
import dev.groundwork.spark.SparkScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Batch scoring on Spark in local mode against the best single-JVM {@code Model.predict} loops on
 * the same cores: the small CNN on ONNX Runtime over the Fashion-MNIST test images (repeated),
 * batches of 256.
 *
 * <p>Two pairings, each with the same model options on both sides:
 *
 * <ul>
 *   <li><b>One task against one caller.</b> Baseline: the images as {@code Batch}es of 256 in
 *       memory, one {@code Model.predict(batch)} after another on one thread, ONNX Runtime on its
 *       default intra-op threads (one per core). Spark: {@code local[1]} (one task at a time), the
 *       same model options. The pixels as a {@code binary} column of 8-bit values (the fast path)
 *       and as an {@code array<float>} column.
 *   <li><b>All cores.</b> Baseline: one caller thread per core, each predicting its share of the
 *       batches on the one shared model, ONNX Runtime on one intra-op thread (each caller owns a
 *       core). Spark: {@code local[cores]}, one intra-op thread per task (the usual executor
 *       set-up: {@code spark.task.cpus} cores per task).
 * </ul>
 *
 * <p>Spark's side: the images as a cached {@code Dataset<Row>} ({@code id, label, pixels}) in
 * 2 × cores partitions, {@code SparkScorer} with batch 256, the job forced with the {@code noop}
 * sink (every row scored, nothing written); the output drops the pixels column (the scorer's
 * default), as a scoring job writing predictions would. One warm-up round each (model load, code
 * generation); then each Spark round is timed right after a round of its baseline, so that both
 * see the same machine, and the ratio is the median over rounds of the baseline's time over
 * Spark's (Spark's throughput over the baseline's), with the quartiles of the per-round ratios
 * beside it: this machine's speed drifts by more than the margin being measured, so one pair of
 * rounds says little and the median of many says more. In {@code local[1]} the Spark model also
 * sums the time of its {@code predict} calls, so the results say how much of a gap is the model
 * waiting for Spark (the share of Spark's time with no {@code Model.predict} running) and how
 * much is {@code Model.predict} itself running slower inside the Spark job than in the loop.
 *
 * <p>Run (after {@code mvn -B -q -ntp install -DskipTests}):
 *
 * <pre>
 * mvn -B -q -ntp -pl examples -Pspark exec:exec@bench -Dbench=SparkScoringBench -Dbench.heap=4g \
 *     -Dbench.args="5 15"
 * </pre>
 *
 * <p>Arguments: how many times the 10,000 test images are repeated (default 5), rounds (15).
 */
public final class SparkScoringBench {

  static final Path MODEL = Path.of("djl-backend/src/test/resources/pytorch/small-cnn.onnx");
  static final int BATCH = 256;

  private SparkScoringBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int repeat = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Path model = modelFile();
    Dataset test = Datasets.fashionMnist().test();
    List<String> classes = test.classes();
    List<Batch> batches = new ArrayList<>();
    for (int r = 0; r < repeat; r++) {
      for (Batch b : test.batches(BATCH)) {
        batches.add(b);
      }
    }
    int n = batches.stream().mapToInt(Batch::size).sum();
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT, "SparkScoringBench: %d images (%d× the Fashion-MNIST test set), "
        + "small CNN on ONNX Runtime, batch %d, %d cores, %d rounds (median), each Spark round "
        + "beside a round of its baseline%n", n, repeat, BATCH, cores, rounds);
    Results results = Results.start("spark-scoring-bench", args).version("spark",
        org.apache.spark.package$.MODULE$.SPARK_VERSION());
    results.put("images", n, "").put("batch", BATCH, "").put("rounds", rounds, "");

    long[] check = new long[1];
    // one task against one caller: ONNX Runtime's default threads on both sides
    ModelSource.Loader single = loader(classes, 0);
    try (Model m = single.load(model)) {
      check[0] += predictAll(m, batches);
      Pairing p = new Pairing("loop", () -> check[0] += predictAll(m, batches));
      p.spark("local[1]", "local1", model, single, List.of(true, false), batches, rounds,
          results);
      double loopRate = n / median(p.baseline());
      System.out.printf(Locale.ROOT, "%-36s %10.0f images/s (median of %d rounds)%n",
          "Model.predict loop", loopRate, p.baseline().length);
      results.put("loop_images_per_s", loopRate, "images/s");
    }
    ModelSource.Loader perCore = loader(classes, 1);
    try (Model m = perCore.load(model)) {
      // one task against one caller with the model on one intra-op thread on both sides: a core
      // left for Spark's own work, as on a machine with more cores than the model's threads
      Pairing one = new Pairing("one-thread loop", () -> check[0] += predictAll(m, batches));
      one.baseline.run();
      one.spark("local[1]", "local1_one_thread", model, perCore, List.of(true), batches,
          rounds, results);
      double oneRate = n / median(one.baseline());
      System.out.printf(Locale.ROOT, "%-36s %10.0f images/s (median of %d rounds)%n",
          "Model.predict, one thread", oneRate, one.baseline().length);
      results.put("one_thread_loop_images_per_s", oneRate, "images/s");
      // all cores: one caller per core against local[cores], one intra-op thread each
      Pairing p = new Pairing("parallel loop", () -> check[0] += predictParallel(m, batches,
          cores));
      p.baseline.run();
      p.spark("local[" + cores + "]", "local_all", model, perCore, List.of(true), batches,
          rounds, results);
      double rate = n / median(p.baseline());
      System.out.printf(Locale.ROOT, "%-36s %10.0f images/s (median of %d rounds)%n",
          "Model.predict on " + cores + " threads", rate, p.baseline().length);
      results.put("parallel_loop_images_per_s", rate, "images/s");
    }
    if (check[0] == 0) {
      throw new IllegalStateException("no image predicted");
    }
    results.note("model", model.getFileName().toString()).note("masters", "local[1], local["
        + cores + "]").note("ratio", "each Spark round is timed right after a round of its "
        + "baseline; the ratio is the median over rounds of baseline time / Spark time, with "
        + "the quartiles of the per-round ratios").note("threads", "local[1] and the loop: "
        + "ONNX Runtime's default intra-op threads; local[" + cores + "] and the " + cores
        + "-thread loop, local1_one_thread and the one-thread loop: one intra-op thread per task "
        + "or caller");
    results.write();
  }

  /** A baseline and the Spark rounds timed beside it. */
  private static final class Pairing {
    final String name;
    final Runnable baseline;
    final List<Double> times = new ArrayList<>();

    Pairing(String name, Runnable baseline) {
      this.name = name;
      this.baseline = baseline;
    }

    double[] baseline() {
      return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    double timeBaseline() {
      long t = System.nanoTime();
      baseline.run();
      double s = (System.nanoTime() - t) / 1e9;
      times.add(s);
      return s;
    }

    void spark(String master, String key, Path model, ModelSource.Loader loader,
        List<Boolean> inputs, List<Batch> batches, int rounds, Results results) {
      int n = batches.stream().mapToInt(Batch::size).sum();
      int cores = Runtime.getRuntime().availableProcessors();
      SparkSession spark = SparkSession.builder().master(master).appName("spark-scoring-bench")
          .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", String.valueOf(cores)).getOrCreate();
      try {
        ModelSource.Loader timed = p -> new TimedModel(loader.load(p));
        SparkScorer scorer = SparkScorer.builder(ModelSource.file(model.toString(), timed))
            .inputColumn("pixels").batchSize(BATCH).build();
        boolean oneTask = master.equals("local[1]");
        for (boolean binary : inputs) {
          org.apache.spark.sql.Dataset<Row> images = images(spark, batches, binary)
              .repartition(Math.max(2, cores * 2)).cache();
          images.count();
          scorer.score(images).write().format("noop").mode("overwrite").save();
          double[] times = new double[rounds];
          double[] ratios = new double[rounds];
          double[] idle = new double[rounds];
          double[] predictRatio = new double[rounds];
          double[] start = new double[rounds];
          double[] readOnly = new double[rounds];
          for (int r = 0; r < rounds; r++) {
            double base = timeBaseline();
            TimedModel.NANOS.set(0);
            TimedModel.FIRST.set(0);
            long t = System.nanoTime();
            scorer.score(images).write().format("noop").mode("overwrite").save();
            times[r] = (System.nanoTime() - t) / 1e9;
            start[r] = (TimedModel.FIRST.get() - t) / 1e9;
            // Spark alone: the same cached rows read and written to the noop sink, no model
            long u = System.nanoTime();
            images.write().format("noop").mode("overwrite").save();
            readOnly[r] = (System.nanoTime() - u) / 1e9;
            ratios[r] = base / times[r];
            double inPredict = TimedModel.NANOS.get() / 1e9;
            idle[r] = (times[r] - inPredict) / times[r];
            predictRatio[r] = inPredict / base;
          }
          double rate = n / median(times);
          String label = "Spark " + master + (binary ? " binary" : " array<float>")
              + (key.endsWith("one_thread") ? ", 1 thread" : "");
          double[] q = quartiles(ratios);
          System.out.printf(Locale.ROOT, "%-36s %10.0f images/s  %.3f× the %s (median of the "
              + "per-round ratios; quartiles %.3f–%.3f)%n", label, rate, q[1], name, q[0], q[2]);
          String k = "spark_" + key + (binary ? "_binary" : "_array");
          results.put(k + "_images_per_s", rate, "images/s").put(k + "_ratio", q[1], "×")
              .put(k + "_ratio_q1", q[0], "×").put(k + "_ratio_q3", q[2], "×");
          if (oneTask) {
            // one task at a time: the predict calls' summed time is the model's busy time
            System.out.printf(Locale.ROOT, "%-36s the model ran %.1f %% of Spark's time; "
                + "Model.predict took %.3f× the baseline's time; first prediction %.3f s after the "
                + "job started; Spark reading the same rows with no model: %.3f s%n", "",
                100 * (1 - median(idle)), median(predictRatio), median(start),
                median(readOnly));
            results.put(k + "_predict_time_vs_loop", median(predictRatio), "×")
                .put(k + "_outside_predict_pct", 100 * median(idle), "%")
                .put(k + "_first_prediction_s", median(start), "s")
                .put(k + "_read_only_s", median(readOnly), "s")
                .put(k + "_seconds", median(times), "s");
          }
          images.unpersist();
        }
      } finally {
        spark.stop();
      }
    }
  }

  /** The batches' images as rows {@code id, label, pixels}: 8-bit binary or array<float>. */
  private static org.apache.spark.sql.Dataset<Row> images(SparkSession spark,
      List<Batch> batches, boolean binary) {
    List<Row> rows = new ArrayList<>();
    int size = 28 * 28;
    int batch = 0;
    for (Batch b : batches) {
      for (int i = 0; i < b.size(); i++) {
        Object px;
        if (binary) {
          byte[] bytes = new byte[size];
          for (int k = 0; k < size; k++) {
            bytes[k] = (byte) Math.round(b.inputs()[i * size + k] * 255f);
          }
          px = bytes;
        } else {
          Float[] floats = new Float[size];
          for (int k = 0; k < size; k++) {
            floats[k] = b.inputs()[i * size + k];
          }
          px = floats;
        }
        rows.add(RowFactory.create(batch + ":" + b.ids().get(i), b.labels()[i], px));
      }
      batch++;
    }
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("label", DataTypes.IntegerType).add("pixels", binary ? DataTypes.BinaryType
            : DataTypes.createArrayType(DataTypes.FloatType));
    return spark.createDataFrame(rows, schema);
  }

  /** A model that sums the time its {@code predict} calls take (one task at a time in local[1]). */
  static final class TimedModel implements Model {
    static final java.util.concurrent.atomic.AtomicLong NANOS =
        new java.util.concurrent.atomic.AtomicLong();
    /** When the first {@code predict} call of a job started (reset before each job). */
    static final java.util.concurrent.atomic.AtomicLong FIRST =
        new java.util.concurrent.atomic.AtomicLong();
    private final Model model;

    TimedModel(Model model) {
      this.model = model;
    }

    @Override
    public String name() {
      return model.name();
    }

    @Override
    public DatasetSpec spec() {
      return model.spec();
    }

    @Override
    public ClassProbabilities predict(Batch batch) {
      long t = System.nanoTime();
      FIRST.compareAndSet(0, t);
      try {
        return model.predict(batch);
      } finally {
        NANOS.addAndGet(System.nanoTime() - t);
      }
    }

    @Override
    public dev.groundwork.core.model.ModelSummary summary() {
      return model.summary();
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /** Loads the small CNN on ONNX Runtime as a classifier of 28×28 images over {@code classes}. */
  public static ModelSource.Loader loader(List<String> classes) {
    return loader(classes, 0);
  }

  /** As {@link #loader(List)}, on {@code threads} intra-op threads (0: ONNX Runtime's choice). */
  static ModelSource.Loader loader(List<String> classes, int threads) {
    return p -> OnnxModels.load(p, OnnxSessionOptions.defaults().withIntraOpThreads(threads))
        .classifier(DatasetSpec.image(1, 28, 28, classes),
        OnnxOptions.builder().scores(OnnxOptions.Scores.LOGITS).build());
  }

  /** The small CNN fixture, from the repository or the examples directory. */
  public static Path modelFile() {
    for (Path p : List.of(MODEL, Path.of("..").resolve(MODEL))) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("no " + MODEL + " under the working directory or its parent;"
        + " run from the repository or the examples directory");
  }

  private static long predictAll(Model m, List<Batch> batches) {
    long s = 0;
    for (Batch b : batches) {
      ClassProbabilities p = m.predict(b);
      s += p.argmax(0) + 1;
    }
    return s;
  }

  /** Each of {@code threads} callers predicts every {@code threads}-th batch. */
  private static long predictParallel(Model m, List<Batch> batches, int threads) {
    List<java.util.concurrent.Future<Long>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Batch> share = new ArrayList<>();
      for (int i = t; i < batches.size(); i += threads) {
        share.add(batches.get(i));
      }
      parts.add(CALLERS.submit(() -> predictAll(m, share)));
    }
    long s = 0;
    try {
      for (java.util.concurrent.Future<Long> f : parts) {
        s += f.get();
      }
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
    return s;
  }

  private static final java.util.concurrent.ExecutorService CALLERS =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-caller");
        t.setDaemon(true);
        return t;
      });

  /** The first quartile, median and third quartile of {@code v} (linear interpolation). */
  static double[] quartiles(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    double[] q = new double[3];
    for (int i = 0; i < 3; i++) {
      double at = (s.length - 1) * (i + 1) / 4.0;
      int lo = (int) Math.floor(at);
      int hi = Math.min(lo + 1, s.length - 1);
      q[i] = s[lo] + (at - lo) * (s[hi] - s[lo]);
    }
    return q;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
