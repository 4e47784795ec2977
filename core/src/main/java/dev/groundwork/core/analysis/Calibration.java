package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How well the top-class probability matches accuracy: a reliability table over equal-width
 * confidence bins, the expected calibration error {@code ECE = Σ_b (n_b / n)·|acc_b − conf_b|} and
 * the maximum calibration error {@code MCE = max_b |acc_b − conf_b|} over non-empty bins.
 *
 * <p>Bin b of B covers {@code [b/B, (b+1)/B)}, the last one including 1. The confidence is the
 * largest probability of a row; an example is correct when that class (lowest index on ties) is
 * its label.
 *
 * @param bins the reliability table, one row per bin (empty bins included, with NaN means)
 * @param ece the expected calibration error
 * @param mce the maximum calibration error
 * @param examples the number of predictions
 * @param provenance where the numbers come from
 */
public record Calibration(List<Bin> bins, double ece, double mce, int examples,
    ClassificationProvenance provenance) {

  /** The default number of bins. */
  public static final int DEFAULT_BINS = 15;

  /**
   * One confidence bin.
   *
   * @param lower the lowest confidence in the bin
   * @param upper the upper bound (exclusive except for the last bin)
   * @param count examples in the bin
   * @param meanConfidence their mean confidence (NaN when empty)
   * @param accuracy their accuracy (NaN when empty)
   */
  public record Bin(double lower, double upper, int count, double meanConfidence,
      double accuracy) {
    /** {@code accuracy − meanConfidence}: negative means over-confident. */
    public double gap() {
      return accuracy - meanConfidence;
    }
  }

  /** Copies the list. */
  public Calibration {
    bins = List.copyOf(bins);
    Objects.requireNonNull(provenance, "provenance");
  }

  /** The calibration of {@code p} with {@code bins} equal-width bins. */
  public static Calibration of(ClassificationPredictions p, int bins) {
    return of(p, bins, ClassificationProvenance.of(p, 0, "bins=" + bins));
  }

  static Calibration of(ClassificationPredictions p, int bins,
      ClassificationProvenance provenance) {
    InvalidParameterException.check(bins >= 1 && bins <= 1000,
        "calibration bins must be in [1, 1000], got %s", bins);
    int c = p.numClasses();
    int n = p.size();
    int[] y = p.labelsView();
    float[] probs = p.probs;
    long[] count = new long[bins];
    double[] conf = new double[bins];
    long[] correct = new long[bins];
    for (int i = 0; i < n; i++) {
      int pred = ClassificationPredictions.argmax(probs, i * c, c);
      double top = probs[i * c + pred];
      int b = Math.min(bins - 1, Math.max(0, (int) Math.floor(top * bins)));
      count[b]++;
      conf[b] += top;
      if (pred == y[i]) {
        correct[b]++;
      }
    }
    return ofBins(count, conf, correct, provenance);
  }

  /**
   * The calibration from per-bin sums made elsewhere (e.g. aggregated on Spark): the one formula
   * for the reliability table, ECE and MCE. Bin b of B = {@code count.length} covers {@code
   * [b/B, (b+1)/B)}, the last one including 1.
   *
   * @param count per bin, the number of examples whose top probability falls in it
   * @param confidenceSum per bin, the sum of their top probabilities
   * @param correct per bin, how many of them are predicted correctly
   * @param provenance where the sums come from
   */
  public static Calibration ofBins(long[] count, double[] confidenceSum, long[] correct,
      ClassificationProvenance provenance) {
    int bins = count.length;
    InvalidParameterException.check(bins >= 1 && confidenceSum.length == bins
        && correct.length == bins, "need three per-bin arrays of one length ≥ 1, got %s, %s, %s",
        bins, confidenceSum.length, correct.length);
    long total = 0;
    for (int b = 0; b < bins; b++) {
      InvalidParameterException.check(count[b] >= 0 && correct[b] >= 0 && correct[b] <= count[b],
          "bin %s: need 0 ≤ correct %s ≤ count %s", b, correct[b], count[b]);
      total += count[b];
    }
    InvalidParameterException.check(total <= Integer.MAX_VALUE,
        "%s examples in the bins; calibration counts up to %s", total, Integer.MAX_VALUE);
    int n = (int) total;
    List<Bin> out = new ArrayList<>();
    double ece = 0;
    double mce = 0;
    for (int b = 0; b < bins; b++) {
      double mc = count[b] == 0 ? Double.NaN : confidenceSum[b] / count[b];
      double acc = count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
      out.add(new Bin((double) b / bins, (double) (b + 1) / bins, (int) count[b], mc, acc));
      if (count[b] > 0) {
        double gap = Math.abs(acc - mc);
        ece += gap * count[b] / n;
        mce = Math.max(mce, gap);
      }
    }
    return new Calibration(out, ece, mce, n, provenance);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
        "calibration: ECE %.4f · MCE %.4f · %d bins · n=%d%n", ece, mce, bins.size(), examples));
    ClassificationTable t = new ClassificationTable("confidence", "n", "mean conf", "accuracy",
        "gap");
    for (Bin bin : bins) {
      if (bin.count() > 0) {
        t.row(String.format(java.util.Locale.ROOT, "[%.2f, %.2f%s", bin.lower(), bin.upper(),
            bin.upper() >= 1 ? "]" : ")"), bin.count(), bin.meanConfidence(), bin.accuracy(),
            bin.gap());
      }
    }
    return b.append(t.render("  ")).toString();
  }
}
