package dev.groundwork.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.TableOptions;
import dev.groundwork.core.data.Tables;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.train.OverfitCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model and its {@code newInstance} share the feature cache; nothing the copy does may change
 * what the original predicts (issue 13, §6: the overfit check's zero-input baseline on a copy used
 * to overwrite the original's cached features).
 */
class FeatureCacheIsolationTest {

  static final String[][] TOPICS = {
      {"football", "goal", "referee", "league", "striker", "match", "stadium", "season"},
      {"recipe", "oven", "garlic", "simmer", "flour", "sauce", "kitchen", "butter"},
      {"compiler", "kernel", "database", "server", "thread", "memory", "network", "bytecode"},
      {"guitar", "melody", "concert", "drummer", "album", "chord", "orchestra", "singer"}};

  /** 40 short texts of four topics, of varied lengths, as a JSONL dataset. */
  static Dataset texts(Path dir) throws Exception {
    Random r = new Random(13);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int topic = i % TOPICS.length;
      StringBuilder sb = new StringBuilder("the");
      int words = 3 + r.nextInt(14);
      for (int w = 0; w < words; w++) {
        sb.append(' ').append(w % 3 == 2 ? "and" : TOPICS[topic][r.nextInt(TOPICS[topic].length)]);
      }
      lines.add("{\"id\": \"x" + i + "\", \"label\": \"t" + topic + "\", \"text\": \"" + sb + "\"}");
    }
    Path file = dir.resolve("topics.jsonl");
    Files.write(file, lines);
    return Tables.jsonl(file, TableOptions.builder().label("label").text("text").id("id").build());
  }

  static List<ClassProbabilities> predictions(FrozenBackboneClassifier clf, Dataset data) {
    List<ClassProbabilities> out = new ArrayList<>();
    for (Batch b : data.batches(10)) {
      out.add(clf.predict(b));
    }
    return out;
  }

  static double maxDifference(List<ClassProbabilities> a, List<ClassProbabilities> b) {
    double max = 0;
    for (int k = 0; k < a.size(); k++) {
      for (int i = 0; i < a.get(k).values().length; i++) {
        max = Math.max(max, Math.abs(a.get(k).values()[i] - b.get(k).values()[i]));
      }
    }
    return max;
  }

  @Test
  void overfitCheckWithBaselineOnANewInstanceLeavesTheOriginalsPredictionsUnchanged(
      @TempDir Path dir) throws Exception {
    Dataset data = texts(dir);
    TrainConfig cfg = TrainConfig.builder().learningRate(0.05).seed(5).build();
    try (TextTokenizer tok = TextTokenizer.fromClasspath(OnnxTextTest.MINILM_TOKENIZER);
        OnnxModel m = OnnxModels.fromClasspath(OnnxTextTest.MINILM);
        // whole-batch runs (the behaviour when the bug was found): a feature computed again in
        // another batch differs, so a lost cache entry shows in the probabilities
        OnnxEmbedder minilm = m.embedder(OnnxOptions.builder().tokenizer(tok).normalize(true)
            .batching(OnnxOptions.Batching.WHOLE_BATCH).build());
        FrozenBackboneClassifier original = FrozenBackboneClassifier.create(minilm, data.spec(),
            Head.softmax(), cfg)) {
      original.precompute(data, 32);
      for (Batch b : data.batches(10, 1, false)) {
        original.trainStep(b, false);
      }
      List<ClassProbabilities> before = predictions(original, data);
      long computed = original.featureCache().computed();

      try (FrozenBackboneClassifier copy = original.newInstance(cfg)) {
        OverfitCheck.of(copy).on(data).maxSteps(20).baseline(true).run();
      }

      List<ClassProbabilities> after = predictions(original, data);
      assertThat(maxDifference(before, after)).as("max |Δ| of the original's probabilities")
          .isZero();
      assertThat(after).isEqualTo(before);
      // the original's features were read from the cache, not computed again
      long baselineInputs = 1; // every zeroed text is the same constant text
      assertThat(original.featureCache().computed()).isEqualTo(computed + baselineInputs);
      assertThat(original.featureCache().size()).isEqualTo(40 + 1);
    }
  }

  @Test
  void textsWithEqualStringHashesUnderOneIdGetTheirOwnFeatures() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    DatasetSpec spec = DatasetSpec.text(List.of("a", "b"));
    TrainConfig cfg = TrainConfig.builder().seed(3).build();
    try (TextTokenizer tok = TextTokenizer.fromClasspath(OnnxTextTest.MINILM_TOKENIZER);
        OnnxModel m = OnnxModels.fromClasspath(OnnxTextTest.MINILM);
        OnnxEmbedder minilm = m.embedder(OnnxOptions.builder().tokenizer(tok).build());
        FrozenBackboneClassifier seen = FrozenBackboneClassifier.create(minilm, spec,
            Head.softmax(), cfg);
        FrozenBackboneClassifier fresh = FrozenBackboneClassifier.create(minilm, spec,
            Head.softmax(), cfg)) {
      seen.predict(one("x", "Aa"));
      assertThat(seen.predict(one("x", "BB"))).isEqualTo(fresh.predict(one("x", "BB")))
          .isNotEqualTo(fresh.predict(one("x", "Aa")));
      assertThat(seen.featureCache().size()).isEqualTo(2);
    }
  }

  @Test
  void aCopyTrainingOnZeroedTensorsUnderTheSameIdsAddsOneEntryAndChangesNothing() {
    List<Batch> data = OnnxFrozenBackboneTest.data(30, 10, 8);
    TrainConfig cfg = TrainConfig.builder().learningRate(0.1).seed(2).build();
    try (OnnxModel m = OnnxModels.fromBytes("linear-backbone", OnnxGraphs.linear(false));
        OnnxEmbedder backbone = m.embedder(OnnxOptions.defaults());
        FrozenBackboneClassifier original = FrozenBackboneClassifier.create(backbone,
            OnnxFrozenBackboneTest.SPEC, Head.mlp(4), cfg)) {
      List<ClassProbabilities> before = new ArrayList<>();
      for (Batch b : data) {
        before.add(original.predict(b));
      }
      try (FrozenBackboneClassifier copy = original.newInstance(cfg)) {
        for (Batch b : data) {
          copy.trainStep(new Batch(b.shape(), new float[b.inputs().length], List.of(),
              b.labels(), b.ids()), false);
        }
      }
      // 30 inputs, then one zero tensor computed once for its 10 copies in the first batch
      assertThat(original.featureCache().computed()).isEqualTo(31);
      assertThat(original.featureCache().backboneCalls()).isEqualTo(4);
      for (int k = 0; k < data.size(); k++) {
        assertThat(original.predict(data.get(k))).isEqualTo(before.get(k));
      }
      assertThat(original.featureCache().computed()).isEqualTo(31);
    }
  }

  static Batch one(String id, String text) {
    return new Batch(new int[] {1}, new float[0], List.of(text), new int[1], List.of(id));
  }
}
