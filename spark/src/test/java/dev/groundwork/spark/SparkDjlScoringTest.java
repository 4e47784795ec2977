package dev.groundwork.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.weights.NameMapping;
import dev.groundwork.core.weights.Pretrained;
import dev.groundwork.djl.DjlModels;
import dev.groundwork.djl.PytorchSmallCnn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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

  @AfterAll
  static void tearDown() {
    ExecutorModels.closeAll();
  }

  /** What an executor runs: the architecture, then the published weights into it. */
  static Model load(Path weights) {
    TrainableModel cnn = DjlModels.smallCnn(Datasets.fashionMnistSubset().test().spec());
    try {
      Pretrained.file(weights).rename(NameMapping.of(PytorchSmallCnn.TORCH_NAMES)).loadInto(cnn);
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
    Map<String, Integer> position = SparkTextScoringTest.positions(test);
    SparkScorer scorer = SparkScorer.builder(ModelSource.file(WEIGHTS.toString(),
        SparkDjlScoringTest::load)).inputColumn("pixels").idColumn("id").batchSize(50).build();
    List<Row> scored = scorer.score(spark.createDataFrame(SparkScorerTest.floatRows(test),
        SparkScorerTest.FLOAT_ROWS).repartition(4))
        .select("id", "label", SparkScorer.PROBABILITIES, SparkScorer.PREDICTED)
        .collectAsList();

    float[] torch = PytorchSmallCnn.probabilities();
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
}
