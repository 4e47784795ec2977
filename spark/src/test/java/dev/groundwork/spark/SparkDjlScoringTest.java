package dev.groundwork.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.weights.NameMapping;
import dev.groundwork.core.weights.Pretrained;
import dev.groundwork.djl.DjlModels;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The DJL (PyTorch engine) backend on Spark: the small CNN built by {@code DjlModels} with the
 * weights PyTorch trained (safetensors, loaded on each executor) scores the 1,000 embedded test
 * images as PyTorch did, from the same file the ONNX test scores.
 */
class SparkDjlScoringTest {
  static final Path WEIGHTS = Path.of(
      "../djl-backend/src/test/resources/pytorch/small-cnn.safetensors").toAbsolutePath()
      .normalize();
  static final Path PROBS = WEIGHTS.resolveSibling("small-cnn-test-probs.f32");
  /** PyTorch's parameter names (nn.Sequential indices) → the small CNN's. */
  static final Map<String, String> TORCH_NAMES = Map.of(
      "features.0.weight", "backbone_conv1_weight",
      "features.3.weight", "backbone_conv2_weight",
      "classifier.1.weight", "backbone_fc1_weight",
      "classifier.1.bias", "backbone_fc1_bias",
      "classifier.3.weight", "head_weight",
      "classifier.3.bias", "head_bias");

  @AfterAll
  static void tearDown() {
    ExecutorModels.closeAll();
  }

  /** What an executor runs: the architecture, then the published weights into it. */
  static Model load(Path weights) {
    TrainableModel cnn = DjlModels.smallCnn(Datasets.fashionMnistSubset().test().spec());
    try {
      Pretrained.file(weights).rename(NameMapping.of(TORCH_NAMES)).loadInto(cnn);
      return cnn;
    } catch (RuntimeException e) {
      cnn.close();
      throw e;
    }
  }

  @Test
  void theDjlSmallCnnScoresOnSparkAsPytorchDid() throws Exception {
    SparkSession spark = LocalSpark.session();
    dev.groundwork.core.data.Dataset test = Datasets.fashionMnistSubset().test();
    int size = test.spec().inputSize();
    List<Row> rows = new ArrayList<>();
    Map<String, Integer> position = new HashMap<>();
    for (Batch b : test.batches(250)) {
      for (int i = 0; i < b.size(); i++) {
        Float[] px = new Float[size];
        for (int k = 0; k < size; k++) {
          px[k] = b.inputs()[i * size + k];
        }
        rows.add(RowFactory.create(b.ids().get(i), b.labels()[i], px));
      }
    }
    for (int i = 0; i < test.size(); i++) {
      position.put(test.id(i), i);
    }
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("label", DataTypes.IntegerType)
        .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    SparkScorer scorer = SparkScorer.builder(ModelSource.file(WEIGHTS.toString(),
        SparkDjlScoringTest::load)).inputColumn("pixels").idColumn("id").batchSize(50).build();
    List<Row> scored = scorer.score(spark.createDataFrame(rows, schema).repartition(4))
        .select("id", "label", SparkScorer.PROBABILITIES, SparkScorer.PREDICTED)
        .collectAsList();

    float[] torch = torchProbabilities();
    assertThat(scored).hasSize(test.size());
    double max = 0;
    int correct = 0;
    for (Row r : scored) {
      int i = position.get(r.getString(0));
      List<Float> p = r.getList(2);
      assertThat(p).hasSize(10);
      for (int k = 0; k < 10; k++) {
        max = Math.max(max, Math.abs(p.get(k) - torch[i * 10 + k]));
      }
      correct += r.getInt(3) == r.getInt(1) ? 1 : 0;
    }
    System.out.printf("Spark scored %d images with the DJL small CNN (4 partitions, batch 50): "
        + "accuracy %.3f, max |p − p_torch| %.2e%n", scored.size(), correct / 1000.0, max);
    // PyTorch's own probabilities and accuracy on these images (small-cnn-fixture.json)
    assertThat(max).as("max |p − p_torch| over 1,000 × 10").isLessThanOrEqualTo(1e-5);
    assertThat(correct / 1000.0).isEqualTo(0.752);
    // and the same as the model in this JVM, batch by batch
    try (Model local = load(WEIGHTS)) {
      ClassProbabilities expected = local.predict(test, 50);
      for (Row r : scored) {
        int i = position.get(r.getString(0));
        assertThat(r.getInt(3)).isEqualTo(expected.argmax(i));
      }
    }
  }

  /** PyTorch's probabilities on the 1,000 embedded test images: 1000 × 10, row-major. */
  static float[] torchProbabilities() throws Exception {
    try (InputStream in = Files.newInputStream(PROBS)) {
      byte[] bytes = in.readAllBytes();
      float[] out = new float[bytes.length / 4];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }
  }
}
