package dev.groundwork.core.runtime;

import dev.groundwork.core.InvalidParameterException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Percentiles of a set of timed calls, in milliseconds, with a distribution-free 95 % confidence
 * interval for the median (the order statistics at ranks {@code n/2 ± 1.96·√n/2}).
 *
 * @param calls the number of timed calls
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param max the slowest call
 * @param p50Low the lower end of the median's 95 % interval
 * @param p50High the upper end of the median's 95 % interval
 */
public record LatencyStats(int calls, double p50, double p90, double p99, double max,
    double p50Low, double p50High) {

  /** The statistics of {@code millis} (at least 2 values; the array is not changed). */
  public static LatencyStats of(double[] millis) {
    InvalidParameterException.check(millis.length >= 2, "need at least 2 timed calls, got %d",
        millis.length);
    double[] s = millis.clone();
    Arrays.sort(s);
    int n = s.length;
    double half = 1.96 * Math.sqrt(n) / 2;
    int lo = Math.max(0, (int) Math.floor(n / 2.0 - half) - 1);
    int hi = Math.min(n - 1, (int) Math.ceil(n / 2.0 + half));
    return new LatencyStats(n, quantile(s, 0.50), quantile(s, 0.90), quantile(s, 0.99), s[n - 1],
        s[lo], s[hi]);
  }

  /** The {@code q} quantile of sorted values, by the nearest-rank rule. */
  static double quantile(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "p50 %.3f ms [95%% CI %.3f–%.3f] · p90 %.3f · p99 %.3f · "
        + "max %.3f ms (%,d calls)", p50, p50Low, p50High, p90, p99, max, calls);
  }
}
