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
 * Batch scoring on Spark in local mode against the single-JVM {@code Model.predict} loop: the
 * small CNN on ONNX Runtime over the Fashion-MNIST test images (repeated), batches of 256.
 *
 * <p>Baseline (the best hand-written way in one JVM): the images as {@code Batch}es of 256 in
 * memory, one {@code Model.predict(batch)} per batch. Spark: the same images as a cached
 * {@code Dataset<Row>} ({@code id, label, pixels}), {@code SparkScorer} with batch 256, the job
 * forced with the {@code noop} sink (every row scored, nothing written); the pixels as a
 * {@code binary} column of 8-bit values (the fast path) and, in {@code local[1]}, as an {@code
 * array<float>} column (converted element by element by Spark's row encoder). Both use
 * the same model file and options; ONNX Runtime uses its default intra-op threads in both. Spark
 * runs in {@code local[1]} (one task at a time, like the loop) and in {@code local[cores]}. One
 * warm-up round each (model load, code generation); then each Spark round is timed right after a
 * loop round, so that both see the same machine, and the ratio is the median over rounds of the
 * loop's time over Spark's (Spark's throughput over the loop's). The scorer's output drops the
 * pixels column (its default), as a scoring job writing predictions would. In {@code local[1]}
 * the Spark model also sums the time of its {@code predict} calls, so the results say how much of
 * a gap is Spark's own work (the share of Spark's time outside {@code Model.predict}) and how
 * much is {@code Model.predict} itself running slower inside the Spark task than in the loop.
 *
 * <p>Run (after {@code mvn -B -q -ntp install -DskipTests}):
 *
 * <pre>
 * mvn -B -q -ntp -pl examples -Pspark exec:exec@bench -Dbench=SparkScoringBench -Dbench.heap=4g \
 *     -Dbench.args="5 5"
 * </pre>
 *
 * <p>Arguments: how many times the 10,000 test images are repeated (default 5), rounds (3).
 */
public final class SparkScoringBench {

  static final Path MODEL = Path.of("djl-backend/src/test/resources/pytorch/small-cnn.onnx");
  static final int BATCH = 256;

  private SparkScoringBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int repeat = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
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
        + "beside a loop round%n", n, repeat, BATCH, cores, rounds);
    Results results = Results.start("spark-scoring-bench", args).version("spark",
        org.apache.spark.package$.MODULE$.SPARK_VERSION());
    results.put("images", n, "").put("batch", BATCH, "");

    ModelSource.Loader loader = loader(classes);
    List<Double> loopTimes = new ArrayList<>();
    long[] check = new long[1];
    try (Model m = loader.load(model)) {
      check[0] += predictAll(m, batches);
      Runnable loopRound = () -> {
        long t = System.nanoTime();
        check[0] += predictAll(m, batches);
        loopTimes.add((System.nanoTime() - t) / 1e9);
      };
      for (String master : List.of("local[1]", "local[" + cores + "]")) {
        SparkSession spark = SparkSession.builder().master(master).appName("spark-scoring-bench")
            .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", String.valueOf(cores)).getOrCreate();
        try {
          ModelSource.Loader timed = p -> new TimedModel(loader.load(p));
          SparkScorer scorer = SparkScorer.builder(ModelSource.file(model.toString(), timed))
              .inputColumn("pixels").batchSize(BATCH).build();
          String key = master.equals("local[1]") ? "local1" : "local_all";
          // 8-bit pixels in a binary column (the fast path), then array<float> (local[1] only)
          for (boolean binary : master.equals("local[1]") ? List.of(true, false)
              : List.of(true)) {
            org.apache.spark.sql.Dataset<Row> images = images(spark, batches, binary)
                .repartition(Math.max(2, cores * 2)).cache();
            images.count();
            scorer.score(images).write().format("noop").mode("overwrite").save();
            double[] times = new double[rounds];
            double[] ratios = new double[rounds];
            double[] inPredict = new double[rounds];
            double[] loopInPredict = new double[rounds];
            for (int r = 0; r < rounds; r++) {
              loopRound.run();
              TimedModel.NANOS.set(0);
              long t = System.nanoTime();
              scorer.score(images).write().format("noop").mode("overwrite").save();
              times[r] = (System.nanoTime() - t) / 1e9;
              inPredict[r] = TimedModel.NANOS.get() / 1e9;
              loopInPredict[r] = loopTimes.get(loopTimes.size() - 1);
              ratios[r] = loopTimes.get(loopTimes.size() - 1) / times[r];
            }
            double rate = n / median(times);
            String k = "spark_" + key + (binary ? "_binary" : "_array");
            System.out.printf(Locale.ROOT, "%-26s %10.0f images/s  %.3f× the loop (median of the "
                + "per-round ratios; rounds %s)%n", "Spark " + master
                + (binary ? " binary" : " array<float>"), rate, median(ratios),
                Arrays.toString(Arrays.stream(ratios).map(x -> Math.round(x * 1000) / 1000.0)
                    .toArray()));
            results.put(k + "_images_per_s", rate, "images/s").put(k + "_ratio", median(ratios),
                "×");
            if (master.equals("local[1]")) {
              // where Spark's time goes: inside Model.predict (summed over the one task thread)
              // against the loop's predict time of the same round, and outside it
              double[] predictRatio = new double[rounds];
              double[] outside = new double[rounds];
              for (int r = 0; r < rounds; r++) {
                predictRatio[r] = inPredict[r] / loopInPredict[r];
                outside[r] = (times[r] - inPredict[r]) / times[r];
              }
              System.out.printf(Locale.ROOT, "%-26s Model.predict inside Spark took %.3f× the "
                  + "loop's time; %.1f %% of Spark's time was outside Model.predict%n", "",
                  median(predictRatio), 100 * median(outside));
              results.put(k + "_predict_time_vs_loop", median(predictRatio), "×")
                  .put(k + "_outside_predict_pct", 100 * median(outside), "%");
            }
            images.unpersist();
          }
        } finally {
          spark.stop();
        }
      }
    }
    double loopRate = n / median(loopTimes.stream().mapToDouble(Double::doubleValue).toArray());
    System.out.printf(Locale.ROOT, "%-26s %10.0f images/s (median of %d rounds)%n",
        "Model.predict loop", loopRate, loopTimes.size());
    results.put("loop_images_per_s", loopRate, "images/s");
    if (check[0] == 0) {
      throw new IllegalStateException("no image predicted");
    }
    results.note("model", model.getFileName().toString()).note("masters", "local[1], local["
        + cores + "]").note("ratio", "each Spark round is timed right after a loop round; the "
        + "ratio is the median over rounds of loop time / Spark time");
    results.write();
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
    return p -> OnnxModels.load(p).classifier(DatasetSpec.image(1, 28, 28, classes),
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

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
