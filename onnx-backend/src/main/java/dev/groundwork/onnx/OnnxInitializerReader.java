package dev.groundwork.onnx;

import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.weights.Tensor;
import dev.groundwork.core.weights.WeightReader;
import java.util.List;
import java.util.Objects;

/**
 * The {@link WeightReader} of ONNX models: the initializers of the main graph (the weights that
 * {@code torch.onnx.export} and other exporters store in the file) as float32 tensors, so that a
 * model exported to ONNX gives its weights to a trainable model of the same architecture.
 *
 * <pre>{@code
 * WeightLoadReport r = Pretrained.file(Path.of("small-cnn.onnx"))
 *     .rename(NameMapping.of(Map.of("features.0.weight", "backbone_conv1_weight", ...)))
 *     .loadInto(model);
 * }</pre>
 *
 * <p>Every numeric ONNX type converts (FLOAT, FLOAT16, BFLOAT16, DOUBLE, the integers, BOOL,
 * FLOAT8E4M3FN, FLOAT8E5M2), from {@code raw_data} or from the typed fields, packed or not; see
 * {@link dev.groundwork.core.weights.DType} for the conversion. Refused with a
 * {@link dev.groundwork.core.data.DataFormatException} naming the file and the initializer:
 * tensors stored outside the file (external data), segments, sparse initializers, strings and
 * complex numbers, and every malformed encoding. The graph itself (its nodes) is not read: the
 * architecture comes from the target model. ONNX Runtime is not involved.
 */
public final class OnnxInitializerReader implements WeightReader {

  @Override
  public String format() {
    return "onnx";
  }

  /** A file ending {@code .onnx}, or whose first bytes begin an ONNX ModelProto up to its graph. */
  @Override
  public boolean accepts(String fileName, byte[] head) {
    return fileName.endsWith(".onnx") || OnnxInitializers.looksLikeModelHead(head);
  }

  /** The target is not needed: ONNX initializers carry their names, shapes and types. */
  @Override
  public List<Tensor> read(byte[] bytes, String source, TrainableModel target) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(source, "source");
    return List.copyOf(OnnxInitializers.tensors(bytes, source));
  }
}
