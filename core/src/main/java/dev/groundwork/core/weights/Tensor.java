package dev.groundwork.core.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named weight tensor as float32 values in row-major order, with the element type it was stored
 * as.
 *
 * <p>{@code sourceType} is {@link DType#F32} unless the values were converted on reading (a load
 * report can then say "dtype-converted"). The shape is copied; the values are not, so that loading
 * stays cheap: treat the array as read-only. Equality compares name, shape, type and values bit for
 * bit (a NaN equals the same NaN).
 *
 * <pre>{@code
 * Tensor bias = Tensor.of("head_fc_bias", new int[] {10}, new float[10]);
 * bias.toString();   // head_fc_bias F32 [10]
 * }</pre>
 *
 * @param name the name in the file, e.g. {@code backbone_fc1_weight}
 * @param shape the dimensions, each ≥ 0; {@code []} is a scalar
 * @param values {@code product(shape)} values, row-major
 * @param sourceType the element type in the file the values came from
 */
public record Tensor(String name, int[] shape, float[] values, DType sourceType) {

  /** Checks that the values fill the shape. */
  public Tensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(sourceType, "sourceType");
    shape = shape.clone();
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in shape "
            + Arrays.toString(shape));
      }
      n = Math.min(n * d, 1L << 32); // stays below 2^63: 2^32 × (2^31 − 1)
    }
    if (n != values.length) {
      throw new IllegalArgumentException("tensor '" + name + "' has " + values.length
          + " values but shape " + Arrays.toString(shape) + " needs "
          + (n == 1L << 32 ? "more than " + Integer.MAX_VALUE : n));
    }
  }

  /** A float32 tensor. */
  public static Tensor of(String name, int[] shape, float[] values) {
    return new Tensor(name, shape, values, DType.F32);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t
        && name.equals(t.name)
        && sourceType == t.sourceType
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, sourceType, Arrays.hashCode(shape), Arrays.hashCode(values));
  }

  /** {@code backbone_fc1_weight F32 [128, 3136]}. */
  @Override
  public String toString() {
    return name + " " + sourceType + " " + Arrays.toString(shape);
  }
}
