package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.weights.ChecksumMismatchException;
import dev.groundwork.core.weights.LoadPolicy;
import dev.groundwork.core.weights.NameMapping;
import dev.groundwork.core.weights.Pretrained;
import dev.groundwork.core.weights.WeightLoadReport;
import dev.groundwork.core.weights.WeightsMismatchException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights trained in PyTorch (examples/tools/pytorch_small_cnn_fixture.py, torch 1.13 from
 * Debian) load into the DJL small CNN and predict what PyTorch predicted.
 */
class PretrainedWeightsTest {
  static final Dataset TEST = Datasets.fashionMnistSubset().test();
  static final String RESOURCE = PytorchSmallCnn.RESOURCE;
  static final String SHA256 = "81b51fa44b05b7c1216b7153937ec98f34d5ff2e246500b65d8ea876cdbcf466";
  /** PyTorch's names (nn.Sequential indices) → the small CNN's. */
  static final Map<String, String> TORCH_NAMES = PytorchSmallCnn.TORCH_NAMES;

  /** PyTorch's probabilities on the 1,000 embedded test images: 1000 × 10, row-major. */
  static float[] torchProbabilities() {
    return PytorchSmallCnn.probabilities();
  }

  /**
   * Asserts that {@code p} (predictions on the 1,000 embedded test images) equals PyTorch's to
   * 1e-5 with PyTorch's accuracy, 0.752; returns the largest difference.
   */
  static double assertPredictsAsPytorch(ClassProbabilities p) throws Exception {
    float[] torch = torchProbabilities();
    assertThat(p.values()).hasSameSizeAs(torch);
    double max = 0;
    for (int i = 0; i < torch.length; i++) {
      max = Math.max(max, Math.abs(p.values()[i] - torch[i]));
    }
    assertThat(max).as("max |p − p_torch| over 1,000 × 10").isLessThanOrEqualTo(1e-5);
    // PyTorch's own accuracy on these 1,000 images (small-cnn-fixture.json)
    assertThat(p.accuracy(TEST.labels())).isEqualTo(0.752);
    return max;
  }

  @Test
  void pytorchWeightsPredictAsPytorchDidOnTheEmbeddedTestImages() throws Exception {
    try (TrainableModel cnn = DjlModels.smallCnn(TEST.spec())) {
      WeightLoadReport r = Pretrained.classpath(RESOURCE).sha256(SHA256)
          .rename(NameMapping.of(TORCH_NAMES)).loadInto(cnn);
      assertThat(r.complete()).isTrue();
      assertThat(r.checksumVerified()).isTrue();
      assertThat(r.format()).isEqualTo("safetensors");
      assertThat(r.loaded()).hasSize(6);
      assertThat(r.renamed()).containsEntry("features.0.weight", "backbone_conv1_weight");
      assertPredictsAsPytorch(cnn.predict(TEST, 250));
    }
  }

  @Test
  void strictLoadWithoutTheMappingListsEveryDifferenceAndChangesNothing() {
    try (TrainableModel cnn = DjlModels.smallCnn(TEST.spec())) {
      var before = cnn.parameterValues();
      assertThatThrownBy(() -> Pretrained.classpath(RESOURCE).loadInto(cnn))
          .isInstanceOf(WeightsMismatchException.class)
          .hasMessageContaining("classpath:" + RESOURCE)
          .hasMessageContaining("features.0.weight").hasMessageContaining("backbone_conv1_weight");
      assertThat(cnn.parameterValues()).isEqualTo(before);
    }
  }

  @Test
  void matchingLoadReportsWhatItReinitialized() {
    try (TrainableModel cnn = DjlModels.smallCnn(TEST.spec(), TrainConfig.defaults())) {
      var before = cnn.parameterValues();
      Map<String, String> backboneOnly = new java.util.HashMap<>(TORCH_NAMES);
      backboneOnly.remove("classifier.3.weight");
      backboneOnly.remove("classifier.3.bias");
      WeightLoadReport r = Pretrained.classpath(RESOURCE).rename(NameMapping.of(backboneOnly))
          .policy(LoadPolicy.MATCHING).loadInto(cnn);
      assertThat(r.complete()).isFalse();
      assertThat(r.loaded()).hasSize(4);
      assertThat(r.missing()).containsExactly("head_weight", "head_bias");
      assertThat(r.unexpected()).containsExactly("classifier.3.weight", "classifier.3.bias");
      assertThat(r.reinitialized()).containsExactly("head_weight", "head_bias");
      assertThat(r.toString()).contains("PARTIAL").contains("re-initialized");
      var after = cnn.parameterValues();
      assertThat(after.get(5)).isEqualTo(before.get(5)); // head_bias kept
      assertThat(after.get(0)).isNotEqualTo(before.get(0)); // conv1 loaded
    }
  }

  @Test
  void aHeadForOtherClassesIsAShapeMismatchNotASilentLoad() {
    var five = TEST.spec().withClasses(TEST.spec().classes().subList(0, 5));
    try (TrainableModel cnn = DjlModels.smallCnn(five)) {
      assertThatThrownBy(() -> Pretrained.classpath(RESOURCE).rename(NameMapping.of(TORCH_NAMES))
          .loadInto(cnn)).isInstanceOf(WeightsMismatchException.class)
          .hasMessageContaining("head_weight: file [10, 128] vs model [5, 128]");
      WeightLoadReport r = Pretrained.classpath(RESOURCE).rename(NameMapping.of(TORCH_NAMES))
          .policy(LoadPolicy.MATCHING).loadInto(cnn);
      assertThat(r.shapeMismatched()).hasSize(2);
      assertThat(r.reinitialized()).containsExactly("head_weight", "head_bias");
    }
  }

  @Test
  void fineTuneRefusesABackboneThatDoesNotLoadAndKeepsTheModelUnchanged() {
    var five = TEST.spec().withClasses(TEST.spec().classes().subList(0, 5));
    try (TrainableModel cnn = DjlModels.smallCnn(five)) {
      var before = cnn.parameterValues();
      // without the name mapping, PyTorch's names match none of the backbone's parameters
      assertThatThrownBy(() -> dev.groundwork.core.train.FineTune.of(cnn)
          .from(Pretrained.classpath(RESOURCE)).on(TEST.restrictClasses(five.classes()))
          .run()).isInstanceOf(WeightsMismatchException.class)
          .hasMessageContaining("classpath:" + RESOURCE);
      assertThat(cnn.parameterValues()).isEqualTo(before);
      // with it, the backbone loads; the 10-class head of the file is skipped, not forced in
      var r = dev.groundwork.core.train.FineTune.of(cnn)
          .from(Pretrained.classpath(RESOURCE).rename(NameMapping.of(TORCH_NAMES)))
          .on(TEST.restrictClasses(five.classes()).stratifiedSample(50, 1)).headEpochs(1)
          .fullEpochs(1).progress(dev.groundwork.core.train.Fit.Progress.OFF, System.out).run();
      assertThat(r.load().orElseThrow().loaded()).hasSize(4);
      assertThat(r.load().orElseThrow().skipped()).containsExactly("classifier.3.weight",
          "classifier.3.bias");
      assertThat(r.headPhase()).isPresent();
      assertThat(r.fullPhase()).isPresent();
      assertThat(cnn.parameters()).allMatch(p -> p.trainable());
    }
  }

  @Test
  void aWrongChecksumOrADamagedFileIsATypedErrorNamingTheFile(@TempDir Path dir)
      throws Exception {
    try (TrainableModel cnn = DjlModels.smallCnn(TEST.spec())) {
      String wrong = "0".repeat(64);
      assertThatThrownBy(() -> Pretrained.classpath(RESOURCE).sha256(wrong).loadInto(cnn))
          .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining(RESOURCE)
          .hasMessageContaining(SHA256).hasMessageContaining(wrong);
      byte[] bytes;
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
        bytes = in.readAllBytes();
      }
      Path cut = dir.resolve("cut.safetensors");
      Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
      assertThatThrownBy(() -> Pretrained.file(cut).rename(NameMapping.of(TORCH_NAMES))
          .loadInto(cnn)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining(cut.toString());
      Path nan = dir.resolve("nan.safetensors");
      byte[] poisoned = bytes.clone();
      int dataStart = 8 + (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN)
          .getLong();
      ByteBuffer.wrap(poisoned).order(ByteOrder.LITTLE_ENDIAN).putFloat(dataStart + 40, Float.NaN);
      Files.write(nan, poisoned);
      assertThatThrownBy(() -> Pretrained.file(nan).rename(NameMapping.of(TORCH_NAMES))
          .loadInto(cnn)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("features.0.weight").hasMessageContaining("NaN");
    }
  }

  @Test
  void savedWeightsRoundTripThroughSafetensorsAndDjlParameterFiles(@TempDir Path dir) {
    try (TrainableModel a = DjlModels.smallCnn(TEST.spec());
        TrainableModel b = DjlModels.smallCnn(TEST.spec(), TrainConfig.defaults().withSeed(9));
        TrainableModel c = DjlModels.smallCnn(TEST.spec(), TrainConfig.defaults().withSeed(10))) {
      Pretrained.classpath(RESOURCE).rename(NameMapping.of(TORCH_NAMES)).loadInto(a);
      Pretrained saved = Pretrained.save(a, dir.resolve("a.safetensors"));
      assertThat(saved.expectedSha256()).isPresent();
      WeightLoadReport rb = saved.loadInto(b);
      assertThat(rb.checksumVerified()).isTrue();
      a.save(dir.resolve("a.params"));
      WeightLoadReport rc = Pretrained.file(dir.resolve("a.params")).loadInto(c);
      assertThat(rc.format()).isEqualTo("djl-parameters");
      var batch = TEST.subset(0, 1, 2, 3).batches(4).iterator().next();
      assertThat(b.predict(batch)).isEqualTo(a.predict(batch));
      assertThat(c.predict(batch)).isEqualTo(a.predict(batch));
    }
  }

  @Test
  void aDirectoryWithOneWeightsFileLoadsAndOneWithSeveralIsRefused(@TempDir Path dir)
      throws Exception {
    try (TrainableModel a = DjlModels.smallCnn(TEST.spec())) {
      Pretrained.save(a, dir.resolve("model.safetensors"));
      assertThat(Pretrained.directory(dir).source()).endsWith("model.safetensors");
      Path two = Files.createDirectory(dir.resolve("two"));
      Pretrained.save(a, two.resolve("x.safetensors"));
      a.save(two.resolve("y.params"));
      assertThatThrownBy(() -> Pretrained.directory(two))
          .isInstanceOf(DataFormatException.class).hasMessageContaining("x.safetensors")
          .hasMessageContaining("y.params");
    }
  }
}
