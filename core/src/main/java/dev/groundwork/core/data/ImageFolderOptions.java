package dev.groundwork.core.data;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * How {@link ImageFolders} reads an image folder: target size, channels, which classes and files,
 * and whether bad files are skipped. Immutable; make one with {@link #builder()}.
 *
 * <pre>{@code
 * ImageFolderOptions options = ImageFolderOptions.builder()
 *     .size(64, 64)            // resize every image to 64 high × 64 wide
 *     .grayscale(true)         // 1 channel instead of 3
 *     .skipBadImages(true)     // skip unreadable files, listed in the load report
 *     .build();
 * }</pre>
 *
 * <p>Defaults: images keep their size (all must then have the same size), RGB (3 channels), bad
 * files fail the load, classes are the sorted subfolder names, {@code png}, {@code jpg} and
 * {@code jpeg} files are read, and an image may have at most {@link #DEFAULT_MAX_PIXELS} pixels.
 */
public final class ImageFolderOptions {

  /** The file extensions read by default. */
  public static final List<String> DEFAULT_EXTENSIONS = List.of("png", "jpg", "jpeg");

  /**
   * The default {@link #maxPixels()}: 100 megapixels, e.g. 10,000 × 10,000. Decoding such an image
   * holds about 300 MB (3 bytes a pixel) while it is resized.
   */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  private static final ImageFolderOptions DEFAULTS = builder().build();

  private final int height;
  private final int width;
  private final boolean grayscale;
  private final boolean skipBadImages;
  private final List<String> classes;
  private final List<String> extensions;
  private final long maxPixels;

  private ImageFolderOptions(Builder b) {
    this.height = b.height;
    this.width = b.width;
    this.grayscale = b.grayscale;
    this.skipBadImages = b.skipBadImages;
    this.classes = b.classes == null ? null : List.copyOf(b.classes);
    this.extensions = List.copyOf(b.extensions);
    this.maxPixels = b.maxPixels;
  }

  /** The default options: original size, RGB, no skipping, classes from the subfolders. */
  public static ImageFolderOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The height images are resized to, if a size was set. */
  public OptionalInt height() {
    return height == 0 ? OptionalInt.empty() : OptionalInt.of(height);
  }

  /** The width images are resized to, if a size was set. */
  public OptionalInt width() {
    return width == 0 ? OptionalInt.empty() : OptionalInt.of(width);
  }

  /** Whether images become one luminance channel instead of three RGB channels. */
  public boolean grayscale() {
    return grayscale;
  }

  /** The number of channels of each input: 1 for grayscale, 3 for RGB. */
  public int channels() {
    return grayscale ? 1 : 3;
  }

  /** Whether unreadable files found at load time are skipped (and reported) instead of failing. */
  public boolean skipBadImages() {
    return skipBadImages;
  }

  /** The explicit class list, in label order, if one was given. */
  public Optional<List<String>> classes() {
    return Optional.ofNullable(classes);
  }

  /** The file extensions that are read, lower case without the dot. */
  public List<String> extensions() {
    return extensions;
  }

  /**
   * The most pixels (width × height, from the file's header) an image may have; a larger one is a
   * bad file, found at load before any pixel is decoded. Default {@link #DEFAULT_MAX_PIXELS}.
   */
  public long maxPixels() {
    return maxPixels;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageFolderOptions x && height == x.height && width == x.width
        && grayscale == x.grayscale && skipBadImages == x.skipBadImages
        && Objects.equals(classes, x.classes) && extensions.equals(x.extensions)
        && maxPixels == x.maxPixels;
  }

  @Override
  public int hashCode() {
    return Objects.hash(height, width, grayscale, skipBadImages, classes, extensions, maxPixels);
  }

  @Override
  public String toString() {
    return "ImageFolderOptions[size=" + (height == 0 ? "original" : height + "×" + width)
        + ", " + (grayscale ? "grayscale" : "RGB") + (skipBadImages ? ", skipBadImages" : "")
        + (classes == null ? "" : ", classes=" + classes) + ", extensions=" + extensions
        + (maxPixels == DEFAULT_MAX_PIXELS ? "" : ", maxPixels=" + maxPixels) + "]";
  }

  /** Builds {@link ImageFolderOptions}; every value is checked in {@link #build()}. */
  public static final class Builder {
    private int height;
    private int width;
    private boolean sizeSet;
    private boolean grayscale;
    private boolean skipBadImages;
    private List<String> classes;
    private List<String> extensions = DEFAULT_EXTENSIONS;
    private long maxPixels = DEFAULT_MAX_PIXELS;

    private Builder() {}

    /**
     * Resizes every image to {@code height × width} at decode time (bilinear, widened when
     * shrinking); without it all images must have the size of the first one.
     */
    public Builder size(int height, int width) {
      this.height = height;
      this.width = width;
      this.sizeSet = true;
      return this;
    }

    /** Converts images to one channel of luminance {@code 0.299 R + 0.587 G + 0.114 B}. */
    public Builder grayscale(boolean grayscale) {
      this.grayscale = grayscale;
      return this;
    }

    /**
     * Skips files that cannot be read at load time, counting and naming them in the dataset's
     * {@link LoadReport}, instead of failing the load.
     */
    public Builder skipBadImages(boolean skipBadImages) {
      this.skipBadImages = skipBadImages;
      return this;
    }

    /**
     * Fixes the classes and their label order; a subfolder not in the list fails the load, and a
     * class without a subfolder has no examples. Use it to keep labels the same across folders.
     */
    public Builder classes(List<String> classes) {
      this.classes = new ArrayList<>(Objects.requireNonNull(classes, "classes"));
      return this;
    }

    /** The file extensions to read (case-insensitive, with or without the dot). */
    public Builder extensions(String... extensions) {
      List<String> normalized = new ArrayList<>();
      for (String e : extensions) {
        String x = Objects.requireNonNull(e, "extension").strip().toLowerCase(Locale.ROOT);
        normalized.add(x.startsWith(".") ? x.substring(1) : x);
      }
      this.extensions = normalized.stream().distinct().toList();
      return this;
    }

    /**
     * The most pixels (width × height) an image may have, read from its header at load: a larger
     * image is a bad file ({@link DataFormatException} naming it, or skipped and reported with
     * {@link #skipBadImages(boolean)}) and is never decoded. A small file can declare a huge image
     * (a PNG of 20,000 × 20,000 black pixels is 50 KB), and decoding one holds all its pixels.
     */
    public Builder maxPixels(long maxPixels) {
      this.maxPixels = maxPixels;
      return this;
    }

    /**
     * Checks the values and builds the options.
     *
     * @throws InvalidParameterException if the size is not positive or too large, the class list
     *     is empty or has duplicate or invalid names, an extension has no image reader, or the
     *     pixel limit is below 1
     */
    public ImageFolderOptions build() {
      if (sizeSet) {
        InvalidParameterException.check(height >= 1 && width >= 1,
            "size must be positive, got height %d and width %d", height, width);
        InvalidParameterException.check((long) height * width * 3 <= Integer.MAX_VALUE,
            "size %d×%d is too large for one float array; use a smaller size", height, width);
      }
      if (classes != null) {
        InvalidParameterException.check(!classes.isEmpty(),
            "classes must name at least one class, got an empty list");
        Set<String> seen = new HashSet<>();
        for (String c : classes) {
          InvalidParameterException.check(c != null && !c.isBlank() && !c.startsWith(".")
              && c.indexOf('/') < 0 && c.indexOf('\\') < 0,
              "class name '%s' in classes %s is not a folder name; use a non-empty name "
                  + "without '/' or '\\' that does not start with '.'", c, classes);
          InvalidParameterException.check(seen.add(c), "class '%s' is listed twice in classes %s",
              c, classes);
        }
      }
      InvalidParameterException.check(maxPixels >= 1,
          "maxPixels must be at least 1, got %d", maxPixels);
      InvalidParameterException.check(!extensions.isEmpty(),
          "extensions must name at least one file extension, got none");
      List<String> readable = Arrays.asList(ImageIO.getReaderFileSuffixes());
      for (String e : extensions) {
        InvalidParameterException.check(ImageIO.getImageReadersBySuffix(e).hasNext(),
            "extension '%s' has no image reader; readable extensions are %s", e, readable);
      }
      return new ImageFolderOptions(this);
    }
  }
}
