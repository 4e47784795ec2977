package dev.groundwork.core.data;

import java.util.Arrays;
import java.util.List;

/**
 * A batch of examples in backend-neutral form: one contiguous row-major {@code float[]} with its
 * shape (batch first) for tensor data, or the texts for text data, plus labels and ids.
 *
 * <p>The arrays are handed over without copying (a backend wraps {@link #inputs()} in a buffer);
 * treat them as read-only.
 *
 * @param shape batch shape, {@code [n, ...inputShape]} for tensors and {@code [n]} for texts
 * @param inputs the tensor values, {@code n × inputSize} floats; empty for text data
 * @param texts the texts for text data; empty for tensor data
 * @param labels the class index of each example
 * @param ids the id of each example
 */
public record Batch(int[] shape, float[] inputs, List<String> texts, int[] labels, List<String> ids) {

  /** Checks that the parts agree in size. */
  public Batch {
    texts = List.copyOf(texts);
    ids = List.copyOf(ids);
    if (shape.length == 0 || shape[0] != labels.length || ids.size() != labels.length) {
      throw new IllegalArgumentException("batch parts disagree: shape " + Arrays.toString(shape)
          + ", " + labels.length + " labels, " + ids.size() + " ids");
    }
    long values = 1;
    for (int d : shape) {
      values *= d;
    }
    if (texts.isEmpty() ? values != inputs.length : texts.size() != labels.length) {
      throw new IllegalArgumentException("batch of shape " + Arrays.toString(shape) + " has "
          + inputs.length + " values and " + texts.size() + " texts");
    }
  }

  /** The number of examples in the batch. */
  public int size() {
    return labels.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Batch b && Arrays.equals(shape, b.shape) && Arrays.equals(inputs, b.inputs)
        && texts.equals(b.texts) && Arrays.equals(labels, b.labels) && ids.equals(b.ids);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(labels) * 31 + ids.hashCode();
  }

  @Override
  public String toString() {
    return ids.isEmpty() ? "Batch" + Arrays.toString(shape)
        : "Batch" + Arrays.toString(shape) + " ids " + ids.get(0) + "…" + ids.get(ids.size() - 1);
  }
}
