package dev.groundwork.djl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The small CNN PyTorch trained (the fixture under {@code pytorch/}): its weights' resource, the
 * mapping of PyTorch's parameter names onto {@link DjlModels#smallCnn}'s, and PyTorch's own
 * probabilities on the 1,000 embedded test images. Shared with other modules' tests through
 * this module's test jar.
 */
public final class PytorchSmallCnn {
  /** The weights PyTorch trained, as safetensors, on the test class path. */
  public static final String RESOURCE = "pytorch/small-cnn.safetensors";
  /** PyTorch's names (nn.Sequential indices) → the small CNN's. */
  public static final Map<String, String> TORCH_NAMES = Map.of(
      "features.0.weight", "backbone_conv1_weight",
      "features.3.weight", "backbone_conv2_weight",
      "classifier.1.weight", "backbone_fc1_weight",
      "classifier.1.bias", "backbone_fc1_bias",
      "classifier.3.weight", "head_weight",
      "classifier.3.bias", "head_bias");

  private PytorchSmallCnn() {}

  /** PyTorch's probabilities on the 1,000 embedded test images: 1000 × 10, row-major. */
  public static float[] probabilities() {
    try (InputStream in = PytorchSmallCnn.class.getClassLoader()
        .getResourceAsStream("pytorch/small-cnn-test-probs.f32")) {
      byte[] bytes = in.readAllBytes();
      float[] out = new float[bytes.length / 4];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
