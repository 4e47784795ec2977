package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Optimizer;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlTrainableModelTest {
  static final Dataset HUNDRED = Datasets.fashionMnistSubset().train().stratifiedSample(100, 42);

  private static List<Double> curve(TrainableModel m, int steps) {
    List<Double> losses = new ArrayList<>();
    var batches = HUNDRED.batches(32, 7, false);
    int epoch = 0;
    Iterator<Batch> it = batches.epoch(epoch);
    for (int s = 0; s < steps; s++) {
      if (!it.hasNext()) {
        it = batches.epoch(++epoch);
      }
      losses.add(m.trainStep(it.next(), false).loss());
    }
    return losses;
  }

  @Test
  void smallCnnSummaryNamesParametersAndCounts() {
    try (TrainableModel cnn = DjlModels.smallCnn(HUNDRED.spec())) {
      List<ParameterInfo> ps = cnn.parameters();
      assertThat(ps).extracting(ParameterInfo::name).containsExactly(
          "backbone_conv1_weight", "backbone_conv2_weight", "backbone_fc1_weight",
          "backbone_fc1_bias", "head_weight", "head_bias");
      // 32·1·9 + 64·32·9 + 128·3136 + 128 + 10·128 + 10
      assertThat(cnn.summary().totalCount()).isEqualTo(288 + 18432 + 401408 + 128 + 1280 + 10);
      assertThat(cnn.summary().toString()).contains("backbone_conv2_weight").contains("[64, 32, 3, 3]");
    }
  }

  @Test
  void sameSeedSameLossCurveAndDifferentSeedDifferentCurve() {
    List<Double> a;
    List<Double> b;
    List<Double> c;
    try (TrainableModel m = DjlModels.smallCnn(HUNDRED.spec())) {
      a = curve(m, 12);
    }
    try (TrainableModel m = DjlModels.smallCnn(HUNDRED.spec())) {
      b = curve(m, 12);
    }
    try (TrainableModel m = DjlModels.smallCnn(HUNDRED.spec(), TrainConfig.defaults().withSeed(7))) {
      c = curve(m, 12);
    }
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i)).isCloseTo(a.get(i), org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(c.get(0)).isNotCloseTo(a.get(0), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(a.get(0)).isBetween(2.0, 2.6);
    assertThat(a.get(11)).isLessThan(a.get(0) * 0.8);
  }

  @Test
  void freezeStopsUpdatesAndGradientsAreReportedPerParameter() {
    try (TrainableModel m = DjlModels.mlp(HUNDRED.spec(), TrainConfig.defaults(), 32)) {
      assertThat(m.freeze("backbone")).isEqualTo(2);
      Batch batch = HUNDRED.batches(32).iterator().next();
      float before = m.predict(batch).get(0, 0);
      StepResult r = m.trainStep(batch, true);
      assertThat(r.gradientNorms()).containsOnlyKeys("head_weight", "head_bias");
      assertThat(r.gradientNorms().get("head_weight")).isGreaterThan(0.0);
      assertThat(m.predict(batch).get(0, 0)).isNotEqualTo(before);
      assertThat(m.parameters()).filteredOn(p -> !p.trainable()).extracting(ParameterInfo::name)
          .containsExactly("backbone_fc1_weight", "backbone_fc1_bias");
      m.freeze("head");
      assertThatThrownBy(() -> m.trainStep(batch, false)).isInstanceOf(GroundworkException.class)
          .hasMessageContaining("all parameters").hasMessageContaining("frozen");
      assertThat(m.unfreeze("")).isEqualTo(4);
      assertThat(m.trainStep(batch, true).gradientNorms()).hasSize(4);
      assertThatThrownBy(() -> m.freeze("nope")).isInstanceOf(InvalidParameterException.class)
          .hasMessageContaining("backbone_fc1_weight");
    }
  }

  @Test
  void saveAndLoadRoundTripAndRejectOtherArchitectures(@TempDir Path dir) throws Exception {
    Batch batch = HUNDRED.batches(16).iterator().next();
    Path file = dir.resolve("cnn.params");
    ClassProbabilities trained;
    try (TrainableModel m = DjlModels.smallCnn(HUNDRED.spec())) {
      curve(m, 5);
      trained = m.predict(batch);
      m.save(file);
    }
    try (TrainableModel fresh = DjlModels.smallCnn(HUNDRED.spec(), TrainConfig.defaults().withSeed(9))) {
      assertThat(fresh.predict(batch)).isNotEqualTo(trained);
      fresh.load(file);
      assertThat(fresh.predict(batch)).isEqualTo(trained);
      fresh.trainStep(batch, false);
    }
    try (TrainableModel mlp = DjlModels.mlp(HUNDRED.spec())) {
      assertThatThrownBy(() -> mlp.load(file)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("do not fit").hasMessageContaining("backbone_conv1_weight");
      // a truncated file fails and leaves the model as it was
      byte[] bytes = Files.readAllBytes(file);
      Path cut = Files.write(dir.resolve("cut.params"), java.util.Arrays.copyOf(bytes,
          bytes.length - 1000));
      try (TrainableModel other = DjlModels.smallCnn(HUNDRED.spec())) {
        ClassProbabilities before = other.predict(batch);
        assertThatThrownBy(() -> other.load(cut)).isInstanceOf(DataFormatException.class)
            .hasMessageContaining("cut.params");
        assertThat(other.predict(batch)).isEqualTo(before);
      }
      // one flipped bit inside the values loads nothing: the file's SHA-256 no longer matches
      byte[] flipped = bytes.clone();
      flipped[bytes.length / 2] ^= 0x04;
      Path damaged = Files.write(dir.resolve("flipped.params"), flipped);
      try (TrainableModel other = DjlModels.smallCnn(HUNDRED.spec())) {
        ClassProbabilities before = other.predict(batch);
        assertThatThrownBy(() -> other.load(damaged))
            .isInstanceOf(dev.groundwork.core.weights.ChecksumMismatchException.class)
            .hasMessageContaining("flipped.params").hasMessageContaining("damaged");
        assertThat(other.predict(batch)).isEqualTo(before);
      }
      // saved files get the usual permissions and leave no temporary behind
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
      try (var listing = Files.list(dir)) {
        assertThat(listing.map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.endsWith(".tmp"));
      }
      Path junk = Files.writeString(dir.resolve("junk"), "not parameters");
      assertThatThrownBy(() -> mlp.load(junk)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("junk");
    }
  }

  @Test
  void concurrentCallersGetTheSameOutputsAsOneCaller() throws Exception {
    try (TrainableModel m = DjlModels.smallCnn(HUNDRED.spec())) {
      List<Batch> batches = new ArrayList<>();
      HUNDRED.batches(10).forEach(batches::add);
      List<ClassProbabilities> single = new ArrayList<>();
      for (Batch b : batches) {
        single.add(m.predict(b));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<ClassProbabilities>> futures = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
          for (Batch b : batches) {
            futures.add(pool.submit(() -> m.predict(b)));
          }
        }
        for (int i = 0; i < futures.size(); i++) {
          assertThat(futures.get(i).get()).isEqualTo(single.get(i % batches.size()));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void badInputsAreTypedErrors() {
    try (TrainableModel m = DjlModels.mlp(HUNDRED.spec())) {
      Batch wrong = new Batch(new int[] {1, 1, 14, 14}, new float[196], List.of(), new int[] {0},
          List.of("x"));
      assertThatThrownBy(() -> m.predict(wrong)).isInstanceOf(InvalidParameterException.class)
          .hasMessageContaining("[1, 1, 14, 14]").hasMessageContaining("[1, 28, 28]");
      Batch badLabel = new Batch(new int[] {1, 1, 28, 28}, new float[784], List.of(),
          new int[] {12}, List.of("x"));
      assertThatThrownBy(() -> m.trainStep(badLabel, false))
          .isInstanceOf(dev.groundwork.core.data.LabelException.class).hasMessageContaining("label 12");
    }
    assertThatThrownBy(() -> TrainConfig.builder().learningRate(-1).build())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("learningRate");
    assertThatThrownBy(() -> DjlModels.mlp(HUNDRED.spec(), TrainConfig.defaults(), 0))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void cnnsAreSizedFromA32x32ColorSpec() {
    var color = dev.groundwork.core.data.DatasetSpec.image(3, 32, 32, List.of("a", "b", "c"));
    Batch batch = new Batch(new int[] {2, 3, 32, 32}, new float[2 * 3 * 32 * 32], List.of(),
        new int[] {0, 2}, List.of("x", "y"));
    try (TrainableModel cnn = DjlModels.smallCnn(color);
        TrainableModel res = DjlModels.resnet(color)) {
      // 8×8×64 after two poolings
      assertThat(cnn.parameters().stream().filter(p -> p.name().equals("backbone_fc1_weight"))
          .findFirst().orElseThrow().shape()).containsExactly(128, 4096);
      assertThat(cnn.predict(batch).rows()).isEqualTo(2);
      assertThat(res.predict(batch).classes()).isEqualTo(3);
      assertThat(res.trainStep(batch, true).gradientNorms()).containsKey("head_weight");
    }
  }

  @Test
  void resnetAndSgdTrain() {
    TrainConfig sgd = TrainConfig.builder().optimizer(Optimizer.SGD).learningRate(0.05).build();
    try (TrainableModel m = DjlModels.resnet(HUNDRED.spec(), sgd)) {
      List<Double> c = curve(m, 8);
      assertThat(c.get(7)).isLessThan(c.get(0));
      assertThat(m.summary().toString()).contains("backbone_stage2_shortcut_conv_weight");
    }
  }
}
