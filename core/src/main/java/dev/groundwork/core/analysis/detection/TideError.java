package dev.groundwork.core.analysis.detection;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One classified error, for drilling down from the counts to the records.
 *
 * @param type the error kind
 * @param imageId the image
 * @param className the detection's class (for {@link TideErrorType#MISSED}, the ground truth's)
 * @param detection the detection's index in the detections given, empty for a missed ground truth
 * @param groundTruth the ground truth involved (the one a Cls/Loc/Both/Dupl error overlaps most, or
 *     the missed one), as an index in the ground truth given; empty for background errors
 * @param iou the IoU that decided the kind (with {@code groundTruth}); 0 for a miss or a
 *     background error on an image without ground truth
 */
public record TideError(TideErrorType type, String imageId, String className,
    OptionalInt detection, OptionalInt groundTruth, double iou) {

  /** Checks the fields. */
  public TideError {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(detection, "detection");
    Objects.requireNonNull(groundTruth, "groundTruth");
  }

  /** One line: the kind, where, and what it involved. */
  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%s image %s class %s · detection %s · ground "
        + "truth %s · IoU %.3f", type.shortName(), imageId, className,
        detection.isPresent() ? "#" + detection.getAsInt() : "–",
        groundTruth.isPresent() ? "#" + groundTruth.getAsInt() : "–", iou);
  }
}
