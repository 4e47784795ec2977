package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.data.DataFormatException;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One annotated object: the image it is in, its class, its box, whether it is a crowd region and
 * optionally the area used for COCO's small/medium/large ranges.
 *
 * <p>COCO's area ranges use the annotation's {@code area} field (the segmentation area), not the
 * box area; pass it as {@code area} to reproduce COCO numbers. Without it the box area is used.
 *
 * <pre>{@code
 * GroundTruthBox cat = GroundTruthBox.of("img1", "cat", 10, 10, 50, 40);
 * GroundTruthBox crowd = GroundTruthBox.of("img1", "person", 0, 0, 200, 100).asCrowd();
 * }</pre>
 *
 * @param imageId the image the object is in
 * @param className the object's class, one of the evaluator's classes
 * @param box the object's box
 * @param crowd whether the box marks a crowd region (COCO {@code iscrowd=1}): detections inside it
 *     are neither true nor false positives
 * @param area area override for the area ranges (and the OKS scale), when known
 */
public record GroundTruthBox(
    String imageId, String className, Box box, boolean crowd, OptionalDouble area) {

  /**
   * Checks the fields.
   *
   * @throws DataFormatException if the area override is negative, NaN or infinite
   */
  public GroundTruthBox {
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(box, "box");
    Objects.requireNonNull(area, "area");
    if (area.isPresent() && !(area.getAsDouble() >= 0 && Double.isFinite(area.getAsDouble()))) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "ground truth on image '%s' (class '%s'): area %s is not a finite number >= 0;"
              + " expected the object's area in square pixels, or no area to use the box area",
          imageId, className, area.getAsDouble()), null, -1, null);
    }
  }

  /**
   * A non-crowd object with its box given by corners.
   *
   * @throws DataFormatException naming the image if the corners do not form a box
   */
  public static GroundTruthBox of(
      String imageId, String className, double x1, double y1, double x2, double y2) {
    String problem = Box.problem(x1, y1, x2, y2);
    if (problem != null) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "ground truth on image '%s' (class '%s'): box %s", imageId, className, problem),
          null, -1, null);
    }
    return new GroundTruthBox(
        imageId, className, new Box(x1, y1, x2, y2), false, OptionalDouble.empty());
  }

  /** This object marked as a crowd region. */
  public GroundTruthBox asCrowd() {
    return new GroundTruthBox(imageId, className, box, true, area);
  }

  /** This object with an area override (e.g. COCO's segmentation area). */
  public GroundTruthBox withArea(double areaOverride) {
    return new GroundTruthBox(imageId, className, box, crowd, OptionalDouble.of(areaOverride));
  }

  /** The area used for the area ranges: the override if given, else the box area. */
  public double effectiveArea() {
    return area.orElse(box.area());
  }
}
