package dev.groundwork.core.look;

import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.TensorInput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * An RGB pixel buffer drawn pixel by pixel (no {@code Graphics2D}, no fonts, no anti-aliasing), so
 * every render is the same on every machine and runs headless.
 */
final class Raster {

  final int width;
  final int height;
  private final int[] rgb;

  Raster(int width, int height, int background) {
    InvalidParameterException.check(width > 0 && height > 0 && (long) width * height <= 1 << 26,
        "an image of %d × %d pixels cannot be drawn; expected 1 to 2^26 pixels (lower the scale)",
        width, height);
    this.width = width;
    this.height = height;
    this.rgb = new int[width * height];
    Arrays.fill(rgb, background);
  }

  /** Sets one pixel; a pixel off the raster is skipped. */
  void set(int x, int y, int color) {
    if (x >= 0 && y >= 0 && x < width && y < height) {
      rgb[y * width + x] = color;
    }
  }

  /** Fills a rectangle, clipped to the raster. */
  void fill(int x, int y, int w, int h, int color) {
    int x0 = Math.max(0, x);
    int y0 = Math.max(0, y);
    int x1 = Math.min(width, x + w);
    int y1 = Math.min(height, y + h);
    for (int yy = y0; yy < y1; yy++) {
      Arrays.fill(rgb, yy * width + x0, Math.max(yy * width + x0, yy * width + x1), color);
    }
  }

  /** The outline of the rectangle with inclusive corners {@code (x0, y0)}, {@code (x1, y1)}. */
  void outline(int x0, int y0, int x1, int y1, int color) {
    fill(x0, y0, x1 - x0 + 1, 1, color);
    fill(x0, y1, x1 - x0 + 1, 1, color);
    fill(x0, y0, 1, y1 - y0 + 1, color);
    fill(x1, y0, 1, y1 - y0 + 1, color);
  }

  /** A one-pixel line from {@code (x0, y0)} to {@code (x1, y1)}, both ends included (Bresenham). */
  void line(int x0, int y0, int x1, int y1, int color) {
    int dx = Math.abs(x1 - x0);
    int dy = -Math.abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1;
    int sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    while (true) {
      set(x0, y0, color);
      if (x0 == x1 && y0 == y1) {
        return;
      }
      int e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  /**
   * The pixels at distance {@code d} from {@code (cx, cy)} with {@code inner² < d² <= r²}: a
   * filled disk for {@code inner < 0}, a ring otherwise.
   */
  void disk(int cx, int cy, int r, int inner, int color) {
    for (int dy = -r; dy <= r; dy++) {
      for (int dx = -r; dx <= r; dx++) {
        int d2 = dx * dx + dy * dy;
        if (d2 <= r * r && (inner < 0 || d2 > inner * inner)) {
          set(cx + dx, cy + dy, color);
        }
      }
    }
  }

  /** Draws a C×H×W image (1 or 3 channels, in [0, 1]) at {@code (x, y)}, each pixel s×s. */
  void image(TensorInput t, int x, int y, int scale) {
    int[] shape = t.shape();
    int c = shape[0];
    int h = shape[1];
    int w = shape[2];
    float[] v = t.values();
    int plane = h * w;
    for (int row = 0; row < h; row++) {
      for (int col = 0; col < w; col++) {
        int i = row * w + col;
        int r = level(v[i]);
        int color = c == 1 ? r << 16 | r << 8 | r
            : r << 16 | level(v[plane + i]) << 8 | level(v[2 * plane + i]);
        fill(x + col * scale, y + row * scale, scale, scale, color);
      }
    }
  }

  /** A value in [0, 1] as an 8-bit level: {@code round(v × 255)}. */
  static int level(float v) {
    return Math.round(v * 255f);
  }

  /**
   * Checks that {@code input} is an image tiles can show: C×H×W, C = 1 or 3, values in [0, 1].
   *
   * @param what the parameter or example, for the message
   */
  static TensorInput checkImage(Object input, String what) {
    if (!(input instanceof TensorInput t)) {
      throw new InvalidParameterException(what + " is a " + describe(input) + "; tiles and "
          + "overlays need an image (a TensorInput of C×H×W floats in [0, 1], 1 or 3 channels); "
          + "for texts use toString(), toMarkdown() or toHtml()");
    }
    int[] s = t.shape();
    if (s.length != 3 || (s[0] != 1 && s[0] != 3)) {
      throw new InvalidParameterException(what + " has shape " + Arrays.toString(s) + "; tiles and"
          + " overlays need an image of C×H×W with C = 1 (grey) or 3 (RGB)");
    }
    float[] v = t.values();
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0f && v[i] <= 1f)) {
        throw new InvalidParameterException(String.format(Locale.ROOT, "%s has the value %s at "
            + "element %d; tiles and overlays show pixel values in [0, 1] — draw the images "
            + "before normalisation (mean/std)", what, v[i], i));
      }
    }
    return t;
  }

  private static String describe(Object input) {
    return input == null ? "missing input" : input.getClass().getSimpleName();
  }

  /** A copy as an RGB image. */
  BufferedImage toImage() {
    BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    im.setRGB(0, 0, width, height, rgb, 0, width);
    return im;
  }

  /** PNG bytes of an image (ImageIO's writer, no metadata, the same bytes on every run). */
  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new GroundworkException("this JVM has no PNG writer (javax.imageio); use a full JDK");
      }
    } catch (IOException e) {
      throw new GroundworkException("could not encode a PNG: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** Writes PNG bytes to {@code file} atomically. */
  static void writePng(Path file, byte[] png, String what) {
    AtomicFiles.write(file, what, out -> out.write(png));
  }

  /** A {@code data:} URI of PNG bytes. */
  static String dataUri(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }

  /** Escapes text for HTML (the report package's escaping). */
  static String html(String s) {
    return dev.groundwork.core.report.Html.escape(s);
  }

  /** Escapes text for a Markdown table cell. */
  static String markdown(String s) {
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }
}
