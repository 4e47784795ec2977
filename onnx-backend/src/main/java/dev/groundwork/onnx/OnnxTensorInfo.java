package dev.groundwork.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One input or output of an ONNX model as the model declares it.
 *
 * @param name the name the graph gives it
 * @param type the element type, e.g. {@code FLOAT} or {@code INT64} ({@code MAP}/{@code SEQUENCE}
 *     for non-tensors)
 * @param shape the shape; {@code -1} marks a dynamic dimension
 * @param dimensionNames the symbolic names of dimensions ({@code ""} when the model gives none)
 */
public record OnnxTensorInfo(String name, String type, long[] shape, List<String> dimensionNames) {

  /** Copies the parts. */
  public OnnxTensorInfo {
    shape = shape.clone();
    dimensionNames = List.copyOf(dimensionNames);
  }

  /** The shape (a copy). */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Whether the element type is a floating-point type. */
  public boolean isFloat() {
    return type.equals("FLOAT") || type.equals("DOUBLE") || type.equals("FLOAT16")
        || type.equals("BFLOAT16");
  }

  /** The shape as text, with symbolic names for dynamic dimensions: {@code [batch_size, 384]}. */
  public String shapeText() {
    return IntStream.range(0, shape.length).mapToObj(i -> shape[i] >= 0 ? Long.toString(shape[i])
        : i < dimensionNames.size() && !dimensionNames.get(i).isEmpty() ? dimensionNames.get(i)
            : "?").collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OnnxTensorInfo t && name.equals(t.name) && type.equals(t.type)
        && Arrays.equals(shape, t.shape) && dimensionNames.equals(t.dimensionNames);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + type + shapeText();
  }
}
