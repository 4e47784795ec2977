package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.data.DataFormatException;
import java.util.Locale;

/**
 * An axis-aligned box in pixel coordinates, given by its corners: {@code (x1, y1)} top-left,
 * {@code (x2, y2)} bottom-right, {@code x1 <= x2}, {@code y1 <= y2}.
 *
 * <p>Width is {@code x2 - x1} (no "+1" pixel convention, as in COCO). A box of zero width or height
 * is allowed; its area and every IoU with it are 0.
 *
 * <pre>{@code
 * Box a = new Box(0, 0, 10, 10);
 * Box b = Box.fromXywh(5, 0, 10, 10);   // COCO's [x, y, width, height]
 * a.iou(b);                             // 50 / 150 = 0.3333
 * }</pre>
 *
 * @param x1 left edge
 * @param y1 top edge
 * @param x2 right edge, {@code >= x1}
 * @param y2 bottom edge, {@code >= y1}
 */
public record Box(double x1, double y1, double x2, double y2) {

  /**
   * Checks the corners.
   *
   * @throws DataFormatException if a coordinate is NaN or infinite, or {@code x2 < x1} or
   *     {@code y2 < y1}
   */
  public Box {
    String problem = problem(x1, y1, x2, y2);
    if (problem != null) {
      throw new DataFormatException("box " + problem, null, -1, null);
    }
  }

  /** Returns what is wrong with the corners, or {@code null} when they form a valid box. */
  static String problem(double x1, double y1, double x2, double y2) {
    String corners = String.format(Locale.ROOT, "[x1=%s, y1=%s, x2=%s, y2=%s]", x1, y1, x2, y2);
    if (!Double.isFinite(x1) || !Double.isFinite(y1) || !Double.isFinite(x2)
        || !Double.isFinite(y2)) {
      return corners + " has a NaN or infinite coordinate; expected finite pixel coordinates";
    }
    if (x2 < x1) {
      return corners + " has x2 < x1; expected corners (x1, y1, x2, y2) with x1 <= x2"
          + " (for COCO's [x, y, width, height] use Box.fromXywh)";
    }
    if (y2 < y1) {
      return corners + " has y2 < y1; expected corners (x1, y1, x2, y2) with y1 <= y2"
          + " (for COCO's [x, y, width, height] use Box.fromXywh)";
    }
    return null;
  }

  /** A box from COCO's {@code [x, y, width, height]} form. */
  public static Box fromXywh(double x, double y, double width, double height) {
    return new Box(x, y, x + width, y + height);
  }

  /** {@code x2 - x1}. */
  public double width() {
    return x2 - x1;
  }

  /** {@code y2 - y1}. */
  public double height() {
    return y2 - y1;
  }

  /** {@code width * height} in square pixels. */
  public double area() {
    return width() * height();
  }

  /** Area of the overlap of the two boxes (0 when they do not overlap). */
  public double intersection(Box other) {
    double w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
    double h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
    return w <= 0 || h <= 0 ? 0 : w * h;
  }

  /** Intersection over union; 0 when the union is empty. */
  public double iou(Box other) {
    double inter = intersection(other);
    double union = area() + other.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  /**
   * Overlap of this (detected) box with a crowd region, as COCO defines it: intersection over the
   * area of this box only, so a detection lying inside a crowd region scores 1.
   */
  public double crowdOverlap(Box crowdRegion) {
    double a = area();
    return a <= 0 ? 0 : intersection(crowdRegion) / a;
  }
}
