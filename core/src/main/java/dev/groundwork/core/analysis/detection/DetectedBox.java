package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.data.DataFormatException;
import java.util.Locale;
import java.util.Objects;

/**
 * One detection: the image, the predicted class, the box and a confidence score.
 *
 * <p>Scores need not be probabilities; only their order matters. Equal scores keep their input
 * order (the sort is stable), as in pycocotools.
 *
 * <pre>{@code
 * DetectedBox d = DetectedBox.of("img1", "cat", 0.92, 12, 11, 49, 42);
 * }</pre>
 *
 * @param imageId the image the detection is in
 * @param className the predicted class, one of the evaluator's classes
 * @param box the predicted box
 * @param score the confidence, finite and {@code >= 0}
 */
public record DetectedBox(String imageId, String className, Box box, double score) {

  /**
   * Checks the fields.
   *
   * @throws DataFormatException naming the image if the score is negative, NaN or infinite
   */
  public DetectedBox {
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(box, "box");
    if (!(score >= 0 && Double.isFinite(score))) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "detection on image '%s' (class '%s'): score %s is %s; expected a finite confidence"
              + " >= 0 (only the order of scores matters)",
          imageId, className, score, Double.isNaN(score) ? "NaN"
              : score < 0 ? "negative" : "infinite"), null, -1, null);
    }
  }

  /**
   * A detection with its box given by corners.
   *
   * @throws DataFormatException naming the image if the corners do not form a box or the score is
   *     invalid
   */
  public static DetectedBox of(String imageId, String className, double score,
      double x1, double y1, double x2, double y2) {
    String problem = Box.problem(x1, y1, x2, y2);
    if (problem != null) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "detection on image '%s' (class '%s', score %s): box %s",
          imageId, className, score, problem), null, -1, null);
    }
    return new DetectedBox(imageId, className, new Box(x1, y1, x2, y2), score);
  }
}
