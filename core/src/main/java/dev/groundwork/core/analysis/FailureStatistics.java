package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;
import java.util.Arrays;
import org.apache.commons.math3.distribution.HypergeometricDistribution;

/**
 * The statistics behind slices, clusters and the collection plan: Fisher's exact test on a 2×2
 * table, Benjamini–Hochberg adjusted p-values, and the Wilson score interval with the sample size
 * it needs for a given half-width.
 *
 * <pre>{@code
 * FailureStatistics.fisherTwoSided(3, 1, 1, 3);   // 0.4857, the tea-tasting table
 * }</pre>
 */
public final class FailureStatistics {

  /** z for a two-sided 95% interval. */
  public static final double Z95 = 1.959963984540054;

  private FailureStatistics() {}

  /**
   * Two-sided Fisher exact p-value of the 2×2 table {@code [[a, b], [c, d]]}: the probability,
   * under the hypergeometric null with the margins fixed, of a table at most as likely as the
   * observed one (ties within a relative 1e-7 count as "as likely", as in R's {@code fisher.test}).
   *
   * <p>The point probabilities come from Commons Math's {@link HypergeometricDistribution}
   * (saddle-point log-probabilities). The boundary on the far side of the mode is found by binary
   * search and each tail is summed outward with the exact term ratio, stopping once the
   * geometrically bounded remainder is below 1e-15 of the sum, so a table with a million rows
   * costs a few hundred operations rather than one per possible cell value.
   *
   * @param a slice errors
   * @param b slice correct
   * @param c rest errors
   * @param d rest correct
   */
  public static double fisherTwoSided(long a, long b, long c, long d) {
    InvalidParameterException.check(a >= 0 && b >= 0 && c >= 0 && d >= 0,
        "a 2×2 table needs counts ≥ 0, got [[%s, %s], [%s, %s]]", a, b, c, d);
    long total = a + b + c + d;
    InvalidParameterException.check(total <= Integer.MAX_VALUE,
        "table total %s exceeds %s", total, Integer.MAX_VALUE);
    int n = (int) total;
    int k = (int) (a + c);
    int m = (int) (a + b);
    if (n == 0 || k == 0 || k == n || m == 0 || m == n) {
      return 1.0;
    }
    HypergeometricDistribution h = new HypergeometricDistribution(null, n, k, m);
    int lo = Math.max(0, m - (n - k));
    int hi = Math.min(m, k);
    int mode = (int) Math.floor((double) (m + 1) * (k + 1) / (n + 2));
    mode = Math.max(lo, Math.min(hi, mode));
    double logObs = h.logProbability((int) a);
    double threshold = logObs + 1e-7;
    if (h.logProbability(mode) <= threshold) {
      return 1.0;
    }
    double sum = 0;
    // left: the largest x < mode with logP(x) <= threshold (logP rises towards the mode)
    if (lo < mode && h.logProbability(lo) <= threshold) {
      int l = lo;
      int r = mode - 1;
      while (l < r) {
        int mid = (l + r + 1) >>> 1;
        if (h.logProbability(mid) <= threshold) {
          l = mid;
        } else {
          r = mid - 1;
        }
      }
      sum += tail(h.logProbability(l) - logObs, l, lo, -1, n, k, m);
    }
    if (hi > mode && h.logProbability(hi) <= threshold) {
      int l = mode + 1;
      int r = hi;
      while (l < r) {
        int mid = (l + r) >>> 1;
        if (h.logProbability(mid) <= threshold) {
          r = mid;
        } else {
          l = mid + 1;
        }
      }
      sum += tail(h.logProbability(l) - logObs, l, hi, +1, n, k, m);
    }
    return Math.min(1.0, Math.exp(logObs + Math.log(sum)));
  }

  /** Σ P(x)/P(obs) from {@code start} to {@code end} in direction {@code dir}. */
  private static double tail(double logRel, int start, int end, int dir, int n, int k, int m) {
    double t = Math.exp(logRel);
    double sum = t;
    for (int x = start; x != end; x += dir) {
      double ratio = dir > 0
          ? (double) (k - x) * (m - x) / ((double) (x + 1) * (n - k - m + x + 1))
          : (double) x * (n - k - m + x) / ((double) (k - x + 1) * (m - x + 1));
      t *= ratio;
      sum += t;
      if (ratio < 1 && t * ratio / (1 - ratio) < 1e-15 * sum) {
        break;
      }
    }
    return sum;
  }

  /**
   * Benjamini–Hochberg adjusted p-values (q-values): {@code q(i) = min over j ≥ rank(i) of
   * p(j)·m/j}, capped at 1. Rejecting every hypothesis with {@code q ≤ α} controls the false
   * discovery rate at α for independent or positively dependent tests.
   */
  public static double[] benjaminiHochberg(double[] p) {
    int m = p.length;
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(p[x], p[y]));
    double[] q = new double[m];
    double running = 1.0;
    for (int r = m - 1; r >= 0; r--) {
      int i = order[r];
      running = Math.min(running, p[i] * m / (r + 1));
      q[i] = Math.min(1.0, running);
    }
    return q;
  }

  /**
   * A class-stratified test of excess errors: the observed errors of a group against the errors
   * expected from its class composition.
   *
   * @param observed the group's errors
   * @param expected {@code Σ_k s_k·e_k/n_k}: each member counted at its class's error rate
   * @param variance {@code Σ_k s_k(n_k−s_k)e_k(n_k−e_k) / (n_k²(n_k−1))}, the hypergeometric
   *     variance of the errors within each class with the class's margins fixed
   * @param z {@code (observed − expected − ½) / √variance} (0 when the variance is 0)
   * @param pValue the exact one-sided p-value {@code P(X ≥ observed)}, X the sum over classes of
   *     independent hypergeometric counts with each class's margins fixed
   */
  public record Stratified(double observed, double expected, double variance, double z,
      double pValue) {}

  /**
   * The class-stratified test, one-sided, of a group having more errors than its classes explain:
   * per class k the 2×2 table (in group / not × error / correct) with the class's margins fixed,
   * the group's errors summed over classes and compared to their sum of hypergeometric means — the
   * Cochran–Mantel–Haenszel statistic, reported as z with a continuity correction of ½ — and the
   * p-value computed exactly, not from the normal approximation: the distribution of the sum is
   * the convolution of the classes' hypergeometric distributions (each cut where its terms fall
   * below 1e-18 of its mode), so it needs no large-sample condition and stays exact in the far
   * tail. A group that is "only the shirts" has observed = expected and p = 1 whatever the
   * shirts' error rate.
   *
   * <pre>{@code
   * // class 0: 10 of 100 wrong; class 1: 50 of 100 wrong; the group holds 20 of each, 14 wrong
   * FailureStatistics.stratifiedExcess(new int[] {20, 20}, new int[] {4, 10},
   *     new int[] {100, 100}, new int[] {10, 50});   // expected 12, z ≈ 0.64
   * }</pre>
   *
   * @param groupSupport per class, the group's examples
   * @param groupErrors per class, the group's errors
   * @param classSupport per class, all examples
   * @param classErrors per class, all errors
   */
  public static Stratified stratifiedExcess(int[] groupSupport, int[] groupErrors,
      int[] classSupport, int[] classErrors) {
    int c = classSupport.length;
    InvalidParameterException.check(groupSupport.length == c && groupErrors.length == c
        && classErrors.length == c, "need four arrays of one length per class, got %s, %s, %s, %s",
        groupSupport.length, groupErrors.length, classSupport.length, classErrors.length);
    double obs = 0;
    double exp = 0;
    double var = 0;
    for (int k = 0; k < c; k++) {
      int s = groupSupport[k];
      int a = groupErrors[k];
      int n = classSupport[k];
      int e = classErrors[k];
      InvalidParameterException.check(0 <= a && a <= s && s <= n && 0 <= e && e <= n
          && a <= e, "class %s: need 0 ≤ group errors %s ≤ group %s ≤ class %s and group errors "
          + "≤ class errors %s", k, a, s, n, e);
      obs += a;
      if (s == 0) {
        continue;
      }
      exp += (double) s * e / n;
      var += stratumVariance(s, n, e);
    }
    double z = var > 0 ? (obs - exp - 0.5) / Math.sqrt(var) : 0;
    return new Stratified(obs, exp, var, z,
        exactUpperTail(groupSupport, classSupport, classErrors, (int) obs));
  }

  /** P(Σ_k X_k ≥ obs) with X_k ~ Hypergeometric(n_k, e_k, s_k) independent. */
  static double exactUpperTail(int[] s, int[] n, int[] e, int obs) {
    double[] dist = {1.0};
    int offset = 0;
    for (int k = 0; k < n.length; k++) {
      int fixed = s[k] == 0 || e[k] == 0 ? 0 : s[k] == n[k] ? e[k] : e[k] == n[k] ? s[k] : -1;
      if (fixed >= 0) {
        offset += fixed;
        continue;
      }
      HypergeometricDistribution h = new HypergeometricDistribution(null, n[k], e[k], s[k]);
      int lo = Math.max(0, s[k] - (n[k] - e[k]));
      int hi = Math.min(s[k], e[k]);
      int mode = Math.max(lo, Math.min(hi,
          (int) Math.floor((double) (s[k] + 1) * (e[k] + 1) / (n[k] + 2))));
      double cut = h.logProbability(mode) + Math.log(1e-18);
      int a = mode;
      while (a > lo && h.logProbability(a - 1) > cut) {
        a--;
      }
      int b = mode;
      while (b < hi && h.logProbability(b + 1) > cut) {
        b++;
      }
      double[] pmf = new double[b - a + 1];
      for (int x = a; x <= b; x++) {
        pmf[x - a] = h.probability(x);
      }
      double[] next = new double[dist.length + pmf.length - 1];
      for (int i = 0; i < dist.length; i++) {
        if (dist[i] == 0) {
          continue;
        }
        for (int j = 0; j < pmf.length; j++) {
          next[i + j] += dist[i] * pmf[j];
        }
      }
      dist = next;
      offset += a;
    }
    double tail = 0;
    double total = 0;
    for (int i = 0; i < dist.length; i++) {
      total += dist[i];
      if (i + offset >= obs) {
        tail += dist[i];
      }
    }
    return Math.min(1.0, tail / total);
  }

  /** The hypergeometric variance of one class's errors in a group of {@code s} of its n. */
  static double stratumVariance(double s, double n, double e) {
    return n <= 1 ? 0 : s * (n - s) * e * (n - e) / (n * n * (n - 1));
  }

  /** A two-sided confidence interval for a proportion. */
  public record Interval(double low, double high) {
    /** Half of the width. */
    public double halfWidth() {
      return (high - low) / 2;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "[%.3f, %.3f]", low, high);
    }
  }

  /** The Wilson score 95% interval for {@code successes} out of {@code n}. */
  public static Interval wilson(long successes, long n) {
    return wilson(successes, n, Z95);
  }

  /** The Wilson score interval with critical value {@code z}. */
  public static Interval wilson(long successes, long n, double z) {
    InvalidParameterException.check(n > 0 && successes >= 0 && successes <= n,
        "need 0 ≤ successes ≤ n and n > 0, got %s of %s", successes, n);
    double p = (double) successes / n;
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denom;
    double half = wilsonHalfWidth(p, n, z);
    return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
  }

  static double wilsonHalfWidth(double p, double n, double z) {
    double z2 = z * z;
    return z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  }

  /**
   * The smallest n for which the Wilson 95% interval around a proportion {@code p} has a
   * half-width of at most {@code halfWidth} (the half-width falls monotonically with n).
   */
  public static long wilsonSampleSize(double p, double halfWidth) {
    InvalidParameterException.check(p >= 0 && p <= 1, "p must be in [0, 1], got %s", p);
    InvalidParameterException.check(halfWidth > 0 && halfWidth < 0.5,
        "halfWidth must be in (0, 0.5), got %s", halfWidth);
    long lo = 1;
    long hi = 1L << 40;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (wilsonHalfWidth(p, mid, Z95) <= halfWidth) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
