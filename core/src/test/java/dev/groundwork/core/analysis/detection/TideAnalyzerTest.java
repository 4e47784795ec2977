package dev.groundwork.core.analysis.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.InvalidParameterException;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * One image, classes cat and dog, 10x10 boxes (area 100) along the x axis.
 *
 * <pre>
 * Ground truth          Detections (score)                         Outcome at t_f = .5
 * G0 cat [0,10]         D0 cat .90 [0,10]                           TP (G0)
 * G1 dog [100,110]      D1 cat .85 [0,10]x[0,9]: IoU .9 with G0     Dupl (G0 already taken)
 * G2 cat [200,210]      D2 cat .80 [100,110]: IoU 1 with dog G1     Cls (target G1)
 * G3 dog [300,310]      D3 cat .75 [205,215]: IoU 50/150 = 1/3, G2  Loc (target G2)
 * G4 cat [500,510]      D4 cat .70 [105,115]: IoU 1/3 with dog G1   Both
 * G5 dog [700,710]      D5 cat .65 [600,610]: IoU 0 with all        Bkg
 *                       D6 cat .50 [500,510] = G4                   TP
 *                       D7 dog .60 [700,710] = G5                   TP
 * G3 is never detected and no Cls/Loc error targets it: Miss. G1 is Cls's target: not a miss.
 * </pre>
 *
 * AP@.5 by hand (101 recall points r = 0, .01, ..., 1; "first rc >= r" sampling):
 *
 * <pre>
 * cat (npos 3): TP FP FP FP FP FP TP; rc 1/3 x6, 2/3; pr 1 1/2 1/3 1/4 1/5 1/6 2/7
 *   monotone: 1 .5 1/3 2/7 2/7 2/7 2/7; r <= .33 (34 points) -> 1, .34..66 (33) -> 2/7
 *   AP_cat = (34 + 33 * 2/7) / 101 = 304/707
 * dog (npos 3): TP -> r <= .33 -> 1: AP_dog = 34/101 = 238/707
 * AP = (304 + 238) / 1414 = 271/707 = 0.383310
 *
 * Dupl fix (remove D1): cat TP FP FP FP FP TP: pr at D6 = 2/6 -> monotone 1 .5 1/3 1/3 1/3 1/3
 *   AP_cat = (34 + 33/3) / 101 = 45/101; AP = (45 + 34) / 202 = 553/1414; dAP = 11/1414.
 * Bkg fix (remove D5) and Both fix (remove D4): the same sequence -> dAP = 11/1414 each.
 * Cls fix: D2 becomes dog's TP on G1. cat as the Dupl fix -> 45/101; dog TP TP -> rc 1/3 2/3,
 *   pr 1 1 -> r <= .66 (67 points) -> AP_dog = 67/101; AP = 112/202 = 392/707; dAP = 121/707.
 * Loc fix: D3 becomes TP on G2: cat TP FP FP TP FP FP TP; rc 1/3 1/3 1/3 2/3 2/3 2/3 1;
 *   pr 1 .5 1/3 .5 .4 1/3 3/7 -> monotone 1 .5 .5 .5 3/7 3/7 3/7;
 *   r <= .33 -> 1 (34), .34..66 -> .5 (33), .67..1 -> 3/7 (34); AP_cat = (50.5 + 102/7)/101
 *   = 911/1414; AP = (911 + 476) / 2828 = 1387/2828; dAP = (1387 - 1084)/2828 = 303/2828.
 * Miss fix: dog npos 3 -> 2; D7 reaches rc 1/2 -> r = 0..0.50 (51 points; 50 * 0.01 == 0.5 in
 *   binary) -> AP_dog = 51/101 = 357/707; AP = (304 + 357)/1414 = 661/1414; dAP = 119/1414.
 * </pre>
 */
class TideAnalyzerTest {
  private static final double EPS = 1e-12;
  private static final List<String> CLASSES = List.of("cat", "dog");

  private static GroundTruthBox gt(String cls, double x1) {
    return GroundTruthBox.of("img", cls, x1, 0, x1 + 10, 10);
  }

  private static DetectedBox dt(String cls, double s, double x1, double y2) {
    return DetectedBox.of("img", cls, s, x1, 0, x1 + 10, y2);
  }

  private static final List<GroundTruthBox> GTS = List.of(gt("cat", 0), gt("dog", 100),
      gt("cat", 200), gt("dog", 300), gt("cat", 500), gt("dog", 700));
  private static final List<DetectedBox> DTS = List.of(dt("cat", .90, 0, 10),
      dt("cat", .85, 0, 9), dt("cat", .80, 100, 10), dt("cat", .75, 205, 10),
      dt("cat", .70, 105, 10), dt("cat", .65, 600, 10), dt("cat", .50, 500, 10),
      dt("dog", .60, 700, 10));

  @Test
  void oneErrorOfEachKindIsCountedAndAttributed() {
    TideResult t = TideAnalyzer.of(CLASSES).analyze(GTS, DTS);
    for (TideErrorType type : TideErrorType.values()) {
      assertThat(t.count(type)).as(type.name()).isEqualTo(1);
    }
    assertThat(t.errors()).hasSize(6);
    TideError dup = t.errors(TideErrorType.DUPLICATE).get(0);
    assertThat(dup.detection()).isEqualTo(OptionalInt.of(1));
    assertThat(dup.groundTruth()).isEqualTo(OptionalInt.of(0));
    assertThat(dup.iou()).isCloseTo(0.9, within(EPS));
    TideError cls = t.errors(TideErrorType.CLASSIFICATION).get(0);
    assertThat(cls.detection()).isEqualTo(OptionalInt.of(2));
    assertThat(cls.groundTruth()).isEqualTo(OptionalInt.of(1));
    assertThat(cls.iou()).isEqualTo(1.0);
    TideError loc = t.errors(TideErrorType.LOCALIZATION).get(0);
    assertThat(loc.detection()).isEqualTo(OptionalInt.of(3));
    assertThat(loc.groundTruth()).isEqualTo(OptionalInt.of(2));
    assertThat(loc.iou()).isCloseTo(1.0 / 3, within(EPS));
    TideError both = t.errors(TideErrorType.BOTH).get(0);
    assertThat(both.detection()).isEqualTo(OptionalInt.of(4));
    assertThat(both.groundTruth()).isEqualTo(OptionalInt.of(1));
    TideError bkg = t.errors(TideErrorType.BACKGROUND).get(0);
    assertThat(bkg.detection()).isEqualTo(OptionalInt.of(5));
    assertThat(bkg.groundTruth()).isEmpty();
    TideError miss = t.errors(TideErrorType.MISSED).get(0);
    assertThat(miss.groundTruth()).isEqualTo(OptionalInt.of(3));
    assertThat(miss.detection()).isEmpty();
    assertThat(miss.className()).isEqualTo("dog");
  }

  @Test
  void deltaApOfEachOracleFixByHand() {
    TideResult t = TideAnalyzer.of(CLASSES).analyze(GTS, DTS);
    assertThat(t.ap()).isCloseTo(271.0 / 707, within(EPS));
    assertThat(t.deltaAp(TideErrorType.DUPLICATE)).isCloseTo(11.0 / 1414, within(EPS));
    assertThat(t.deltaAp(TideErrorType.BACKGROUND)).isCloseTo(11.0 / 1414, within(EPS));
    assertThat(t.deltaAp(TideErrorType.BOTH)).isCloseTo(11.0 / 1414, within(EPS));
    assertThat(t.deltaAp(TideErrorType.CLASSIFICATION)).isCloseTo(121.0 / 707, within(EPS));
    assertThat(t.deltaAp(TideErrorType.LOCALIZATION)).isCloseTo(303.0 / 2828, within(EPS));
    assertThat(t.deltaAp(TideErrorType.MISSED)).isCloseTo(119.0 / 1414, within(EPS));
    assertThat(t.toString()).contains("AP@0.50 0.3833").contains("Cls        1   +0.1711")
        .contains("(largest)");
  }

  /**
   * Special errors by hand. FalsePos removes D1..D5: cat TP TP, recall 2/3 at precision 1 -> 67/101;
   * dog 34/101; AP = 101/202 = 1/2, dAP = 1/2 - 271/707 = 165/1414. FalseNeg removes every
   * unmatched truth, Cls/Loc targets included: cat G2 (npos 2), dog G1 and G3 (npos 1). cat TP FP
   * FP FP FP FP TP: rc 1/2 x6, 1; monotone pr 1 .5 1/3 2/7 2/7 2/7 2/7 -> r <= .5 (51) -> 1, the
   * other 50 -> 2/7: AP_cat = (51 + 100/7)/101 = 457/707; dog D7 reaches recall 1: 1. AP = (457 +
   * 707)/1414 = 582/707, dAP = 311/707.
   */
  @Test
  void specialErrorsByHand() {
    TideResult t = TideAnalyzer.of(CLASSES).analyze(GTS, DTS);
    assertThat(t.deltaAp(TideSpecialError.FALSE_POSITIVE)).isCloseTo(165.0 / 1414, within(EPS));
    assertThat(t.deltaAp(TideSpecialError.FALSE_NEGATIVE)).isCloseTo(311.0 / 707, within(EPS));
    assertThat(t.toString()).contains("special: FalsePos +0.1167 FalseNeg +0.4399");
  }

  @Test
  void originalApEqualsCocoAp50() {
    double coco = CocoEvaluator.forBoxes(CLASSES).evaluate(GTS, DTS).ap50();
    assertThat(TideAnalyzer.of(CLASSES).analyze(GTS, DTS).ap()).isCloseTo(coco, within(EPS));
  }

  /**
   * A Loc error whose target is already matched cannot become a TP: the fix removes it. G [0,10],
   * D0 .9 = G (TP), D1 .8 [5,15] (IoU 1/3 with the taken G -> Loc). Fix removes D1: AP unchanged
   * (D1 ranks after the only TP), so dAP = 0, and G is not missed.
   */
  @Test
  void locFixOntoAnAlreadyMatchedTruthSuppresses() {
    TideResult t = TideAnalyzer.of(CLASSES).analyze(List.of(gt("cat", 0)),
        List.of(dt("cat", .9, 0, 10), dt("cat", .8, 5, 10)));
    assertThat(t.count(TideErrorType.LOCALIZATION)).isEqualTo(1);
    assertThat(t.count(TideErrorType.MISSED)).isZero();
    assertThat(t.deltaAp(TideErrorType.LOCALIZATION)).isZero();
  }

  /**
   * Detections inside a crowd region are ignored, not errors; a detection on an image without
   * ground truth is Bkg; the crowd is never a miss.
   */
  @Test
  void crowdAbsorbsAndEmptyImagesGiveBackground() {
    List<GroundTruthBox> gts = List.of(gt("cat", 0),
        GroundTruthBox.of("img", "cat", 100, 0, 200, 100).asCrowd());
    List<DetectedBox> dts = List.of(dt("cat", .9, 0, 10), dt("cat", .8, 120, 10),
        DetectedBox.of("empty", "dog", .7, 0, 0, 10, 10));
    TideResult t = TideAnalyzer.of(CLASSES).analyze(gts, dts);
    assertThat(t.errors()).hasSize(1);
    assertThat(t.errors().get(0).type()).isEqualTo(TideErrorType.BACKGROUND);
    assertThat(t.errors().get(0).imageId()).isEqualTo("empty");
  }

  /** The order decides overlapping cases, as in TIDE: Loc is checked before Cls. */
  @Test
  void locIsCheckedBeforeCls() {
    // D cat [205,215]: IoU 1/3 with cat G2 [200,210] and 1 with a dog at [205,215].
    List<GroundTruthBox> gts = List.of(gt("cat", 200), gt("dog", 205));
    TideResult t = TideAnalyzer.of(CLASSES).analyze(gts, List.of(dt("cat", .9, 205, 10)));
    assertThat(t.count(TideErrorType.LOCALIZATION)).isEqualTo(1);
    assertThat(t.count(TideErrorType.CLASSIFICATION)).isZero();
    assertThat(t.count(TideErrorType.MISSED)).isEqualTo(1); // the dog: no Cls error targets it
  }

  @Test
  void badThresholdsAreRejected() {
    assertThatThrownBy(() -> TideAnalyzer.of(CLASSES).withThresholds(0.5, 0.6))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("t_b");
    assertThatThrownBy(() -> TideAnalyzer.of(CLASSES).withThresholds(1.5, 0.1))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("t_f is 1.5");
  }
}
