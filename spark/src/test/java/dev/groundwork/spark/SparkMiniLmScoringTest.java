package dev.groundwork.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import dev.groundwork.core.model.ModelSummary;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.onnx.FrozenBackboneClassifier;
import dev.groundwork.onnx.Head;
import dev.groundwork.onnx.OnnxEmbedder;
import dev.groundwork.onnx.OnnxModel;
import dev.groundwork.onnx.OnnxModels;
import dev.groundwork.onnx.OnnxOptions;
import dev.groundwork.onnx.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text scoring on Spark with the frozen pretrained MiniLM sentence encoder (quantized
 * all-MiniLM-L6-v2 on ONNX Runtime, as in the examples' TextClassification) and an MLP head
 * trained on the driver and saved to a file: each executor JVM loads the encoder and the head
 * once, and every probability equals {@code Model.predict} on the same texts.
 */
class SparkMiniLmScoringTest {
  static final String MODEL = "all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

  @AfterAll
  static void tearDown() {
    ExecutorModels.closeAll();
  }

  /** MiniLM + an MLP head of 128 over {@code classes}, the head's weights from {@code head}. */
  static Model load(Path head, List<String> classes) {
    TextTokenizer tokenizer = TextTokenizer.fromClasspath(TOKENIZER);
    try {
      FrozenBackboneClassifier clf = create(tokenizer, DatasetSpec.text(classes));
      if (head != null) {
        clf.load(head);
      }
      return new WithTokenizer(clf, tokenizer);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  static FrozenBackboneClassifier create(TextTokenizer tokenizer, DatasetSpec spec) {
    try (OnnxModel minilm = OnnxModels.fromClasspath(MODEL);
        OnnxEmbedder encoder = minilm.embedder(OnnxOptions.builder().tokenizer(tokenizer)
            .pooling(OnnxOptions.Pooling.MEAN).normalize(true).build())) {
      // the classifier holds its own share of the session
      return FrozenBackboneClassifier.create(encoder, spec, Head.mlp(128),
          TrainConfig.builder().learningRate(3e-3).weightDecay(1e-4).seed(7).build());
    }
  }

  @Test
  void miniLmWithAHeadScoresTextsOnSparkLikeModelPredict(@TempDir Path dir) {
    SparkSession spark = LocalSpark.session();
    Dataset data = SparkTextScoringTest.load(Path.of(SparkTextScoringTest.DATA));
    Dataset train = data.split(0.8, 42).train().stratifiedSample(240, 7);
    Dataset test = data.split(0.8, 42).test();
    List<String> classes = data.classes();
    Path head = dir.resolve("minilm-head.bin");
    ClassProbabilities expected;
    try (Model local = load(null, classes)) {
      FrozenBackboneClassifier clf = ((WithTokenizer) local).clf;
      clf.precompute(train, 32);
      var batches = train.batches(32, 7, false);
      for (int epoch = 0; epoch < 30; epoch++) {
        for (var it = batches.epoch(epoch); it.hasNext(); ) {
          clf.trainStep(it.next(), false);
        }
      }
      clf.save(head);
      expected = local.predict(test, 64);
    }

    List<Row> rows = SparkTextScoringTest.textRows(test);
    Map<String, Integer> position = SparkTextScoringTest.positions(test);
    StructType schema = SparkTextScoringTest.TEXT_ROWS;
    int before = ExecutorModels.loads();
    SparkScorer scorer = SparkScorer.builder(ModelSource.file(head.toString(),
        p -> load(p, classes))).inputColumn("text").idColumn("id").batchSize(16).build();
    List<Row> scored = scorer.score(spark.createDataFrame(rows, schema).repartition(2))
        .collectAsList();
    assertThat(ExecutorModels.loads() - before).as("one model in this JVM (driver + executor)")
        .isEqualTo(1);
    assertThat(scored).hasSize(test.size());
    int correct = 0;
    for (Row r : scored) {
      int i = position.get(r.getString(0));
      List<Float> p = r.getList(2);
      assertThat(p).hasSize(classes.size());
      for (int k = 0; k < p.size(); k++) {
        assertThat(p.get(k)).as("id %s class %s", r.getString(0), k)
            .isEqualTo(expected.get(i, k));
      }
      assertThat(r.getInt(3)).isEqualTo(expected.argmax(i));
      correct += r.getInt(3) == r.getInt(1) ? 1 : 0;
    }
    double accuracy = (double) correct / test.size();
    System.out.printf("Spark scored %d texts (2 partitions, batch 16) with MiniLM + MLP head "
        + "(trained on %d texts): accuracy %.4f, every probability equal to Model.predict%n",
        test.size(), train.size(), accuracy);
    assertThat(accuracy).isEqualTo(expected.accuracy(test.labels()))
        .isGreaterThan(3.0 / classes.size());
  }

  /** The classifier and the tokenizer it reads with, closed together (the tokenizer last). */
  static final class WithTokenizer implements Model {
    final FrozenBackboneClassifier clf;
    private final TextTokenizer tokenizer;

    WithTokenizer(FrozenBackboneClassifier clf, TextTokenizer tokenizer) {
      this.clf = clf;
      this.tokenizer = tokenizer;
    }

    @Override
    public String name() {
      return clf.name();
    }

    @Override
    public DatasetSpec spec() {
      return clf.spec();
    }

    @Override
    public ClassProbabilities predict(Batch batch) {
      return clf.predict(batch);
    }

    @Override
    public ModelSummary summary() {
      return clf.summary();
    }

    @Override
    public void close() {
      try {
        clf.close();
      } finally {
        tokenizer.close();
      }
    }
  }
}
