package dev.groundwork.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Optimizer;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A head on the linear test graph used as a frozen 3-feature backbone. */
class OnnxFrozenBackboneTest {

  static final DatasetSpec SPEC = DatasetSpec.features(4, List.of("a", "b", "c"));

  OnnxModel model;
  OnnxEmbedder backbone;

  @BeforeEach
  void open() {
    model = OnnxModels.fromBytes("linear-backbone", OnnxGraphs.linear(false));
    backbone = model.embedder(OnnxOptions.defaults());
  }

  @AfterEach
  void close() {
    backbone.close();
    model.close();
  }

  /** {@code n} examples labeled by the backbone's own argmax, kept only when the margin is clear. */
  static List<Batch> data(int n, int batchSize, long seed) {
    Random r = new Random(seed);
    List<float[]> xs = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    while (xs.size() < n) {
      float[] x = new float[4];
      for (int i = 0; i < 4; i++) {
        x[i] = (float) r.nextGaussian();
      }
      double[] z = new double[3];
      for (int c = 0; c < 3; c++) {
        z[c] = OnnxGraphs.B[c];
        for (int i = 0; i < 4; i++) {
          z[c] += x[i] * OnnxGraphs.W[i * 3 + c];
        }
      }
      int best = z[0] >= z[1] && z[0] >= z[2] ? 0 : z[1] >= z[2] ? 1 : 2;
      double second = IntStream.range(0, 3).filter(c -> c != best).mapToDouble(c -> z[c]).max()
          .orElseThrow();
      if (z[best] - second > 0.5) {
        xs.add(x);
        ys.add(best);
      }
    }
    List<Batch> batches = new ArrayList<>();
    for (int from = 0; from < n; from += batchSize) {
      int m = Math.min(batchSize, n - from);
      float[] flat = new float[m * 4];
      int[] labels = new int[m];
      List<String> ids = new ArrayList<>();
      for (int k = 0; k < m; k++) {
        System.arraycopy(xs.get(from + k), 0, flat, k * 4, 4);
        labels[k] = ys.get(from + k);
        ids.add("s" + seed + "-" + (from + k));
      }
      batches.add(new Batch(new int[] {m, 4}, flat, List.of(), labels, ids));
    }
    return batches;
  }

  static double accuracy(FrozenBackboneClassifier clf, List<Batch> batches) {
    int right = 0;
    int total = 0;
    for (Batch b : batches) {
      ClassProbabilities p = clf.predict(b);
      right += Math.round(p.accuracy(b.labels()) * b.size());
      total += b.size();
    }
    return (double) right / total;
  }

  @Test
  void softmaxHeadOverfitsWithFeaturesComputedOncePerExample() {
    List<Batch> train = data(60, 20, 1);
    TrainConfig cfg = TrainConfig.builder().learningRate(0.1).seed(7).build();
    try (FrozenBackboneClassifier clf = FrozenBackboneClassifier.create(backbone, SPEC,
        Head.softmax(), cfg)) {
      assertThat(clf.featureDimension()).isEqualTo(3);
      double first = 0;
      double last = 0;
      for (int epoch = 0; epoch < 60; epoch++) {
        double sum = 0;
        for (Batch b : train) {
          sum += clf.trainStep(b, false).loss();
        }
        if (epoch == 0) {
          first = sum / train.size();
        }
        last = sum / train.size();
      }
      assertThat(last).isLessThan(first / 4);
      assertThat(accuracy(clf, train)).isEqualTo(1.0);
      // 60 examples, 3 batches: the backbone ran 3 times, once per batch of the first epoch
      assertThat(clf.featureCache().computed()).isEqualTo(60);
      assertThat(clf.featureCache().backboneCalls()).isEqualTo(3);
      assertThat(clf.featureCache().size()).isEqualTo(60);
    }
  }

  @Test
  void mlpGradientNormsMatchFiniteDifferences() {
    Batch b = data(12, 12, 2).get(0);
    TrainConfig cfg = TrainConfig.builder().optimizer(Optimizer.SGD).learningRate(0.01)
        .momentum(0).seed(3).build();
    try (FrozenBackboneClassifier clf = FrozenBackboneClassifier.create(backbone, SPEC,
        Head.mlp(5), cfg)) {
      List<String> names = List.of("head_hidden_weight", "head_hidden_bias", "head_out_weight",
          "head_out_bias");
      double[] numeric = new double[names.size()];
      double eps = 1e-2;
      for (int q = 0; q < names.size(); q++) {
        float[] w = clf.parameterValues(names.get(q));
        double sq = 0;
        for (int i = 0; i < w.length; i++) {
          float keep = w[i];
          w[i] = (float) (keep + eps);
          double up = clf.predict(b).meanLoss(b.labels());
          w[i] = (float) (keep - eps);
          double down = clf.predict(b).meanLoss(b.labels());
          w[i] = keep;
          double g = (up - down) / (2 * eps);
          sq += g * g;
        }
        numeric[q] = Math.sqrt(sq);
      }
      StepResult step = clf.trainStep(b, true);
      assertThat(step.gradientNorms()).containsOnlyKeys(names);
      for (int q = 0; q < names.size(); q++) {
        assertThat(step.gradientNorms().get(names.get(q)))
            .as(names.get(q)).isCloseTo(numeric[q], within(0.02 * numeric[q] + 1e-4));
      }
      assertThat(step.gradientNorms().get("head_out_weight")).isGreaterThan(1e-3);
      assertThat(step.exampleLoss()).hasSize(12);
      assertThat(step.learningRate()).isEqualTo(0.01);
    }
  }

  @Test
  void parametersFreezeAndUnfreeze() {
    try (FrozenBackboneClassifier clf = FrozenBackboneClassifier.create(backbone, SPEC,
        Head.mlp(8), TrainConfig.defaults())) {
      assertThat(clf.parameters()).extracting(ParameterInfo::name, ParameterInfo::trainable)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("backbone_W", false),
              org.assertj.core.groups.Tuple.tuple("backbone_B", false),
              org.assertj.core.groups.Tuple.tuple("head_hidden_weight", true),
              org.assertj.core.groups.Tuple.tuple("head_hidden_bias", true),
              org.assertj.core.groups.Tuple.tuple("head_out_weight", true),
              org.assertj.core.groups.Tuple.tuple("head_out_bias", true));
      assertThat(clf.summary().trainableCount()).isEqualTo(8 * 3 + 8 + 3 * 8 + 3);
      assertThat(clf.summary().totalCount()).isEqualTo(12 + 3 + 8 * 3 + 8 + 3 * 8 + 3);
      assertThat(clf.freeze("head_hidden")).isEqualTo(2);
      Batch b = data(6, 6, 3).get(0);
      float[] before = clf.parameterValues("head_hidden_weight").clone();
      StepResult step = clf.trainStep(b, true);
      assertThat(clf.parameterValues("head_hidden_weight")).containsExactly(before);
      assertThat(step.gradientNorms()).containsOnlyKeys("head_out_weight", "head_out_bias");
      assertThat(clf.freeze("head_")).isEqualTo(4);
      assertThatThrownBy(() -> clf.trainStep(b, false)).isInstanceOf(GroundworkException.class)
          .hasMessageContaining("frozen");
      assertThat(clf.unfreeze("head_")).isEqualTo(4);
      assertThatThrownBy(() -> clf.unfreeze("backbone_"))
          .isInstanceOf(InvalidParameterException.class).hasMessageContaining("stays frozen");
      assertThatThrownBy(() -> clf.freeze("conv"))
          .isInstanceOf(InvalidParameterException.class).hasMessageContaining("head_out_bias");
    }
  }

  @Test
  void newInstanceSharesTheCacheReinitialisesTheHeadAndSaveLoadRoundTrips(@TempDir Path dir) {
    List<Batch> train = data(40, 20, 4);
    TrainConfig cfg = TrainConfig.builder().learningRate(0.05).seed(11).build();
    try (FrozenBackboneClassifier a = FrozenBackboneClassifier.create(backbone, SPEC, Head.mlp(6),
        cfg)) {
      ClassProbabilities untrained = a.predict(train.get(0));
      for (int e = 0; e < 30; e++) {
        for (Batch b : train) {
          a.trainStep(b, false);
        }
      }
      long computed = a.featureCache().computed();
      assertThat(computed).isEqualTo(40);
      try (FrozenBackboneClassifier same = a.newInstance(cfg);
          FrozenBackboneClassifier other = a.newInstance(cfg.withSeed(12))) {
        assertThat(same.featureCache()).isSameAs(a.featureCache());
        assertThat(same.predict(train.get(0))).isEqualTo(untrained);
        assertThat(other.predict(train.get(0))).isNotEqualTo(untrained);
        assertThat(a.featureCache().computed()).isEqualTo(computed);

        Path file = dir.resolve("head.bin");
        a.save(file);
        a.save(file); // overwrite in place
        assertThat(dir.toFile().list()).containsExactly("head.bin");
        other.load(file);
        for (Batch b : train) {
          assertThat(other.predict(b)).isEqualTo(a.predict(b));
        }
      }
      try (FrozenBackboneClassifier wider = FrozenBackboneClassifier.create(backbone, SPEC,
          Head.mlp(7), cfg)) {
        assertThatThrownBy(() -> wider.load(dir.resolve("head.bin")))
            .isInstanceOf(GroundworkException.class).hasMessageContaining("6")
            .hasMessageContaining("7");
      }
    }
    assertThatThrownBy(() -> FrozenBackboneClassifier.create(backbone,
        DatasetSpec.text(List.of("a", "b")), Head.softmax(), cfg))
        .isInstanceOf(OnnxInputException.class).hasMessageContaining("no tokenizer");
  }

  @Test
  void sgdWithWeightDecayLearnsToo() {
    List<Batch> train = data(60, 30, 5);
    TrainConfig cfg = TrainConfig.builder().optimizer(Optimizer.SGD).learningRate(0.2)
        .momentum(0.9).weightDecay(1e-4).seed(1).build();
    try (FrozenBackboneClassifier clf = FrozenBackboneClassifier.create(backbone, SPEC,
        Head.softmax(), cfg)) {
      for (int e = 0; e < 40; e++) {
        for (Batch b : train) {
          clf.trainStep(b, false);
        }
      }
      assertThat(accuracy(clf, train)).isGreaterThanOrEqualTo(0.95);
      assertThat(Files.exists(Path.of("head.bin"))).isFalse();
    }
  }
}
