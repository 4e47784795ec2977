package dev.groundwork.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image bytes decode to exactly what {@link ImageFolders} reads from the same file. */
class EncodedImagesTest {

  static BufferedImage colour(int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    return image;
  }

  /** The floats ImageFolders gives for {@code image} saved as {@code format}, at the size. */
  static float[] fromFolder(Path dir, BufferedImage image, String format,
      ImageFolderOptions options) throws IOException {
    Path cls = Files.createDirectories(dir.resolve("a"));
    ImageIO.write(image, format, cls.resolve("x." + format).toFile());
    return ((TensorInput) ImageFolders.load(dir, options).input(0)).values();
  }

  @Test
  void pngAndJpegBytesDecodeLikeAnImageFolder(@TempDir Path dir) throws IOException {
    BufferedImage image = colour(12, 9, 3);
    for (String format : new String[] {"png", "jpg"}) {
      for (ImageFolderOptions options : new ImageFolderOptions[] {ImageFolderOptions.defaults(),
          ImageFolderOptions.builder().grayscale(true).build(),
          ImageFolderOptions.builder().size(5, 7).build()}) {
        Path sub = Files.createTempDirectory(dir, format);
        float[] expected = fromFolder(sub, image, format, options);
        byte[] bytes = Files.readAllBytes(sub.resolve("a/x." + format));
        int c = options.channels();
        int h = options.height().orElse(12);
        int w = options.width().orElse(9);
        float[] got = new float[c * h * w + 3];
        EncodedImages.decodeInto(bytes, c, h, w, got, 3, "row 1");
        assertThat(Arrays.copyOfRange(got, 3, got.length)).as("%s %s", format, options)
            .containsExactly(expected);
      }
    }
  }

  @Test
  void badBytesAreADataFormatErrorNamingTheImage() {
    float[] dst = new float[4];
    assertThatThrownBy(() -> EncodedImages.decodeInto(new byte[0], 1, 2, 2, dst, 0, "id 7"))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("id 7 is empty");
    assertThatThrownBy(() -> EncodedImages.decodeInto("not an image".getBytes(), 1, 2, 2, dst, 0,
        "id 8")).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("id 8 cannot be decoded as an image")
        .hasMessageContaining("12 bytes are not in an image format");
  }
}
