package dev.groundwork.core.analysis.detection;

import static dev.groundwork.core.analysis.detection.PycocotoolsCrossCheckTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression against TIDE itself (github.com/dbolya/tide at 49a5d2a). The expected values are
 * COMPUTED, not derived by hand: {@code tide-reference.py} (in the test resources) ran TIDE on the
 * pycocotools cross-check fixtures {@code xcheck-gt.json}/{@code xcheck-dt.json} (40 images, 3
 * classes) without their crowd regions and with tied scores broken by input order (TIDE treats
 * detections inside a crowd differently and reorders tied scores in its fixed runs, see
 * docs/detection.md) and printed AP@.5, the six main dAPs, the two special dAPs and the counts.
 */
class TideReferenceTest {
  private static final double TOL = 1e-12;

  @Test
  void mainAndSpecialErrorsMatchTide() throws IOException {
    CocoJson.GroundTruth gt = CocoJson.parseGroundTruth(resource("xcheck-gt.json"), "gt");
    List<DetectedBox> read = CocoJson.parseDetections(resource("xcheck-dt.json"), "dt", gt);
    List<DetectedBox> dt = new ArrayList<>();
    for (int i = 0; i < read.size(); i++) { // ties broken by input order, as in the script
      DetectedBox d = read.get(i);
      dt.add(new DetectedBox(d.imageId(), d.className(), d.box(), d.score() + i * 1e-7));
    }
    List<GroundTruthBox> noCrowd = gt.boxes().stream().filter(b -> !b.crowd()).toList();
    TideResult t = TideAnalyzer.of(gt.classes()).analyze(noCrowd, dt);
    assertThat(t.ap()).isCloseTo(0.25767762302618136, within(TOL));
    Map<TideErrorType, Double> main = Map.of(
        TideErrorType.CLASSIFICATION, 0.0886617159149521,
        TideErrorType.LOCALIZATION, 0.1570759672171993,
        TideErrorType.BOTH, 0.01485439354452648,
        TideErrorType.DUPLICATE, 0.004864035707520706,
        TideErrorType.BACKGROUND, 0.08137313294939645,
        TideErrorType.MISSED, 0.07213875713330303);
    main.forEach((type, v) -> assertThat(t.deltaAp(type)).as(type.name())
        .isCloseTo(v, within(TOL)));
    assertThat(t.deltaAp(TideSpecialError.FALSE_POSITIVE))
        .isCloseTo(0.2967778225183731, within(TOL));
    assertThat(t.deltaAp(TideSpecialError.FALSE_NEGATIVE))
        .isCloseTo(0.20081967629453829, within(TOL));
    Map<TideErrorType, Integer> counts = Map.of(TideErrorType.CLASSIFICATION, 11,
        TideErrorType.LOCALIZATION, 34, TideErrorType.BOTH, 12, TideErrorType.DUPLICATE, 7,
        TideErrorType.BACKGROUND, 53, TideErrorType.MISSED, 28);
    counts.forEach((type, n) -> assertThat(t.count(type)).as(type.name()).isEqualTo(n));
  }
}
