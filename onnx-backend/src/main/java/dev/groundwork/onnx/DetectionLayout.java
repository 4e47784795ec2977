package dev.groundwork.onnx;

import dev.groundwork.core.InvalidParameterException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a detection model puts its boxes, scores and labels, and how its boxes are written.
 *
 * <pre>{@code
 * DetectionLayout ssd = DetectionLayout.of("boxes", "scores", "labels")
 *     .withFormat(BoxFormat.CXCYWH).withMinScore(0.3f);
 * }</pre>
 *
 * <p>Shapes accepted: boxes {@code [batch, K, 4]} (or {@code [K, 4]} for a batch of one); scores
 * {@code [batch, K]}, or {@code [batch, K, classes]} when there is no labels output (the label is
 * the best class, the score its score); labels {@code [batch, K]} of integers or floats.
 *
 * @param boxes the output holding the boxes
 * @param scores the output holding the scores
 * @param labels the output holding class indices, if the model has one
 * @param format how the four numbers of a box are written
 * @param minScore detections scoring below this are dropped ({@code -∞} keeps all)
 */
public record DetectionLayout(String boxes, String scores, Optional<String> labels,
    BoxFormat format, float minScore) {

  /** How the four numbers of a box are written. */
  public enum BoxFormat {
    /** Corners: x1, y1, x2, y2. */
    XYXY,
    /** Corners, y first: y1, x1, y2, x2 (TensorFlow detection models). */
    YXYX,
    /** Top-left corner, width, height. */
    XYWH,
    /** Centre, width, height (YOLO, DETR). */
    CXCYWH
  }

  /** Checks the names and the threshold. */
  public DetectionLayout {
    Objects.requireNonNull(boxes, "boxes");
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(format, "format");
    InvalidParameterException.check(!Float.isNaN(minScore) && minScore != Float.POSITIVE_INFINITY,
        "minScore must be a number below +∞ (−∞ keeps everything), got %s", minScore);
  }

  /** Boxes, scores and labels outputs; corner boxes; no threshold. */
  public static DetectionLayout of(String boxes, String scores, String labels) {
    return new DetectionLayout(boxes, scores, Optional.of(labels), BoxFormat.XYXY,
        Float.NEGATIVE_INFINITY);
  }

  /** Boxes and per-class scores outputs (label = best class); corner boxes; no threshold. */
  public static DetectionLayout of(String boxes, String classScores) {
    return new DetectionLayout(boxes, classScores, Optional.empty(), BoxFormat.XYXY,
        Float.NEGATIVE_INFINITY);
  }

  /** This layout with another box format. */
  public DetectionLayout withFormat(BoxFormat value) {
    return new DetectionLayout(boxes, scores, labels, value, minScore);
  }

  /** This layout with a score threshold. */
  public DetectionLayout withMinScore(float value) {
    return new DetectionLayout(boxes, scores, labels, format, value);
  }
}
