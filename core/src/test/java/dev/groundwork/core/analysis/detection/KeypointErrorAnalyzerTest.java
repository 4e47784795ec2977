package dev.groundwork.core.analysis.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.DataFormatException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A custom 5-keypoint animal read from COCO categories, with each error type planted by hand.
 *
 * <p>Every keypoint has σ = 0.1 (k = 0.2), every ground truth a 100 x 100 box and area 10000, so
 * ks(d) = exp(-d² / 800): ks(15) = .7548, ks(30) = .3247, ks(40) = .1353, ks(60) = .0111. The
 * animal at x0: head (x0+50, 10), l_paw (x0+80, 40), r_paw (x0+20, 40), l_foot (x0+70, 95),
 * r_foot (x0+30, 95).
 *
 * <pre>
 * GT  image  x0  note            prediction (score)  planted                            OKS
 * g0  a      0                   d0 (.95)  l_paw +15 in x (jitter), feet exchanged (2 inv)   .6050
 * g1  b      0                   d1 (.80)  l_foot on g2's l_foot (swap), r_foot 30 down (miss) .6919
 * g2  b      40  overlaps g1     d2 (.90)  exact                                             1
 * g3  c      0   head unlabelled d3 (.70)  the whole animal flipped left/right (4 inv)       .0730
 * </pre>
 *
 * d3's plain OKS .073 is below the 0.1 match: plainly it is a background prediction and g3 a
 * missed animal; swap-aware (flipped OKS 1) it is matched with 4 inversions.
 *
 * <p>OKS AP by hand (thresholds .50:.05:.95, order d0 d2 d1 d3, 4 positives, 101 recall points):
 * t &le; .60: TP TP TP FP, AP_t = 76/101; t = .65: FP TP TP FP, precision 2/3 to recall .5,
 * 34/101; t &ge; .70: FP TP FP FP, 13/101. AP = (3·76 + 34 + 6·13)/1010 = 340/1010.
 *
 * <p>Oracle fixes alone: inversions put d0's feet and d3's paws/feet back on their own keypoints
 * (ks 1): d0 → .9510, d3 → 1; t &le; .65 all TP (101), t &ge; .70 TP TP FP TP (precision 1 to
 * recall .5, 3/4 to .75: 69.75): AP = (4·101 + 6·69.75)/1010 = 822.5/1010, dAP = 482.5/1010. Swap:
 * d1's l_foot to ks 1, d1 → .8649, TP up to .85: AP = (3·76 + 5·34 + 2·13)/1010 = 424/1010, dAP =
 * 84/1010. Miss: d1's r_foot to ks .5, d1 → .7271, TP up to .70: AP = (228 + 2·34 + 5·13)/1010 =
 * 361/1010, dAP = 21/1010. Jitter: d0's l_paw to ks .85, d0 → .6241, still below .65: dAP 0.
 */
class KeypointErrorAnalyzerTest {
  private static final double EPS = 1e-12;

  private static final String GT_JSON = """
      {"images": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
       "categories": [{"id": 1, "name": "animal",
         "keypoints": ["head", "l_paw", "r_paw", "l_foot", "r_foot"],
         "skeleton": [[1, 2], [1, 3], [2, 4], [3, 5]]}],
       "annotations": [
        {"id": 1, "image_id": "a", "category_id": 1, "bbox": [0, 0, 100, 100], "area": 10000,
         "keypoints": [50, 10, 2, 80, 40, 2, 20, 40, 2, 70, 95, 2, 30, 95, 2]},
        {"id": 2, "image_id": "b", "category_id": 1, "bbox": [0, 0, 100, 100], "area": 10000,
         "keypoints": [50, 10, 2, 80, 40, 2, 20, 40, 2, 70, 95, 2, 30, 95, 2]},
        {"id": 3, "image_id": "b", "category_id": 1, "bbox": [40, 0, 100, 100], "area": 10000,
         "keypoints": [90, 10, 2, 120, 40, 2, 60, 40, 2, 110, 95, 2, 70, 95, 2]},
        {"id": 4, "image_id": "c", "category_id": 1, "bbox": [0, 0, 100, 100], "area": 10000,
         "keypoints": [0, 0, 0, 80, 40, 2, 20, 40, 2, 70, 95, 2, 30, 95, 1]}]}
      """;

  private static KeypointInstance pred(String image, double score, float... xy) {
    float[] x = new float[5];
    float[] y = new float[5];
    for (int j = 0; j < 5; j++) {
      x[j] = xy[2 * j];
      y[j] = xy[2 * j + 1];
    }
    return KeypointInstance.prediction(image, "animal", x, y, score);
  }

  private static final List<KeypointInstance> PREDICTIONS = List.of(
      pred("a", .95, 50, 10, 95, 40, 20, 40, 30, 95, 70, 95),
      pred("b", .80, 50, 10, 80, 40, 20, 40, 110, 95, 30, 125),
      pred("b", .90, 90, 10, 120, 40, 60, 40, 110, 95, 70, 95),
      pred("c", .70, 50, 10, 20, 40, 80, 40, 30, 95, 70, 95));

  private static CocoJson.GroundTruth gt() {
    return CocoJson.parseGroundTruth(GT_JSON, "animal.json");
  }

  private static KeypointErrorResult analyze(boolean swapAware) {
    CocoJson.GroundTruth gt = gt();
    return KeypointErrorAnalyzer.of(gt.schema("animal", 0.1)).withSwapAwareMatching(swapAware)
        .analyze(gt.keypoints(), PREDICTIONS);
  }

  @Test
  void schemaFromCocoCategoriesPairsByNameAndKeepsTheSkeleton() {
    KeypointSchema s = gt().schema("animal", 0.1);
    assertThat(s.names()).containsExactly("head", "l_paw", "r_paw", "l_foot", "r_foot");
    assertThat(s.pairs()).containsExactly(new KeypointSchema.Pair(1, 2),
        new KeypointSchema.Pair(3, 4));
    assertThat(s.skeleton()).containsExactly(new KeypointSchema.Limb(0, 1),
        new KeypointSchema.Limb(0, 2), new KeypointSchema.Limb(1, 3),
        new KeypointSchema.Limb(2, 4));
    assertThat(s.sigmas()).containsOnly(0.1);
    assertThat(gt().schema("animal")).isEmpty(); // sigmas unknown for non-COCO names
    assertThatThrownBy(() -> gt().schema("animal", List.of(.1, .1)))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("animal.json").hasMessageContaining("5 keypoints");
  }

  @Test
  void leftRightPairsAreFoundInCommonNamingStyles() {
    List<String> names = List.of("nose", "leftEye", "rightEye", "LShoulder", "RShoulder",
        "paw.l", "paw.r", "Left-Knee", "Right-Knee", "hip_left", "hip_right", "tail", "l_ear",
        "R_EAR");
    KeypointSchema s = KeypointSchema.of("x", names, java.util.Collections.nCopies(14, .05));
    assertThat(s.mirrorOf("leftEye")).contains("rightEye");
    assertThat(s.mirrorOf("RShoulder")).contains("LShoulder");
    assertThat(s.mirrorOf("paw.l")).contains("paw.r");
    assertThat(s.mirrorOf("Left-Knee")).contains("Right-Knee");
    assertThat(s.mirrorOf("hip_right")).contains("hip_left");
    assertThat(s.mirrorOf("tail")).isEmpty();
    assertThat(s.mirrorOf("l_ear")).isEmpty(); // r_ear is spelled R_EAR: not the same style
    assertThat(s.pairs()).hasSize(5);
    KeypointSchema given = s.withPairs(Map.of("l_ear", "R_EAR"));
    assertThat(given.pairs()).containsExactly(new KeypointSchema.Pair(12, 13));
    assertThatThrownBy(() -> s.withPairs(Map.of("l_ear", "r_ear")))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'r_ear'");
  }

  @Test
  void cocoPersonSchemaIsReadFromTheFileByName() throws Exception {
    String json = """
        {"images": [], "annotations": [], "categories": [{"id": 1, "name": "person",
         "keypoints": ["left_eye", "nose", "right_eye"], "skeleton": [[1, 2], [2, 3]]}]}
        """;
    KeypointSchema s = CocoJson.parseGroundTruth(json, "p.json").schema("person").orElseThrow();
    assertThat(s.sigmas()).containsExactly(.25 / 10, .26 / 10, .25 / 10); // COCO's, by name
    assertThat(s.pairs()).containsExactly(new KeypointSchema.Pair(0, 2));
    String bad = json.replace("[2, 3]", "[2, 4]");
    assertThatThrownBy(() -> CocoJson.parseGroundTruth(bad, "p.json"))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("p.json")
        .hasMessageContaining("skeleton[1]").hasMessageContaining("1..3");
  }

  @Test
  void everyPlantedErrorIsFoundPerKeypoint() {
    KeypointErrorResult r = analyze(true);
    assertThat(r.count(KeypointErrorType.GOOD)).isEqualTo(10);
    assertThat(r.count(KeypointErrorType.JITTER)).isEqualTo(1);
    assertThat(r.count(KeypointErrorType.INVERSION)).isEqualTo(6);
    assertThat(r.count(KeypointErrorType.SWAP)).isEqualTo(1);
    assertThat(r.count(KeypointErrorType.MISS)).isEqualTo(1);
    // {good, jitter, inversion, swap, miss} per keypoint
    int[][] expected = {{3, 0, 0, 0, 0}, {2, 1, 1, 0, 0}, {3, 0, 1, 0, 0}, {1, 0, 2, 1, 0},
        {1, 0, 2, 0, 1}};
    KeypointErrorType[] types = KeypointErrorType.values();
    for (int j = 0; j < 5; j++) {
      for (int t = 0; t < types.length; t++) {
        assertThat(r.joints().get(j).count(types[t])).as("%s %s", r.joints().get(j).name(),
            types[t]).isEqualTo(expected[j][t]);
      }
    }
  }

  @Test
  void instancesNameWhichPredictionsErr() {
    KeypointErrorResult r = analyze(true);
    assertThat(r.instances()).extracting(KeypointInstanceErrors::prediction)
        .containsExactly(0, 1, 2, 3);
    assertThat(r.instances()).extracting(KeypointInstanceErrors::groundTruth)
        .containsExactly(0, 1, 2, 3);
    assertThat(r.instances(KeypointErrorType.SWAP)).extracting(KeypointInstanceErrors::prediction)
        .containsExactly(1);
    assertThat(r.instances(KeypointErrorType.INVERSION))
        .extracting(KeypointInstanceErrors::prediction).containsExactly(0, 3);
    assertThat(r.invertedInstances()).extracting(KeypointInstanceErrors::prediction)
        .containsExactly(3);
    KeypointInstanceErrors d1 = r.instances().get(1);
    assertThat(d1.joints()).containsExactly(Optional.of(KeypointErrorType.GOOD),
        Optional.of(KeypointErrorType.GOOD), Optional.of(KeypointErrorType.GOOD),
        Optional.of(KeypointErrorType.SWAP), Optional.of(KeypointErrorType.MISS));
    assertThat(d1.swappedWith()).containsExactly(OptionalInt.empty(), OptionalInt.empty(),
        OptionalInt.empty(), OptionalInt.of(2), OptionalInt.empty()); // onto g2's l_foot
    double ks40 = Math.exp(-1600 / 800.0);
    assertThat(d1.oks()).isCloseTo((3 + ks40 + Math.exp(-900 / 800.0)) / 5, within(1e-9));
    assertThat(r.instances().get(3).joints().get(0)).isEmpty(); // head not labelled in g3
    assertThat(r.unmatchedPredictions()).isEmpty();
    assertThat(r.unmatchedGroundTruth()).isEmpty();
  }

  @Test
  void plainMatchingLosesTheFlippedAnimalAsMissPlusFalsePositive() {
    KeypointErrorResult r = analyze(false);
    assertThat(r.instances()).extracting(KeypointInstanceErrors::prediction)
        .containsExactly(0, 1, 2);
    assertThat(r.unmatchedPredictions()).containsExactly(3);
    assertThat(r.unmatchedGroundTruth()).containsExactly(3);
    assertThat(r.count(KeypointErrorType.INVERSION)).isEqualTo(2);
  }

  @Test
  void oracleGainsByHandAndOrderedAsPlanted() {
    KeypointErrorResult r = analyze(true);
    assertThat(r.baseline().ap()).isCloseTo(340.0 / 1010, within(EPS));
    assertThat(r.deltaAp(KeypointErrorType.INVERSION)).isCloseTo(482.5 / 1010, within(EPS));
    assertThat(r.deltaAp(KeypointErrorType.SWAP)).isCloseTo(84.0 / 1010, within(EPS));
    assertThat(r.deltaAp(KeypointErrorType.MISS)).isCloseTo(21.0 / 1010, within(EPS));
    assertThat(r.deltaAp(KeypointErrorType.JITTER)).isCloseTo(0, within(EPS));
    assertThat(r.deltaAp(KeypointErrorType.GOOD)).isZero();
    assertThat(r.cumulativeAp(KeypointErrorType.MISS)).isCloseTo(361.0 / 1010, within(EPS));
    assertThat(r.toString()).contains("inversion         6         2   +0.4777")
        .contains("(largest)").contains("1 of 4 matched predictions fit better flipped");
  }

  @Test
  void aPredictionWithTheWrongKeypointCountIsNamed() {
    CocoJson.GroundTruth gt = gt();
    KeypointInstance three = KeypointInstance.prediction("b", "animal", new float[] {1, 2, 3},
        new float[] {1, 2, 3}, .5);
    List<KeypointInstance> dts = new java.util.ArrayList<>(PREDICTIONS);
    dts.add(three);
    assertThatThrownBy(() -> KeypointErrorAnalyzer.of(gt.schema("animal", 0.1))
        .analyze(gt.keypoints(), dts)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("prediction #4").hasMessageContaining("image 'b'")
        .hasMessageContaining("3 keypoints; expected 5");
  }

  @Test
  void badThresholdsAreRefused() {
    KeypointErrorAnalyzer a = KeypointErrorAnalyzer.of(gt().schema("animal", 0.1));
    assertThatThrownBy(() -> a.withKsThresholds(0.9, 0.5))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("low=0.9");
    assertThatThrownBy(() -> a.withMatchThreshold(0))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("match threshold");
  }
}
