package dev.groundwork.djl;

import static dev.groundwork.djl.PretrainedWeightsTest.TEST;
import static dev.groundwork.djl.PretrainedWeightsTest.TORCH_NAMES;
import static dev.groundwork.djl.PretrainedWeightsTest.assertPredictsAsPytorch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.weights.DType;
import dev.groundwork.core.weights.NameMapping;
import dev.groundwork.core.weights.Pretrained;
import dev.groundwork.core.weights.WeightLoadReport;
import dev.groundwork.onnx.OnnxClassifier;
import dev.groundwork.onnx.OnnxModel;
import dev.groundwork.onnx.OnnxModels;
import dev.groundwork.onnx.OnnxOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch small CNN of {@link PretrainedWeightsTest}, exported with {@code torch.onnx.export}
 * (examples/tools/pytorch_small_cnn_fixture.py --onnx), gives its initializers to the DJL small CNN,
 * which then predicts what PyTorch predicted. The onnx-backend is a test dependency here only.
 */
class PretrainedOnnxWeightsTest {
  static final String RESOURCE = "pytorch/small-cnn.onnx";
  static final String SHA256 = "c6159ed8fa22e6a8249cad301a97d6ff908d29a11d272ea1e5e7adefaadcf362";

  /**
   * torch 1.13 keeps the state_dict names as initializer names (features.0.weight, ...,
   * small-cnn-fixture.json "onnx"), so the mapping is PyTorch's.
   */
  static final NameMapping ONNX_NAMES = NameMapping.of(TORCH_NAMES);

  @Test
  void onnxInitializersPredictAsPytorchDidOnTheEmbeddedTestImages() throws Exception {
    try (TrainableModel cnn = DjlModels.smallCnn(TEST.spec())) {
      WeightLoadReport r = Pretrained.classpath(RESOURCE).sha256(SHA256).rename(ONNX_NAMES)
          .loadInto(cnn);
      assertThat(r.format()).isEqualTo("onnx");
      assertThat(r.complete()).isTrue();
      assertThat(r.checksumVerified()).isTrue();
      assertThat(r.loaded()).containsExactly("backbone_conv1_weight", "backbone_conv2_weight",
          "backbone_fc1_weight", "backbone_fc1_bias", "head_weight", "head_bias");
      assertThat(r.dtypeConverted()).isEmpty();
      double max = assertPredictsAsPytorch(cnn.predict(TEST, 250));
      System.out.printf("ONNX initializers → DJL: max |p − p_torch| = %.3g%n", max);
    }
  }

  @Test
  void theOnnxInitializersAreTheSafetensorsWeightsBitForBit() {
    try (TrainableModel fromOnnx = DjlModels.smallCnn(TEST.spec());
        TrainableModel fromSafetensors = DjlModels.smallCnn(TEST.spec())) {
      Pretrained.classpath(RESOURCE).rename(ONNX_NAMES).loadInto(fromOnnx);
      Pretrained.classpath(PretrainedWeightsTest.RESOURCE).rename(NameMapping.of(TORCH_NAMES))
          .loadInto(fromSafetensors);
      assertThat(fromOnnx.parameterValues()).isEqualTo(fromSafetensors.parameterValues());
      assertThat(Pretrained.classpath(RESOURCE).tensors(fromOnnx))
          .allMatch(t -> t.sourceType() == DType.F32).hasSize(6);
    }
  }

  @Test
  void onnxRuntimeRunningTheSameFileAgreesWithPytorchToo() throws Exception {
    try (OnnxModel m = OnnxModels.fromClasspath(RESOURCE);
        OnnxClassifier c = m.classifier(TEST.spec(), OnnxOptions.builder()
            .scores(OnnxOptions.Scores.LOGITS).build())) {
      double max = assertPredictsAsPytorch(c.predict(TEST, 250));
      System.out.printf("ONNX Runtime on the same file: max |p − p_torch| = %.3g%n", max);
    }
  }

  @Test
  void aDamagedOnnxFileIsADataFormatErrorNamingTheFile(@TempDir Path dir) throws Exception {
    byte[] bytes;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
      bytes = in.readAllBytes();
    }
    Path cut = dir.resolve("cut.onnx");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    try (TrainableModel cnn = DjlModels.smallCnn(TEST.spec())) {
      var before = cnn.parameterValues();
      assertThatThrownBy(() -> Pretrained.file(cut).rename(ONNX_NAMES).loadInto(cnn))
          .isInstanceOf(DataFormatException.class).hasMessageContaining(cut.toString())
          .hasMessageContaining("initializer 'classifier.1.weight'")
          .hasMessageContaining("the file ends inside it");
      assertThat(cnn.parameterValues()).isEqualTo(before);
    }
  }
}
