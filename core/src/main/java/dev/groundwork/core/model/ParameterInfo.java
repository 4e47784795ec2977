package dev.groundwork.core.model;

import java.util.Arrays;

/**
 * One named parameter of a model: its shape, its number of values and whether training updates it.
 *
 * @param name the parameter's path, e.g. {@code backbone_conv1_weight}
 * @param shape its shape
 * @param count the number of values
 * @param trainable false when frozen
 */
public record ParameterInfo(String name, int[] shape, long count, boolean trainable) {

  /** Copies the shape. */
  public ParameterInfo {
    shape = shape.clone();
  }

  /** The shape (a copy). */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterInfo p && name.equals(p.name) && Arrays.equals(shape, p.shape)
        && count == p.count && trainable == p.trainable;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + (trainable ? "" : " (frozen)");
  }
}
