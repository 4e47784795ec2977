package dev.groundwork.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.model.ClassProbabilities;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The overfit check's measurements, on hand-computed values. */
class OverfitCheckRulesTest {

  @Test
  void evaluationCadenceIsAboutFourEvaluationsPerPass() {
    assertThat(OverfitCheck.evaluationCadence(100, 32)).isEqualTo(1);
    assertThat(OverfitCheck.evaluationCadence(100, 1)).isEqualTo(25);
    assertThat(OverfitCheck.evaluationCadence(500, 10)).isEqualTo(13);
    assertThat(OverfitCheck.evaluationCadence(10, 10)).isEqualTo(1);
  }

  @Test
  void priorEntropyIsThatOfTheLabelCounts() {
    assertThat(OverfitCheck.priorEntropy(new int[] {0, 1, 2, 3}, 4)).isCloseTo(Math.log(4),
        within(1e-12));
    // 3 of class 0, 1 of class 1: -(0.75 ln 0.75 + 0.25 ln 0.25) = 0.5623351446
    assertThat(OverfitCheck.priorEntropy(new int[] {0, 0, 0, 1}, 3)).isCloseTo(0.5623351446,
        within(1e-9));
  }

  @Test
  void outputSpreadIsTheWidestLogitRange() {
    // softmax of logits (0, 1) and (0, 3): spreads 1 and 3
    float a = (float) (1 / (1 + Math.E));
    float b = (float) (1 / (1 + Math.exp(3)));
    ClassProbabilities p = new ClassProbabilities(2, 2, new float[] {a, 1 - a, b, 1 - b});
    assertThat(OverfitCheck.outputSpread(p)).isCloseTo(3, within(1e-5));
    ClassProbabilities squashed = new ClassProbabilities(1, 2, new float[] {a, 1 - a});
    assertThat(OverfitCheck.outputSpread(squashed)).isLessThanOrEqualTo(
        OverfitCheck.MAX_BOUNDED_SPREAD);
  }

  @Test
  void budgetsReadAsWords() {
    assertThat(OverfitCheck.duration(Duration.ofMinutes(5))).isEqualTo("5-minute");
    assertThat(OverfitCheck.duration(Duration.ofSeconds(30))).isEqualTo("30-second");
    assertThat(OverfitCheck.duration(Duration.ofMillis(50))).isEqualTo("50-ms");
    assertThat(OverfitCheck.duration(Duration.ofNanos(1))).isEqualTo("1-ns");
  }

  @Test
  void inputsFarFromANormalisedRangeAreFlagged() {
    assertThat(new OverfitEvidence.InputStats(0, 0, 255, 76, 93).outsideNormalisedRange())
        .isTrue();
    assertThat(new OverfitEvidence.InputStats(0, 0, 1.5e-5, 4e-6, 5e-6).outsideNormalisedRange())
        .isTrue();
    assertThat(new OverfitEvidence.InputStats(0, -2.5, 3.1, 0, 1).outsideNormalisedRange())
        .isFalse();
    assertThat(new OverfitEvidence.InputStats(0, 0, 1, 0.3, 0.36).outsideNormalisedRange())
        .isFalse();
  }

  @Test
  void theEvidenceTableShowsEveryMeasurement() {
    OverfitEvidence e = new OverfitEvidence(
        List.of(new OverfitEvidence.InputStats(0, 0, 255, 76.4, 92.9)), 2.302585, 23.2, 0.01,
        OptionalDouble.of(2.3), OptionalDouble.of(0.02), 0.58, 0.1, 0.0, 64, 0.42, 1.3, 9.5, true,
        1e-3, 1e-3, false);
    assertThat(e.inputsOutsideNormalisedRange()).isTrue();
    assertThat(e.toString())
        .contains("input 0     min 0.00 · max 255 · mean 76.4 · std 92.9  (outside a normalised "
            + "range)")
        .contains("init 23.2 → final 0.0100 · label entropy 2.30 · zero-input baseline 2.30 · in "
            + "training mode 0.0200")
        .contains("nearest input has the same label 58% of the time · chance 10%")
        .contains("two training-mode passes over one batch differ by 0")
        .contains("moved 0.42 of their norm · norm ×1.30 · lr 0.00100 (configured 0.00100) · "
            + "narrowest layer 64")
        .contains("logit spread 9.50 at the end · vary between examples at init");
  }
}
