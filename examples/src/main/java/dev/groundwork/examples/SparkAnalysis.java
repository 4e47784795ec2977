package dev.groundwork.examples;

import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.analysis.SliceCounts;
import dev.groundwork.core.analysis.SliceOptions;
import dev.groundwork.core.analysis.SliceReport;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.examples.bench.SparkScoringBench;
import dev.groundwork.spark.ModelSource;
import dev.groundwork.spark.SparkClassificationAnalysis;
import dev.groundwork.spark.SparkFailureAnalysis;
import dev.groundwork.spark.SparkScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Failure analysis on Spark, end to end in local mode: score the 1,000 embedded Fashion-MNIST
 * test images with the small CNN ({@code SparkScorer}), write the predictions with two metadata
 * columns (mean brightness, share of dark pixels) to Parquet, run {@code SparkFailureAnalysis}
 * on the Parquet file (metrics, confusion, calibration, slices over the metadata) and print its
 * tables beside the in-memory analysis of the same rows, which they equal.
 *
 * <p>Run (after {@code mvn -B -q -ntp install -DskipTests}; the profile puts Spark on the class
 * path and adds the JVM flags it needs):
 *
 * <pre>
 * mvn -B -q -ntp -pl examples -Pspark exec:exec@bench -Dbench.heap=2g \
 *     -Dbench.main=dev.groundwork.examples.SparkAnalysis
 * </pre>
 */
public final class SparkAnalysis {

  private SparkAnalysis() {}

  /** Runs the example; the argument is a directory for the Parquet file (default: a temp one). */
  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("spark-analysis");
    String file = dir.resolve("predictions.parquet").toString();
    Dataset test = Datasets.fashionMnistSubset().test();
    List<String> classes = test.classes();
    int size = test.spec().inputSize();
    List<Row> rows = new ArrayList<>();
    double[] brightness = new double[test.size()];
    double[] dark = new double[test.size()];
    int at = 0;
    for (Batch b : test.batches(250)) {
      for (int i = 0; i < b.size(); i++, at++) {
        Float[] px = new Float[size];
        double sum = 0;
        int black = 0;
        for (int k = 0; k < size; k++) {
          px[k] = b.inputs()[i * size + k];
          sum += px[k];
          black += px[k] < 0.1f ? 1 : 0;
        }
        brightness[at] = sum / size;
        dark[at] = (double) black / size;
        rows.add(RowFactory.create(b.ids().get(i), b.labels()[i], px, brightness[at], dark[at]));
      }
    }
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("label", DataTypes.IntegerType)
        .add("pixels", DataTypes.createArrayType(DataTypes.FloatType))
        .add("brightness", DataTypes.DoubleType).add("dark_share", DataTypes.DoubleType);
    SliceOptions slices = SliceOptions.builder().maxOrder(2).minSupport(20).build();
    SparkSession spark = SparkSession.builder().master("local[2]").appName("spark-analysis")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    SparkClassificationAnalysis onSpark;
    List<Row> scored;
    try {
      // 1. score on Spark and write the predictions to Parquet (the scorer drops the pixels)
      ModelSource model = ModelSource.file(SparkScoringBench.modelFile().toString(),
          SparkScoringBench.loader(classes));
      SparkScorer scorer = SparkScorer.builder(model).inputColumn("pixels").batchSize(128)
          .build();
      scorer.score(spark.createDataFrame(rows, schema).repartition(4)).write().mode("overwrite").parquet(file);
      // 2. the analysis as Spark aggregations over the Parquet file
      onSpark = SparkFailureAnalysis.builder(classes).source(file)
          .probabilitiesColumn(SparkScorer.PROBABILITIES)
          .sliceColumns(List.of("brightness", "dark_share")).slices(slices).seed(1).build()
          .classification(spark.read().parquet(file));
      scored = spark.read().parquet(file).orderBy(functions.col("id"))
          .select("id", "label", SparkScorer.PROBABILITIES, "brightness", "dark_share")
          .collectAsList();
    } finally {
      spark.stop();
    }
    System.out.println("=== on Spark (" + file + ") ===");
    System.out.println(onSpark);

    // 3. the in-memory analysis of the same rows (small here, so they fit the driver)
    List<String> ids = new ArrayList<>();
    int[] labels = new int[scored.size()];
    float[] probs = new float[scored.size() * classes.size()];
    double[] b = new double[scored.size()];
    double[] d = new double[scored.size()];
    for (int i = 0; i < scored.size(); i++) {
      Row r = scored.get(i);
      ids.add(r.getString(0));
      labels[i] = r.getInt(1);
      List<Float> p = r.getList(2);
      for (int k = 0; k < classes.size(); k++) {
        probs[i * classes.size() + k] = p.get(k);
      }
      b[i] = r.getDouble(3);
      d[i] = r.getDouble(4);
    }
    ClassificationPredictions p = ClassificationPredictions.of(ids, labels, probs, classes)
        .withNumericAttribute("brightness", b).withNumericAttribute("dark_share", d);
    ClassificationAnalysis memory = FailureAnalysis.classification(p).run();
    SliceReport memorySlices = SliceCounts.find(p, slices, 1);
    System.out.println("=== in memory ===");
    System.out.println(memory.metrics());
    System.out.println(memory.calibration());
    System.out.println(memorySlices);
    boolean same = java.util.Arrays.deepEquals(memory.confusion().counts(), onSpark.confusion().counts());
    same &= Math.abs(memory.metrics().macroF1() - onSpark.metrics().macroF1()) < 1e-9;
    same &= Math.abs(memory.calibration().ece() - onSpark.calibration().ece()) < 1e-9;
    SliceReport s = onSpark.slices().orElseThrow();
    same &= s.slices().size() == memorySlices.slices().size();
    for (int i = 0; same && i < s.slices().size(); i++) {
      same = s.slices().get(i).description().equals(memorySlices.slices().get(i).description())
          && s.slices().get(i).support() == memorySlices.slices().get(i).support()
          && Math.abs(s.slices().get(i).qValue() - memorySlices.slices().get(i).qValue()) < 1e-9;
    }
    System.out.printf(Locale.ROOT, "Spark equals in memory (confusion, macro F1, ECE, slices): "
        + "%s%n", same ? "yes" : "NO");
    dev.groundwork.examples.results.Results.start("spark-analysis", args)
        .version("spark", spark.version()).version("dataset", "fashion-mnist-subset test, 1,000 images")
        .put("rows", scored.size(), "").put("equal", same ? 1 : 0, "")
        .note("spark_analysis", onSpark.toString().replace(file, "predictions.parquet"))
        .write();
    if (!same) {
      throw new IllegalStateException("the Spark analysis differs from the in-memory one");
    }
  }
}
