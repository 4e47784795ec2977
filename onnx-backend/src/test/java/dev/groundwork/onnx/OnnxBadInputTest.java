package dev.groundwork.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DatasetSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input of the issue gets a typed error naming the model and the mismatch. */
class OnnxBadInputTest {

  static final DatasetSpec SPEC = DatasetSpec.features(4, List.of("a", "b", "c"));

  @Test
  void aFileThatIsNotOnnx(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("model.onnx"), "this is a README, not a model\n");
    assertThatThrownBy(() -> OnnxModels.load(text)).isInstanceOf(OnnxModelException.class)
        .hasMessageContaining(text.toString()).hasMessageContaining("is not an ONNX model")
        .satisfies(e -> assertThat(((OnnxModelException) e).model()).isEqualTo(text.toString()));
    assertThatThrownBy(() -> OnnxModels.fromBytes("notes.txt",
        "plain text".getBytes(StandardCharsets.UTF_8))).isInstanceOf(OnnxModelException.class)
        .hasMessageContaining("notes.txt is not an ONNX model");
    byte[] truncated = java.util.Arrays.copyOf(OnnxGraphs.linear(false), 40);
    assertThatThrownBy(() -> OnnxModels.fromBytes("cut.onnx", truncated))
        .isInstanceOf(OnnxModelException.class).hasMessageContaining("cut.onnx");
    assertThatThrownBy(() -> OnnxModels.load(dir.resolve("missing.onnx")))
        .isInstanceOf(OnnxModelException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> OnnxModels.fromClasspath("models/missing.onnx"))
        .isInstanceOf(OnnxModelException.class)
        .hasMessageContaining("models/missing.onnx is not on the classpath");
  }

  @Test
  void inputNamesThatDoNotMatch() {
    try (OnnxModel m = OnnxModels.fromBytes("linear", OnnxGraphs.linear(false))) {
      assertThatThrownBy(() -> m.classifier(SPEC,
          OnnxOptions.builder().tensorInput("pixels").build()))
          .isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("model linear has no input 'pixels'")
          .hasMessageContaining("x FLOAT[batch, 4]");
      assertThatThrownBy(() -> m.classifier(SPEC, OnnxOptions.builder().output("probs").build()))
          .isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("model linear has no output 'probs'")
          .hasMessageContaining("scores FLOAT[batch, 3]");
    }
  }

  @Test
  void shapesThatDoNotMatch() {
    try (OnnxModel m = OnnxModels.fromBytes("linear", OnnxGraphs.linear(false))) {
      assertThatThrownBy(() -> m.classifier(DatasetSpec.features(5, List.of("a", "b", "c")),
          OnnxOptions.defaults())).isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("input 'x' of linear takes shape [batch, 4] but the batch has "
              + "shape [1, 5]");
      assertThatThrownBy(() -> m.classifier(DatasetSpec.features(4, List.of("a", "b")),
          OnnxOptions.defaults())).isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("3 scores per example, but the spec has 2 classes");
      try (OnnxClassifier c = m.classifier(SPEC, OnnxOptions.defaults())) {
        Batch wide = new Batch(new int[] {2, 6}, new float[12], List.of(), new int[2],
            List.of("p", "q"));
        assertThatThrownBy(() -> c.predict(wide)).isInstanceOf(OnnxInputException.class)
            .hasMessageContaining("takes shape [batch, 4] but the batch has shape [2, 6]");
      }
    }
  }

  @Test
  void nonFiniteInputsAreRefusedNamingTheExamples() {
    try (OnnxModel m = OnnxModels.fromBytes("linear", OnnxGraphs.linear(false));
        OnnxClassifier c = m.classifier(SPEC, OnnxOptions.defaults())) {
      float[] x = new float[12];
      x[5] = Float.NaN;
      x[11] = Float.POSITIVE_INFINITY;
      Batch bad = new Batch(new int[] {3, 4}, x, List.of(), new int[3], List.of("p", "q", "r"));
      assertThatThrownBy(() -> c.predict(bad))
          .isInstanceOf(dev.groundwork.core.data.NonFiniteInputException.class)
          .hasMessageContaining("ONNX model linear").hasMessageContaining("[q, r]")
          .hasMessageContaining("NaN at value 1")
          .satisfies(e -> assertThat(((dev.groundwork.core.data.NonFiniteInputException) e).ids())
              .containsExactly("q", "r"));
      x[5] = 0;
      x[11] = 0;
      assertThat(c.predict(bad).rows()).isEqualTo(3);
    }
  }

  @Test
  void severalInputsNotMapped() {
    try (OnnxModel m = OnnxModels.fromBytes("two-inputs", OnnxGraphs.twoInputs())) {
      assertThatThrownBy(() -> m.classifier(DatasetSpec.features(2, List.of("a", "b")),
          OnnxOptions.defaults())).isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("two-inputs has 2 inputs [a FLOAT[batch, 2], b FLOAT[batch, 2]]");
    }
    try (OnnxModel m = OnnxModels.fromBytes("tokens", OnnxGraphs.tokens());
        TextTokenizer tok = TextTokenizer.fromClasspath(OnnxTextTest.MINILM_TOKENIZER)) {
      // the mask input mapped away: attention_mask is left unfed
      assertThatThrownBy(() -> m.embedder(OnnxOptions.builder().tokenizer(tok)
          .textInputs("input_ids", null, null).build())).isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("input that nothing feeds: [attention_mask]");
      // a tensor input mapped to an int64 token input
      assertThatThrownBy(() -> m.embedder(OnnxOptions.builder().tensorInput("input_ids").build()))
          .isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("takes INT64 values, but a tensor batch holds floats");
    }
  }
}
