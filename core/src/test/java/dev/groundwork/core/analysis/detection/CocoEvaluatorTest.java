package dev.groundwork.core.analysis.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CocoEvaluatorTest {
  private static final double EPS = 1e-12;
  private static final List<String> CAT = List.of("cat");

  private static GroundTruthBox gt(String img, double x1, double y1, double x2, double y2) {
    return GroundTruthBox.of(img, "cat", x1, y1, x2, y2);
  }

  private static DetectedBox dt(String img, double s, double x1, double y1, double x2, double y2) {
    return DetectedBox.of(img, "cat", s, x1, y1, x2, y2);
  }

  // ------------------------------------------------------------ IoU

  @Test
  void iouOfTwoBoxesByHand() {
    // [0,10]x[0,10] vs [5,15]x[0,10]: overlap 5x10 = 50, union 100 + 100 - 50 = 150 -> 1/3.
    assertThat(new Box(0, 0, 10, 10).iou(new Box(5, 0, 15, 10))).isCloseTo(1.0 / 3, within(EPS));
    // [0,4]^2 vs [2,6]^2: overlap 2x2 = 4, union 16 + 16 - 4 = 28 -> 1/7.
    assertThat(new Box(0, 0, 4, 4).iou(new Box(2, 2, 6, 6))).isCloseTo(1.0 / 7, within(EPS));
    // touching edges: overlap width 0 -> 0; disjoint -> 0; identical -> 1.
    assertThat(new Box(0, 0, 4, 4).iou(new Box(4, 0, 8, 4))).isZero();
    assertThat(new Box(0, 0, 4, 4).iou(new Box(10, 10, 12, 12))).isZero();
    assertThat(new Box(1, 2, 3, 5).iou(new Box(1, 2, 3, 5))).isEqualTo(1.0);
    // crowd overlap: det [0,10]^2 (area 100) in region [5,100]x[0,100]: overlap 5x10 = 50 -> 0.5
    // (plain IoU would be 50 / (100 + 9500 - 50) = 0.00524).
    assertThat(new Box(0, 0, 10, 10).crowdOverlap(new Box(5, 0, 100, 100))).isEqualTo(0.5);
    // COCO [x, y, w, h] -> corners.
    assertThat(Box.fromXywh(2, 3, 4, 5)).isEqualTo(new Box(2, 3, 6, 8));
    assertThat(Box.fromXywh(2, 3, 4, 5).area()).isEqualTo(20.0);
  }

  // ------------------------------------------------------------ AP of 3 GT / 4 detections

  /**
   * One image, class cat, GT G1 [0,10]x[0,10], G2 [20,30]x[0,10], G3 [40,50]x[0,10] (area 100 each).
   * D1 .9 = G1 (IoU 1); D2 .8 at [60,70] (IoU 0, FP); D3 .7 [20,30]x[0,8.2] (IoU 82/100 = .82 with
   * G2); D4 .6 [43.8,50]x[0,10] (IoU 62/100 = .62 with G3). npig = 3.
   *
   * <pre>
   * t in {.50,.55,.60}: TP FP TP TP. tp 1 1 2 3, fp 0 1 1 1; rc 1/3 1/3 2/3 1; pr 1 .5 .667 .75
   *   monotone from the right: 1 .75 .75 .75. Recall points r=0..0.33 (34) -> pr[0] = 1;
   *   r=.34..66 (33) -> first rc >= r is index 2 -> .75; r=.67..1 (34) -> index 3 -> .75.
   *   AP = (34 + 67 * .75) / 101 = 84.25 / 101 = 0.834158
   * t in {.65,.70,.75,.80}: TP FP TP FP. rc 1/3 1/3 2/3 2/3; pr 1 .5 .667 .5 -> 1 .667 .667 .5.
   *   r <= .33 -> 1 (34); .34..66 -> 2/3 (33); r >= .67 -> none -> 0. AP = (34 + 22) / 101 = 56/101
   * t in {.85,.90,.95}: TP FP FP FP. rc 1/3 x4 -> only r <= .33 -> 1. AP = 34/101
   * AP@[.5:.95] = (3 * 84.25 + 4 * 56 + 3 * 34) / 1010 = 578.75 / 1010 = 0.573020
   * Recall: 1 (3 thresholds), 2/3 (4), 1/3 (3) -> AR@100 = (3 + 8/3 + 1) / 10 = 2/3.
   * AR@1: only D1 -> 1/3 at every threshold -> 1/3. AR@10 = AR@100.
   * Every area is 100 < 32^2: AP_S = AP, medium and large have no ground truth -> NaN.
   * </pre>
   */
  @Test
  void apOfThreeGroundTruthsAndFourDetectionsByHand() {
    List<GroundTruthBox> gts = List.of(gt("a", 0, 0, 10, 10), gt("a", 20, 0, 30, 10),
        gt("a", 40, 0, 50, 10));
    List<DetectedBox> dts = List.of(dt("a", .9, 0, 0, 10, 10), dt("a", .8, 60, 0, 70, 10),
        dt("a", .7, 20, 0, 30, 8.2), dt("a", .6, 43.8, 0, 50, 10));
    CocoResult r = CocoEvaluator.forBoxes(CAT).evaluate(gts, dts);

    assertThat(r.ap50()).isCloseTo(84.25 / 101, within(EPS));
    assertThat(r.ap(0.6)).isCloseTo(84.25 / 101, within(EPS));
    assertThat(r.ap(0.65)).isCloseTo(56.0 / 101, within(EPS));
    assertThat(r.ap75()).isCloseTo(56.0 / 101, within(EPS));
    assertThat(r.ap(0.85)).isCloseTo(34.0 / 101, within(EPS));
    assertThat(r.ap()).isCloseTo(578.75 / 1010, within(EPS));
    assertThat(r.ar(1)).isCloseTo(1.0 / 3, within(EPS));
    assertThat(r.ar(10)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(r.ar(100)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(r.apSmall()).isCloseTo(578.75 / 1010, within(EPS));
    assertThat(r.arSmall()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(r.apMedium()).isNaN();
    assertThat(r.apLarge()).isNaN();
    assertThat(r.arLarge()).isNaN();
    assertThat(r.perClassAp()).containsOnlyKeys("cat");
    assertThat(r.perClassAp().get("cat")).isCloseTo(578.75 / 1010, within(EPS));
    assertThat(r.perClassAp50().get("cat")).isCloseTo(84.25 / 101, within(EPS));
    assertThat(r.metrics()).hasSize(12);
    assertThat(r.toString())
        .contains("1 images, 3 ground truths (0 crowd), 4 detections")
        .contains("AP@[.50:.95] all maxDets=100").contains("0.5730")
        .contains("AP@.50 all maxDets=100").contains("0.8342")
        .contains("AR@[.50:.95] all maxDets=1").contains("0.3333")
        .contains("AP@[.50:.95] medium maxDets=100").contains("n/a");
  }

  @Test
  void detectionOrderInTheInputDoesNotMatterOnlyScores() {
    List<GroundTruthBox> gts = List.of(gt("a", 0, 0, 10, 10), gt("a", 20, 0, 30, 10),
        gt("a", 40, 0, 50, 10));
    List<DetectedBox> dts = List.of(dt("a", .6, 43.8, 0, 50, 10), dt("a", .7, 20, 0, 30, 8.2),
        dt("a", .8, 60, 0, 70, 10), dt("a", .9, 0, 0, 10, 10));
    assertThat(CocoEvaluator.forBoxes(CAT).evaluate(gts, dts).ap())
        .isCloseTo(578.75 / 1010, within(EPS));
  }

  // ------------------------------------------------------------ crowd

  /**
   * GT G [0,10]^2 and crowd region C [20,60]x[0,40]. D2 .95 [25,35]x[5,15] and D3 .93
   * [30,40]x[10,20] lie inside C: overlap = 100 / 100 (detection area) = 1 -> ignored at every
   * threshold (a crowd absorbs any number). Plain IoU would be 100/1600 = .0625 -> FPs.
   * D4 .92 [55,65]x[0,10]: overlap with C = 5x10 / 100 = 0.5 -> ignored at t = .50 only, FP above.
   * D1 .90 = G, TP. npig = 1 (the crowd is not counted).
   * t = .50: ign ign ign TP -> precision 1 at every recall point -> AP 1 (up to COCO's eps).
   * t >= .55: ign ign FP TP -> pr 0 0 0 .5, rc 0 0 0 1 -> monotone .5 everywhere -> AP .5.
   * AP@[.5:.95] = (1 + 9 * .5) / 10 = 0.55. Without crowd handling AP@.5 would be 1/4.
   */
  @Test
  void crowdRegionsAbsorbDetectionsWithOverlapOverDetectionArea() {
    List<GroundTruthBox> gts = List.of(gt("a", 0, 0, 10, 10), gt("a", 20, 0, 60, 40).asCrowd());
    List<DetectedBox> dts = List.of(dt("a", .95, 25, 5, 35, 15), dt("a", .93, 30, 10, 40, 20),
        dt("a", .92, 55, 0, 65, 10), dt("a", .90, 0, 0, 10, 10));
    CocoResult r = CocoEvaluator.forBoxes(CAT).evaluate(gts, dts);
    assertThat(r.ap50()).isCloseTo(1.0, within(1e-9));
    assertThat(r.ap(0.55)).isCloseTo(0.5, within(EPS));
    assertThat(r.ap()).isCloseTo(0.55, within(1e-9));
    assertThat(r.ar()).isCloseTo(1.0, within(EPS));
    assertThat(r.toString()).contains("2 ground truths (1 crowd)");
  }

  // ------------------------------------------------------------ area ranges

  /**
   * GT S [0,10]^2 (area 100, small), M [100,150]^2 (2500, medium), L [200,320]^2 (14400, large).
   * Detections: F1 .95 [400,440]^2 (area 1600, medium, matches nothing), DS .90 = S, F2 .85
   * [500,505]^2 (area 25, small, matches nothing), DL .80 = L. M is never detected.
   * small: M, L ignored; F1 unmatched and outside -> ignored; DL matched to ignored L -> ignored.
   *   ign TP FP ign, npig 1 -> rc reaches 1 at DS with precision 1 -> AP_S = 1, AR_S = 1.
   * medium: F1 FP; DS, DL matched to ignored GT; F2 outside -> no TP, AP_M = 0, AR_M = 0.
   * large: only DL counts, TP -> AP_L = 1.
   * all: FP TP FP TP, npig 3: rc 0 1/3 1/3 2/3, pr 0 .5 .333 .5 -> monotone .5 .5 .5 .5;
   *   r = 0..0.66 (67 points) -> .5, r >= .67 -> 0 -> AP = 33.5 / 101 at every IoU; AR = 2/3.
   */
  @Test
  void areaRangesIgnoreGroundTruthAndUnmatchedDetectionsOutsideTheRange() {
    List<GroundTruthBox> gts = List.of(gt("a", 0, 0, 10, 10), gt("a", 100, 100, 150, 150),
        gt("a", 200, 200, 320, 320));
    List<DetectedBox> dts = List.of(dt("a", .95, 400, 400, 440, 440),
        dt("a", .90, 0, 0, 10, 10), dt("a", .85, 500, 500, 505, 505),
        dt("a", .80, 200, 200, 320, 320));
    CocoResult r = CocoEvaluator.forBoxes(CAT).evaluate(gts, dts);
    assertThat(r.apSmall()).isCloseTo(1.0, within(1e-9));
    assertThat(r.arSmall()).isCloseTo(1.0, within(EPS));
    assertThat(r.apMedium()).isZero();
    assertThat(r.arMedium()).isZero();
    assertThat(r.apLarge()).isCloseTo(1.0, within(1e-9));
    assertThat(r.ap()).isCloseTo(33.5 / 101, within(EPS));
    assertThat(r.ar()).isCloseTo(2.0 / 3, within(EPS));
  }

  /**
   * The area override (COCO's segmentation area) decides the range, not the box: the box
   * [0,100]^2 has area 10000 (large) but an override of 500 makes it small.
   */
  @Test
  void areaOverrideDecidesTheRange() {
    List<GroundTruthBox> gts = List.of(gt("a", 0, 0, 100, 100).withArea(500));
    List<DetectedBox> dts = List.of(dt("a", .9, 0, 0, 100, 100));
    CocoResult r = CocoEvaluator.forBoxes(CAT).evaluate(gts, dts);
    assertThat(r.apSmall()).isCloseTo(1.0, within(1e-9));
    assertThat(r.apLarge()).isNaN();
  }

  // ------------------------------------------------------------ maxDets

  /**
   * Image a: GTs A1 [0,10]^2, A2 [20,30]x[0,10]; detections .9 FP at [100,110], .8 = A1, .7 = A2.
   * Image b: GT B1 [0,10]^2; detection .5 = B1 (the lowest score overall). npig = 3.
   * maxDets 1 keeps the top detection of each image and class: a's FP and b's TP -> recall 1/3
   * (a global top-1 would keep only the FP -> 0). maxDets 10: all -> recall 1.
   * With maxDets = [2] only: kept .9 FP, .8 TP (a), .5 TP (b). Sorted: FP TP TP, rc 0 1/3 2/3,
   * pr 0 .5 .667 -> monotone .667 .667 .667; r = 0..0.66 (67 points) -> 2/3, r >= .67 -> 0.
   * AP = 67 * (2/3) / 101 = 0.442244.
   */
  @Test
  void maxDetsCutsPerImageAndClassByScore() {
    List<GroundTruthBox> gts = List.of(gt("a", 0, 0, 10, 10), gt("a", 20, 0, 30, 10),
        gt("b", 0, 0, 10, 10));
    List<DetectedBox> dts = List.of(dt("a", .9, 100, 0, 110, 10), dt("a", .8, 0, 0, 10, 10),
        dt("a", .7, 20, 0, 30, 10), dt("b", .5, 0, 0, 10, 10));
    CocoResult r = CocoEvaluator.forBoxes(CAT).evaluate(gts, dts);
    assertThat(r.ar(1)).isCloseTo(1.0 / 3, within(EPS));
    assertThat(r.ar(10)).isCloseTo(1.0, within(EPS));

    CocoResult two = CocoEvaluator.forBoxes(CAT, CocoParams.boxes().withMaxDets(List.of(2)))
        .evaluate(gts, dts);
    assertThat(two.ap()).isCloseTo(67 * (2.0 / 3) / 101, within(EPS));
    assertThat(two.ar()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(two.ar(100)).isNaN();
  }

  /** The cut is per class too: a cat and a dog in one image both survive maxDets 1. */
  @Test
  void maxDetsCutIsPerClass() {
    List<GroundTruthBox> gts = List.of(GroundTruthBox.of("a", "cat", 0, 0, 10, 10),
        GroundTruthBox.of("a", "dog", 20, 0, 30, 10));
    List<DetectedBox> dts = List.of(DetectedBox.of("a", "cat", .9, 0, 0, 10, 10),
        DetectedBox.of("a", "dog", .8, 20, 0, 30, 10));
    CocoResult r = CocoEvaluator.forBoxes(List.of("cat", "dog", "cow")).evaluate(gts, dts);
    assertThat(r.ar(1)).isCloseTo(1.0, within(EPS));
    // cow has no ground truth: excluded from the mean, NaN per class.
    assertThat(r.perClassAp().get("cow")).isNaN();
    assertThat(r.ap()).isCloseTo(1.0, within(1e-9));
    assertThat(r.perClassAp().keySet()).containsExactly("cat", "dog", "cow");
  }

  /** A class with ground truth but no detections counts as AP 0 in the mean: (1 + 0) / 2. */
  @Test
  void classWithoutDetectionsCountsAsZero() {
    List<GroundTruthBox> gts = List.of(GroundTruthBox.of("a", "cat", 0, 0, 10, 10),
        GroundTruthBox.of("a", "dog", 20, 0, 30, 10));
    List<DetectedBox> dts = List.of(DetectedBox.of("a", "cat", .9, 0, 0, 10, 10));
    CocoResult r = CocoEvaluator.forBoxes(List.of("cat", "dog")).evaluate(gts, dts);
    assertThat(r.ap()).isCloseTo(0.5, within(1e-9));
    assertThat(r.perClassAp().get("dog")).isZero();
  }

  /** Detections on an image without ground truth are false positives. */
  @Test
  void detectionsOnImagesWithoutGroundTruthAreFalsePositives() {
    // b's .95 FP ranks first: FP TP -> rc 0 1, pr 0 .5 -> .5 everywhere -> AP .5.
    List<GroundTruthBox> gts = List.of(gt("a", 0, 0, 10, 10));
    List<DetectedBox> dts = List.of(dt("b", .95, 0, 0, 10, 10), dt("a", .9, 0, 0, 10, 10));
    CocoResult r = CocoEvaluator.forBoxes(CAT).evaluate(gts, dts);
    assertThat(r.ap()).isCloseTo(0.5, within(EPS));
    assertThat(r.images()).isEqualTo(2);
  }

  // ------------------------------------------------------------ properties

  private static List<GroundTruthBox> randomScene(Random rnd, List<String> classes) {
    List<GroundTruthBox> gts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = 1 + rnd.nextInt(6);
      for (int j = 0; j < n; j++) {
        double w = 5 + rnd.nextInt(150);
        double h = 5 + rnd.nextInt(150);
        double x = rnd.nextInt(500);
        double y = rnd.nextInt(500);
        gts.add(GroundTruthBox.of("img" + i, classes.get(rnd.nextInt(classes.size())), x, y,
            x + w, y + h));
      }
    }
    return gts;
  }

  @Test
  void perfectDetectionsScoreOneAndShiftedDetectionsScoreZero() {
    List<String> classes = List.of("a", "b", "c");
    for (long seed = 1; seed <= 5; seed++) {
      Random rnd = new Random(seed);
      List<GroundTruthBox> gts = randomScene(rnd, classes);
      List<DetectedBox> perfect = new ArrayList<>();
      List<DetectedBox> shifted = new ArrayList<>();
      for (GroundTruthBox g : gts) {
        Box b = g.box();
        double s = rnd.nextDouble();
        perfect.add(new DetectedBox(g.imageId(), g.className(), b, s));
        shifted.add(new DetectedBox(g.imageId(), g.className(),
            new Box(b.x1() + 10_000, b.y1(), b.x2() + 10_000, b.y2()), s));
      }
      CocoResult good = CocoEvaluator.forBoxes(classes).evaluate(gts, perfect);
      assertThat(good.ap()).as("seed %d", seed).isCloseTo(1.0, within(1e-9));
      assertThat(good.ar()).isCloseTo(1.0, within(1e-12));
      for (double v : good.perClassAp().values()) {
        assertThat(v).isCloseTo(1.0, within(1e-9));
      }
      CocoResult bad = CocoEvaluator.forBoxes(classes).evaluate(gts, shifted);
      assertThat(bad.ap()).as("seed %d", seed).isZero();
      assertThat(bad.ar()).isZero();
    }
  }
}
