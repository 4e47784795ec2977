package dev.groundwork.core.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A model's runtime profile: batch-1 latency end to end and per stage, throughput per batch size
 * and number of concurrent callers, memory, the machine, and the budget's verdict.
 *
 * @param model the model's name
 * @param backend the backend and engine version
 * @param endToEnd batch-1 latency from the dataset's record to the predicted class
 * @param preprocessing batch-1 time to decode the record into a batch
 * @param inference batch-1 time of {@code Model.predict}
 * @param postprocessing batch-1 time to turn probabilities into the predicted class
 * @param throughput one row per batch size and caller count
 * @param heapUsedBytes heap in use after the run
 * @param residentBytes the process's resident size after the run (0 where unknown)
 * @param machine cores, CPU model, JVM, OS, and the model's threading ({@code Model.threading()})
 * @param warmUpCalls calls made before timing
 * @param throughputRule how many batches each throughput row timed
 * @param budget the budget checked
 * @param checks one line per budget requirement
 */
public record RuntimeProfileResult(String model, String backend, LatencyStats endToEnd,
    LatencyStats preprocessing, LatencyStats inference, LatencyStats postprocessing,
    List<Throughput> throughput, long heapUsedBytes, long residentBytes, String machine,
    int warmUpCalls, ThroughputRule throughputRule, RuntimeBudget budget, List<BudgetCheck> checks) {

  /**
   * Throughput at one batch size with some number of concurrent callers.
   *
   * @param batchSize examples per call
   * @param callers concurrent callers, each on its own thread
   * @param examples examples predicted by all callers in the timed part
   * @param seconds wall time of the timed part
   */
  public record Throughput(int batchSize, int callers, long examples, double seconds) {
    /** Examples (frames) per second over all callers. */
    public double examplesPerSecond() {
      return examples / seconds;
    }

    /** The batches each caller ran (fixed by the {@link ThroughputRule}). */
    public long batchesPerCaller() {
      return examples / ((long) batchSize * callers);
    }
  }

  /** One requirement of the budget and how the model fared. */
  public record BudgetCheck(String requirement, double limit, double measured, boolean met,
      String detail) {}

  /** Copies the lists. */
  public RuntimeProfileResult {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(throughputRule, "throughputRule");
    throughput = List.copyOf(throughput);
    checks = List.copyOf(checks);
  }

  /** Whether every budget requirement is met (true without a budget). */
  public boolean withinBudget() {
    return checks.stream().allMatch(BudgetCheck::met);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "RuntimeProfile  %s  %s%n", model, checks.isEmpty()
        ? "no budget" : withinBudget() ? "WITHIN BUDGET" : "OVER BUDGET"));
    sb.append("  batch 1, end to end  ").append(endToEnd).append('\n');
    sb.append(String.format(Locale.ROOT, "    stages (p50): pre-processing %.3f ms · inference "
        + "%.3f ms · post-processing %.3f ms%n", preprocessing.p50(), inference.p50(),
        postprocessing.p50()));
    for (Throughput t : throughput) {
      sb.append(String.format(Locale.ROOT, "  batch %4d × %d caller%s  %,10.1f examples/s"
          + "  (%,d batches per caller in %.2f s)%n", t.batchSize(), t.callers(),
          t.callers() == 1 ? " " : "s", t.examplesPerSecond(), t.batchesPerCaller(),
          t.seconds()));
    }
    for (BudgetCheck c : checks) {
      sb.append(String.format(Locale.ROOT, "  %-5s %s: %s%n", c.met() ? "ok" : "MISS",
          c.requirement(), c.detail()));
    }
    sb.append(String.format(Locale.ROOT, "  memory: heap in use %,d MB · resident %,d MB%n",
        heapUsedBytes >> 20, residentBytes >> 20));
    sb.append("  ").append(backend).append(" · ").append(machine).append(" · warm-up ")
        .append(warmUpCalls).append(" calls\n");
    sb.append("  throughput repetitions: ").append(throughputRule);
    return sb.toString();
  }
}
