package dev.groundwork.spark;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The confusion matrix a Spark analysis counted: rows are true classes, columns predicted
 * classes (argmax, lowest index on ties), as core's {@code ConfusionMatrix} counts them.
 *
 * @param classes the class names
 * @param counts {@code counts[true][predicted]}
 */
public record SparkConfusion(List<String> classes, long[][] counts) {

  /** Copies the inputs and checks the matrix is square over the classes. */
  public SparkConfusion {
    classes = List.copyOf(classes);
    Objects.requireNonNull(counts, "counts");
    long[][] copy = new long[counts.length][];
    for (int t = 0; t < counts.length; t++) {
      if (counts[t].length != classes.size()) {
        throw new IllegalArgumentException("row " + t + " has " + counts[t].length
            + " counts for " + classes.size() + " classes");
      }
      copy[t] = counts[t].clone();
    }
    if (copy.length != classes.size()) {
      throw new IllegalArgumentException(copy.length + " rows for " + classes.size() + " classes");
    }
    counts = copy;
  }

  /** The number of examples of {@code trueLabel} predicted as {@code predictedLabel}. */
  public long count(int trueLabel, int predictedLabel) {
    return counts[trueLabel][predictedLabel];
  }

  /** The counts (a copy). */
  @Override
  public long[][] counts() {
    long[][] m = new long[counts.length][];
    for (int t = 0; t < counts.length; t++) {
      m[t] = counts[t].clone();
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SparkConfusion other && classes.equals(other.classes)
        && java.util.Arrays.deepEquals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return classes.hashCode() * 31 + java.util.Arrays.deepHashCode(counts);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("confusion (rows true, columns predicted)\n");
    for (int t = 0; t < counts.length; t++) {
      b.append(String.format(Locale.ROOT, "%-12s", classes.get(t)));
      for (long v : counts[t]) {
        b.append(String.format(Locale.ROOT, " %8d", v));
      }
      b.append('\n');
    }
    return b.toString();
  }
}
