package dev.groundwork.core.model;

import java.util.Locale;

/**
 * One detected object: a box in corner form {@code (x1, y1) – (x2, y2)}, a score and a class.
 *
 * @param x1 left edge
 * @param y1 top edge
 * @param x2 right edge, ≥ x1
 * @param y2 bottom edge, ≥ y1
 * @param score the detection's confidence
 * @param label the class index
 */
public record Detection(float x1, float y1, float x2, float y2, float score, int label) {

  /** Checks the box is ordered. */
  public Detection {
    if (!(x2 >= x1) || !(y2 >= y1)) {
      throw new IllegalArgumentException("box corners out of order: (" + x1 + ", " + y1
          + ") – (" + x2 + ", " + y2 + ")");
    }
  }

  /** The box's area. */
  public float area() {
    return (x2 - x1) * (y2 - y1);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "class %d %.3f [%.1f, %.1f, %.1f, %.1f]", label, score, x1,
        y1, x2, y2);
  }
}
