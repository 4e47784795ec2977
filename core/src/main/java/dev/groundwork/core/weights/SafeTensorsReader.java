package dev.groundwork.core.weights;

import dev.groundwork.core.model.TrainableModel;
import java.util.List;

/** The safetensors {@link WeightReader}: a JSON header and raw little-endian tensors. */
public final class SafeTensorsReader implements WeightReader {

  @Override
  public String format() {
    return "safetensors";
  }

  /** A file ending {@code .safetensors}, or whose ninth byte opens a JSON object. */
  @Override
  public boolean accepts(String fileName, byte[] head) {
    return fileName.endsWith(".safetensors") || head.length > 8 && head[8] == '{';
  }

  @Override
  public List<Tensor> read(byte[] bytes, String source, TrainableModel target) {
    return SafeTensors.read(bytes, source).tensors();
  }
}
