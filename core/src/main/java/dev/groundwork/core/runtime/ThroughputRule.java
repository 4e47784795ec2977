package dev.groundwork.core.runtime;

import dev.groundwork.core.InvalidParameterException;
import java.util.Locale;

/**
 * How many batches a {@link RuntimeProfile} times for one throughput row: at least {@code
 * minBatches} batches <b>and</b> at least {@code minSeconds} of work, whichever is more, but never
 * more than {@code maxBatches}, per caller.
 *
 * <p>The time a batch takes is not known in advance, so each row first runs {@link #WARM_UP}
 * untimed batches (the new shape's first calls are slow) and then {@code minBatches} timed
 * calibration batches on one caller; the row's batch count per caller is then fixed as
 * {@code n = min(maxBatches, max(minBatches, ⌈minSeconds ÷ (calibration time ÷ minBatches)⌉))}
 * and every caller runs exactly {@code n} batches. A count fixed before the timed part keeps the
 * figure an average over whole batches (no batch is cut by a deadline), and on an injected clock
 * it is exact.
 *
 * <p>Why these defaults: 20 batches so that one slow call (a GC pause, a pre-emption) moves the
 * figure by at most about 5 %; 1 s so that a fast model is timed over hundreds of scheduler
 * ticks rather than a few; 10,000 batches so that a model faster than the clock can resolve
 * still finishes.
 *
 * @param minBatches timed batches per caller, at least (≥ 1)
 * @param minSeconds seconds of timed work per caller, at least (≥ 0)
 * @param maxBatches timed batches per caller, at most (≥ minBatches)
 */
public record ThroughputRule(int minBatches, double minSeconds, int maxBatches) {

  /** Untimed batches that warm each row's batch shape up before the calibration. */
  public static final int WARM_UP = 5;

  /** Checks the values. */
  public ThroughputRule {
    InvalidParameterException.check(minBatches >= 1, "throughput minBatches must be ≥ 1, got %d",
        minBatches);
    InvalidParameterException.check(minSeconds >= 0 && Double.isFinite(minSeconds),
        "throughput minSeconds must be a finite number ≥ 0, got %s", minSeconds);
    InvalidParameterException.check(maxBatches >= minBatches, "throughput maxBatches (%d) must "
        + "be ≥ minBatches (%d)", maxBatches, minBatches);
  }

  /** At least 20 batches and 1 s per caller, at most 10,000 batches. */
  public static ThroughputRule defaults() {
    return new ThroughputRule(20, 1.0, 10_000);
  }

  /** This rule with another minimum time per caller. */
  public ThroughputRule withMinSeconds(double seconds) {
    return new ThroughputRule(minBatches, seconds, maxBatches);
  }

  /**
   * The batches per caller after {@code minBatches} calibration batches took {@code
   * calibrationNanos} in all.
   */
  public int batches(long calibrationNanos) {
    if (calibrationNanos <= 0) {
      return maxBatches; // faster than the clock resolves
    }
    double needed = Math.ceil(minSeconds * 1e9 * minBatches / calibrationNanos - 1e-9);
    return (int) Math.min(maxBatches, Math.max(minBatches, needed));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "each row: %d untimed batches, %d timed calibration "
        + "batches, then per caller max(%d batches, %s s ÷ the calibrated time per batch), at most "
        + "%,d batches", WARM_UP, minBatches, minBatches, trim(minSeconds), maxBatches);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%s", v);
  }
}
