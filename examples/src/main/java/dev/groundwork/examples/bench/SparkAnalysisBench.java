package dev.groundwork.examples.bench;

import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationOptions;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.analysis.SliceCounts;
import dev.groundwork.core.analysis.SliceOptions;
import dev.groundwork.core.analysis.SliceReport;
import dev.groundwork.examples.results.Results;
import dev.groundwork.spark.SparkClassificationAnalysis;
import dev.groundwork.spark.SparkFailureAnalysis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The classification analysis on Spark in local mode at 10 million synthetic predictions (wall
 * time, JVM peak heap), beside the in-memory analysis of the same generator's predictions at the
 * sizes one heap holds.
 *
 * <p>Data: 10 classes, a planted failure (camera {@code cam-3} and brightness below 0.1 hold
 * three times the error rate), attributes camera (5 values), brightness (double, 1% missing) and
 * site (integer 0–99). Row i is a function of (seed, i) only, so Spark generates its rows in its
 * tasks and the in-memory side the same rows in arrays. Spark writes them to Parquet (timed
 * apart), then {@code SparkFailureAnalysis} computes metrics, confusion, calibration and slices
 * over the three columns (order ≤ 2, counts mode) from the Parquet file; only group tables reach
 * the driver. In local mode the driver and the executors share one JVM, so the peak heap is both.
 * In memory: {@code FailureAnalysis.classification(p).run()} (every analysis, slices by the
 * default search) and {@code SliceCounts.find(p, ...)} (the slice search Spark matches).
 *
 * <p>Run (after {@code mvn -B -q -ntp install -DskipTests}):
 *
 * <pre>
 * mvn -B -q -ntp -pl examples -Pspark exec:exec@bench -Dbench=SparkAnalysisBench -Dbench.heap=4g \
 *     -Dbench.args="10000000 1000000,2000000,4000000"
 * </pre>
 *
 * <p>Arguments: the Spark size (default 10,000,000); the in-memory sizes, comma-separated
 * (default 1,000,000; a size whose arrays or analysis exceed the heap is reported as not held).
 */
public final class SparkAnalysisBench {

  static final List<String> CLASSES = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7",
      "c8", "c9");
  static final long SEED = 42;
  static final SliceOptions SLICES = SliceOptions.builder().maxOrder(2).build();
  static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType)
      .add("label", DataTypes.IntegerType)
      .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType))
      .add("camera", DataTypes.StringType).add("brightness", DataTypes.DoubleType)
      .add("site", DataTypes.IntegerType);

  private SparkAnalysisBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws IOException {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int[] memorySizes = args.length > 1 ? Arrays.stream(args[1].split(","))
        .mapToInt(Integer::parseInt).toArray() : new int[] {1_000_000};
    int cores = Runtime.getRuntime().availableProcessors();
    Results results = Results.start("spark-analysis-bench", args).version("spark",
        org.apache.spark.package$.MODULE$.SPARK_VERSION());
    System.out.printf(Locale.ROOT, "SparkAnalysisBench: %,d predictions on Spark local[%d]; "
        + "in memory %s; max heap %d MB%n", n, cores, Arrays.toString(memorySizes),
        Runtime.getRuntime().maxMemory() >> 20);
    Path dir = Files.createTempDirectory("spark-analysis-bench");
    String file = dir.resolve("predictions.parquet").toString();
    SparkSession spark = SparkSession.builder().master("local[" + cores + "]")
        .appName("spark-analysis-bench").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", String.valueOf(cores * 2)).getOrCreate();
    try {
      long t = System.nanoTime();
      int parts = (int) Math.max(cores, n / 500_000);
      spark.range(0, n, 1, parts).toDF().as(Encoders.LONG())
          .mapPartitions((MapPartitionsFunction<Long, Row>) it -> rows(it), Encoders.row(SCHEMA))
          .write().parquet(file);
      double write = (System.nanoTime() - t) / 1e9;
      System.gc();
      HeapPeaks.reset();
      t = System.nanoTime();
      SparkClassificationAnalysis a = SparkFailureAnalysis.builder(CLASSES).source(file)
          .sliceColumns(List.of("camera", "brightness", "site")).slices(SLICES).seed(SEED)
          .build().classification(spark.read().parquet(file));
      double analysis = (System.nanoTime() - t) / 1e9;
      long peak = HeapPeaks.bytes() >> 20;
      long afterGc = HeapPeaks.afterGcBytes() >> 20;
      SliceReport s = a.slices().orElseThrow();
      String top = s.top(1).isEmpty() ? "none" : s.top(1).get(0).description();
      System.out.printf(Locale.ROOT, "Spark: %,d rows written to Parquet in %.1f s; analysis "
          + "%.1f s (%,.0f rows/s); JVM peak heap %d MB used, %d MB after a collection; accuracy "
          + "%.4f, ECE %.4f, top slice %s%n", n, write, analysis, n / analysis, peak, afterGc,
          a.metrics().accuracy(), a.calibration().ece(), top);
      System.out.println(s);
      String k = key(n);
      results.put("spark_rows", n, "").put("spark_write_seconds_" + k, write, "s")
          .put("spark_analysis_seconds_" + k, analysis, "s")
          .put("spark_rows_per_s_" + k, n / analysis, "rows/s")
          .put("spark_peak_heap_mb_" + k, peak, "MB")
          .put("spark_peak_heap_after_gc_mb_" + k, afterGc, "MB")
          .put("spark_accuracy_" + k, a.metrics().accuracy(), "")
          .put("spark_slices_beyond_class_mix_" + k, s.significant(), "")
          .note("spark_top_slice_" + k, top);
    } finally {
      spark.stop();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    int largest = 0;
    for (int m : memorySizes) {
      String k = key(m);
      try {
        System.gc();
        HeapPeaks.reset();
        ClassificationPredictions p = inMemory(m);
        long t = System.nanoTime();
        SliceReport counts = SliceCounts.find(p, SLICES, SEED);
        double slices = (System.nanoTime() - t) / 1e9;
        t = System.nanoTime();
        ClassificationAnalysis full = FailureAnalysis.classification(p).options(
            ClassificationOptions.builder().maxOrder(2).seed(SEED).build()).run();
        double all = (System.nanoTime() - t) / 1e9;
        long peak = HeapPeaks.bytes() >> 20;
        long afterGc = HeapPeaks.afterGcBytes() >> 20;
        System.out.printf(Locale.ROOT, "in memory %,d: counts-mode slices %.1f s, full analysis "
            + "%.1f s, peak heap %d MB used, %d MB after a collection, accuracy %.4f, top slice "
            + "%s%n", m, slices, all, peak, afterGc,
            full.metrics().accuracy(), counts.top(1).isEmpty() ? "none"
                : counts.top(1).get(0).description());
        results.put("memory_counts_slices_seconds_" + k, slices, "s")
            .put("memory_full_analysis_seconds_" + k, all, "s")
            .put("memory_peak_heap_mb_" + k, peak, "MB")
            .put("memory_peak_heap_after_gc_mb_" + k, afterGc, "MB");
        largest = m;
      } catch (OutOfMemoryError e) {
        System.out.printf(Locale.ROOT, "in memory %,d: does not fit the heap (%s)%n", m,
            e.getMessage());
        results.note("memory_" + k, "out of memory with max heap "
            + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
        break;
      }
    }
    results.put("memory_largest_rows", largest, "")
        .put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20, "MB");
    results.write();
  }

  static String key(long n) {
    return n % 1_000_000 == 0 ? (n / 1_000_000) + "m" : n % 1000 == 0 ? (n / 1000) + "k"
        : String.valueOf(n);
  }

  /** Row i: a function of (SEED, i) only. */
  static Object[] row(long i) {
    SplittableRandom r = new SplittableRandom(SEED * 0x9E3779B97F4A7C15L + i);
    int c = CLASSES.size();
    int y = r.nextInt(c);
    String camera = "cam-" + r.nextInt(5);
    double brightness = r.nextDouble();
    int site = r.nextInt(100);
    boolean hot = camera.equals("cam-3") || brightness < 0.1;
    boolean wrong = r.nextDouble() < (hot ? 0.3 : 0.1);
    int pred = wrong ? (y + 1 + r.nextInt(c - 1)) % c : y;
    float top = 0.4f + 0.55f * (float) r.nextDouble();
    Float[] p = new Float[c];
    for (int k = 0; k < c; k++) {
      p[k] = k == pred ? top : (1 - top) / (c - 1);
    }
    Double b = i % 100 == 7 ? null : brightness;
    return new Object[] {"ex-" + i, y, p, camera, b, site};
  }

  private static Iterator<Row> rows(Iterator<Long> ids) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return ids.hasNext();
      }

      @Override
      public Row next() {
        return RowFactory.create(row(ids.next()));
      }
    };
  }

  static ClassificationPredictions inMemory(int m) {
    int c = CLASSES.size();
    List<String> ids = new ArrayList<>(m);
    int[] labels = new int[m];
    float[] probs = new float[m * c];
    List<String> cameras = new ArrayList<>(m);
    double[] brightness = new double[m];
    double[] site = new double[m];
    for (int i = 0; i < m; i++) {
      Object[] r = row(i);
      ids.add((String) r[0]);
      labels[i] = (Integer) r[1];
      Float[] p = (Float[]) r[2];
      for (int k = 0; k < c; k++) {
        probs[i * c + k] = p[k];
      }
      cameras.add((String) r[3]);
      brightness[i] = r[4] == null ? Double.NaN : (Double) r[4];
      site[i] = (Integer) r[5];
    }
    return ClassificationPredictions.of(ids, labels, probs, CLASSES)
        .withAttribute("camera", cameras).withNumericAttribute("brightness", brightness)
        .withNumericAttribute("site", site);
  }
}
