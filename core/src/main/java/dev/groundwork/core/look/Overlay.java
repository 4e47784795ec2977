package dev.groundwork.core.look;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.detection.Box;
import dev.groundwork.core.analysis.detection.DetectedBox;
import dev.groundwork.core.analysis.detection.GroundTruthBox;
import dev.groundwork.core.analysis.detection.KeypointInstance;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.TensorInput;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One image with its boxes and keypoints drawn on it: ground truth in blue
 * ({@value #GROUND_TRUTH_RGB_HEX}), predictions in orange ({@value #PREDICTION_RGB_HEX}), a
 * colour pair that colour-blind readers tell apart too.
 *
 * <p>Coordinates are the image's pixel coordinates before upscaling, continuous as in COCO (pixel
 * {@code i} covers {@code [i, i + 1)}). At scale {@code s} a box's outline runs along output
 * columns {@code floor(x1·s)} and {@code ceil(x2·s) − 1} and rows {@code floor(y1·s)} and
 * {@code ceil(y2·s) − 1}; a keypoint's dot is centred on output pixel
 * {@code (floor(x·s), floor(y·s))}, filled when visible (2) and a ring when occluded (1);
 * unlabelled keypoints (visibility 0) are not drawn. Skeleton lines join drawn keypoints of the
 * same instance. Captions (the class, and the score for predictions) sit above a box's top-left
 * corner, or just inside it when the box touches the top. Drawing is pixel by pixel with the
 * built-in bitmap font: headless, deterministic, no fonts needed.
 *
 * <pre>{@code
 * Overlay o = Overlay.builder(image)                      // a TensorInput, C×H×W in [0, 1]
 *     .scale(8)
 *     .groundTruth(List.of(GroundTruthBox.of("img1", "bag", 2, 3, 20, 25)))
 *     .predictions(List.of(DetectedBox.of("img1", "bag", 0.87, 3, 3, 21, 24)))
 *     .build();
 * o.writePng(Path.of("boxes.png"));
 * }</pre>
 */
public final class Overlay {

  /** Ground truth boxes, keypoints and limbs. */
  public static final int GROUND_TRUTH_RGB = 0x1E88E5;
  /** Predicted boxes, keypoints and limbs. */
  public static final int PREDICTION_RGB = 0xFF8F00;
  /** {@link #GROUND_TRUTH_RGB} as text. */
  public static final String GROUND_TRUTH_RGB_HEX = "#1E88E5";
  /** {@link #PREDICTION_RGB} as text. */
  public static final String PREDICTION_RGB_HEX = "#FF8F00";

  private final TensorInput image;
  private final int scale;
  private final int lineWidth;
  private final int pointRadius;
  private final boolean captions;
  private final List<GroundTruthBox> groundTruth;
  private final List<DetectedBox> predictions;
  private final List<KeypointInstance> keypoints;
  private final Skeleton skeleton;

  private Overlay(Builder b) {
    this.image = b.image;
    this.scale = b.scale;
    this.lineWidth = b.lineWidth;
    this.pointRadius = b.pointRadius;
    this.captions = b.captions;
    this.groundTruth = List.copyOf(b.groundTruth);
    this.predictions = List.copyOf(b.predictions);
    this.keypoints = List.copyOf(b.keypoints);
    this.skeleton = b.skeleton;
  }

  /**
   * A builder for an overlay on {@code image}.
   *
   * @param image a {@link TensorInput} of C×H×W floats in [0, 1], C = 1 or 3 (checked in
   *     {@link Builder#build()})
   */
  public static Builder builder(Input image) {
    return new Builder(image);
  }

  /** The upscale factor. */
  public int scale() {
    return scale;
  }

  /** The ground truth boxes drawn. */
  public List<GroundTruthBox> groundTruth() {
    return groundTruth;
  }

  /** The predicted boxes drawn. */
  public List<DetectedBox> predictions() {
    return predictions;
  }

  /** The keypoint instances drawn. */
  public List<KeypointInstance> keypoints() {
    return keypoints;
  }

  /** The image with everything drawn on it, {@code W·scale × H·scale} pixels. */
  public BufferedImage image() {
    int[] shape = image.shape();
    int w = shape[2] * scale;
    int h = shape[1] * scale;
    Raster r = new Raster(w, h, 0);
    r.image(image, 0, 0, scale);
    for (GroundTruthBox g : groundTruth) {
      box(r, g.box(), GROUND_TRUTH_RGB);
    }
    for (DetectedBox d : predictions) {
      box(r, d.box(), PREDICTION_RGB);
    }
    for (boolean preds : new boolean[] {false, true}) {
      for (KeypointInstance k : keypoints) {
        if (k.isPrediction() == preds) {
          limbs(r, k, preds ? PREDICTION_RGB : GROUND_TRUTH_RGB);
        }
      }
    }
    for (boolean preds : new boolean[] {false, true}) {
      for (KeypointInstance k : keypoints) {
        if (k.isPrediction() == preds) {
          points(r, k, preds ? PREDICTION_RGB : GROUND_TRUTH_RGB);
        }
      }
    }
    if (captions) {
      for (GroundTruthBox g : groundTruth) {
        label(r, g.box(), g.className(), GROUND_TRUTH_RGB, 0xFFFFFF);
      }
      for (DetectedBox d : predictions) {
        label(r, d.box(), String.format(Locale.ROOT, "%s %.2f", d.className(), d.score()),
            PREDICTION_RGB, 0x000000);
      }
    }
    return r.toImage();
  }

  private int px(double v, int limit) {
    return (int) Math.min(limit - 1, Math.max(0, Math.floor(v * scale)));
  }

  private int lastPx(double v, int first, int limit) {
    return (int) Math.min(limit - 1, Math.max(first, Math.ceil(v * scale) - 1));
  }

  private void box(Raster r, Box b, int rgb) {
    int x0 = px(b.x1(), r.width);
    int y0 = px(b.y1(), r.height);
    int x1 = lastPx(b.x2(), x0, r.width);
    int y1 = lastPx(b.y2(), y0, r.height);
    for (int k = 0; k < lineWidth && x0 + k <= x1 - k && y0 + k <= y1 - k; k++) {
      r.outline(x0 + k, y0 + k, x1 - k, y1 - k, rgb);
    }
  }

  private void limbs(Raster r, KeypointInstance k, int rgb) {
    float[] x = k.x();
    float[] y = k.y();
    float[] v = k.visibility();
    for (Skeleton.Limb l : skeleton.limbs()) {
      if (v[l.from()] > 0 && v[l.to()] > 0) {
        r.line(px(x[l.from()], r.width), px(y[l.from()], r.height), px(x[l.to()], r.width),
            px(y[l.to()], r.height), rgb);
      }
    }
  }

  private void points(Raster r, KeypointInstance k, int rgb) {
    float[] x = k.x();
    float[] y = k.y();
    float[] v = k.visibility();
    for (int j = 0; j < x.length; j++) {
      if (v[j] > 0) {
        r.disk(px(x[j], r.width), px(y[j], r.height), pointRadius,
            v[j] == 2 ? -1 : pointRadius - 1, rgb);
      }
    }
  }

  private void label(Raster r, Box b, String text, int background, int ink) {
    int t = 1;
    String s = BitmapFont.clip(text, BitmapFont.fit(r.width - 2 * t, t));
    int w = BitmapFont.width(s, t) + 2 * t;
    int h = BitmapFont.HEIGHT * t + 2 * t;
    int x = Math.max(0, Math.min(px(b.x1(), r.width), r.width - w));
    int top = px(b.y1(), r.height);
    int y = top - h >= 0 ? top - h : top + lineWidth;
    r.fill(x, y, w, h, background);
    BitmapFont.draw(r, s, x + t, y + t, t, ink);
  }

  /** The overlay as PNG bytes. */
  public byte[] png() {
    return Raster.png(image());
  }

  /**
   * Writes the overlay as a PNG file, atomically.
   *
   * @return {@code file}
   */
  public Path writePng(Path file) {
    Objects.requireNonNull(file, "file");
    Raster.writePng(file, png(), "overlay PNG");
    return file;
  }

  /** An HTML {@code <img>} with the PNG as a {@code data:} URI. */
  public String toHtml() {
    BufferedImage im = image();
    return "<img class=\"groundwork-overlay\" src=\"" + Raster.dataUri(Raster.png(im))
        + "\" width=\"" + im.getWidth() + "\" height=\"" + im.getHeight() + "\" alt=\""
        + Raster.html(toString()) + "\">";
  }

  @Override
  public String toString() {
    int[] s = image.shape();
    return String.format(Locale.ROOT, "Overlay %d×%d ×%d: %d ground truth boxes, %d predicted "
        + "boxes, %d keypoint instances", s[2], s[1], scale, groundTruth.size(),
        predictions.size(), keypoints.size());
  }

  /** Collects what to draw; {@link #build()} checks it against the image. */
  public static final class Builder {
    private final Input input;
    private TensorInput image;
    private int scale = 0;
    private int lineWidth = 1;
    private int pointRadius = 2;
    private boolean captions = true;
    private List<GroundTruthBox> groundTruth = List.of();
    private List<DetectedBox> predictions = List.of();
    private List<KeypointInstance> keypoints = List.of();
    private Skeleton skeleton = Skeleton.none();

    private Builder(Input input) {
      this.input = input;
    }

    /** The integer upscale, 1 to 32; by default {@code max(1, 256 / max(H, W))}. */
    public Builder scale(int s) {
      this.scale = s;
      return this;
    }

    /** Box outline width in output pixels, 1 to 16 (default 1), drawn inwards. */
    public Builder lineWidth(int w) {
      this.lineWidth = w;
      return this;
    }

    /** Keypoint dot radius in output pixels, 1 to 32 (default 2). */
    public Builder pointRadius(int r) {
      this.pointRadius = r;
      return this;
    }

    /** Whether boxes get a class (and score) caption; default true. */
    public Builder captions(boolean on) {
      this.captions = on;
      return this;
    }

    /** Ground truth boxes (blue). */
    public Builder groundTruth(List<GroundTruthBox> boxes) {
      this.groundTruth = List.copyOf(boxes);
      return this;
    }

    /** Predicted boxes (orange), captioned with their score. */
    public Builder predictions(List<DetectedBox> boxes) {
      this.predictions = List.copyOf(boxes);
      return this;
    }

    /** Keypoint instances: ground truth in blue, predictions ({@code isPrediction()}) orange. */
    public Builder keypoints(List<KeypointInstance> instances) {
      this.keypoints = List.copyOf(instances);
      return this;
    }

    /** Lines between keypoints of each instance; none by default. */
    public Builder skeleton(Skeleton s) {
      this.skeleton = Objects.requireNonNull(s, "skeleton");
      return this;
    }

    /**
     * Checks everything against the image and builds the overlay.
     *
     * @throws InvalidParameterException naming the parameter: an image that is not C×H×W with 1
     *     or 3 channels in [0, 1], a scale, line width or radius out of range, a box or visible
     *     keypoint outside the image, annotations of different images, or a skeleton index beyond
     *     an instance's keypoints
     */
    public Overlay build() {
      image = Raster.checkImage(input, "image");
      int[] shape = image.shape();
      int h = shape[1];
      int w = shape[2];
      if (scale == 0) {
        scale = Math.max(1, 256 / Math.max(h, w));
      }
      InvalidParameterException.check(scale >= 1 && scale <= 32,
          "scale must be 1 to 32, got %d", scale);
      InvalidParameterException.check(lineWidth >= 1 && lineWidth <= 16,
          "lineWidth must be 1 to 16, got %d", lineWidth);
      InvalidParameterException.check(pointRadius >= 1 && pointRadius <= 32,
          "pointRadius must be 1 to 32, got %d", pointRadius);
      List<String> imageIds = new ArrayList<>();
      List<String> where = new ArrayList<>();
      for (int i = 0; i < groundTruth.size(); i++) {
        GroundTruthBox g = groundTruth.get(i);
        inside(g.box(), "groundTruth[" + i + "] (class '" + g.className() + "')", w, h);
        imageIds.add(g.imageId());
        where.add("groundTruth[" + i + "]");
      }
      for (int i = 0; i < predictions.size(); i++) {
        DetectedBox d = predictions.get(i);
        inside(d.box(), "predictions[" + i + "] (class '" + d.className() + "')", w, h);
        imageIds.add(d.imageId());
        where.add("predictions[" + i + "]");
      }
      int maxLimb = skeleton.maxIndex();
      for (int i = 0; i < keypoints.size(); i++) {
        KeypointInstance k = keypoints.get(i);
        float[] x = k.x();
        float[] y = k.y();
        float[] v = k.visibility();
        for (int j = 0; j < x.length; j++) {
          InvalidParameterException.check(v[j] == 0 || (x[j] >= 0 && x[j] <= w && y[j] >= 0
              && y[j] <= h), "keypoints[%d] keypoint %d at (%s, %s) lies outside the %d×%d "
              + "image; expected 0 <= x <= %d and 0 <= y <= %d in the image's pixel "
              + "coordinates (or visibility 0)", i, j, x[j], y[j], w, h, w, h);
        }
        InvalidParameterException.check(maxLimb < k.size(), "skeleton joins keypoint %d but "
            + "keypoints[%d] has %d keypoints; expected indices 0..%d", maxLimb, i, k.size(),
            k.size() - 1);
        imageIds.add(k.imageId());
        where.add("keypoints[" + i + "]");
      }
      for (int i = 1; i < imageIds.size(); i++) {
        InvalidParameterException.check(imageIds.get(i).equals(imageIds.get(0)),
            "%s is on image '%s' but %s is on image '%s'; an overlay draws the annotations of "
                + "one image", where.get(i), imageIds.get(i), where.get(0), imageIds.get(0));
      }
      return new Overlay(this);
    }

    private static void inside(Box b, String what, int w, int h) {
      InvalidParameterException.check(b.x1() >= 0 && b.y1() >= 0 && b.x2() <= w && b.y2() <= h,
          "%s box [x1=%s, y1=%s, x2=%s, y2=%s] lies outside the %d×%d image; expected "
              + "0 <= x1 <= x2 <= %d and 0 <= y1 <= y2 <= %d in the image's pixel coordinates "
              + "(clip the box, or check that it belongs to this image and size)", what, b.x1(),
          b.y1(), b.x2(), b.y2(), w, h, w, h);
    }
  }
}
