package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.InvalidParameterException;
import java.util.Objects;

/**
 * A named range of object areas in square pixels, inclusive at both ends as in pycocotools (an
 * object of area exactly 32² is both small and medium).
 *
 * @param name the name shown in reports ({@code all}, {@code small}, ...)
 * @param min smallest area, inclusive
 * @param max largest area, inclusive
 */
public record AreaRange(String name, double min, double max) {

  /** Every object: [0, 1e10]. */
  public static final AreaRange ALL = new AreaRange("all", 0, 1e10);
  /** COCO small: [0, 32²]. */
  public static final AreaRange SMALL = new AreaRange("small", 0, 32 * 32);
  /** COCO medium: [32², 96²]. */
  public static final AreaRange MEDIUM = new AreaRange("medium", 32 * 32, 96 * 96);
  /** COCO large: [96², 1e10]. */
  public static final AreaRange LARGE = new AreaRange("large", 96 * 96, 1e10);

  /**
   * Checks the bounds.
   *
   * @throws InvalidParameterException if a bound is NaN or negative or {@code max < min}
   */
  public AreaRange {
    Objects.requireNonNull(name, "name");
    InvalidParameterException.check(min >= 0 && max >= min,
        "area range '%s' is [%s, %s]; expected 0 <= min <= max", name, min, max);
  }

  /** Whether {@code area} lies in the range (both ends inclusive). */
  public boolean contains(double area) {
    return area >= min && area <= max;
  }
}
