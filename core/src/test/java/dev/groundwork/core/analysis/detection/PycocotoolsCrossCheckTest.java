package dev.groundwork.core.analysis.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression against pycocotools. Unlike the other tests these expected values are COMPUTED, not
 * derived by hand: {@code xcheck-generate.py 3} (in the test resources) wrote the random fixtures
 * (40 images, 3 classes, crowd regions, all area ranges, jittered, duplicated, mislabelled and
 * spurious detections, tied scores; 30 images of 5-keypoint instances with unlabelled keypoints)
 * and printed pycocotools 2.0.11's {@code COCOeval.stats} for {@code bbox} and {@code keypoints}
 * (sigmas .5 .3 .3 .8 .8).
 */
class PycocotoolsCrossCheckTest {
  private static final double TOL = 1e-12;

  /** A test resource of this package as text (shared by the reference tests). */
  static String resource(String name) throws IOException {
    try (InputStream in = PycocotoolsCrossCheckTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void boxStatsMatchPycocotools() throws IOException {
    CocoJson.GroundTruth gt = CocoJson.parseGroundTruth(resource("xcheck-gt.json"), "gt");
    List<DetectedBox> dt = CocoJson.parseDetections(resource("xcheck-dt.json"), "dt", gt);
    CocoResult r = CocoEvaluator.forBoxes(gt.classes()).evaluate(gt.boxes(), dt);
    double[] expected = {0.11669600072002462, 0.26846261650355485, 0.07843117034656509,
        0.12251908890522752, 0.09060070678588289, 0.17001536325584174, 0.15058786242996766,
        0.3082433648223121, 0.3082433648223121, 0.2629629629629629, 0.2836111111111111,
        0.3632212885154061};
    double[] actual = {r.ap(), r.ap50(), r.ap75(), r.apSmall(), r.apMedium(), r.apLarge(),
        r.ar(1), r.ar(10), r.ar(100), r.arSmall(), r.arMedium(), r.arLarge()};
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("stats[%d]", i).isCloseTo(expected[i], within(TOL));
    }
    assertThat(r.perClassAp().get("cat")).isCloseTo(0.13145999374110054, within(TOL));
    assertThat(r.perClassAp().get("dog")).isCloseTo(0.15379065548784265, within(TOL));
    assertThat(r.perClassAp().get("cow")).isCloseTo(0.06483735293113065, within(TOL));
  }

  @Test
  void keypointStatsMatchPycocotools() throws IOException {
    CocoJson.GroundTruth gt = CocoJson.parseGroundTruth(resource("xcheck-kgt.json"), "kgt");
    List<KeypointInstance> dt =
        CocoJson.parseKeypointPredictions(resource("xcheck-kdt.json"), "kdt", gt);
    KeypointSchema s = new KeypointSchema("thing", gt.keypointNames().get("thing"),
        List.of(.5, .3, .3, .8, .8), List.of());
    CocoResult r = KeypointEvaluator.of(s).evaluate(gt.keypoints(), dt).coco();
    double[] expected = {0.7169218030043105, 0.7620990066792576, 0.7231861586435422,
        0.6609756871364065, 0.906034078133088, 0.9438596491228071, 0.9649122807017544,
        0.9473684210526315, 0.953125, 0.9434782608695652};
    double[] actual = new double[10];
    for (int i = 0; i < 10; i++) {
      actual[i] = r.metrics().get(i).value();
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("stats[%d] %s", i, r.metrics().get(i).name())
          .isCloseTo(expected[i], within(TOL));
    }
  }
}
