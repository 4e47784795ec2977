package dev.groundwork.core.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The Pareto front and the recommendation rule on constructed results. */
class RecommendationTest {

  /** A measured candidate: accuracy, parameters, p99 ms, examples/s at 32, within budget. */
  private static CandidateResult row(String name, double accuracy, long params, double p99,
      double rate, boolean within) {
    return CandidateResult.measured(name, Candidate.Kind.TRAINED, "", List.of(accuracy), params,
        OptionalLong.empty(), 1, new RuntimeSummary(p99 / 2, p99, 32, rate, within,
            within ? List.of() : List.of("p99 ≤ 5.0 ms at batch 1: " + p99 + " ms, missed")));
  }

  private static final CandidateResult MAJORITY = CandidateResult.measured("majority",
      Candidate.Kind.BASELINE, "", List.of(0.10), 10, OptionalLong.empty(), 0,
      new RuntimeSummary(0.01, 0.02, 32, 900_000, true, List.of()));

  @Test
  void picksTheFewestParametersWithinTheMarginOfTheBestThatMeetsTheBudget() {
    CandidateResult logistic = row("logistic", 0.840, 7_850, 0.05, 50_000, true);
    CandidateResult mlp = row("mlp", 0.880, 200_000, 0.4, 20_000, true);
    CandidateResult cnn = row("cnn", 0.905, 420_000, 1.5, 3_000, true);
    CandidateResult resnet = row("resnet", 0.920, 700_000, 9.0, 400, false);
    List<CandidateResult> rows = List.of(MAJORITY, logistic, mlp, cnn, resnet);

    // best within budget: cnn 90.5 %; within 3 points: cnn (90.5) and mlp (88.0); mlp is smaller
    Recommendation r = Recommendation.of(rows, 0.03);
    assertThat(r.chosen()).contains("mlp");
    assertThat(r.bestAccuracy().getAsDouble()).isEqualTo(0.905);
    assertThat(r.verdict()).startsWith("recommend mlp: 88.0% mean accuracy, 200,000 parameters")
        .endsWith("the best within budget is cnn at 90.5%");
    assertThat(r.rule()).contains("fewest parameters, then lowest p99").contains("3.0 points");
    // resnet is better but over budget: it is never the pick, and its miss is listed
    assertThat(r.misses()).containsExactly("resnet: p99 ≤ 5.0 ms at batch 1: 9.0 ms, missed");

    // margin 0: only the best qualifies
    assertThat(Recommendation.of(rows, 0).chosen()).contains("cnn");
    // margin 7 points: the logistic regression (84.0 ≥ 90.5 − 7) is the simplest that qualifies
    assertThat(Recommendation.of(rows, 0.07).chosen()).contains("logistic");
    // a margin wide enough for the majority class picks it: baselines qualify like the others
    assertThat(Recommendation.of(rows, 0.9).chosen()).contains("majority");
  }

  @Test
  void equalParameterCountsAreBrokenByLatencyThenName() {
    CandidateResult slow = row("a-slow", 0.90, 1_000, 2.0, 1_000, true);
    CandidateResult fast = row("b-fast", 0.90, 1_000, 1.0, 1_000, true);
    assertThat(Recommendation.of(List.of(slow, fast), 0.01).chosen()).contains("b-fast");
    CandidateResult twin = row("a-twin", 0.90, 1_000, 1.0, 1_000, true);
    assertThat(Recommendation.of(List.of(fast, twin), 0.01).chosen()).contains("a-twin");
  }

  @Test
  void noCandidateWithinBudgetGivesAVerdictWithEachMiss() {
    CandidateResult a = row("a", 0.9, 100, 8.0, 100, false);
    CandidateResult b = row("b", 0.8, 50, 6.5, 100, false);
    Recommendation r = Recommendation.of(List.of(a, b), 0.01);
    assertThat(r.chosen()).isEmpty();
    assertThat(r.bestAccuracy()).isEmpty();
    assertThat(r.verdict()).isEqualTo("no recommendation: none of the 2 measured candidates "
        + "meets the runtime budget");
    assertThat(r.misses()).containsExactly("a: p99 ≤ 5.0 ms at batch 1: 8.0 ms, missed",
        "b: p99 ≤ 5.0 ms at batch 1: 6.5 ms, missed");
  }

  @Test
  void failedCandidatesAreIgnoredAndAllFailedSaysSo() {
    CandidateResult broken = CandidateResult.failed("broken", Candidate.Kind.TRAINED, "",
        "seed 1, training: IllegalStateException: boom");
    CandidateResult ok = row("ok", 0.5, 10, 1, 10, true);
    assertThat(Recommendation.of(List.of(broken, ok), 0.01).chosen()).contains("ok");
    assertThat(Recommendation.paretoFront(List.of(broken, ok))).containsExactly("ok");
    Recommendation none = Recommendation.of(List.of(broken), 0.01);
    assertThat(none.chosen()).isEmpty();
    assertThat(none.verdict()).isEqualTo("no recommendation: every candidate failed");
  }

  @Test
  void paretoFrontKeepsEveryCandidateNoOtherBeatsOnAccuracyLatencyAndThroughput() {
    CandidateResult fastWeak = row("fast-weak", 0.80, 10, 0.1, 90_000, true);
    CandidateResult slowStrong = row("slow-strong", 0.92, 10, 5.0, 1_000, true);
    CandidateResult middle = row("middle", 0.88, 10, 1.0, 10_000, true);
    // worse than middle on all three
    CandidateResult dominated = row("dominated", 0.85, 10, 2.0, 5_000, true);
    // equal to middle on accuracy and p99, lower throughput: dominated too
    CandidateResult slowerTwin = row("slower-twin", 0.88, 10, 1.0, 9_000, true);
    // exactly equal to middle: neither dominates the other
    CandidateResult equalTwin = row("equal-twin", 0.88, 10, 1.0, 10_000, true);
    assertThat(Recommendation.paretoFront(List.of(fastWeak, slowStrong, middle, dominated,
        slowerTwin, equalTwin))).containsExactly("fast-weak", "slow-strong", "middle",
            "equal-twin");
  }

  @Test
  void aNegativeOrInfiniteMarginIsATypedError() {
    assertThatThrownBy(() -> Recommendation.of(List.of(MAJORITY), -0.01))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("margin")
        .hasMessageContaining("-0.01");
    assertThatThrownBy(() -> Recommendation.of(List.of(MAJORITY), Double.NaN))
        .isInstanceOf(InvalidParameterException.class);
  }
}
