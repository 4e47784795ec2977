package dev.groundwork.core.look;

import dev.groundwork.core.InvalidParameterException;

/**
 * How a {@link Gallery} is drawn: the integer upscale of each image, the number of columns and
 * the size of the caption text.
 *
 * <pre>{@code
 * gallery.withStyle(GalleryStyle.defaults().withScale(4).withColumns(5)).writePng(path);
 * }</pre>
 *
 * @param scale each image pixel becomes {@code scale × scale} pixels, 1 to 32; 0 picks
 *     {@code max(1, 96 / max(H, W))} (28 × 28 → 3, so a tile is 84 pixels)
 * @param columns tiles per row, 1 to 1000; 0 picks one row per class for a per-class gallery and
 *     {@code min(tiles, 8)} otherwise
 * @param textScale each font pixel becomes {@code textScale × textScale} pixels, 1 to 8 (1: a
 *     character is 5 × 7 pixels on a 6-pixel advance)
 */
public record GalleryStyle(int scale, int columns, int textScale) {

  /** The tile size the automatic scale aims at, in pixels. */
  public static final int TARGET_TILE = 96;

  /** Checks the ranges. */
  public GalleryStyle {
    InvalidParameterException.check(scale >= 0 && scale <= 32,
        "scale must be 0 (automatic) or 1 to 32, got %d", scale);
    InvalidParameterException.check(columns >= 0 && columns <= 1000,
        "columns must be 0 (automatic) or 1 to 1000, got %d", columns);
    InvalidParameterException.check(textScale >= 1 && textScale <= 8,
        "textScale must be 1 to 8, got %d", textScale);
  }

  /** Automatic scale and columns, text scale 1. */
  public static GalleryStyle defaults() {
    return new GalleryStyle(0, 0, 1);
  }

  /** This style with another image scale (0 = automatic). */
  public GalleryStyle withScale(int newScale) {
    return new GalleryStyle(newScale, columns, textScale);
  }

  /** This style with another column count (0 = automatic). */
  public GalleryStyle withColumns(int newColumns) {
    return new GalleryStyle(scale, newColumns, textScale);
  }

  /** This style with another text scale. */
  public GalleryStyle withTextScale(int newTextScale) {
    return new GalleryStyle(scale, columns, newTextScale);
  }

  /** The scale used for images of {@code height × width}. */
  int scaleFor(int height, int width) {
    return scale > 0 ? scale : Math.max(1, TARGET_TILE / Math.max(height, width));
  }
}
