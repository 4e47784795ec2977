package dev.groundwork.core.compare;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The scorecard's pick and the rule behind it.
 *
 * <p><b>The rule.</b> Among the measured candidates that meet the runtime budget, take the best
 * mean test accuracy; every such candidate whose mean accuracy is at least that best minus the
 * margin qualifies; of those, recommend the <b>simplest</b>: the fewest parameters, then the lowest
 * p99 latency at batch 1, then the name. Baselines qualify like any other candidate: if the
 * softmax regression is within the margin of a CNN, the regression is the recommendation.
 *
 * <p><b>Pareto front.</b> A measured candidate is on the front of quality against speed when no
 * other measured candidate is at least as good on all three of mean accuracy (higher), p99 latency
 * at batch 1 (lower) and throughput at the largest batch (higher), and better on one.
 *
 * @param chosen the recommended candidate's name, empty when none qualifies
 * @param rule the rule, with the margin, in words
 * @param verdict one line: what was chosen and why, or why nothing was
 * @param margin the accuracy margin (a fraction, 0.01 = one point)
 * @param bestAccuracy the best mean accuracy among candidates meeting the budget, if any
 * @param misses for each measured candidate over budget, {@code name: requirement: by how much}
 */
public record Recommendation(Optional<String> chosen, String rule, String verdict, double margin,
    OptionalDouble bestAccuracy, List<String> misses) {

  /** The order that defines "simplest". */
  public static final Comparator<CandidateResult> SIMPLEST =
      Comparator.comparingLong(CandidateResult::parameters)
          .thenComparingDouble(r -> r.runtime().orElseThrow().p99Millis())
          .thenComparing(CandidateResult::name);

  /** Checks the fields and copies the list. */
  public Recommendation {
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(bestAccuracy, "bestAccuracy");
    misses = List.copyOf(misses);
  }

  /** The rule in words, for a margin. */
  public static String rule(double margin) {
    return String.format(Locale.ROOT, "the simplest candidate (fewest parameters, then lowest p99 "
        + "at batch 1) among those meeting the runtime budget whose mean accuracy is within %.1f "
        + "points of the best of them", 100 * margin);
  }

  /**
   * Applies the rule to measured results (failed ones are ignored).
   *
   * @param margin accuracy margin as a fraction, ≥ 0
   * @throws InvalidParameterException if the margin is negative or not finite
   */
  public static Recommendation of(List<CandidateResult> results, double margin) {
    checkMargin(margin);
    List<CandidateResult> measured = results.stream().filter(r -> !r.failed()).toList();
    String rule = rule(margin);
    if (measured.isEmpty()) {
      return new Recommendation(Optional.empty(), rule, results.isEmpty() ? "no candidates"
          : "no recommendation: every candidate failed", margin, OptionalDouble.empty(),
          List.of());
    }
    List<String> misses = new ArrayList<>();
    for (CandidateResult r : measured) {
      for (String m : r.runtime().orElseThrow().misses()) {
        misses.add(r.name() + ": " + m);
      }
    }
    List<CandidateResult> eligible = measured.stream().filter(CandidateResult::withinBudget)
        .toList();
    if (eligible.isEmpty()) {
      return new Recommendation(Optional.empty(), rule, "no recommendation: none of the "
          + measured.size() + " measured candidates meets the runtime budget", margin,
          OptionalDouble.empty(), misses);
    }
    CandidateResult best = eligible.stream()
        .max(Comparator.comparingDouble(CandidateResult::meanAccuracy)).orElseThrow();
    double floor = best.meanAccuracy() - margin;
    CandidateResult pick = eligible.stream().filter(r -> r.meanAccuracy() >= floor - 1e-12)
        .min(SIMPLEST).orElseThrow();
    String verdict = String.format(Locale.ROOT, "recommend %s: %.1f%% mean accuracy, %,d "
        + "parameters, p99 %.3f ms at batch 1; the best within budget is %s at %.1f%%",
        pick.name(), 100 * pick.meanAccuracy(), pick.parameters(),
        pick.runtime().orElseThrow().p99Millis(), best.name(), 100 * best.meanAccuracy());
    return new Recommendation(Optional.of(pick.name()), rule, verdict, margin,
        OptionalDouble.of(best.meanAccuracy()), misses);
  }

  /**
   * The names of the measured candidates on the Pareto front of accuracy, p99 latency and
   * throughput, in input order.
   */
  public static Set<String> paretoFront(List<CandidateResult> results) {
    List<CandidateResult> measured = results.stream().filter(r -> !r.failed()).toList();
    Set<String> front = new LinkedHashSet<>();
    for (CandidateResult a : measured) {
      boolean dominated = measured.stream().anyMatch(b -> b != a && dominates(b, a));
      if (!dominated) {
        front.add(a.name());
      }
    }
    return front;
  }

  /** Whether {@code b} is at least as good as {@code a} everywhere and better somewhere. */
  static boolean dominates(CandidateResult b, CandidateResult a) {
    RuntimeSummary rb = b.runtime().orElseThrow();
    RuntimeSummary ra = a.runtime().orElseThrow();
    boolean noWorse = b.meanAccuracy() >= a.meanAccuracy() && rb.p99Millis() <= ra.p99Millis()
        && rb.examplesPerSecond() >= ra.examplesPerSecond();
    boolean better = b.meanAccuracy() > a.meanAccuracy() || rb.p99Millis() < ra.p99Millis()
        || rb.examplesPerSecond() > ra.examplesPerSecond();
    return noWorse && better;
  }

  static void checkMargin(double margin) {
    InvalidParameterException.check(margin >= 0 && Double.isFinite(margin),
        "the accuracy margin must be a finite fraction ≥ 0 (0.01 = one point), got %s", margin);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(verdict).append('\n').append("  rule: ").append(rule);
    for (String m : misses) {
      sb.append('\n').append("  over budget  ").append(m);
    }
    return sb.toString();
  }
}
