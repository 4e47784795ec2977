package dev.groundwork.core.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one encoded image (PNG, JPEG or another format ImageIO reads) held in memory into
 * {@code [C, H, W]} floats in [0, 1], exactly as {@link ImageFolders} reads a file: grayscale
 * images from their raw samples, colour images as 8-bit sRGB (luminance {@code 0.299 R + 0.587 G +
 * 0.114 B} for one channel), resized with the same filter when the size differs.
 *
 * <pre>{@code
 * float[] pixels = new float[28 * 28];
 * EncodedImages.decodeInto(pngBytes, 1, 28, 28, pixels, 0, "row 17");
 * }</pre>
 *
 * <p>Used where images arrive as bytes rather than files (a column of a Spark table, a message).
 * Bytes that are empty, not an image, truncated, or declare more than {@code maxPixels} pixels
 * fail with a {@link DataFormatException} naming {@code where}.
 */
public final class EncodedImages {
  /** The largest image decoded, as {@link ImageFolderOptions#DEFAULT_MAX_PIXELS}. */
  public static final long MAX_PIXELS = ImageFolderOptions.DEFAULT_MAX_PIXELS;

  private EncodedImages() {}

  /**
   * Decodes {@code bytes} into {@code channels × height × width} floats at {@code offset} of
   * {@code dst} (channel planes, each row-major).
   *
   * @param where names the image in errors (a row id, a file)
   * @throws DataFormatException naming {@code where} if the bytes cannot be decoded
   */
  public static void decodeInto(byte[] bytes, int channels, int height, int width, float[] dst,
      int offset, String where) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if (bytes.length == 0) {
      throw new DataFormatException(where + " is empty (0 bytes), not an image; give PNG or "
          + "JPEG bytes", where, -1, null);
    }
    BufferedImage image = read(bytes, where);
    if (image.getHeight() == height && image.getWidth() == width) {
      ImageFolders.writeChannels(image, channels, dst, offset);
    } else {
      ImageFolders.resize(image, channels, dst, offset, height, width);
    }
  }

  private static BufferedImage read(byte[] bytes, String where) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IIOException("its " + bytes.length + " bytes are not in an image format that "
            + "can be read");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getHeight(0) * reader.getWidth(0);
        if (pixels > MAX_PIXELS) {
          throw new DataFormatException(String.format(Locale.ROOT, "%s declares %d × %d pixels, "
              + "more than %d; shrink it before scoring", where, reader.getHeight(0),
              reader.getWidth(0), MAX_PIXELS), where, -1, null);
        }
        return ImageFolders.readWhole(reader);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DataFormatException d) {
        throw d;
      }
      throw new DataFormatException(where + " cannot be decoded as an image (" + e.getMessage()
          + "); it is not PNG/JPEG, truncated or corrupt: fix or filter it", where, -1, e);
    }
  }
}
