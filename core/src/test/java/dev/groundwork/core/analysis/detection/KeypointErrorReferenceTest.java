package dev.groundwork.core.analysis.detection;

import static dev.groundwork.core.analysis.detection.PycocotoolsCrossCheckTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression against coco-analyze (github.com/matteorr/coco-analyze at 9eb8a0a), the tool of
 * Ronchi &amp; Perona's paper. The expected values are COMPUTED, not derived by hand:
 * {@code kerr-reference.py} (in the test resources) wrote {@code kerr-gt.json}/{@code
 * kerr-dt.json} (40 images, 79 COCO persons, neighbours overlapping, planted jitter, inversions,
 * swaps, misses, whole-person flips, missed people and hallucinated ones) and printed
 * coco-analyze's keypoint error counts and its OKS AP after each cumulative fix (its fix distance
 * corrected to k = 2σ, see the script). The comparison uses coco-analyze's plain-OKS matching and its
 * area range "all" = [32², 1e10].
 */
class KeypointErrorReferenceTest {
  private static final double TOL = 1e-12;

  private static KeypointErrorResult analyze(boolean swapAware) throws IOException {
    return analyze(swapAware, KeypointErrorAnalyzer.DEFAULT_MATCH_OKS);
  }

  private static KeypointErrorResult analyze(boolean swapAware, double matchOks)
      throws IOException {
    CocoJson.GroundTruth gt = CocoJson.parseGroundTruth(resource("kerr-gt.json"), "kerr-gt");
    List<KeypointInstance> dt =
        CocoJson.parseKeypointPredictions(resource("kerr-dt.json"), "kerr-dt", gt);
    KeypointSchema schema = gt.schema("person").orElseThrow();
    return KeypointErrorAnalyzer.of(schema).withSwapAwareMatching(swapAware)
        .withMatchThreshold(matchOks)
        .withParams(CocoParams.keypoints().withAreaRanges(
            List.of(new AreaRange("all", 32 * 32, 1e10))))
        .analyze(gt.keypoints(), dt);
  }

  @Test
  void countsAndCumulativeApMatchCocoAnalyze() throws IOException {
    KeypointErrorResult r = analyze(false);
    assertThat(r.count(KeypointErrorType.GOOD)).isEqualTo(870);
    assertThat(r.count(KeypointErrorType.JITTER)).isEqualTo(24);
    assertThat(r.count(KeypointErrorType.INVERSION)).isEqualTo(70);
    assertThat(r.count(KeypointErrorType.SWAP)).isEqualTo(4);
    assertThat(r.count(KeypointErrorType.MISS)).isEqualTo(10);
    int[][] perJoint = {
        {55, 48, 59, 56, 57, 50, 47, 57, 53, 52, 50, 53, 44, 48, 47, 49, 45},
        {1, 5, 0, 1, 2, 3, 1, 1, 3, 1, 1, 1, 0, 1, 0, 2, 1},
        {0, 1, 2, 2, 2, 3, 3, 2, 2, 7, 7, 4, 8, 7, 10, 4, 6},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 1},
        {1, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 4, 0, 0, 1, 1}};
    KeypointErrorType[] order = {KeypointErrorType.GOOD, KeypointErrorType.JITTER,
        KeypointErrorType.INVERSION, KeypointErrorType.SWAP, KeypointErrorType.MISS};
    for (int t = 0; t < order.length; t++) {
      for (int j = 0; j < 17; j++) {
        assertThat(r.joints().get(j).count(order[t])).as("%s %s", order[t],
            r.joints().get(j).name()).isEqualTo(perJoint[t][j]);
      }
    }
    assertThat(r.baseline().ap()).isCloseTo(0.5985717646582971, within(TOL));
    assertThat(r.cumulativeAp(KeypointErrorType.MISS)).isCloseTo(0.6127239874048076, within(TOL));
    assertThat(r.cumulativeAp(KeypointErrorType.SWAP)).isCloseTo(0.6191346570748391, within(TOL));
    assertThat(r.cumulativeAp(KeypointErrorType.INVERSION))
        .isCloseTo(0.7154740128078345, within(TOL));
    assertThat(r.cumulativeAp(KeypointErrorType.JITTER))
        .isCloseTo(0.7175753527746389, within(TOL));
  }

  /**
   * Matching at OKS 0.5 (where a left/right flip drops a person below the threshold): plainly,
   * the flipped people are unmatched (a missed person plus a background prediction each);
   * swap-aware, they are matched and their keypoints reported as inversions, taking one unmatched
   * prediction and one unmatched person off the lists each. At coco-analyze's 0.1 the flipped people
   * of this data already match plainly (their OKS is about 0.2), so the two matchings agree there.
   */
  @Test
  void swapAwareMatchingRecoversFlippedPeople() throws IOException {
    assertThat(analyze(true).instances()).isEqualTo(analyze(false).instances());
    KeypointErrorResult plain = analyze(false, 0.5);
    KeypointErrorResult aware = analyze(true, 0.5);
    int gained = aware.instances().size() - plain.instances().size();
    assertThat(gained).isPositive();
    assertThat(plain.unmatchedPredictions().size() - aware.unmatchedPredictions().size())
        .isEqualTo(gained);
    assertThat(plain.unmatchedGroundTruth().size() - aware.unmatchedGroundTruth().size())
        .isEqualTo(gained);
    assertThat(aware.invertedInstances().size() - plain.invertedInstances().size())
        .isEqualTo(gained);
    assertThat(aware.count(KeypointErrorType.INVERSION))
        .isGreaterThan(plain.count(KeypointErrorType.INVERSION));
    assertThat(aware.baseline().ap()).isEqualTo(plain.baseline().ap());
  }
}
