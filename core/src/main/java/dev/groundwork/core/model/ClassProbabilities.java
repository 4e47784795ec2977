package dev.groundwork.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Class probabilities for a batch: {@code rows × classes} values, row-major, each row summing to 1.
 *
 * @param rows the number of examples
 * @param classes the number of classes
 * @param values the probabilities, row-major
 */
public record ClassProbabilities(int rows, int classes, float[] values) {

  /** Checks the sizes. */
  public ClassProbabilities {
    Objects.requireNonNull(values, "values");
    if (rows < 0 || classes < 1 || (long) rows * classes != values.length) {
      throw new IllegalArgumentException("probabilities of " + rows + " × " + classes
          + " need " + (long) rows * classes + " values, got " + values.length);
    }
  }

  /** The probability of class {@code c} for example {@code row}. */
  public float get(int row, int c) {
    return values[row * classes + c];
  }

  /** The probabilities of one example (a copy). */
  public float[] row(int row) {
    return Arrays.copyOfRange(values, row * classes, (row + 1) * classes);
  }

  /** The most probable class of example {@code row} (lowest index on ties). */
  public int argmax(int row) {
    int best = 0;
    int base = row * classes;
    for (int c = 1; c < classes; c++) {
      if (values[base + c] > values[base + best]) {
        best = c;
      }
    }
    return best;
  }

  /** Cross-entropy {@code -ln p(label)} of example {@code row}, floored at p = 1e-12. */
  public double loss(int row, int label) {
    return -Math.log(Math.max(1e-12, get(row, label)));
  }

  /** The fraction of rows whose argmax equals the label. */
  public double accuracy(int[] labels) {
    if (labels.length != rows) {
      throw new IllegalArgumentException(labels.length + " labels for " + rows + " rows");
    }
    int correct = 0;
    for (int i = 0; i < rows; i++) {
      if (argmax(i) == labels[i]) {
        correct++;
      }
    }
    return rows == 0 ? 0 : (double) correct / rows;
  }

  /** Mean cross-entropy over the rows. */
  public double meanLoss(int[] labels) {
    double sum = 0;
    for (int i = 0; i < rows; i++) {
      sum += loss(i, labels[i]);
    }
    return rows == 0 ? 0 : sum / rows;
  }

  /** Rows appended: this batch's rows, then {@code other}'s. */
  public ClassProbabilities append(ClassProbabilities other) {
    if (other.classes != classes) {
      throw new IllegalArgumentException(other.classes + " classes appended to " + classes);
    }
    float[] joined = Arrays.copyOf(values, values.length + other.values.length);
    System.arraycopy(other.values, 0, joined, values.length, other.values.length);
    return new ClassProbabilities(rows + other.rows, classes, joined);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassProbabilities p && rows == p.rows && classes == p.classes
        && Arrays.equals(values, p.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "ClassProbabilities[" + rows + " × " + classes + "]";
  }
}
