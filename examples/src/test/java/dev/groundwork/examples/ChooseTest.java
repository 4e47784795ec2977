package dev.groundwork.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.compare.CandidateResult;
import dev.groundwork.core.compare.ScorecardResult;
import dev.groundwork.core.data.Datasets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Choose example on the embedded subset: baselines, three DJL models, a recommendation. */
class ChooseTest {

  @Test
  void theCnnBeatsTheBaselinesAndTheRecommendationFollowsTheRule() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ScorecardResult card = Choose.run(Datasets.fashionMnistSubset(), Choose.Settings.embedded(),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(card);

    assertThat(card.candidates()).extracting(CandidateResult::name).containsExactly(
        "majority-class", "softmax-regression", "mlp", "small-cnn", "resnet-s");
    assertThat(card.failures()).isEmpty();
    assertThat(card.data()).startsWith("1,600 train · 400 validation · 1,000 test");

    // the small CNN beats both baselines, and is not flagged
    CandidateResult cnn = card.candidate("small-cnn").orElseThrow();
    for (CandidateResult b : card.baselines()) {
      assertThat(cnn.meanAccuracy()).as("small CNN vs %s", b.name())
          .isGreaterThan(b.meanAccuracy());
    }
    assertThat(card.notBeatingBaselines()).doesNotContainKey("small-cnn");
    // parameter counts of the three DJL models, by their layers
    assertThat(card.candidate("mlp").orElseThrow().parameters())
        .isEqualTo(784 * 256 + 256 + 256 * 10 + 10);
    assertThat(cnn.parameters()).isGreaterThan(card.candidate("mlp").orElseThrow().parameters());

    // the recommendation, recomputed from the rows by the printed rule
    List<CandidateResult> eligible = card.candidates().stream()
        .filter(c -> !c.failed() && c.withinBudget()).toList();
    if (eligible.isEmpty()) {
      assertThat(card.recommended()).isEmpty();
      assertThat(card.recommendation().verdict()).contains("none of the 5");
    } else {
      double best = eligible.stream().mapToDouble(CandidateResult::meanAccuracy).max()
          .orElseThrow();
      String expected = eligible.stream()
          .filter(c -> c.meanAccuracy() >= best - Choose.MARGIN)
          .min(Comparator.comparingLong(CandidateResult::parameters)
              .thenComparingDouble(c -> c.runtime().orElseThrow().p99Millis()))
          .orElseThrow().name();
      assertThat(card.recommended()).contains(expected);
      assertThat(card.toString()).contains("recommend " + expected + ":");
    }
    assertThat(out).contains("rule: the simplest candidate (fewest parameters, then lowest p99 "
        + "at batch 1)").contains("within 1.0 points");
  }
}
