package dev.groundwork.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import dev.groundwork.onnx.OnnxModels;
import dev.groundwork.onnx.OnnxOptions;
import dev.groundwork.core.data.DataFormatException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark scores the 1,000 embedded Fashion-MNIST test images with the small CNN on ONNX Runtime
 * (the fixture PyTorch exported) and gives exactly what {@code Model.predict} gives on the same
 * rows, loading the model once per JVM across partitions, tasks and jobs.
 */
class SparkScorerTest {
  static final String ONNX = Path.of("../djl-backend/src/test/resources/pytorch/small-cnn.onnx")
      .toAbsolutePath().normalize().toString();

  static SparkSession spark;
  static dev.groundwork.core.data.Dataset test;
  static Dataset<Row> images;
  static ClassProbabilities expected;
  static Map<String, Integer> position = new HashMap<>();

  @BeforeAll
  static void setUp() {
    spark = LocalSpark.session();
    ExecutorModels.closeAll();
    test = Datasets.fashionMnistSubset().test();
    images = spark.createDataFrame(floatRows(test), FLOAT_ROWS).repartition(4);
    try (Model m = OnnxModels.load(Path.of(ONNX)).classifier(test.spec(),
        OnnxOptions.builder().scores(OnnxOptions.Scores.LOGITS).build())) {
      expected = m.predict(test, 100);
    }
    for (int i = 0; i < test.size(); i++) {
      position.put(test.id(i), i);
    }
  }

  /** The schema of {@link #floatRows}: {@code id, label, pixels array<float>}. */
  static final StructType FLOAT_ROWS = new StructType().add("id", DataTypes.StringType)
      .add("label", DataTypes.IntegerType)
      .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));

  /** Each example of {@code data} as a row {@code id, label, pixels} (its tensor's floats). */
  static List<Row> floatRows(dev.groundwork.core.data.Dataset data) {
    List<Row> rows = new ArrayList<>();
    int size = data.spec().inputSize();
    for (Batch b : data.batches(250)) {
      for (int i = 0; i < b.size(); i++) {
        Float[] px = new Float[size];
        for (int k = 0; k < size; k++) {
          px[k] = b.inputs()[i * size + k];
        }
        rows.add(RowFactory.create(b.ids().get(i), b.labels()[i], px));
      }
    }
    return rows;
  }

  @AfterAll
  static void tearDown() {
    ExecutorModels.closeAll();
  }

  static ModelSource source(List<String> classes) {
    return ModelSource.file(ONNX, loader(classes));
  }

  static ModelSource.Loader loader(List<String> classes) {
    return p -> OnnxModels.load(p).classifier(DatasetSpec.image(1, 28, 28, classes),
        OnnxOptions.builder().scores(OnnxOptions.Scores.LOGITS).build());
  }

  @Test
  void sparkScoresEqualModelPredictOnTheSameRowsAndTheModelLoadsOnce() {
    SparkScorer scorer = SparkScorer.builder(source(test.classes())).inputColumn("pixels")
        .batchSize(32).build();
    int before = ExecutorModels.loads();
    List<Row> scored = scorer.score(images).select("id", "label", SparkScorer.PROBABILITIES,
        SparkScorer.PREDICTED, SparkScorer.CONFIDENCE).collectAsList();
    long again = scorer.score(images.repartition(3)).count();
    assertThat(ExecutorModels.loads() - before).as("models loaded by two jobs, 4 + 3 partitions")
        .isEqualTo(1);
    assertThat(again).isEqualTo(test.size());
    assertThat(scored).hasSize(test.size());

    int correct = 0;
    for (Row r : scored) {
      int i = position.get(r.getString(0));
      List<Float> p = r.getList(2);
      assertThat(p).hasSize(10);
      for (int k = 0; k < 10; k++) {
        assertThat(p.get(k)).as("id %s class %s", r.getString(0), k)
            .isEqualTo(expected.get(i, k));
      }
      assertThat(r.getInt(3)).isEqualTo(expected.argmax(i));
      assertThat(r.getFloat(4)).isEqualTo(expected.get(i, expected.argmax(i)));
      correct += r.getInt(3) == r.getInt(1) ? 1 : 0;
    }
    System.out.printf("Spark scored %d images (4 partitions, batch 32): accuracy %.3f; every "
        + "probability equal to Model.predict; models loaded: %d%n", scored.size(),
        correct / 1000.0, ExecutorModels.loads() - before);
    // Spark's accuracy is the in-memory one, and the fixture is a working classifier
    assertThat(correct / 1000.0).isEqualTo(expected.accuracy(test.labels()))
        .isGreaterThan(0.7);
  }

  @Test
  void eightBitPixelsInABinaryColumnScoreTheSameAsFloats() {
    List<Row> rows = new ArrayList<>();
    int size = test.spec().inputSize();
    for (Batch b : test.batches(250)) {
      for (int i = 0; i < b.size(); i++) {
        byte[] px = new byte[size];
        for (int k = 0; k < size; k++) {
          px[k] = (byte) Math.round(b.inputs()[i * size + k] * 255f);
        }
        rows.add(RowFactory.create(b.ids().get(i), px));
      }
    }
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("pixels", DataTypes.BinaryType);
    SparkScorer scorer = SparkScorer.builder(source(test.classes())).inputColumn("pixels")
        .batchSize(64).build();
    List<Row> scored = scorer.score(spark.createDataFrame(rows, schema).repartition(2))
        .select("id", SparkScorer.PROBABILITIES).collectAsList();
    assertThat(scored).hasSize(test.size());
    assertProbabilitiesEqualModelPredict(scored);
    // a binary of another length is refused by name, inside the job
    List<Row> bad = List.of(RowFactory.create("short", new byte[100]));
    assertThatThrownBy(() -> scorer.score(spark.createDataFrame(bad, schema)).count())
        .hasStackTraceContaining("has 100 bytes but the model takes 784 values");
  }

  @Test
  void aModelShippedWithAddFileIsFoundOnTheExecutorAndScoresTheSame() {
    spark.sparkContext().addFile(ONNX);
    SparkScorer scorer = SparkScorer.builder(ModelSource.sparkFile("small-cnn.onnx",
        loader(test.classes()))).inputColumn("pixels").build();
    List<Row> scored = scorer.score(images.limit(200)).select("id", SparkScorer.PROBABILITIES)
        .collectAsList();
    assertThat(scored).hasSize(200);
    assertProbabilitiesEqualModelPredict(scored);
  }

  @Test
  void pngBytesAreDecodedInThePartitionAndScoreLikeModelPredict() {
    // each embedded test image as an 8-bit grayscale PNG (lossless: decoding gives b / 255f back)
    List<Row> rows = new ArrayList<>();
    int size = test.spec().inputSize();
    for (Batch b : test.batches(250)) {
      for (int i = 0; i < b.size(); i++) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < size; k++) {
          image.getRaster().setSample(k % 28, k / 28, 0,
              Math.round(b.inputs()[i * size + k] * 255f));
        }
        rows.add(RowFactory.create(b.ids().get(i), png(image)));
      }
    }
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("image", DataTypes.BinaryType);
    SparkScorer scorer = SparkScorer.builder(source(test.classes())).inputColumn("image")
        .idColumn("id").encodedImages().batchSize(64).build();
    Dataset<Row> scored = scorer.score(spark.createDataFrame(rows, schema).repartition(3));
    assertThat(scored.columns()).as("the image bytes are not carried into the output")
        .containsExactly("id", SparkScorer.PROBABILITIES, SparkScorer.PREDICTED,
            SparkScorer.CONFIDENCE);
    List<Row> out = scored.collectAsList();
    assertThat(out).hasSize(test.size());
    assertProbabilitiesEqualModelPredict(out);
    for (Row r : out) {
      assertThat(r.getInt(2)).isEqualTo(expected.argmax(position.get(r.getString(0))));
    }

    // an undecodable row fails inside the job, named by its id
    List<Row> bad = new ArrayList<>(rows.subList(0, 5));
    bad.add(RowFactory.create("broken-7", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}));
    Throwable thrown = catchThrowable(() -> scorer.score(spark.createDataFrame(bad, schema))
        .count());
    while (thrown != null && !(thrown instanceof DataFormatException)) {
      thrown = thrown.getCause();
    }
    assertThat(thrown).as("a DataFormatException inside Spark's").isNotNull()
        .hasMessageContaining("column 'image', row with id broken-7")
        .hasMessageContaining("cannot be decoded as an image");
    assertThat(((DataFormatException) thrown).source()).contains("image");
    // checked up front: encoded images need a binary column
    StructType strings = new StructType().add("id", DataTypes.StringType)
        .add("image", DataTypes.StringType);
    assertThatThrownBy(() -> scorer.score(spark.createDataFrame(
        List.of(RowFactory.create("a", "not bytes")), strings)))
        .isInstanceOf(SparkColumnException.class)
        .hasMessageContaining("column 'image' is string but encodedImages() reads binary");
    // and a row id column that exists
    assertThatThrownBy(() -> SparkScorer.builder(source(test.classes())).inputColumn("image")
        .idColumn("key").encodedImages().build().score(spark.createDataFrame(rows, schema)))
        .isInstanceOf(SparkColumnException.class).hasMessageContaining("no column 'key'");
  }

  @Test
  void keepInputCarriesTheInputColumnIntoTheOutput() {
    SparkScorer scorer = SparkScorer.builder(source(test.classes())).inputColumn("pixels")
        .keepInput(true).batchSize(50).build();
    Dataset<Row> scored = scorer.score(images.limit(100));
    assertThat(scored.columns()).containsExactly("id", "label", "pixels",
        SparkScorer.PROBABILITIES, SparkScorer.PREDICTED, SparkScorer.CONFIDENCE);
    for (Row r : scored.collectAsList()) {
      int i = position.get(r.getString(0));
      List<Float> px = r.getList(2);
      assertThat(px).hasSize(784);
      assertThat(px.get(400)).isEqualTo(((dev.groundwork.core.data.TensorInput) test.input(i))
          .values()[400]);
      assertThat(r.getInt(4)).isEqualTo(expected.argmax(i));
    }
    // with nothing but the input, the output is the three scored columns
    Dataset<Row> bare = SparkScorer.builder(source(test.classes())).inputColumn("pixels")
        .build().score(images.select("pixels"));
    assertThat(bare.columns()).containsExactly(SparkScorer.PROBABILITIES, SparkScorer.PREDICTED,
        SparkScorer.CONFIDENCE);
    assertThat(bare.groupBy(SparkScorer.PREDICTED).count().collectAsList().stream()
        .mapToLong(r -> r.getLong(1)).sum()).isEqualTo(test.size());
  }

  @Test
  void aModelErrorOnItsOwnThreadReachesTheJobWithItsTypeAndTheRowsId() {
    // the model runs on a thread of the task's own: its exception must come out unchanged
    List<Row> rows = new ArrayList<>();
    int size = test.spec().inputSize();
    for (int i = 0; i < 40; i++) {
      Float[] px = new Float[size];
      java.util.Arrays.fill(px, 0.5f);
      if (i == 33) {
        px[100] = Float.NaN;
      }
      rows.add(RowFactory.create("img-" + i, i % 10, px));
    }
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("label", DataTypes.IntegerType)
        .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    SparkScorer scorer = SparkScorer.builder(source(test.classes())).inputColumn("pixels")
        .idColumn("id").batchSize(8).build();
    Throwable e = catchThrowable(() -> scorer.score(spark.createDataFrame(rows, schema)
        .coalesce(1)).count());
    assertThat(e).isInstanceOf(org.apache.spark.SparkException.class).cause()
        .isInstanceOf(dev.groundwork.core.data.NonFiniteInputException.class)
        .hasMessageContaining("[img-33]");
    // without an id column the row is named by its partition and position
    SparkScorer unnamed = SparkScorer.builder(source(test.classes())).inputColumn("pixels")
        .batchSize(8).build();
    assertThat(catchThrowable(() -> unnamed.score(spark.createDataFrame(rows, schema)
        .coalesce(1)).count())).rootCause().hasMessageContaining("[partition 0 row 33]");
  }

  @Test
  void aTaskThatStopsEarlyOrEndsLeavesNoModelThreadBehind() throws InterruptedException {
    SparkScorer scorer = SparkScorer.builder(source(test.classes())).inputColumn("pixels")
        .batchSize(16).build();
    // limit reads a few rows of a partition and ends its task with batches still queued
    assertThat(scorer.score(images).limit(5).collectAsList()).hasSize(5);
    assertThat(modelThreadsAfterAWhile()).as("model threads alive after a limit(5)").isEmpty();
    // a job whose tasks read every row
    assertThat(scorer.score(images).count()).isEqualTo(test.size());
    assertThat(modelThreadsAfterAWhile()).as("model threads alive after a job").isEmpty();
  }

  /** The model threads still alive after up to 5 s (a thread ends shortly after its task). */
  private static List<String> modelThreadsAfterAWhile() throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<String> alive = modelThreads();
    while (!alive.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      alive = modelThreads();
    }
    return alive;
  }

  private static List<String> modelThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(n -> n.startsWith("groundwork-spark-predict")).toList();
  }

  /**
   * Asserts that each row's probabilities (column 1) equal, bit for bit, {@code Model.predict}'s
   * for the example its id (column 0) names.
   */
  private static void assertProbabilitiesEqualModelPredict(List<Row> scored) {
    for (Row r : scored) {
      int i = position.get(r.getString(0));
      List<Float> p = r.getList(1);
      assertThat(p).hasSize(10);
      for (int k = 0; k < 10; k++) {
        assertThat(p.get(k)).as("id %s class %s", r.getString(0), k)
            .isEqualTo(expected.get(i, k));
      }
    }
  }

  static byte[] png(BufferedImage image) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
