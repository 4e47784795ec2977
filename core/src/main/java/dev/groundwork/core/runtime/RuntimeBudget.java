package dev.groundwork.core.runtime;

import dev.groundwork.core.InvalidParameterException;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What a model must achieve at run time: a p99 latency at batch 1 and/or a throughput at a batch
 * size. A {@link RuntimeProfile} checks it and says by how much it is missed.
 *
 * <pre>{@code
 * RuntimeBudget b = RuntimeBudget.none().p99AtBatch1(20).throughput(32, 200);
 * }</pre>
 *
 * @param p99Millis the largest acceptable p99 latency at batch 1, in milliseconds
 * @param throughputBatch the batch size of the throughput requirement
 * @param minExamplesPerSecond the smallest acceptable throughput there (examples/s, = FPS)
 */
public record RuntimeBudget(OptionalDouble p99Millis, OptionalInt throughputBatch,
    OptionalDouble minExamplesPerSecond) {

  /** Checks the values. */
  public RuntimeBudget {
    p99Millis.ifPresent(v -> InvalidParameterException.check(v > 0 && Double.isFinite(v),
        "the p99 budget must be a positive number of milliseconds, got %s", v));
    InvalidParameterException.check(throughputBatch.isPresent()
        == minExamplesPerSecond.isPresent(), "a throughput budget needs both a batch size and "
        + "a rate");
    throughputBatch.ifPresent(v -> InvalidParameterException.check(v >= 1,
        "the throughput budget's batch size must be ≥ 1, got %d", v));
    minExamplesPerSecond.ifPresent(v -> InvalidParameterException.check(v > 0
        && Double.isFinite(v), "the throughput budget must be a positive rate, got %s", v));
  }

  /** No requirement. */
  public static RuntimeBudget none() {
    return new RuntimeBudget(OptionalDouble.empty(), OptionalInt.empty(),
        OptionalDouble.empty());
  }

  /** This budget with a p99 latency limit at batch 1. */
  public RuntimeBudget p99AtBatch1(double millis) {
    return new RuntimeBudget(OptionalDouble.of(millis), throughputBatch, minExamplesPerSecond);
  }

  /** This budget with a minimum throughput at a batch size. */
  public RuntimeBudget throughput(int batchSize, double examplesPerSecond) {
    return new RuntimeBudget(p99Millis, OptionalInt.of(batchSize),
        OptionalDouble.of(examplesPerSecond));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    p99Millis.ifPresent(v -> sb.append(String.format(Locale.ROOT, "p99 ≤ %s ms at batch 1", v)));
    if (throughputBatch.isPresent()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
          "≥ %s examples/s at batch %d", minExamplesPerSecond.getAsDouble(),
          throughputBatch.getAsInt()));
    }
    return sb.length() == 0 ? "no budget" : sb.toString();
  }
}
