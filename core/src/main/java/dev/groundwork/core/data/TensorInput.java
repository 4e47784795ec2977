package dev.groundwork.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float tensor input in row-major order with its shape (images: channels × height × width).
 *
 * <p>The array is not copied, so that decoding stays cheap; treat it as read-only.
 *
 * @param values the values, row-major, {@code values.length == product(shape)}
 * @param shape the shape of one example (no batch dimension)
 */
public record TensorInput(float[] values, int[] shape) implements Input {

  /** Checks that the values match the shape. */
  public TensorInput {
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(shape, "shape");
    long n = DatasetSpec.elementCount(shape);
    if (n != values.length) {
      throw new IllegalArgumentException(
          "tensor has " + values.length + " values but shape " + Arrays.toString(shape)
              + " needs " + n);
    }
  }

  @Override
  public InputKind kind() {
    return InputKind.TENSOR;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInput t
        && Arrays.equals(values, t.values)
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    double sum = 0;
    for (float v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    return values.length == 0
        ? "Tensor" + Arrays.toString(shape)
        : String.format(java.util.Locale.ROOT, "Tensor%s min=%.3g max=%.3g mean=%.3g",
            Arrays.toString(shape), min, max, sum / values.length);
  }
}
