package dev.groundwork.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.InvalidParameterException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntBinaryOperator;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFoldersTest {
  private static final int RED = 0xFF0000;
  private static final int GREEN = 0x00FF00;
  private static final int BLUE = 0x0000FF;
  private static final float EPS = 1e-6f;

  @TempDir Path tmp;

  // ---------------------------------------------------------------- fixtures

  private static BufferedImage image(int width, int height, IntBinaryOperator rgbAt) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, rgbAt.applyAsInt(x, y));
      }
    }
    return img;
  }

  private static Path write(BufferedImage img, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    String name = file.getFileName().toString().toLowerCase();
    String format = name.endsWith(".png") ? "png" : name.endsWith(".gif") ? "gif" : "jpg";
    assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
    return file;
  }

  private Path uniform(String relative, int width, int height, int rgb) throws IOException {
    return write(image(width, height, (x, y) -> rgb), tmp.resolve("root").resolve(relative));
  }

  private Path noisy(String relative, int width, int height, long seed) throws IOException {
    Random r = new Random(seed);
    return write(image(width, height, (x, y) -> r.nextInt() & 0xFFFFFF),
        tmp.resolve("root").resolve(relative));
  }

  private Path root() {
    return tmp.resolve("root");
  }

  /** 8 wide × 6 high: red, green, blue in the top-left row, (10, 128, 255) at the bottom right. */
  private static BufferedImage known() {
    return image(8, 6, (x, y) -> y == 0 && x == 0 ? RED : y == 0 && x == 1 ? GREEN
        : y == 0 && x == 2 ? BLUE : x == 7 && y == 5 ? (10 << 16 | 128 << 8 | 255) : 0);
  }

  /** Value of channel c at (x, y) in a CHW tensor of width w and height h. */
  private static float at(TensorInput t, int c, int y, int x) {
    int h = t.shape()[1];
    int w = t.shape()[2];
    return t.values()[c * h * w + y * w + x];
  }

  private static TensorInput tensor(Dataset d, int i) {
    return (TensorInput) d.get(i).input();
  }

  // ---------------------------------------------------------------- structure

  @Test
  void classesLabelsIdsAndMetadataFollowTheFolders() throws IOException {
    uniform("cat/b.png", 8, 6, RED);
    uniform("cat/a.png", 8, 6, GREEN);
    uniform("dog/c.png", 8, 6, BLUE);
    uniform("bird/x.jpg", 8, 6, BLUE);

    Dataset d = ImageFolders.load(root());

    assertThat(d.name()).isEqualTo("root");
    assertThat(d.classes()).containsExactly("bird", "cat", "dog");
    assertThat(d.ids()).containsExactly("bird/x.jpg", "cat/a.png", "cat/b.png", "dog/c.png");
    assertThat(d.labels()).containsExactly(0, 1, 1, 2);
    assertThat(d.metadata(2)).isEqualTo(Map.of("file", "cat/b.png", "width", "8", "height", "6"));
    assertThat(d.spec()).isEqualTo(DatasetSpec.image(3, 6, 8, List.of("bird", "cat", "dog")));
    assertThat(d.origin()).isEqualTo("image folder " + root() + " (4 images, 3 classes)");
    assertThat(d.loadReport()).isEqualTo(LoadReport.clean(4));
  }

  @Test
  void explicitClassesFixTheLabelOrderAndMayHaveNoFolder() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    uniform("dog/b.png", 8, 6, RED);

    Dataset d = ImageFolders.load(root(),
        ImageFolderOptions.builder().classes(List.of("dog", "cat", "bird")).build());

    assertThat(d.classes()).containsExactly("dog", "cat", "bird");
    assertThat(d.ids()).containsExactly("dog/b.png", "cat/a.png");
    assertThat(d.labels()).containsExactly(0, 1);
    assertThat(d.classCounts()).containsExactly(1, 1, 0);
  }

  @Test
  void extensionsAreCaseInsensitiveAndNonImagesAreIgnoredButCounted() throws IOException {
    uniform("cat/A.PNG", 8, 6, RED);
    uniform("cat/b.JpEg", 8, 6, RED);
    Files.writeString(root().resolve("cat/notes.txt"), "not an image");
    Files.writeString(root().resolve("cat/.DS_Store"), "junk");
    Files.writeString(root().resolve("README.md"), "about");
    Files.createDirectories(root().resolve(".ipynb_checkpoints"));

    Dataset d = ImageFolders.load(root());

    assertThat(d.classes()).containsExactly("cat");
    assertThat(d.ids()).containsExactly("cat/A.PNG", "cat/b.JpEg");
    assertThat(d.origin()).endsWith("(2 images, 1 classes; 4 other files ignored)");
  }

  // ---------------------------------------------------------------- pixels

  @Test
  void pngPixelsDecodeExactlyAsRgbChw() throws IOException {
    write(known(), root().resolve("a/img.png"));

    TensorInput t = tensor(ImageFolders.load(root()), 0);

    assertThat(t.shape()).containsExactly(3, 6, 8);
    assertThat(new float[] {at(t, 0, 0, 0), at(t, 1, 0, 0), at(t, 2, 0, 0)})
        .containsExactly(1f, 0f, 0f);
    assertThat(new float[] {at(t, 0, 0, 1), at(t, 1, 0, 1), at(t, 2, 0, 1)})
        .containsExactly(0f, 1f, 0f);
    assertThat(new float[] {at(t, 0, 0, 2), at(t, 1, 0, 2), at(t, 2, 0, 2)})
        .containsExactly(0f, 0f, 1f);
    assertThat(new float[] {at(t, 0, 5, 7), at(t, 1, 5, 7), at(t, 2, 5, 7)})
        .containsExactly(10 / 255f, 128 / 255f, 1f);
    double sum = 0;
    for (float v : t.values()) {
      sum += v;
    }
    assertThat(sum).isCloseTo(3 + (10 + 128 + 255) / 255.0, within(1e-5));
  }

  @Test
  void grayscaleConvertsByLuminance() throws IOException {
    write(known(), root().resolve("a/img.png"));

    Dataset d = ImageFolders.load(root(), ImageFolderOptions.builder().grayscale(true).build());
    TensorInput t = tensor(d, 0);

    assertThat(d.spec().inputShape()).containsExactly(1, 6, 8);
    assertThat(t.shape()).containsExactly(1, 6, 8);
    assertThat(at(t, 0, 0, 0)).isCloseTo(0.299f, within(1 / 255f));
    assertThat(at(t, 0, 0, 1)).isCloseTo(0.587f, within(1 / 255f));
    assertThat(at(t, 0, 0, 2)).isCloseTo(0.114f, within(1 / 255f));
    assertThat(at(t, 0, 5, 7))
        .isCloseTo((0.299f * 10 + 0.587f * 128 + 0.114f * 255) / 255, within(1 / 255f));
    assertThat(at(t, 0, 3, 3)).isZero();
  }

  @Test
  void grayPngIsReadFromItsRawSamples() throws IOException {
    BufferedImage gray = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(4, 2, 0, 128);
    write(gray, root().resolve("a/gray.png"));

    TensorInput rgb = tensor(ImageFolders.load(root()), 0);
    TensorInput one = tensor(
        ImageFolders.load(root(), ImageFolderOptions.builder().grayscale(true).build()), 0);

    // Java's getRGB would gamma-map 128 to 188; the raw sample must come through unchanged.
    assertThat(new float[] {at(rgb, 0, 2, 4), at(rgb, 1, 2, 4), at(rgb, 2, 2, 4)})
        .containsExactly(128 / 255f, 128 / 255f, 128 / 255f);
    assertThat(at(one, 0, 2, 4)).isEqualTo(128 / 255f);
    assertThat(at(one, 0, 0, 0)).isZero();
  }

  @Test
  void jpegDecodesCloseToItsColour() throws IOException {
    uniform("a/img.jpg", 16, 16, 200 << 16 | 100 << 8 | 50);

    TensorInput t = tensor(ImageFolders.load(root()), 0);

    assertThat(t.shape()).containsExactly(3, 16, 16);
    assertThat(at(t, 0, 7, 7)).isCloseTo(200 / 255f, within(4 / 255f));
    assertThat(at(t, 1, 7, 7)).isCloseTo(100 / 255f, within(4 / 255f));
    assertThat(at(t, 2, 7, 7)).isCloseTo(50 / 255f, within(4 / 255f));
  }

  @Test
  void resizeGivesTheRequestedShapeAndKeepsOriginalSizeInMetadata() throws IOException {
    uniform("a/small.png", 8, 6, 0x336699);
    uniform("a/large.png", 12, 10, 0x336699);

    Dataset d = ImageFolders.load(root(), ImageFolderOptions.builder().size(4, 5).build());

    assertThat(d.spec().inputShape()).containsExactly(3, 4, 5);
    assertThat(d.metadata(0)).containsEntry("width", "12").containsEntry("height", "10");
    for (int i = 0; i < d.size(); i++) {
      TensorInput t = tensor(d, i);
      assertThat(t.shape()).containsExactly(3, 4, 5);
      for (int p = 0; p < 20; p++) {
        assertThat(t.values()[p]).isCloseTo(0x33 / 255f, within(EPS));
        assertThat(t.values()[20 + p]).isCloseTo(0x66 / 255f, within(EPS));
        assertThat(t.values()[40 + p]).isCloseTo(0x99 / 255f, within(EPS));
      }
    }
  }

  @Test
  void shrinkingBlendsNeighboursAndSameSizeIsExact() throws IOException {
    write(image(8, 2, (x, y) -> x < 4 ? 0xFFFFFF : 0), root().resolve("a/half.png"));

    TensorInput shrunk = tensor(ImageFolders.load(root(),
        ImageFolderOptions.builder().size(2, 4).grayscale(true).build()), 0);
    TensorInput same = tensor(ImageFolders.load(root(),
        ImageFolderOptions.builder().size(2, 8).grayscale(true).build()), 0);

    assertThat(at(shrunk, 0, 0, 0)).isEqualTo(1f);
    assertThat(at(shrunk, 0, 0, 3)).isEqualTo(0f);
    assertThat(at(shrunk, 0, 0, 1)).isStrictlyBetween(at(shrunk, 0, 0, 2), 1f);
    assertThat(at(shrunk, 0, 0, 2)).isStrictlyBetween(0f, 0.5f);
    assertThat(same.values()).containsExactly(1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0);
  }

  // ---------------------------------------------------------------- laziness and batching

  @Test
  void pixelsAreDecodedOnlyForTouchedExamples() throws IOException {
    for (int i = 0; i < 5; i++) {
      uniform("a/" + i + ".png", 8, 6, RED);
    }
    AtomicInteger decodes = new AtomicInteger();

    Dataset d = ImageFolders.load(root(), ImageFolderOptions.defaults(),
        decodes::incrementAndGet);
    d.ids();
    d.labels();
    d.metadata(3);
    assertThat(decodes).hasValue(0);

    // Replaced after loading: get(3) must read the file now, not a copy made at load time.
    uniform("a/3.png", 8, 6, BLUE);
    TensorInput t = tensor(d, 3);
    assertThat(decodes).hasValue(1);
    assertThat(new float[] {at(t, 0, 0, 0), at(t, 2, 0, 0)}).containsExactly(0f, 1f);

    d.get(1);
    assertThat(decodes).hasValue(2);
  }

  @Test
  void batchesDecodeStraightIntoTheBatchArray() throws IOException {
    for (int i = 0; i < 3; i++) {
      int v = 40 * (i + 1);
      uniform("a/" + i + ".png", 4, 2, v << 16 | v << 8 | v);
    }
    Dataset d = ImageFolders.load(root());

    List<Batch> batches = new ArrayList<>();
    d.batches(2).forEach(batches::add);

    assertThat(batches).hasSize(2);
    assertThat(batches.get(0).shape()).containsExactly(2, 3, 2, 4);
    float[] second = Arrays.copyOfRange(batches.get(0).inputs(), 24, 48);
    assertThat(second).isEqualTo(tensor(d, 1).values());
    assertThat(second[0]).isEqualTo(80 / 255f);
    assertThat(batches.get(1).inputs()).isEqualTo(tensor(d, 2).values());
  }

  @Test
  void parallelDecodingGivesTheSameValues() throws IOException {
    for (int i = 0; i < 12; i++) {
      noisy("c" + i % 3 + "/" + i + ".png", 9, 7, i);
    }
    Dataset d = ImageFolders.load(root(), ImageFolderOptions.builder().size(5, 4).build());

    List<Input> sequential = IntStream.range(0, d.size()).mapToObj(d::input).toList();
    List<Input> parallel = IntStream.range(0, d.size()).parallel().mapToObj(d::input).toList();

    assertThat(parallel).isEqualTo(sequential);
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void missingRootIsDataNotFound() {
    Path missing = tmp.resolve("nope");

    DataNotFoundException e = catchThrowableOfType(DataNotFoundException.class,
        () -> ImageFolders.load(missing));

    assertThat(e).hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    assertThat(e.source()).contains(missing.toString());
  }

  @Test
  void rootThatIsAFileIsDataNotFound() throws IOException {
    Path file = Files.writeString(tmp.resolve("images.zip"), "PK");

    assertThatThrownBy(() -> ImageFolders.load(file))
        .isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is a file, not a folder");
  }

  @Test
  void rootWithoutClassFoldersIsEmpty() throws IOException {
    Files.createDirectories(root());
    uniform("loose.png", 8, 6, RED);

    assertThatThrownBy(() -> ImageFolders.load(root()))
        .isInstanceOf(EmptyDatasetException.class)
        .hasMessageContaining("has no class subfolders")
        .hasMessageContaining("1 images directly");
  }

  @Test
  void classFoldersWithoutImagesAreEmpty() throws IOException {
    Files.createDirectories(root().resolve("cat"));
    Files.writeString(root().resolve("cat/notes.txt"), "x");

    EmptyDatasetException e = catchThrowableOfType(EmptyDatasetException.class,
        () -> ImageFolders.load(root()));

    assertThat(e).hasMessageContaining("has no [png, jpg, jpeg] images")
        .hasMessageContaining("[cat]");
    assertThat(e.source()).contains(root().toString());
  }

  @Test
  void garbagePngFailsNamingTheFile() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    Path bad = Files.write(root().resolve("cat/b.png"), "definitely not a png".getBytes());

    DataFormatException e = catchThrowableOfType(DataFormatException.class,
        () -> ImageFolders.load(root()));

    assertThat(e).hasMessageContaining("b.png").hasMessageContaining("skipBadImages(true)");
    assertThat(e.source()).contains(bad.toString());
    assertThat(e.record()).hasValue(1);
  }

  @Test
  void pngWithTruncatedHeaderFailsAtLoad() throws IOException {
    Path file = uniform("cat/a.png", 8, 6, RED);
    Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 20));

    DataFormatException e = catchThrowableOfType(DataFormatException.class,
        () -> ImageFolders.load(root()));

    assertThat(e).hasMessageContaining("a.png").hasMessageContaining("not a readable image");
    assertThat(e.source()).contains(file.toString());
  }

  @Test
  void pngWithTruncatedPixelsFailsWhenDecoded() throws IOException {
    uniform("cat/a.png", 64, 48, RED);
    Path file = noisy("cat/b.png", 64, 48, 7);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

    Dataset d = ImageFolders.load(root());
    assertThat(d.size()).isEqualTo(2);
    assertThat(tensor(d, 0).values()[0]).isEqualTo(1f);

    DataFormatException e = catchThrowableOfType(DataFormatException.class, () -> d.get(1));
    assertThat(e).hasMessageContaining(file.toString()).hasMessageContaining("truncated");
    assertThat(e.source()).contains(file.toString());
    assertThat(e.record()).hasValue(1);
  }

  @Test
  void jpegWithTruncatedPixelsFailsWhenDecoded() throws IOException {
    Path file = noisy("cat/a.jpg", 64, 48, 3);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

    Dataset d = ImageFolders.load(root());

    DataFormatException e = catchThrowableOfType(DataFormatException.class, () -> d.get(0));
    assertThat(e).hasMessageContaining("a.jpg").hasMessageContaining("premature end");
    assertThat(e.record()).hasValue(0);
  }

  @Test
  void mixedSizesWithoutSizeOptionFailNamingBothSizes() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    Path odd = uniform("cat/b.png", 12, 10, RED);

    DataFormatException e = catchThrowableOfType(DataFormatException.class,
        () -> ImageFolders.load(root()));

    assertThat(e).hasMessageContaining(odd.toString())
        .hasMessageContaining("10 high × 12 wide")
        .hasMessageContaining("cat/a.png is 6 high × 8 wide")
        .hasMessageContaining(".size(6, 8)");
    assertThat(e.source()).contains(odd.toString());
    assertThat(e.record()).hasValue(1);
  }

  @Test
  void subfolderOutsideTheExplicitClassesIsALabelError() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    uniform("cow/b.png", 8, 6, RED);

    LabelException e = catchThrowableOfType(LabelException.class, () -> ImageFolders.load(root(),
        ImageFolderOptions.builder().classes(List.of("cat", "dog")).build()));

    assertThat(e).hasMessageContaining("'cow' is not one of the classes [cat, dog]");
    assertThat(e.source()).contains(root().resolve("cow").toString());
  }

  @Test
  void imageFormatsNotAskedForAreBadFilesNotIgnored() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    uniform("cat/b.gif", 8, 6, RED);

    assertThatThrownBy(() -> ImageFolders.load(root()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("b.gif is a .gif image, but only [png, jpg, jpeg] files are read");

    Dataset withGif = ImageFolders.load(root(),
        ImageFolderOptions.builder().extensions("png", ".GIF").build());
    assertThat(withGif.ids()).containsExactly("cat/a.png", "cat/b.gif");
  }

  /** Writes {@code frames} images of 8 × 6 into one file with ImageIO's GIF or TIFF writer. */
  private Path multiFrame(String relative, String format, int frames) throws IOException {
    Path file = tmp.resolve("root").resolve(relative);
    Files.createDirectories(file.getParent());
    javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    try (var out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int f = 0; f < frames; f++) {
        int rgb = f % 2 == 0 ? RED : GREEN;
        writer.writeToSequence(new javax.imageio.IIOImage(image(8, 6, (x, y) -> rgb), null, null),
            null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    return file;
  }

  @Test
  void animatedGifsAndMultiPageTiffsAreRefusedNamingTheFileAndFrames() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    Path gif = multiFrame("cat/b.gif", "gif", 3);
    ImageFolderOptions gifs = ImageFolderOptions.builder().extensions("png", "gif", "tif").build();
    DataFormatException e = catchThrowableOfType(() -> ImageFolders.load(root(), gifs),
        DataFormatException.class);
    assertThat(e).hasMessageStartingWith(gif + " has 3 frames (an animated GIF); an image folder "
        + "reads one image a file, and reading only the first frame would drop the other 2 "
        + "silently; save the frame you want as a file of its own (or each frame as a file, e.g. "
        + "ImageMagick's 'convert in.gif frame-%d.png')");
    assertThat(e.source()).contains(gif.toString());

    Files.delete(gif);
    Path tiff = multiFrame("cat/c.tif", "tiff", 2);
    assertThatThrownBy(() -> ImageFolders.load(root(), gifs))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(tiff + " has 2 frames (a multi-page TIFF);");

    // told by the content, not the name: an animated GIF saved as .png
    Files.delete(tiff);
    Path disguised = multiFrame("cat/d.png", "gif", 2);
    assertThatThrownBy(() -> ImageFolders.load(root()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(disguised + " has 2 frames (an animated GIF)");

    // skipped and reported when asked; single-frame GIF and TIFF files load as before
    Dataset skipped = ImageFolders.load(root(), ImageFolderOptions.builder()
        .skipBadImages(true).build());
    assertThat(skipped.ids()).containsExactly("cat/a.png");
    assertThat(skipped.loadReport().problems()).singleElement().asString()
        .startsWith("cat/d.png: has 2 frames (an animated GIF)");
    Files.delete(disguised);
    multiFrame("cat/e.gif", "gif", 1);
    multiFrame("cat/f.tif", "tiff", 1);
    Dataset single = ImageFolders.load(root(), gifs);
    assertThat(single.ids()).containsExactly("cat/a.png", "cat/e.gif", "cat/f.tif");
    assertThat(tensor(single, 2).values()[0]).isEqualTo(1f); // red, the only frame
  }

  @Test
  void skipBadImagesSkipsAndReportsThem() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    Files.write(root().resolve("cat/b.png"), new byte[] {1, 2, 3, 4});
    uniform("dog/c.png", 8, 6, BLUE);

    Dataset d = ImageFolders.load(root(),
        ImageFolderOptions.builder().skipBadImages(true).build());

    assertThat(d.ids()).containsExactly("cat/a.png", "dog/c.png");
    assertThat(d.labels()).containsExactly(0, 1);
    assertThat(d.loadReport().loaded()).isEqualTo(2);
    assertThat(d.loadReport().skipped()).isEqualTo(1);
    assertThat(d.loadReport().problems()).singleElement().asString()
        .startsWith("cat/b.png: is not a readable image");
    assertThat(d.summary().toString()).contains("1 skipped");
  }

  @Test
  void skippingEveryImageLeavesAnEmptyDataset() throws IOException {
    Files.createDirectories(root().resolve("cat"));
    Files.write(root().resolve("cat/a.png"), new byte[0]);

    assertThatThrownBy(() -> ImageFolders.load(root(),
        ImageFolderOptions.builder().skipBadImages(true).build()))
        .isInstanceOf(EmptyDatasetException.class)
        .hasMessageContaining("all 1 image files are unreadable")
        .hasMessageContaining("cat/a.png: is empty (0 bytes)");
  }

  // ---------------------------------------------------------------- options

  @Test
  void optionsAreValidatedInBuild() {
    assertThatThrownBy(() -> ImageFolderOptions.builder().size(0, 5).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("size must be positive, got height 0 and width 5" + " — see " + InvalidParameterException.HELP);
    assertThatThrownBy(() -> ImageFolderOptions.builder().classes(List.of()).build())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("classes");
    assertThatThrownBy(() -> ImageFolderOptions.builder().classes(List.of("a", "b", "a")).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("class 'a' is listed twice");
    assertThatThrownBy(() -> ImageFolderOptions.builder().classes(List.of("a/b")).build())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'a/b'");
    assertThatThrownBy(() -> ImageFolderOptions.builder().extensions("xyz").build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("extension 'xyz' has no image reader");
  }

  @Test
  void optionsDefaultsAndValues() {
    ImageFolderOptions d = ImageFolderOptions.defaults();
    assertThat(d.height()).isEmpty();
    assertThat(d.channels()).isEqualTo(3);
    assertThat(d.skipBadImages()).isFalse();
    assertThat(d.classes()).isEmpty();
    assertThat(d.extensions()).containsExactly("png", "jpg", "jpeg");

    ImageFolderOptions o = ImageFolderOptions.builder().size(28, 32).grayscale(true)
        .classes(List.of("x")).build();
    assertThat(o.height()).hasValue(28);
    assertThat(o.width()).hasValue(32);
    assertThat(o.channels()).isEqualTo(1);
    assertThat(o).isEqualTo(ImageFolderOptions.builder().size(28, 32).grayscale(true)
        .classes(List.of("x")).build()).isNotEqualTo(d);
  }

  @Test
  void fifoWithAnImageNameIsABadFileNotIgnored() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    Path fifo = HostileFiles.fifo(root().resolve("cat/b.png"));

    Throwable t = HostileFiles.failsQuickly(() -> ImageFolders.load(root()));
    assertThat(t).isExactlyInstanceOf(DataFormatException.class)
        .hasMessageContaining(fifo + " is a FIFO, socket or device, not a regular image file")
        .hasMessageContaining("skipBadImages(true)");
    assertThat(((DataException) t).source()).contains(fifo.toString());
    assertThat(((DataException) t).record()).hasValue(1);

    Dataset skipped = ImageFolders.load(root(),
        ImageFolderOptions.builder().skipBadImages(true).build());
    assertThat(skipped.ids()).containsExactly("cat/a.png");
    assertThat(skipped.loadReport().problems()).containsExactly(
        "cat/b.png: is a FIFO, socket or device, not a regular image file");
  }

  @Test
  void brokenLinkWithAnImageNameIsABadFile() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    Path link = root().resolve("cat/b.png");
    try {
      Files.createSymbolicLink(link, tmp.resolve("gone.png"));
    } catch (UnsupportedOperationException | IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no symbolic links here: " + e);
    }

    DataFormatException e = catchThrowableOfType(DataFormatException.class,
        () -> ImageFolders.load(root()));
    assertThat(e).hasMessageContaining(link + " is a broken link to " + tmp.resolve("gone.png"));
    assertThat(e.source()).contains(link.toString());
  }

  // ---------------------------------------------------------------- hostile sizes

  @Test
  void tinyPngClaiming400MegapixelsIsRefusedAtLoadWithoutDecoding() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    Path big = HostileFiles.blackPng(root().resolve("cat/big.png"), 20_000, 20_000);
    assertThat(Files.size(big)).isLessThan(1 << 20);
    AtomicInteger decodes = new AtomicInteger();

    DataFormatException e = catchThrowableOfType(DataFormatException.class,
        () -> ImageFolders.load(root(), ImageFolderOptions.builder().size(28, 28).build(),
            decodes::incrementAndGet));

    assertThat(e).isExactlyInstanceOf(DataFormatException.class);
    assertThat(e).hasMessageContaining(big + " is 20000 wide × 20000 high = 400,000,000 pixels, "
        + "more than the limit of 100,000,000").hasMessageContaining(".maxPixels(");
    assertThat(e.source()).contains(big.toString());
    assertThat(e.record()).hasValue(1);
    assertThat(decodes).hasValue(0);

    Dataset skipped = ImageFolders.load(root(),
        ImageFolderOptions.builder().size(28, 28).skipBadImages(true).build());
    assertThat(skipped.ids()).containsExactly("cat/a.png");
    assertThat(skipped.loadReport().problems()).singleElement().asString()
        .startsWith("cat/big.png: is 20000 wide × 20000 high");

    DataFormatException lower = catchThrowableOfType(DataFormatException.class,
        () -> ImageFolders.load(root(), ImageFolderOptions.builder().maxPixels(40).build()));
    assertThat(lower).hasMessageContaining(root().resolve("cat/a.png")
        + " is 8 wide × 6 high = 48 pixels, more than the limit of 40");
  }

  @Test
  void largeImageIsResizedWithoutAFullResolutionFloatCopy() throws IOException {
    HostileFiles.blackPng(root().resolve("cat/big.png"), 4_000, 4_000);
    Dataset d = ImageFolders.load(root(), ImageFolderOptions.builder().size(28, 28).build());
    java.lang.management.ThreadMXBean bean =
        java.lang.management.ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean b && b.isThreadAllocatedMemorySupported(),
        "this JVM cannot measure allocations");
    com.sun.management.ThreadMXBean b = (com.sun.management.ThreadMXBean) bean;
    long id = Thread.currentThread().getId();
    long before = b.getThreadAllocatedBytes(id);

    TensorInput t = tensor(d, 0);

    long allocated = b.getThreadAllocatedBytes(id) - before;
    assertThat(t.shape()).containsExactly(3, 28, 28);
    assertThat(t.values()).containsOnly(0f);
    // 16 megapixels: a float copy would be 192 MB and an ARGB array 64 MB; the decoded 1-bit
    // image is 2 MB and the resize holds 3 × 4,000 × 28 floats.
    assertThat(allocated).as("bytes allocated").isLessThan(48L << 20);
  }

  @Test
  void maxPixelsIsValidatedAndPartOfTheOptions() {
    assertThatThrownBy(() -> ImageFolderOptions.builder().maxPixels(0).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("maxPixels must be at least 1, got 0" + " — see " + InvalidParameterException.HELP);
    assertThat(ImageFolderOptions.defaults().maxPixels())
        .isEqualTo(ImageFolderOptions.DEFAULT_MAX_PIXELS).isEqualTo(100_000_000L);
    ImageFolderOptions o = ImageFolderOptions.builder().maxPixels(5).build();
    assertThat(o.maxPixels()).isEqualTo(5);
    assertThat(o).isNotEqualTo(ImageFolderOptions.defaults());
    assertThat(o.toString()).contains("maxPixels=5");
  }

  // ---------------------------------------------------------------- nothing vanishes silently

  @Test
  void emptyClassFoldersAndUnreadPlacesAreWarnedInTheLoadReport() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    Files.createDirectories(root().resolve("dog"));
    Files.writeString(root().resolve("dog/notes.txt"), "x");
    uniform("cat/more/b.png", 8, 6, RED);
    uniform("loose.png", 8, 6, RED);

    Dataset d = ImageFolders.load(root(),
        ImageFolderOptions.builder().classes(List.of("cat", "dog", "bird")).build());

    assertThat(d.ids()).containsExactly("cat/a.png");
    assertThat(d.loadReport().loaded()).isEqualTo(1);
    assertThat(d.loadReport().skipped()).isZero();
    assertThat(d.loadReport().warnings()).containsExactly(
        "class 'dog' has no examples: its folder dog/ holds no [png, jpg, jpeg] images (1 other "
            + "files ignored)",
        "class 'bird' has no examples: the class list names it, but " + root()
            + " has no folder 'bird'",
        "1 image file is directly in " + root() + ", in no class folder, and not read; move it "
            + "into " + root() + "/<class>/",
        "cat/more/ is a folder inside the class folder cat/; its files are not read: move them "
            + "into cat/ (nested folders are ignored)");
    assertThat(d.summary().toString())
        .contains("load: 1 loaded, none skipped\n  warning: class 'dog' has no examples");
    assertThat(ImageFolders.load(root()).loadReport().warnings())
        .contains("class 'dog' has no examples: its folder dog/ holds no [png, jpg, jpeg] images"
            + " (1 other files ignored)");
  }

  @Test
  void classWhoseImagesWereAllSkippedIsWarned() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    Files.createDirectories(root().resolve("dog"));
    Files.write(root().resolve("dog/b.png"), new byte[] {1, 2, 3});

    Dataset d = ImageFolders.load(root(), ImageFolderOptions.builder().skipBadImages(true).build());

    assertThat(d.loadReport().skipped()).isEqualTo(1);
    assertThat(d.loadReport().warnings()).containsExactly(
        "class 'dog' has no examples: all 1 of its image files were skipped as bad");
    assertThat(d.loadReport().toString()).isEqualTo("1 loaded, 1 skipped:\n"
        + "  dog/b.png: is not a readable image (" + d.loadReport().problems().get(0)
            .substring("dog/b.png: is not a readable image (".length()) + "\n"
        + "  warning: class 'dog' has no examples: all 1 of its image files were skipped as bad");
  }

  @Test
  void rootThatIsAFifoIsRefusedWithoutBlocking() {
    Path fifo = HostileFiles.fifo(tmp.resolve("images"));
    Throwable t = HostileFiles.failsQuickly(() -> ImageFolders.load(fifo));
    assertThat(t).isExactlyInstanceOf(DataNotFoundException.class)
        .hasMessageContaining(fifo + " is a FIFO, socket or device, not a folder");
    assertThat(((DataException) t).source()).contains(fifo.toString());
  }

  @Test
  void imageReplacedByAHugeOneAfterLoadIsRefusedBeforeDecoding() throws IOException {
    uniform("cat/a.png", 8, 6, RED);
    Path b = uniform("cat/b.png", 8, 6, RED);
    Dataset d = ImageFolders.load(root(), ImageFolderOptions.builder().size(4, 4).build());
    HostileFiles.blackPng(b, 20_000, 20_000);

    DataFormatException e = catchThrowableOfType(DataFormatException.class, () -> d.get(1));

    assertThat(e).hasMessageContaining(b + " is 20000 high × 20000 wide, but it was 6 high × 8 "
        + "wide when the folder was loaded; load the folder again");
    assertThat(e.source()).contains(b.toString());
    assertThat(e.record()).hasValue(1);
  }
}
