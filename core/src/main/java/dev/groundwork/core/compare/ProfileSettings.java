package dev.groundwork.core.compare;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.runtime.ThroughputRule;
import java.util.List;
import java.util.Locale;

/**
 * How each candidate's runtime is profiled in a scorecard ({@link
 * dev.groundwork.core.runtime.RuntimeProfile}): untimed warm-up calls, timed batch-1 calls, and the
 * batch sizes whose throughput is measured, each row for at least {@code throughputSeconds} per
 * caller (and at least 20 batches, at most 10,000: {@link ThroughputRule}).
 *
 * @param warmUp untimed batch-1 calls before timing, ≥ 0
 * @param calls timed batch-1 calls, ≥ 100 (a p99 rests on at least one call)
 * @param batchSizes batch sizes for throughput, each ≥ 1
 * @param throughputSeconds the least time each throughput row is timed, per caller, ≥ 0
 */
public record ProfileSettings(int warmUp, int calls, List<Integer> batchSizes,
    double throughputSeconds) {

  /** Checks the values and copies the list. */
  public ProfileSettings {
    InvalidParameterException.check(warmUp >= 0, "warmUp must be ≥ 0, got %d", warmUp);
    InvalidParameterException.check(calls >= 100, "calls must be ≥ 100 for a p99, got %d",
        calls);
    batchSizes = List.copyOf(batchSizes);
    InvalidParameterException.check(!batchSizes.isEmpty(), "give at least one batch size");
    for (int b : batchSizes) {
      InvalidParameterException.check(b >= 1, "batch sizes must be ≥ 1, got %d in %s", b,
          batchSizes);
    }
    InvalidParameterException.check(throughputSeconds >= 0 && Double.isFinite(throughputSeconds),
        "throughputSeconds must be a finite number ≥ 0, got %s", throughputSeconds);
  }

  /**
   * The profile's own defaults: 5,000 warm-up calls, 1,000 timed calls, batches 1 and 32, each
   * throughput row timed for at least 1 s.
   */
  public static ProfileSettings defaults() {
    return of(5000, 1000, 1, 32);
  }

  /** Settings with these values; each throughput row is timed for at least 1 s. */
  public static ProfileSettings of(int warmUp, int calls, int... batchSizes) {
    return new ProfileSettings(warmUp, calls,
        java.util.Arrays.stream(batchSizes).boxed().toList(), 1.0);
  }

  /** These settings with another least time per throughput row and caller. */
  public ProfileSettings throughputSeconds(double seconds) {
    return new ProfileSettings(warmUp, calls, batchSizes, seconds);
  }

  /** The runtime profile's rule for the throughput rows. */
  public ThroughputRule throughputRule() {
    return ThroughputRule.defaults().withMinSeconds(throughputSeconds);
  }

  /** The largest batch size profiled (the throughput column of the scorecard). */
  public int largestBatch() {
    return batchSizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "warm-up %d, %d timed calls, batches %s (each ≥ %s s)",
        warmUp, calls, batchSizes, throughputSeconds == Math.rint(throughputSeconds)
            ? String.format(Locale.ROOT, "%.0f", throughputSeconds)
            : Double.toString(throughputSeconds));
  }
}
