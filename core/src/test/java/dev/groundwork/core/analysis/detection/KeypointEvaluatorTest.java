package dev.groundwork.core.analysis.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeypointEvaluatorTest {
  private static final double EPS = 1e-9;

  /** Three keypoints with sigmas .5, .25, .1 (k = 1, .5, .2). */
  private static final KeypointSchema THREE = new KeypointSchema("thing",
      List.of("a", "b", "c"), List.of(0.5, 0.25, 0.1), List.of());

  private static float[] f(double... v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  private static KeypointInstance gt3(String img, double... vis) {
    return KeypointInstance.groundTruth(img, "thing", f(0, 50, 100), f(0, 0, 0), f(vis))
        .withArea(100);
  }

  /**
   * GT a (0,0), b (50,0), c (100,0), area s² = 100. Prediction a (10,10), b (50,5), c (100,0).
   * a: d² = 200, k² = 1: e = 200 / (2 * 100 * 1) = 1 -> exp(-1) = 0.3678794
   * b: d² = 25, k² = .25: e = 25 / (2 * 100 * .25) = .5 -> exp(-.5) = 0.6065307
   * c: d = 0 -> 1.
   * All labelled (v = 2, 1, 2; occluded counts): OKS = (0.3678794 + 0.6065307 + 1) / 3 = 0.6581367
   * c unlabelled (v = 0): OKS = (0.3678794 + 0.6065307) / 2 = 0.4872050, whatever c's prediction.
   */
  @Test
  void oksOfAThreeKeypointInstanceByHand() {
    KeypointEvaluator ev = KeypointEvaluator.of(THREE);
    KeypointInstance p = KeypointInstance.prediction("i", "thing", f(10, 50, 100), f(10, 5, 0),
        .9);
    assertThat(ev.oks(gt3("i", 2, 1, 2), p))
        .isCloseTo((Math.exp(-1) + Math.exp(-0.5) + 1) / 3, within(1e-12))
        .isCloseTo(0.6581367, within(1e-7));
    KeypointInstance far = KeypointInstance.prediction("i", "thing", f(10, 50, 900),
        f(10, 5, 900), .9);
    assertThat(ev.oks(gt3("i", 2, 1, 0), far)).isCloseTo(0.4872050, within(1e-7));
    // The scale is the area: area 400 quarters every e: (e^-.25 + e^-.125 + 1) / 3.
    KeypointInstance big = KeypointInstance.groundTruth("i", "thing", f(0, 50, 100), f(0, 0, 0),
        f(2, 2, 2)).withArea(400);
    assertThat(ev.oks(big, p)).isCloseTo((Math.exp(-.25) + Math.exp(-.125) + 1) / 3, within(1e-12));
    // Without an override, the box area is the scale: 10 x 10 = 100, as the first case.
    KeypointInstance boxed = KeypointInstance.groundTruth("i", "thing", f(0, 50, 100),
        f(0, 0, 0), f(2, 1, 2)).withBox(new Box(0, 0, 10, 10));
    assertThat(ev.oks(boxed, p)).isCloseTo(0.6581367, within(1e-7));
  }

  /**
   * One GT (area 100, all labelled), one prediction with OKS 0.6581 (above): TP at thresholds
   * .50, .55, .60, .65 (precision 1 at every recall point), FP at .70 .. .95 -> AP = 4/10 = 0.4,
   * AP50 = 1, AP75 = 0; AR likewise .4. Area 100 < 32²: medium and large have no GT -> NaN.
   *
   * <p>Adding a GT with no labelled keypoint (box [300,310]^2) and a higher-scored prediction on
   * it: COCO ignores that GT, and the prediction, inside the grown box, has OKS 1 with it and is
   * ignored too, so AP stays 0.4 (as a false positive ranked first it would halve AP@.5).
   */
  @Test
  void oksApByHandAndIgnoredUnlabelledTruth() {
    KeypointEvaluator ev = KeypointEvaluator.of(THREE);
    KeypointInstance p = KeypointInstance.prediction("i", "thing", f(10, 50, 100), f(10, 5, 0),
        .9);
    KeypointResult r = ev.evaluate(List.of(gt3("i", 2, 1, 2)), List.of(p));
    assertThat(r.coco().ap()).isCloseTo(0.4, within(EPS));
    assertThat(r.coco().ap50()).isCloseTo(1.0, within(EPS));
    assertThat(r.coco().ap75()).isZero();
    assertThat(r.coco().ar()).isCloseTo(0.4, within(EPS));
    assertThat(r.coco().ar(20)).isCloseTo(0.4, within(EPS));
    assertThat(r.coco().apMedium()).isNaN();
    assertThat(r.coco().apSmall()).isNaN(); // not a keypoint area range
    assertThat(r.coco().kind()).isEqualTo(CocoResult.Kind.KEYPOINTS);
    assertThat(r.coco().metrics()).hasSize(10); // AP .5 .75 M L, AR .5 .75 M L
    assertThat(r.coco().toString()).contains("COCO keypoints evaluation (OKS)")
        .contains("AR@.50 all maxDets=20");

    KeypointInstance unlabelled = KeypointInstance.groundTruth("i", "thing", f(0, 0, 0),
        f(0, 0, 0), f(0, 0, 0)).withBox(new Box(300, 300, 310, 310));
    KeypointInstance nearIt = KeypointInstance.prediction("i", "thing", f(301, 305, 309),
        f(301, 305, 309), .99);
    KeypointResult r2 = ev.evaluate(List.of(gt3("i", 2, 1, 2), unlabelled), List.of(p, nearIt));
    assertThat(r2.coco().ap()).isCloseTo(0.4, within(EPS));
  }

  /**
   * Schema left_eye, right_eye, nose (pair found from the names), sigmas .5, GT area 100 so the
   * normalized distance is d / 10, PCK@0.1 = within 1 pixel.
   *
   * <pre>
   * GT (both images): left_eye (10,10), right_eye (20,10), nose (15,15); on image b nose v = 0.
   * A: left_eye (20,10), right_eye (10,10), nose (15,15)   -- eyes swapped
   *    OKS = (2 exp(-100 / 200) + 1) / 3 = 0.738 -> matched
   *    left d = 10 -> 1.0, 0 from right GT -> swap; right d = 10 -> 1.0, swap; nose 0.
   * B: left_eye (10.5,10), right_eye (22,10), nose anywhere (unlabelled)
   *    left d = .5 -> .05 (PCK hit), 9.5 from right GT -> no swap;
   *    right d = 2 -> .2 (miss), 12 from left GT -> no swap.
   * left_eye: n 2, mean (1 + .05)/2 = .525, PCK 1/2, swaps 1/2
   * right_eye: n 2, mean (1 + .2)/2 = .6, PCK 0/2 (worst), swaps 1/2
   * nose: n 1 (b unlabelled), mean 0, PCK 1, no mirror.
   * A far-away prediction on image a (OKS ~ 0) is unmatched and not counted.
   * </pre>
   */
  @Test
  void perJointPckDistanceAndSwapsByHand() {
    KeypointSchema face = KeypointSchema.of("face", List.of("left_eye", "right_eye", "nose"),
        List.of(.5, .5, .5));
    assertThat(face.pairs()).containsExactly(new KeypointSchema.Pair(0, 1));
    KeypointInstance gtA = KeypointInstance.groundTruth("a", "face", f(10, 20, 15),
        f(10, 10, 15), f(2, 2, 2)).withArea(100);
    KeypointInstance gtB = KeypointInstance.groundTruth("b", "face", f(10, 20, 0),
        f(10, 10, 0), f(2, 2, 0)).withArea(100);
    KeypointInstance pA = KeypointInstance.prediction("a", "face", f(20, 10, 15),
        f(10, 10, 15), .9);
    KeypointInstance pB = KeypointInstance.prediction("b", "face", f(10.5, 22, 300),
        f(10, 10, 300), .8);
    KeypointInstance stray = KeypointInstance.prediction("a", "face", f(900, 910, 905),
        f(900, 900, 905), .95);
    KeypointResult r = KeypointEvaluator.of(face).evaluate(List.of(gtA, gtB),
        List.of(pA, pB, stray));

    assertThat(r.matchedInstances()).isEqualTo(2);
    JointError left = r.joint("left_eye").orElseThrow();
    assertThat(left.count()).isEqualTo(2);
    assertThat(left.meanDistance()).isCloseTo(0.525, within(1e-6));
    assertThat(left.pck()).isEqualTo(0.5);
    assertThat(left.swapChecks()).isEqualTo(2);
    assertThat(left.swaps()).isEqualTo(1);
    assertThat(left.mirror()).contains("right_eye");
    JointError right = r.joint("right_eye").orElseThrow();
    assertThat(right.meanDistance()).isCloseTo(0.6, within(1e-6));
    assertThat(right.pck()).isZero();
    assertThat(right.swapRate()).isEqualTo(0.5);
    JointError nose = r.joint("nose").orElseThrow();
    assertThat(nose.count()).isEqualTo(1);
    assertThat(nose.pck()).isEqualTo(1.0);
    assertThat(nose.meanDistance()).isZero();
    assertThat(nose.mirror()).isEmpty();
    assertThat(nose.swapRate()).isNaN();
    assertThat(r.worstJoint()).contains(right);
    assertThat(r.toString())
        .contains("right_eye: PCK 0.00 (worst), mean distance 0.600, 50% swapped with left_eye"
            + " (n=2)")
        .contains("left_eye: PCK 0.50, mean distance 0.525, 50% swapped with right_eye (n=2)")
        .contains("nose: PCK 1.00, mean distance 0.000 (n=1)")
        .contains("2 instances matched at OKS >= 0.50");
  }

  @Test
  void pckThresholdIsConfigurable() {
    KeypointSchema face = KeypointSchema.of("face", List.of("left_eye", "right_eye"),
        List.of(.5, .5));
    KeypointInstance gt = KeypointInstance.groundTruth("a", "face", f(10, 20), f(10, 10),
        f(2, 2)).withArea(100);
    // right_eye off by 2 px -> 0.2: a miss at PCK@0.1, a hit at PCK@0.25.
    KeypointInstance p = KeypointInstance.prediction("a", "face", f(10, 22), f(10, 10), .9);
    KeypointEvaluator ev = KeypointEvaluator.of(face);
    assertThat(ev.evaluate(List.of(gt), List.of(p)).joint("right_eye").orElseThrow().pck())
        .isZero();
    assertThat(ev.withPckThreshold(0.25).evaluate(List.of(gt), List.of(p))
        .joint("right_eye").orElseThrow().pck()).isEqualTo(1.0);
  }

  @Test
  void cocoPersonPresetHasTheOfficialSigmasAndEightPairs() {
    KeypointSchema coco = KeypointSchema.cocoPerson();
    assertThat(coco.size()).isEqualTo(17);
    assertThat(coco.sigmas().get(0)).isCloseTo(0.026, within(1e-15));
    assertThat(coco.sigmas().get(11)).isCloseTo(0.107, within(1e-15));
    assertThat(coco.sigmas().get(16)).isCloseTo(0.089, within(1e-15));
    assertThat(coco.pairs()).hasSize(8);
    assertThat(coco.mirrorOf("left_wrist")).contains("right_wrist");
    assertThat(coco.mirrorOf("right_ankle")).contains("left_ankle");
    assertThat(coco.mirrorOf("nose")).isEmpty();
  }

  @Test
  void perfectPredictionsScoreOneAndShiftedOnesZero() {
    KeypointSchema coco = KeypointSchema.cocoPerson();
    Random rnd = new Random(7);
    List<KeypointInstance> gts = new ArrayList<>();
    List<KeypointInstance> perfect = new ArrayList<>();
    List<KeypointInstance> shifted = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      float[] x = new float[17];
      float[] y = new float[17];
      float[] v = new float[17];
      for (int j = 0; j < 17; j++) {
        x[j] = 100 + rnd.nextInt(200);
        y[j] = 100 + rnd.nextInt(200);
        v[j] = rnd.nextInt(3);
      }
      v[0] = 2;
      String img = "img" + (i % 10);
      gts.add(KeypointInstance.groundTruth(img, "person", x, y, v)
          .withArea(2000 + rnd.nextInt(20000)));
      double s = rnd.nextDouble();
      perfect.add(KeypointInstance.prediction(img, "person", x, y, s));
      float[] xs = x.clone();
      for (int j = 0; j < 17; j++) {
        xs[j] += 5000;
      }
      shifted.add(KeypointInstance.prediction(img, "person", xs, y, s));
    }
    KeypointEvaluator ev = KeypointEvaluator.of(coco);
    KeypointResult good = ev.evaluate(gts, perfect);
    assertThat(good.coco().ap()).isCloseTo(1.0, within(EPS));
    assertThat(good.worstJoint().orElseThrow().pck()).isEqualTo(1.0);
    KeypointResult bad = ev.evaluate(gts, shifted);
    assertThat(bad.coco().ap()).isZero();
    assertThat(bad.matchedInstances()).isZero();
  }
}
