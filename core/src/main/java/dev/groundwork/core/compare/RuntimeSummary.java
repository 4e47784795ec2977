package dev.groundwork.core.compare;

import dev.groundwork.core.runtime.RuntimeProfileResult;
import java.util.List;

/**
 * The runtime figures a scorecard decides with, taken from a candidate's runtime profile.
 *
 * @param p50Millis median end-to-end latency at batch 1
 * @param p99Millis 99th-percentile end-to-end latency at batch 1
 * @param throughputBatch the batch size of {@code examplesPerSecond}
 * @param examplesPerSecond throughput at that batch size (the best over caller counts)
 * @param withinBudget whether every budget requirement is met (true without a budget)
 * @param misses one line per requirement missed, with by how much
 */
public record RuntimeSummary(double p50Millis, double p99Millis, int throughputBatch,
    double examplesPerSecond, boolean withinBudget, List<String> misses) {

  /** Copies the list. */
  public RuntimeSummary {
    misses = List.copyOf(misses);
  }

  /** The figures of a profile, with throughput at its largest batch size. */
  public static RuntimeSummary of(RuntimeProfileResult p) {
    int batch = p.throughput().stream().mapToInt(RuntimeProfileResult.Throughput::batchSize)
        .max().orElse(1);
    double rate = p.throughput().stream().filter(t -> t.batchSize() == batch)
        .mapToDouble(RuntimeProfileResult.Throughput::examplesPerSecond).max().orElse(0);
    List<String> misses = p.checks().stream().filter(c -> !c.met())
        .map(c -> c.requirement() + ": " + c.detail()).toList();
    return new RuntimeSummary(p.endToEnd().p50(), p.endToEnd().p99(), batch, rate,
        p.withinBudget(), misses);
  }

  /** One line: latency at batch 1, throughput, and the budget's verdict with each miss. */
  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT,
        "p50 %.3f ms · p99 %.3f ms at batch 1 · %,.0f examples/s at batch %d · %s", p50Millis,
        p99Millis, examplesPerSecond, throughputBatch, withinBudget ? "within budget"
            : "over budget: " + String.join("; ", misses));
  }
}
