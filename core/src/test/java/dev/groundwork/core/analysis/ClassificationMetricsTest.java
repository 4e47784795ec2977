package dev.groundwork.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  /*
   * The fixture: 3 classes A, B, C and 8 examples.
   *   #  true  probs (A, B, C)   predicted
   *   1  A     .8 .1 .1          A
   *   2  A     .6 .3 .1          A
   *   3  A     .2 .7 .1          B   loss −ln .2 = 1.6094
   *   4  B     .1 .8 .1          B
   *   5  B     .1 .3 .6          C   loss −ln .3 = 1.2040
   *   6  C     .1 .1 .8          C
   *   7  C     .3 .2 .5          C
   *   8  C     .5 .4 .1          A   loss −ln .1 = 2.3026
   * Confusion (rows true): A [2 1 0], B [0 1 1], C [1 0 2]; predicted totals A 3, B 2, C 3.
   * A: precision 2/3, recall 2/3, F1 2/3. B: 1/2, 1/2, 1/2. C: 2/3, 2/3, 2/3.
   * accuracy 5/8; macro F1 (2/3 + 1/2 + 2/3)/3 = 11/18; weighted (3·2/3 + 2·1/2 + 3·2/3)/8 = 5/8.
   * Most confused: all three off-diagonal cells are 1; B→C has the highest rate (1/2), then
   * A→B (1/3, lower true index), then C→A (1/3).
   * Calibration with 5 bins (width .2): confidences .8✓ .6✓ .7✗ .8✓ .6✗ .8✓ .5✓ .5✗.
   *   [.4,.6): .5✓ .5✗ → conf .5, acc .5, gap 0
   *   [.6,.8): .6✓ .7✗ .6✗ → conf .6333, acc .3333, gap .3
   *   [.8,1]:  .8 ×3 all ✓ → conf .8, acc 1, gap .2
   *   ECE = 2/8·0 + 3/8·.3 + 3/8·.2 = .1875; MCE = .3
   * Label issues: thresholds t_A = (.8+.6+.2)/3 = .5333, t_B = (.8+.3)/2 = .55,
   *   t_C = (.8+.5+.1)/3 = .4667. #3: B .7 ≥ .55 → issue (suggest B, self-confidence .2);
   *   #5: C .6 ≥ .4667 → issue (suggest C, .3); #8: A .5 < .5333, B .4 < .55 → none.
   *   Confident joint [given][counted]: A [2 1 0], B [0 1 1], C [0 0 2] (#8 uncounted);
   *   calibrated to row totals 3, 2, 3: C [0 0 3]; estimated noise (1 + 1) / 8 = .25.
   *   Prune by noise rate: cell (A, B) flags the 1 A-labelled example with the largest
   *   p_B − p_A (#3, +.5); cell (B, C) the 1 B-labelled with the largest p_C − p_B (#5, +.3).
   */
  static ClassificationPredictions fixture() {
    return ClassificationPredictions.of(
        List.of("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"),
        new int[] {0, 0, 0, 1, 1, 2, 2, 2},
        new float[] {.8f, .1f, .1f, .6f, .3f, .1f, .2f, .7f, .1f, .1f, .8f, .1f, .1f, .3f, .6f,
            .1f, .1f, .8f, .3f, .2f, .5f, .5f, .4f, .1f},
        List.of("A", "B", "C"));
  }

  static ClassificationAnalysis analysis() {
    return FailureAnalysis.classification(fixture())
        .options(ClassificationOptions.builder().calibrationBins(5).clusters(0).minSupport(1)
            .build())
        .run();
  }

  @Test
  void metricsMatchTheHandComputedFixture() {
    ClassificationMetrics m = analysis().metrics();
    assertThat(m.accuracy()).isCloseTo(0.625, within(1e-12));
    assertThat(m.macroF1()).isCloseTo(11.0 / 18, within(1e-12));
    assertThat(m.weightedF1()).isCloseTo(0.625, within(1e-12));
    assertThat(m.of("A").precision()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.of("A").recall()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.of("B").f1()).isCloseTo(0.5, within(1e-12));
    assertThat(m.of("C").support()).isEqualTo(3);
    assertThat(m.of("B").predicted()).isEqualTo(2);
    assertThat(m.toString()).contains("accuracy 0.6250").contains("B").contains("0.500");
  }

  @Test
  void confusionCountsRatesAndMostConfused() {
    ConfusionMatrix cm = analysis().confusion();
    assertThat(cm.counts()).isEqualTo(new long[][] {{2, 1, 0}, {0, 1, 1}, {1, 0, 2}});
    assertThat(cm.rowNormalized()[1]).containsExactly(0, 0.5, 0.5);
    assertThat(cm.rowNormalized()[0][0]).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(cm.mostConfused(3)).extracting(ConfusionMatrix.ConfusedPair::toString)
        .containsExactly("B → C: 1 (50.0% of B)", "A → B: 1 (33.3% of A)",
            "C → A: 1 (33.3% of C)");
  }

  @Test
  void topLossesAreTheConfidentMistakes() {
    TopLosses t = analysis().topLosses();
    assertThat(t.ids().subList(0, 4)).containsExactly("e8", "e3", "e5", "e7");
    assertThat(t.losses().get(0).loss()).isCloseTo(-Math.log(0.1), within(1e-6));
    assertThat(t.losses().get(0).predicted()).isEqualTo("A");
    assertThat(t.losses().get(1).loss()).isCloseTo(-Math.log(0.2), within(1e-6));
  }

  @Test
  void calibrationMatchesTheHandComputedFixture() {
    Calibration c = analysis().calibration();
    assertThat(c.ece()).isCloseTo(0.1875, within(1e-6));
    assertThat(c.mce()).isCloseTo(0.3, within(1e-6));
    assertThat(c.bins()).hasSize(5);
    assertThat(c.bins().get(3).count()).isEqualTo(3);
    assertThat(c.bins().get(3).accuracy()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(c.bins().get(3).meanConfidence()).isCloseTo(1.9 / 3, within(1e-6));
    assertThat(c.bins().get(4).count()).isEqualTo(3);
    assertThat(c.bins().get(0).count()).isZero();
    assertThat(Calibration.of(fixture(), 5).ece()).isCloseTo(0.1875, within(1e-6));
  }

  @Test
  void labelIssuesByConfidentLearning() {
    LabelIssues li = LabelIssues.find(fixture(), LabelIssues.Method.PRUNE_BY_NOISE_RATE);
    assertThat(analysis().labelIssues().method()).isEqualTo(LabelIssues.Method.CONFIDENT_JOINT);
    assertThat(analysis().labelIssues().ids()).containsExactly("e3", "e5");
    assertThat(li.thresholds().get(0)).isCloseTo(1.6 / 3, within(1e-6));
    assertThat(li.thresholds().get(1)).isCloseTo(0.55, within(1e-6));
    assertThat(li.ids()).containsExactly("e3", "e5");
    assertThat(li.issues().get(0).suggestedLabel()).isEqualTo("B");
    assertThat(li.issues().get(0).selfConfidence()).isCloseTo(0.2, within(1e-6));
    assertThat(li.issues().get(1).suggestedLabel()).isEqualTo("C");
    assertThat(li.method()).isEqualTo(LabelIssues.Method.PRUNE_BY_NOISE_RATE);
    assertThat(li.estimatedNoiseRate()).isCloseTo(0.25, within(1e-12));
    assertThat(li.calibratedJoint()).containsExactly(List.of(2, 1, 0), List.of(0, 1, 1),
        List.of(0, 0, 3));
    assertThat(li.toString()).contains("2 of 8 examples").contains("prune by noise rate")
        .contains("estimated noise rate 25.0%");
    LabelIssues cj = LabelIssues.find(fixture(), LabelIssues.Method.CONFIDENT_JOINT);
    assertThat(cj.ids()).containsExactly("e3", "e5");
    assertThat(cj.toString()).contains("by confident joint,");
    LabelIssues viaOptions = FailureAnalysis.classification(fixture())
        .options(ClassificationOptions.builder().clusters(0).minSupport(1)
            .labelIssueMethod(LabelIssues.Method.PRUNE_BY_NOISE_RATE).build())
        .run().labelIssues();
    assertThat(viaOptions.method()).isEqualTo(LabelIssues.Method.PRUNE_BY_NOISE_RATE);
  }

  @Test
  void pruneByNoiseRateFlagsTheEstimatedNumberByMargin() {
    // 2 classes, 10 examples labelled A: 6 clearly A, then p_A .3 .2 .45 .4; 4 labelled B, all
    // clearly B. t_A = (6·.9 + .3 + .2 + .45 + .4) / 10 = .675, t_B = .9. Counted in B (p_B ≥ .9):
    // none of the A-labelled → the confident joint has no A → B error, nothing is flagged even
    // though 4 A-labelled examples are predicted B.
    float[] probs = new float[28];
    float[] pa = {.9f, .9f, .9f, .9f, .9f, .9f, .3f, .2f, .45f, .4f, .1f, .1f, .1f, .1f};
    for (int i = 0; i < 14; i++) {
      probs[2 * i] = pa[i];
      probs[2 * i + 1] = 1 - pa[i];
    }
    int[] y = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
    List<String> ids = java.util.stream.IntStream.range(0, 14).mapToObj(i -> "e" + i).toList();
    ClassificationPredictions p = ClassificationPredictions.of(ids, y, probs, List.of("A", "B"));
    LabelIssues li = LabelIssues.find(p, LabelIssues.Method.PRUNE_BY_NOISE_RATE);
    assertThat(li.thresholds().get(0)).isCloseTo(.675, within(1e-6));
    assertThat(li.size()).isZero();
    assertThat(li.estimatedNoiseRate()).isZero();
    // lower B's confidence so that p_B ≥ t_B counts e7 (p_B .8) and e6 (.7) in B: the joint row A
    // is [6 2 | 2 unconfident] → calibrated to [8 2]: the 2 largest p_B − p_A are flagged
    for (int i = 10; i < 14; i++) {
      probs[2 * i] = .35f;
      probs[2 * i + 1] = .65f;
    }
    LabelIssues li2 = LabelIssues.find(ClassificationPredictions.of(ids, y, probs,
        List.of("A", "B")), LabelIssues.Method.PRUNE_BY_NOISE_RATE);
    assertThat(li2.thresholds().get(1)).isCloseTo(.65, within(1e-6));
    assertThat(li2.calibratedJoint().get(0)).containsExactly(8, 2);
    assertThat(li2.ids()).containsExactly("e7", "e6");
    assertThat(li2.issues().get(0).suggestedLabel()).isEqualTo("B");
    assertThat(li2.estimatedNoiseRate()).isCloseTo(2.0 / 14, within(1e-12));
    // the confident joint flags every A-labelled example counted in B: e6, e7 (p_B .7, .8)
    assertThat(LabelIssues.find(ClassificationPredictions.of(ids, y, probs, List.of("A", "B")),
        LabelIssues.Method.CONFIDENT_JOINT).ids()).containsExactly("e7", "e6");
  }

  @Test
  void provenanceAndOverview() {
    ClassificationAnalysis a = analysis();
    assertThat(a.provenance().predictions()).isEqualTo(8);
    assertThat(a.provenance().seed()).isEqualTo(42);
    assertThat(a.provenance().fingerprint()).isEqualTo(fixture().fingerprint());
    assertThat(a.provenance().fingerprint().sha256()).hasSize(64);
    assertThat(a.toString()).contains("accuracy 0.6250").contains("ECE 0.1875")
        .contains("2 label issues").contains("B → C");
    // a different probability changes the fingerprint
    ClassificationPredictions other = ClassificationPredictions.of(fixture().ids(),
        fixture().labels(), swapFirstRow(fixture().probabilities()), fixture().classes());
    assertThat(other.fingerprint()).isNotEqualTo(fixture().fingerprint());
  }

  private static float[] swapFirstRow(float[] p) {
    float t = p[0];
    p[0] = p[1];
    p[1] = t;
    return p;
  }
}
