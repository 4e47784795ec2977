package dev.groundwork.core.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Counts of (true class, predicted class) pairs, with row-normalised rates and the most-confused
 * pairs.
 *
 * <pre>{@code
 * analysis.confusion().mostConfused(5);    // the five largest off-diagonal cells
 * }</pre>
 */
public final class ConfusionMatrix {

  /**
   * One off-diagonal cell.
   *
   * @param trueClass the true class name
   * @param predictedClass the predicted class name
   * @param trueIndex the true label
   * @param predictedIndex the predicted label
   * @param count how many examples of {@code trueClass} were predicted {@code predictedClass}
   * @param rate {@code count} over the support of {@code trueClass}
   */
  public record ConfusedPair(String trueClass, String predictedClass, int trueIndex,
      int predictedIndex, long count, double rate) {
    @Override
    public String toString() {
      return trueClass + " → " + predictedClass + ": " + count + " ("
          + ClassificationTable.pct(rate) + " of " + trueClass + ")";
    }
  }

  private final List<String> classes;
  private final long[] counts;
  private final ClassificationProvenance provenance;

  ConfusionMatrix(List<String> classes, long[] counts, ClassificationProvenance provenance) {
    this.classes = List.copyOf(classes);
    this.counts = counts;
    this.provenance = Objects.requireNonNull(provenance, "provenance");
  }

  /**
   * A confusion matrix from counts made elsewhere (e.g. aggregated on Spark), so that {@link
   * ClassificationMetrics#of} computes the metrics from them with core's formulas.
   *
   * @param classes the class names, in label order
   * @param counts {@code counts[true][predicted]}, a square non-negative matrix over the classes
   * @param provenance where the counts come from
   */
  public static ConfusionMatrix ofCounts(List<String> classes, long[][] counts,
      ClassificationProvenance provenance) {
    int c = classes.size();
    dev.groundwork.core.InvalidParameterException.check(counts.length == c,
        "confusion counts have %s rows for %s classes; give one row per true class",
        counts.length, c);
    long[] flat = new long[c * c];
    for (int t = 0; t < c; t++) {
      dev.groundwork.core.InvalidParameterException.check(counts[t].length == c,
          "confusion row %s has %s counts for %s classes", t, counts[t].length, c);
      for (int p = 0; p < c; p++) {
        dev.groundwork.core.InvalidParameterException.check(counts[t][p] >= 0,
            "confusion count [%s][%s] is negative: %s", t, p, counts[t][p]);
        flat[t * c + p] = counts[t][p];
      }
    }
    return new ConfusionMatrix(classes, flat, provenance);
  }

  /** Counts the (true, predicted) pairs of the predictions (argmax, lowest index on ties). */
  static ConfusionMatrix of(ClassificationPredictions p, ClassificationProvenance provenance) {
    int c = p.numClasses();
    long[] counts = new long[c * c];
    int[] y = p.labelsView();
    float[] probs = p.probs;
    for (int i = 0; i < y.length; i++) {
      counts[y[i] * c + ClassificationPredictions.argmax(probs, i * c, c)]++;
    }
    return new ConfusionMatrix(p.classes(), counts, provenance);
  }

  /** The class names (rows and columns). */
  public List<String> classes() {
    return classes;
  }

  /** The number of examples of class {@code trueLabel} predicted as {@code predictedLabel}. */
  public long count(int trueLabel, int predictedLabel) {
    Objects.checkIndex(trueLabel, classes.size());
    Objects.checkIndex(predictedLabel, classes.size());
    return counts[trueLabel * classes.size() + predictedLabel];
  }

  /** The counts, rows = true class, columns = predicted class (a copy). */
  public long[][] counts() {
    int c = classes.size();
    long[][] m = new long[c][c];
    for (int t = 0; t < c; t++) {
      System.arraycopy(counts, t * c, m[t], 0, c);
    }
    return m;
  }

  /** Each row divided by its sum (the recall matrix); a row of a class with no examples is 0. */
  public double[][] rowNormalized() {
    int c = classes.size();
    double[][] m = new double[c][c];
    for (int t = 0; t < c; t++) {
      long sum = 0;
      for (int p = 0; p < c; p++) {
        sum += counts[t * c + p];
      }
      for (int p = 0; p < c; p++) {
        m[t][p] = sum == 0 ? 0 : (double) counts[t * c + p] / sum;
      }
    }
    return m;
  }

  /** The {@code k} largest off-diagonal cells (ties: higher rate, then lower labels); no zeros. */
  public List<ConfusedPair> mostConfused(int k) {
    int c = classes.size();
    double[][] rates = rowNormalized();
    List<ConfusedPair> pairs = new ArrayList<>();
    for (int t = 0; t < c; t++) {
      for (int p = 0; p < c; p++) {
        long v = counts[t * c + p];
        if (t != p && v > 0) {
          pairs.add(new ConfusedPair(classes.get(t), classes.get(p), t, p, v, rates[t][p]));
        }
      }
    }
    pairs.sort(Comparator.comparingLong(ConfusedPair::count).reversed()
        .thenComparing(Comparator.comparingDouble(ConfusedPair::rate).reversed())
        .thenComparingInt(ConfusedPair::trueIndex).thenComparingInt(ConfusedPair::predictedIndex));
    return List.copyOf(pairs.subList(0, Math.min(Math.max(k, 0), pairs.size())));
  }

  /** Where the counts come from. */
  public ClassificationProvenance provenance() {
    return provenance;
  }

  @Override
  public String toString() {
    int c = classes.size();
    StringBuilder b = new StringBuilder("confusion (rows true, columns predicted)\n");
    if (c <= 20) {
      String[] header = new String[c + 1];
      header[0] = "";
      for (int p = 0; p < c; p++) {
        header[p + 1] = abbreviate(classes.get(p));
      }
      ClassificationTable t = new ClassificationTable(header);
      for (int r = 0; r < c; r++) {
        Object[] row = new Object[c + 1];
        row[0] = classes.get(r);
        for (int p = 0; p < c; p++) {
          row[p + 1] = counts[r * c + p];
        }
        t.row(row);
      }
      b.append(t);
    }
    b.append("most confused:");
    for (ConfusedPair pair : mostConfused(5)) {
      b.append("\n  ").append(pair);
    }
    return b.toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 8 ? s : s.substring(0, 7) + "…";
  }
}
