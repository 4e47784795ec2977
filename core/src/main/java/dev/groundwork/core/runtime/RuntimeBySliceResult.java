package dev.groundwork.core.runtime;

import dev.groundwork.core.analysis.FailureStatistics;
import dev.groundwork.core.data.Fingerprint;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Batch-1 latency and error rate per slice of an evaluation set, with the slices flagged as slower
 * than the rest ({@link RuntimeBySlice} states the test).
 *
 * @param model the model's name
 * @param backend the backend and engine version
 * @param dataset the evaluation set's name
 * @param fingerprint the evaluation set's content fingerprint
 * @param overall every example
 * @param slices one row per single-attribute slice, attribute by attribute
 * @param warmUpCalls untimed calls before timing
 * @param repeats timed calls per example (an example's latency is the fastest)
 * @param seed the seed of the call order
 * @param fdr the false discovery rate of the slow-slice test
 * @param minRatio the least p50 ratio to the overall of a flagged slice
 * @param machine cores, CPU model, JVM, OS
 */
public record RuntimeBySliceResult(String model, String backend, String dataset,
    Fingerprint fingerprint, SliceRuntime overall, List<SliceRuntime> slices, int warmUpCalls,
    int repeats, long seed, double fdr, double minRatio, String machine) {

  /**
   * One slice's latency and error rate.
   *
   * @param slice the slice, e.g. {@code text.chars > 120}, or {@code all}
   * @param n its examples
   * @param latency per-example batch-1 latency (ms) over its examples
   * @param ratioToOverall its p50 divided by the overall p50
   * @param errors its examples predicted wrongly
   * @param errorInterval the Wilson 95 % interval of its error rate
   * @param pValue the one-sided Mann–Whitney p-value of slower than the rest (1 for {@code all})
   * @param qValue the Benjamini–Hochberg adjusted p-value across the slices
   * @param slow whether the slice is flagged as slower than the rest
   */
  public record SliceRuntime(String slice, int n, LatencyStats latency, double ratioToOverall,
      int errors, FailureStatistics.Interval errorInterval, double pValue, double qValue,
      boolean slow) {

    /** Checks the fields. */
    public SliceRuntime {
      Objects.requireNonNull(slice, "slice");
      Objects.requireNonNull(latency, "latency");
      Objects.requireNonNull(errorInterval, "errorInterval");
    }

    /** {@code errors / n}. */
    public double errorRate() {
      return (double) errors / n;
    }

    SliceRuntime flagged() {
      return new SliceRuntime(slice, n, latency, ratioToOverall, errors, errorInterval, pValue,
          qValue, true);
    }
  }

  /** Copies the list. */
  public RuntimeBySliceResult {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(overall, "overall");
    slices = List.copyOf(slices);
  }

  /** The flagged slices, slowest (highest p50 ratio) first. */
  public List<SliceRuntime> slow() {
    return slices.stream().filter(SliceRuntime::slow)
        .sorted(Comparator.comparingDouble(SliceRuntime::ratioToOverall).reversed()).toList();
  }

  /** The row of a slice by its description, e.g. {@code "text.chars > 120"}. */
  public java.util.Optional<SliceRuntime> slice(String description) {
    return slices.stream().filter(s -> s.slice().equals(description)).findFirst();
  }

  @Override
  public String toString() {
    int w = Math.max(12, slices.stream().mapToInt(s -> s.slice().length()).max().orElse(0));
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "RuntimeBySlice  %s on %s  %d slice%s slower%n", model,
        dataset, slow().size(), slow().size() == 1 ? "" : "s"));
    sb.append(String.format(Locale.ROOT, "  %-" + w + "s %6s  %-28s %8s %8s %6s  %-22s %9s%n",
        "slice", "n", "p50 ms [95% CI]", "p90 ms", "p99 ms", "×all", "error [95% CI]", "q"));
    line(sb, overall, w, true);
    for (SliceRuntime s : slices) {
      line(sb, s, w, false);
    }
    sb.append(String.format(Locale.ROOT, "  SLOW = one-sided Mann–Whitney U vs the rest, "
        + "Benjamini–Hochberg q ≤ %s, and p50 ≥ %s× the overall p50%n", fdr, minRatio));
    sb.append(String.format(Locale.ROOT, "  batch 1 · %d timed calls per example (fastest) in a "
        + "shuffled order (seed %d) · warm-up %d calls · %s%n", repeats, seed, warmUpCalls,
        fingerprint));
    sb.append("  ").append(backend).append(" · ").append(machine);
    return sb.toString();
  }

  private static void line(StringBuilder sb, SliceRuntime s, int w, boolean isOverall) {
    String p50 = String.format(Locale.ROOT, "%.3f [%.3f–%.3f]", s.latency().p50(),
        s.latency().p50Low(), s.latency().p50High());
    String err = String.format(Locale.ROOT, "%5.1f%% [%.1f–%.1f]", 100 * s.errorRate(),
        100 * s.errorInterval().low(), 100 * s.errorInterval().high());
    String q = isOverall ? "" : s.qValue() < 1e-4
        ? String.format(Locale.ROOT, "%.1e", s.qValue())
        : String.format(Locale.ROOT, "%.4f", s.qValue());
    sb.append(String.format(Locale.ROOT, "  %-" + w + "s %6d  %-28s %8.3f %8.3f %6.2f  %-22s %9s"
        + "%s%n", s.slice(), s.n(), p50, s.latency().p90(), s.latency().p99(), s.ratioToOverall(),
        err, q, s.slow() ? "  SLOW" : ""));
  }
}
