package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.TensorInput;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Image attributes computed from pixels, added to predictions as numeric metadata so that slices
 * find image failures (dark, low-contrast, blurry, small or elongated objects) when a dataset has no
 * metadata.
 *
 * <p>Per image, on the grey level (the mean over channels) of a {@code C×H×W} or {@code H×W}
 * tensor:
 *
 * <ul>
 *   <li>{@code image.brightness}: the mean;
 *   <li>{@code image.contrast}: the standard deviation (population);
 *   <li>{@code image.sharpness}: the variance of the 4-neighbour Laplacian over interior pixels;
 *   <li>{@code image.foreground}: the fraction of pixels differing from the background (the mean
 *       of the border pixels) by more than {@value #FOREGROUND_THRESHOLD} × the image's range;
 *   <li>{@code image.aspect}: width / height of the foreground's bounding box (missing without
 *       foreground).
 * </ul>
 *
 * <pre>{@code
 * var p = ImageAttributes.addTo(ClassificationPredictions.fromDataset(test, probs));
 * }</pre>
 */
public final class ImageAttributes {

  /** The foreground threshold, as a fraction of the image's max − min. */
  public static final double FOREGROUND_THRESHOLD = 0.1;

  /** The attribute names, in the order of {@link Measures}. */
  public static final List<String> NAMES = List.of("image.brightness", "image.contrast",
      "image.sharpness", "image.foreground", "image.aspect");

  private ImageAttributes() {}

  /** The measures of one image; NaN where undefined. */
  public record Measures(double brightness, double contrast, double sharpness,
      double foreground, double aspectRatio) {}

  /** Whether an input is an image tensor ({@code H×W} or {@code C×H×W} with C ≤ 4). */
  static boolean isImage(Input in) {
    return in instanceof TensorInput t && (t.shape().length == 2
        || (t.shape().length == 3 && t.shape()[0] <= 4));
  }

  /** Measures one image ({@code C×H×W} or {@code H×W}). */
  public static Measures measure(TensorInput image) {
    Objects.requireNonNull(image, "image");
    int[] s = image.shape();
    InvalidParameterException.check(s.length == 2 || s.length == 3,
        "an image has shape H×W or C×H×W, got %s", Arrays.toString(s));
    int ch = s.length == 3 ? s[0] : 1;
    int h = s[s.length - 2];
    int w = s[s.length - 1];
    float[] v = image.values();
    double[] g = new double[h * w];
    for (int c = 0; c < ch; c++) {
      for (int i = 0; i < h * w; i++) {
        g[i] += v[c * h * w + i] / (double) ch;
      }
    }
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : g) {
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    double mean = sum / g.length;
    double ss = 0;
    for (double x : g) {
      ss += (x - mean) * (x - mean);
    }
    double contrast = Math.sqrt(ss / g.length);
    double sharpness = Double.NaN;
    if (h >= 3 && w >= 3) {
      double ls = 0;
      double lss = 0;
      int cnt = 0;
      for (int y = 1; y < h - 1; y++) {
        for (int x = 1; x < w - 1; x++) {
          int i = y * w + x;
          double lap = g[i - w] + g[i + w] + g[i - 1] + g[i + 1] - 4 * g[i];
          ls += lap;
          lss += lap * lap;
          cnt++;
        }
      }
      double lm = ls / cnt;
      sharpness = Math.max(0, lss / cnt - lm * lm);
    }
    double border = 0;
    int bn = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (y == 0 || x == 0 || y == h - 1 || x == w - 1) {
          border += g[y * w + x];
          bn++;
        }
      }
    }
    double bg = border / bn;
    double tau = FOREGROUND_THRESHOLD * (max - min);
    int fg = 0;
    int x0 = w;
    int x1 = -1;
    int y0 = h;
    int y1 = -1;
    if (max > min) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          if (Math.abs(g[y * w + x] - bg) > tau) {
            fg++;
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y0 = Math.min(y0, y);
            y1 = Math.max(y1, y);
          }
        }
      }
    }
    double aspect = fg == 0 ? Double.NaN : (double) (x1 - x0 + 1) / (y1 - y0 + 1);
    return new Measures(mean, contrast, sharpness, (double) fg / g.length, aspect);
  }

  /**
   * The predictions with the five image attributes of the dataset they were made for ({@link
   * ClassificationPredictions#fromDataset}).
   *
   * @throws InvalidParameterException if the predictions have no dataset or its inputs are not
   *     images
   */
  public static ClassificationPredictions addTo(ClassificationPredictions p) {
    Dataset d = p.dataset().orElseThrow(() -> new InvalidParameterException(
        "the predictions have no dataset to read pixels from; build them with "
            + "ClassificationPredictions.fromDataset(...) or call addTo(predictions, dataset)"));
    return addTo(p, d);
  }

  /**
   * The predictions with the five image attributes of {@code images}, which must hold the same
   * examples in the same order.
   */
  public static ClassificationPredictions addTo(ClassificationPredictions p, Dataset images) {
    InvalidParameterException.check(images.size() == p.size(),
        "the dataset has %s examples but the predictions %s", images.size(), p.size());
    double[][] cols = new double[5][p.size()];
    for (int i = 0; i < p.size(); i++) {
      InvalidParameterException.check(images.id(i).equals(p.id(i)),
          "example %s of the dataset is '%s' but of the predictions '%s'; align them first", i,
          images.id(i), p.id(i));
      Input in = images.input(i);
      if (!isImage(in)) {
        throw new InvalidParameterException("example " + images.id(i) + " of " + images.name()
            + " is not an image tensor (H×W or C×H×W): " + in);
      }
      Measures m = measure((TensorInput) in);
      cols[0][i] = m.brightness();
      cols[1][i] = m.contrast();
      cols[2][i] = m.sharpness();
      cols[3][i] = m.foreground();
      cols[4][i] = m.aspectRatio();
    }
    ClassificationPredictions out = p;
    for (int k = 0; k < 5; k++) {
      out = out.withColumn(AttributeColumn.numeric(NAMES.get(k), cols[k]));
    }
    return out;
  }
}
