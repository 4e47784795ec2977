package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.data.DataFormatException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One object's keypoints, annotated (ground truth) or predicted.
 *
 * <p>Ground truth carries a COCO visibility per keypoint (0 = not labelled, 1 = labelled but
 * occluded, 2 = visible; only keypoints with visibility {@code > 0} count in OKS) and no score.
 * A prediction carries a score for the whole instance and visibility 2 everywhere. The OKS scale
 * s² is the ground truth's area: the {@code area} override if given (COCO's segmentation area),
 * else the box area. A prediction's area (for area-range filtering of unmatched predictions) is its
 * override, else the extent of its keypoints, as pycocotools computes it.
 *
 * <pre>{@code
 * KeypointInstance gt = KeypointInstance.groundTruth("img1", "person",
 *     new float[] {10, 20, 30}, new float[] {10, 10, 40}, new float[] {2, 2, 1})
 *     .withArea(1600);
 * KeypointInstance p = KeypointInstance.prediction("img1", "person",
 *     new float[] {11, 19, 30}, new float[] {10, 12, 38}, 0.9);
 * }</pre>
 *
 * <p>Arrays are copied in and out; equality compares their contents.
 *
 * @param imageId the image the object is in
 * @param className the object's class
 * @param x the K x-coordinates in pixels
 * @param y the K y-coordinates in pixels
 * @param visibility the K COCO visibility flags (0, 1 or 2)
 * @param score the instance score for a prediction; empty for ground truth
 * @param box the object's box, if known
 * @param area area override (OKS scale and area ranges), if known
 * @param crowd whether this is a crowd annotation (ground truth only)
 */
public record KeypointInstance(String imageId, String className, float[] x, float[] y,
    float[] visibility, OptionalDouble score, Optional<Box> box, OptionalDouble area,
    boolean crowd) {

  /**
   * Checks and copies the fields.
   *
   * @throws DataFormatException naming the image if the arrays differ in length or are empty, a
   *     coordinate is NaN or infinite, a visibility is not 0, 1 or 2, the score is negative or not
   *     finite, the area is negative or not finite, or a prediction is marked as crowd
   */
  public KeypointInstance {
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(box, "box");
    Objects.requireNonNull(area, "area");
    x = x.clone();
    y = y.clone();
    visibility = visibility.clone();
    String what = score.isPresent() ? "keypoint prediction" : "keypoint ground truth";
    String where = String.format(Locale.ROOT, "%s on image '%s' (class '%s')", what, imageId,
        className);
    if (x.length == 0 || x.length != y.length || x.length != visibility.length) {
      throw bad(where, String.format(Locale.ROOT, "has %d x, %d y and %d visibility values;"
          + " expected the same number K >= 1 of each", x.length, y.length, visibility.length));
    }
    for (int j = 0; j < x.length; j++) {
      if (!Float.isFinite(x[j]) || !Float.isFinite(y[j])) {
        throw bad(where, String.format(Locale.ROOT, "keypoint %d is (%s, %s); expected finite"
            + " pixel coordinates (use 0, 0 with visibility 0 for unlabelled keypoints)",
            j, x[j], y[j]));
      }
      float v = visibility[j];
      if (v != 0 && v != 1 && v != 2) {
        throw bad(where, String.format(Locale.ROOT, "keypoint %d has visibility %s; expected"
            + " 0 (not labelled), 1 (occluded) or 2 (visible)", j, v));
      }
    }
    if (score.isPresent() && !(score.getAsDouble() >= 0 && Double.isFinite(score.getAsDouble()))) {
      throw bad(where, String.format(Locale.ROOT, "score %s is not a finite number >= 0;"
          + " expected a confidence >= 0", score.getAsDouble()));
    }
    if (area.isPresent() && !(area.getAsDouble() >= 0 && Double.isFinite(area.getAsDouble()))) {
      throw bad(where, String.format(Locale.ROOT, "area %s is not a finite number >= 0;"
          + " expected the object's area in square pixels", area.getAsDouble()));
    }
    if (crowd && score.isPresent()) {
      throw bad(where, "is marked as crowd; expected crowd only on ground truth");
    }
  }

  private static DataFormatException bad(String where, String what) {
    return new DataFormatException(where + ": " + what, null, -1, null);
  }

  /** An annotated instance with COCO visibility flags. */
  public static KeypointInstance groundTruth(
      String imageId, String className, float[] x, float[] y, float[] visibility) {
    return new KeypointInstance(imageId, className, x, y, visibility, OptionalDouble.empty(),
        Optional.empty(), OptionalDouble.empty(), false);
  }

  /** A predicted instance with its score. */
  public static KeypointInstance prediction(
      String imageId, String className, float[] x, float[] y, double score) {
    float[] v = new float[x.length];
    Arrays.fill(v, 2f);
    return new KeypointInstance(imageId, className, x, y, v, OptionalDouble.of(score),
        Optional.empty(), OptionalDouble.empty(), false);
  }

  /** This instance with a box. */
  public KeypointInstance withBox(Box b) {
    return new KeypointInstance(imageId, className, x, y, visibility, score,
        Optional.of(b), area, crowd);
  }

  /** This instance with an area override. */
  public KeypointInstance withArea(double a) {
    return new KeypointInstance(imageId, className, x, y, visibility, score, box,
        OptionalDouble.of(a), crowd);
  }

  /** This ground truth marked as a crowd annotation. */
  public KeypointInstance asCrowd() {
    return new KeypointInstance(imageId, className, x, y, visibility, score, box, area, true);
  }

  /** The number of keypoints. */
  public int size() {
    return x.length;
  }

  /** Whether this is a prediction (it has a score). */
  public boolean isPrediction() {
    return score.isPresent();
  }

  /** The number of keypoints with visibility {@code > 0}. */
  public int visibleCount() {
    int n = 0;
    for (float v : visibility) {
      if (v > 0) {
        n++;
      }
    }
    return n;
  }

  /** A copy of the x-coordinates. */
  @Override
  public float[] x() {
    return x.clone();
  }

  /** A copy of the y-coordinates. */
  @Override
  public float[] y() {
    return y.clone();
  }

  /** A copy of the visibility flags. */
  @Override
  public float[] visibility() {
    return visibility.clone();
  }

  float xAt(int j) {
    return x[j];
  }

  float yAt(int j) {
    return y[j];
  }

  float visibilityAt(int j) {
    return visibility[j];
  }

  /**
   * The OKS scale of ground truth: the area override, else the box area; empty when neither is
   * known.
   */
  OptionalDouble scaleArea() {
    if (area.isPresent()) {
      return area;
    }
    return box.isPresent() ? OptionalDouble.of(box.get().area()) : OptionalDouble.empty();
  }

  /** The area of the keypoints' extent (pycocotools' area for keypoint results). */
  double extentArea() {
    float minX = Float.POSITIVE_INFINITY;
    float maxX = Float.NEGATIVE_INFINITY;
    float minY = Float.POSITIVE_INFINITY;
    float maxY = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < x.length; j++) {
      minX = Math.min(minX, x[j]);
      maxX = Math.max(maxX, x[j]);
      minY = Math.min(minY, y[j]);
      maxY = Math.max(maxY, y[j]);
    }
    return ((double) maxX - minX) * ((double) maxY - minY);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeypointInstance k && imageId.equals(k.imageId)
        && className.equals(k.className) && Arrays.equals(x, k.x) && Arrays.equals(y, k.y)
        && Arrays.equals(visibility, k.visibility) && score.equals(k.score) && box.equals(k.box)
        && area.equals(k.area) && crowd == k.crowd;
  }

  @Override
  public int hashCode() {
    return Objects.hash(imageId, className, Arrays.hashCode(x), Arrays.hashCode(y),
        Arrays.hashCode(visibility), score, box, area, crowd);
  }

  @Override
  public String toString() {
    return "KeypointInstance[imageId=" + imageId + ", className=" + className + ", x="
        + Arrays.toString(x) + ", y=" + Arrays.toString(y) + ", visibility="
        + Arrays.toString(visibility) + ", score=" + score + ", box=" + box + ", area=" + area
        + ", crowd=" + crowd + "]";
  }
}
