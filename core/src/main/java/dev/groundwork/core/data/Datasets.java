package dev.groundwork.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Entry points for loading datasets: IDX files, Fashion-MNIST, image folders, CSV and JSONL.
 *
 * <pre>{@code
 * Split fm = Datasets.fashionMnist();          // full set if installed, else the embedded subset
 * Dataset cats = Datasets.imageFolder(Path.of("photos"));
 * Dataset reviews = Datasets.csv(Path.of("reviews.csv"),
 *     TableOptions.builder().text("review").label("stars").build());
 * }</pre>
 */
public final class Datasets {

  /** Where Debian's {@code dataset-fashion-mnist} package installs the full dataset. */
  public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  /** The Fashion-MNIST class names, in label order. */
  public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser",
      "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private static final String SUBSET = "/dev/groundwork/core/data/fashion-mnist-subset/";

  private Datasets() {}

  /**
   * Loads an IDX image file and its label file (gzipped or plain); labels are named {@code "0"},
   * {@code "1"}, … up to the largest label found. A value below the largest that no record has
   * still becomes a class, with no examples, and is named in the {@link Dataset#loadReport()}'s
   * warnings.
   */
  public static Dataset idx(Path images, Path labels) {
    IdxFile labelFile = IdxFile.read(labels, 1);
    int max = 0;
    for (byte b : labelFile.data) {
      max = Math.max(max, b & 0xff);
    }
    List<String> classes = java.util.stream.IntStream.rangeClosed(0, max)
        .mapToObj(Integer::toString).toList();
    return idx(images, labelFile, classes, idPrefix(images), true);
  }

  /**
   * Loads an IDX image file and its label file with these class names.
   *
   * @throws LabelException if a label is not an index into {@code classes}
   */
  public static Dataset idx(Path images, Path labels, List<String> classes) {
    return idx(images, IdxFile.read(labels, 1), classes, idPrefix(images), false);
  }

  private static Dataset idx(Path images, IdxFile labels, List<String> classes, String prefix,
      boolean inferred) {
    IdxFile imageFile = IdxFile.read(images, 3);
    IdxSource source = new IdxSource(imageFile, labels, prefix, null,
        IdxSource.PixelDecoder.UNIT_SCALE, "IDX " + imageFile.source + " + " + labels.source);
    DatasetSpec spec = new DatasetSpec(InputKind.TENSOR, source.shape(), classes);
    return Dataset.of(prefix, spec, source, report(source, classes, labels.source, inferred));
  }

  /**
   * A clean report, with a warning for each class no record has: with inferred classes that is a
   * label value below the largest that never occurs, with explicit ones a class the list names.
   */
  static LoadReport report(IdxSource source, List<String> classes, String labelFile,
      boolean inferred) {
    int[] counts = new int[classes.size()];
    for (int i = 0; i < source.size(); i++) {
      int label = source.label(i);
      if (label < counts.length) {
        counts[label]++;
      }
    }
    return LoadReport.clean(source.size()).withWarnings(LoadReport.emptyClasses(classes, counts,
        c -> inferred ? "no record of " + labelFile + " has the label value " + c + ", though "
            + "the classes run from 0 to the largest label found, " + (classes.size() - 1)
            : "the class list names it, but no record of " + labelFile + " has the label " + c));
  }

  /**
   * Fashion-MNIST: the full 60,000/10,000 set when Debian's {@code dataset-fashion-mnist} is
   * installed, otherwise the subset embedded in this jar (see {@link #fashionMnistSubset()}). The
   * datasets' {@link Dataset#origin()} says which was loaded.
   */
  public static Split fashionMnist() {
    return Files.isDirectory(DEBIAN_FASHION_MNIST) ? fashionMnist(DEBIAN_FASHION_MNIST)
        : fashionMnistSubset();
  }

  /**
   * The full Fashion-MNIST from a directory holding the four published files
   * ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz}, {@code t10k-…});
   * the {@code .gz} suffix is optional.
   *
   * @throws DataNotFoundException if the directory or a file is missing
   */
  public static Split fashionMnist(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new DataNotFoundException("Fashion-MNIST directory " + directory.toAbsolutePath()
          + " does not exist; install Debian's dataset-fashion-mnist or name the directory that "
          + "holds train-images-idx3-ubyte.gz", directory.toAbsolutePath().toString(), null);
    }
    Dataset train = fashionPart(directory, "train", "train");
    Dataset test = fashionPart(directory, "t10k", "test");
    return Split.of(train, test);
  }

  private static Dataset fashionPart(Path dir, String file, String part) {
    Path images = existing(dir, file + "-images-idx3-ubyte");
    Path labels = existing(dir, file + "-labels-idx1-ubyte");
    IdxFile imageFile = IdxFile.read(images, 3);
    IdxFile labelFile = IdxFile.read(labels, 1);
    IdxSource source = new IdxSource(imageFile, labelFile, part, null,
        IdxSource.PixelDecoder.UNIT_SCALE, String.format(Locale.ROOT,
            "full Fashion-MNIST %s (%d images) from %s", part, imageFile.count(),
            dir.toAbsolutePath()));
    return Dataset.of("fashion-mnist/" + part, fashionSpec(), source);
  }

  private static Path existing(Path dir, String stem) {
    Path gz = dir.resolve(stem + ".gz");
    Path plain = dir.resolve(stem);
    for (Path p : List.of(gz, plain)) {
      if (Files.exists(p) || Files.isSymbolicLink(p)) {
        DataFiles.requireRegularFile(p, p.toAbsolutePath().toString(), "Fashion-MNIST file");
        return p;
      }
    }
    throw new DataNotFoundException("Fashion-MNIST file " + gz.toAbsolutePath() + " (or "
        + plain.getFileName() + ") is missing from " + dir.toAbsolutePath()
        + "; the directory must hold the four published IDX files", gz.toAbsolutePath().toString(),
        null);
  }

  /**
   * The balanced Fashion-MNIST subset embedded in this jar: 2,000 training images (200 per class)
   * and 1,000 test images (100 per class), with the same ids as in the full set (MIT licence,
   * Zalando SE; the notice ships beside the files). Needs no network and no installed package.
   */
  public static Split fashionMnistSubset() {
    return Split.of(subsetPart("train", "train"), subsetPart("t10k", "test"));
  }

  private static Dataset subsetPart(String file, String part) {
    IdxFile images = IdxFile.read("classpath:" + SUBSET + file + "-images-idx3-ubyte.gz",
        () -> resource(file + "-images-idx3-ubyte.gz"), 3);
    IdxFile labels = IdxFile.read("classpath:" + SUBSET + file + "-labels-idx1-ubyte.gz",
        () -> resource(file + "-labels-idx1-ubyte.gz"), 1);
    int[] original = readIndex(file + "-index.txt", images.count());
    IdxSource source = new IdxSource(images, labels, part, original,
        IdxSource.PixelDecoder.UNIT_SCALE, String.format(Locale.ROOT,
            "embedded Fashion-MNIST subset %s (%d of the published images, balanced; "
                + "classpath:%s)", part, images.count(), SUBSET));
    return Dataset.of("fashion-mnist-subset/" + part, fashionSpec(), source);
  }

  static DatasetSpec fashionSpec() {
    return DatasetSpec.image(1, 28, 28, FASHION_MNIST_CLASSES);
  }

  private static InputStream resource(String name) {
    InputStream in = Datasets.class.getResourceAsStream(SUBSET + name);
    if (in == null) {
      throw new DataNotFoundException("resource classpath:" + SUBSET + name + " is missing; the "
          + "groundwork-core jar is incomplete, rebuild or re-download it", SUBSET + name, null);
    }
    return in;
  }

  private static int[] readIndex(String name, int expected) {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(resource(name), StandardCharsets.US_ASCII))) {
      int[] index = r.lines().mapToInt(Integer::parseInt).toArray();
      if (index.length != expected) {
        throw new DataFormatException("classpath:" + SUBSET + name + " lists " + index.length
            + " indices for " + expected + " images", SUBSET + name, -1, null);
      }
      return index;
    } catch (IOException | NumberFormatException e) {
      throw new DataFormatException("cannot read classpath:" + SUBSET + name + ": " + e,
          SUBSET + name, -1, e);
    }
  }

  /**
   * Loads an image folder, one subfolder per class (PNG/JPEG), RGB at the images' own size; see
   * {@link ImageFolders}.
   */
  public static Dataset imageFolder(Path root) {
    return ImageFolders.load(root);
  }

  /** Loads an image folder with options (resize, grayscale, class list, skip bad images). */
  public static Dataset imageFolder(Path root, ImageFolderOptions options) {
    return ImageFolders.load(root, options);
  }

  /** Loads a CSV file (header row, RFC 4180 quoting); see {@link Tables#csv(Path, TableOptions)}. */
  public static Dataset csv(Path file, TableOptions options) {
    return Tables.csv(file, options);
  }

  /** Loads a JSONL file (one object a line); see {@link Tables#jsonl(Path, TableOptions)}. */
  public static Dataset jsonl(Path file, TableOptions options) {
    return Tables.jsonl(file, options);
  }

  /** {@code train-images-idx3-ubyte.gz} → {@code train}. */
  private static String idPrefix(Path images) {
    String file = images.getFileName().toString();
    int cut = file.length();
    for (char c : new char[] {'-', '.', '_'}) {
      int at = file.indexOf(c);
      if (at > 0) {
        cut = Math.min(cut, at);
      }
    }
    return file.substring(0, cut);
  }
}
