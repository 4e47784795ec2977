package dev.groundwork.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Embeddings for a batch: {@code rows × dimension} floats, row-major, one vector per example.
 *
 * @param rows the number of examples
 * @param dimension the length of each vector
 * @param values the vectors, row-major
 */
public record Embeddings(int rows, int dimension, float[] values) {

  /** Checks the sizes. */
  public Embeddings {
    Objects.requireNonNull(values, "values");
    if (rows < 0 || dimension < 1 || (long) rows * dimension != values.length) {
      throw new IllegalArgumentException("embeddings of " + rows + " × " + dimension + " need "
          + (long) rows * dimension + " values, got " + values.length);
    }
  }

  /** The vector of example {@code row} (a copy). */
  public float[] row(int row) {
    return Arrays.copyOfRange(values, row * dimension, (row + 1) * dimension);
  }

  /** Cosine similarity of rows {@code a} and {@code b} (0 when either is the zero vector). */
  public double cosine(int a, int b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int k = 0; k < dimension; k++) {
      double x = values[a * dimension + k];
      double y = values[b * dimension + k];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  /** Rows appended: these rows, then {@code other}'s. */
  public Embeddings append(Embeddings other) {
    if (rows > 0 && other.rows > 0 && other.dimension != dimension) {
      throw new IllegalArgumentException(other.dimension + "-d embeddings appended to "
          + dimension + "-d ones");
    }
    float[] joined = Arrays.copyOf(values, values.length + other.values.length);
    System.arraycopy(other.values, 0, joined, values.length, other.values.length);
    return new Embeddings(rows + other.rows, rows == 0 ? other.dimension : dimension, joined);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embeddings e && rows == e.rows && dimension == e.dimension
        && Arrays.equals(values, e.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Embeddings[%d × %d]", rows, dimension);
  }
}
