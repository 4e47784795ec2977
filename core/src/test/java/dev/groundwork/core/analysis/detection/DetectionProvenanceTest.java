package dev.groundwork.core.analysis.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Detection and keypoint results record their parameters and a digest of every input record. */
class DetectionProvenanceTest {
  static final List<String> CAT = List.of("cat");

  @Test
  void boxResultsRecordParametersAndAnInputDigest() {
    List<GroundTruthBox> gts = List.of(GroundTruthBox.of("a", "cat", 0, 0, 10, 10));
    List<DetectedBox> dts = List.of(DetectedBox.of("a", "cat", 0.9, 1, 1, 10, 10));
    CocoResult r = CocoEvaluator.forBoxes(CAT).evaluate(gts, dts);
    CocoResult same = CocoEvaluator.forBoxes(CAT).evaluate(gts, dts);
    CocoResult moved = CocoEvaluator.forBoxes(CAT).evaluate(gts,
        List.of(DetectedBox.of("a", "cat", 0.9, 2, 1, 10, 10)));
    assertThat(r.provenance().datasetFingerprint()).matches("[0-9a-f]{64}")
        .isEqualTo(same.provenance().datasetFingerprint())
        .isNotEqualTo(moved.provenance().datasetFingerprint());
    assertThat(r.provenance().config()).containsEntry("evaluation", "COCO boxes");
    assertThat(r.toString()).contains("provenance:").contains("model-agnostic");
    TideResult t = TideAnalyzer.of(CAT).analyze(gts, dts);
    assertThat(t.provenance().datasetFingerprint()).isEqualTo(r.provenance().datasetFingerprint());
    assertThat(t.provenance().config()).containsEntry("evaluation", "TIDE")
        .containsEntry("foreground", "0.5");
    assertThat(t.toString()).contains("provenance:");
  }

  @Test
  void keypointResultsRecordTheSchema() {
    KeypointSchema schema = KeypointSchema.of("person", List.of("nose", "left_eye", "right_eye"),
        List.of(0.026, 0.025, 0.025));
    KeypointInstance gt = KeypointInstance.groundTruth("a", "person", new float[] {1, 2, 3},
        new float[] {1, 2, 3}, new float[] {2, 2, 2}).withArea(100);
    KeypointInstance pred = KeypointInstance.prediction("a", "person", new float[] {1, 2, 3},
        new float[] {1, 2, 3.5f}, 0.9);
    KeypointResult r = KeypointEvaluator.of(schema).evaluate(List.of(gt), List.of(pred));
    assertThat(r.provenance().config()).containsEntry("evaluation", "COCO keypoints (OKS)")
        .containsKey("schema");
    assertThat(r.provenance().datasetFingerprint()).matches("[0-9a-f]{64}");
  }
}
