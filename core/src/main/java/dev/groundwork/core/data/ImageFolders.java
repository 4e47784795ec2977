package dev.groundwork.core.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * Loads a folder of images laid out one subfolder per class, {@code root/<class>/<image>}, as a
 * lazily decoded {@link Dataset}.
 *
 * <pre>{@code
 * // pets/cat/001.png, pets/cat/002.jpg, pets/dog/001.png, ...
 * Dataset pets = ImageFolders.load(Path.of("pets"),
 *     ImageFolderOptions.builder().size(64, 64).build());
 * pets.classes();        // [cat, dog]
 * pets.id(0);            // "cat/001.png"
 * pets.get(0).input();   // TensorInput of shape [3, 64, 64], values in [0, 1]
 * }</pre>
 *
 * <p><b>What is read.</b> Classes are the subfolder names in sorted order (or the explicit {@link
 * ImageFolderOptions.Builder#classes list}); the label is the index of the class. Examples are
 * ordered by class, then by file name. Each example's id and its {@code file} metadata are the
 * path relative to the root ({@code cat/001.png}); metadata {@code width} and {@code height} give
 * the original size. Files with an extension from {@link ImageFolderOptions#extensions()} are read
 * whatever their case; hidden entries (names starting with {@code .}), nested folders, files
 * directly in the root and files that are not images ({@code .txt}, {@code .csv}, ...) are ignored
 * and counted in {@link Dataset#origin()}. A file with another image extension ({@code .gif},
 * {@code .webp}, ...) is a bad file, not ignored, so that no images vanish silently; so is an
 * entry with an image extension that is not a regular file (a FIFO, a device, a broken link),
 * which is never opened.
 *
 * <p><b>Laziness.</b> Loading lists the files and reads only each image's header (format and
 * size); pixels are decoded when an example is touched, one image at a time, and resized then.
 * An image whose header declares more than {@link ImageFolderOptions#maxPixels()} pixels (100
 * megapixels by default) is a bad file at load and is never decoded, since a small file can
 * declare a huge image. Resizing reads the decoded image a row at a time, so it holds no float
 * copy of the full-resolution image; the decoded image itself (about 3 bytes a pixel) is held
 * while it is resized.
 *
 * <p><b>Inputs.</b> A {@link TensorInput} of shape {@code [C, H, W]} (channel planes, each
 * row-major) with values in [0, 1]: {@code C} is 3 (RGB) or 1 (luminance {@code 0.299 R + 0.587 G
 * + 0.114 B}). Grayscale files are read from their raw samples, colour files as 8-bit sRGB; alpha
 * is dropped and EXIF orientation is not applied. Resizing uses a bilinear (triangle) filter that
 * widens when shrinking, so every source pixel contributes.
 *
 * <p><b>Bad input</b> fails with a typed exception naming the file: {@link DataNotFoundException}
 * for a missing root, {@link EmptyDatasetException} for a root without class folders or images,
 * {@link LabelException} for a subfolder outside an explicit class list, and {@link
 * DataFormatException} (with the file as {@link DataException#source()} and the example index as
 * {@link DataException#record()}) for an unreadable image, an animated GIF or multi-page TIFF (more
 * than one frame: saying how many, never reading only the first), or a size that differs from the
 * first image's. With {@link ImageFolderOptions#skipBadImages()} files whose header cannot be read are
 * skipped and listed in {@link Dataset#loadReport()} instead; a size mismatch is never skipped (set
 * a size instead), and pixel data that turns out corrupt at decode time always fails.
 *
 * <p><b>Reported, not failed.</b> A class left with no examples (an empty class folder, a class of
 * the explicit list without a folder, a class whose every file was skipped), a folder nested in a
 * class folder and images directly in the root are read as documented but named in the {@link
 * LoadReport#warnings()} of {@link Dataset#loadReport()}, which {@link Dataset#summary()} prints.
 * They are warnings rather than errors because an explicit class list may name a class a given
 * folder (say, a test split) lacks.
 */
public final class ImageFolders {

  /** Image formats ImageIO cannot read; files with these extensions are bad, never ignored. */
  private static final Set<String> UNREADABLE_IMAGE_SUFFIXES = Set.of("webp", "heic", "heif",
      "avif", "jfif", "jp2", "j2k", "jxl", "ppm", "pgm", "pbm", "tga", "ico", "psd", "dng");

  private ImageFolders() {}

  /**
   * Loads {@code root/<class>/<image>} with the {@linkplain ImageFolderOptions#defaults() default
   * options}: original size (all images the same size), RGB.
   *
   * @throws DataNotFoundException if {@code root} does not exist or is not a folder
   * @throws EmptyDatasetException if it has no class subfolders or no images
   * @throws DataFormatException if an image cannot be read or differs in size from the first
   */
  public static Dataset load(Path root) {
    return load(root, ImageFolderOptions.defaults());
  }

  /**
   * Loads {@code root/<class>/<image>} with the given options.
   *
   * @throws DataNotFoundException if {@code root} does not exist or is not a folder
   * @throws EmptyDatasetException if it has no class subfolders or no (readable) images
   * @throws LabelException if a subfolder is not in the explicit class list
   * @throws DataFormatException if an image cannot be read (and bad images are not skipped) or,
   *     without a target size, differs in size from the first image
   */
  public static Dataset load(Path root, ImageFolderOptions options) {
    return load(root, options, () -> { });
  }

  /** Like {@link #load(Path, ImageFolderOptions)}; {@code onDecode} runs before each pixel decode. */
  static Dataset load(Path root, ImageFolderOptions options, Runnable onDecode) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(onDecode, "onDecode");
    Path dir = root.toAbsolutePath().normalize();
    Scan scan = new Scan(dir, options);
    List<String> folders = scan.classFolders();
    List<String> classes = options.classes().orElse(folders);
    for (String folder : folders) {
      if (!classes.contains(folder)) {
        throw new LabelException(dir.resolve(folder) + " is a class folder, but '" + folder
            + "' is not one of the classes " + classes + "; add it to the classes list or move the"
            + " folder out of " + dir, dir.resolve(folder).toString(), -1);
      }
    }
    int[] skippedPerClass = new int[classes.size()];
    int[] ignoredPerClass = new int[classes.size()];
    for (int label = 0; label < classes.size(); label++) {
      int skippedBefore = scan.skipped;
      int ignoredBefore = scan.ignored;
      scan.classFolder(classes.get(label), label);
      skippedPerClass[label] = scan.skipped - skippedBefore;
      ignoredPerClass[label] = scan.ignored - ignoredBefore;
    }
    int n = scan.files.size();
    if (n == 0) {
      throw new EmptyDatasetException(scan.skipped > 0
          ? String.format(Locale.ROOT, "%s: all %d image files are unreadable: %s; replace them",
              dir, scan.skipped, scan.problems)
          : String.format(Locale.ROOT, "%s has no %s images in its class folders %s (%d other "
              + "files ignored); put the images in %s/<class>/", dir, options.extensions(),
              classes, scan.ignored, dir), dir.toString());
    }
    int channels = options.channels();
    int height = options.height().orElse(scan.heights.get(0));
    int width = options.width().orElse(scan.widths.get(0));
    if ((long) channels * height * width > Integer.MAX_VALUE) {
      throw new DataFormatException(String.format(Locale.ROOT, "%s is %d high × %d wide, too large "
          + "for one float array; load with ImageFolderOptions.builder().size(h, w) to shrink it",
          scan.files.get(0), height, width), scan.files.get(0).toString(), 0, null);
    }
    FolderSource source = new FolderSource(dir, scan, channels, height, width, onDecode,
        classes.size());
    int[] counts = new int[classes.size()];
    scan.labels.forEach(l -> counts[l]++);
    List<String> warnings = new ArrayList<>(LoadReport.emptyClasses(classes, counts, c -> {
      String folder = classes.get(c);
      if (!Files.isDirectory(dir.resolve(folder))) {
        return "the class list names it, but " + dir + " has no folder '" + folder + "'";
      }
      if (skippedPerClass[c] > 0) {
        return "all " + skippedPerClass[c] + " of its image files were skipped as bad";
      }
      return "its folder " + folder + "/ holds no " + options.extensions() + " images"
          + (ignoredPerClass[c] > 0 ? " (" + ignoredPerClass[c] + " other files ignored)" : "");
    }));
    warnings.addAll(scan.warnings);
    LoadReport report = new LoadReport(n, scan.skipped, scan.problems,
        LoadReport.capped(warnings, List.of()));
    String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    return Dataset.of(name, DatasetSpec.image(channels, height, width, classes), source, report);
  }

  /** The listing of one folder, sorted by name. */
  private static List<Path> list(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    } catch (IOException | UncheckedIOException e) {
      throw new DataNotFoundException(folder + " cannot be listed (" + e.getMessage()
          + "); check that it exists and is readable", folder.toString(), e);
    }
  }

  private static String extension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static boolean hidden(Path p) {
    return p.getFileName().toString().startsWith(".");
  }

  /** A file whose image header cannot be read, with the reason in words. */
  private static final class Unreadable extends Exception {
    final String fix;

    Unreadable(String reason, Throwable cause) {
      this(reason, "replace or delete the file", cause);
    }

    Unreadable(String reason, String fix, Throwable cause) {
      super(reason, cause);
      this.fix = fix;
    }
  }

  /** The mutable state of one load: what was found, skipped and ignored. */
  private static final class Scan {
    final Path dir;
    final ImageFolderOptions options;
    final List<Path> files = new ArrayList<>();
    final List<String> ids = new ArrayList<>();
    final List<Integer> labels = new ArrayList<>();
    final List<Integer> widths = new ArrayList<>();
    final List<Integer> heights = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    int skipped;
    int ignored;

    Scan(Path dir, ImageFolderOptions options) {
      this.dir = dir;
      this.options = options;
    }

    /** The non-hidden subfolders of the root, sorted; checks the root exists and has some. */
    List<String> classFolders() {
      if (!Files.exists(dir)) {
        throw new DataNotFoundException(dir + " does not exist; expected a folder with one "
            + "subfolder of images per class, e.g. " + dir.resolve("cat").resolve("001.png"),
            dir.toString(), null);
      }
      if (!Files.isDirectory(dir)) {
        String what = DataFiles.irregular(dir);
        throw new DataNotFoundException(dir + " " + (what == null ? "is a file" : what) + ", not "
            + "a folder; pass the folder that holds one subfolder of images per class (unpack it "
            + "first if it is an archive)", dir.toString(), null);
      }
      List<String> folders = new ArrayList<>();
      int looseImages = 0;
      for (Path p : list(dir)) {
        if (hidden(p)) {
          ignored++;
        } else if (Files.isDirectory(p)) {
          folders.add(p.getFileName().toString());
        } else {
          ignored++;
          if (options.extensions().contains(extension(p.getFileName().toString()))) {
            looseImages++;
          }
        }
      }
      if (looseImages > 0 && !folders.isEmpty()) {
        warnings.add(looseImages + " image file" + (looseImages == 1 ? " is" : "s are")
            + " directly in " + dir + ", in no class folder, and not read; move "
            + (looseImages == 1 ? "it" : "them") + " into " + dir + "/<class>/");
      }
      if (folders.isEmpty()) {
        throw new EmptyDatasetException(dir + " has no class subfolders"
            + (looseImages > 0 ? " (it holds " + looseImages + " images directly)" : "")
            + "; expected one subfolder of images per class, " + dir + "/<class>/<image>, so "
            + "move each class's images into a folder named after the class", dir.toString());
      }
      return folders;
    }

    /** Lists one class folder and reads each image's header; a missing folder has no images. */
    void classFolder(String className, int label) {
      Path folder = dir.resolve(className);
      if (!Files.isDirectory(folder)) {
        return;
      }
      for (Path file : list(folder)) {
        String fileName = file.getFileName().toString();
        String id = className + "/" + fileName;
        String ext = extension(fileName);
        boolean read = options.extensions().contains(ext);
        boolean otherImage = !read && (UNREADABLE_IMAGE_SUFFIXES.contains(ext)
            || ImageIO.getImageReadersBySuffix(ext).hasNext());
        String irregular = hidden(file) || Files.isDirectory(file) ? null
            : DataFiles.irregular(file);
        if (!hidden(file) && Files.isDirectory(file)) {
          ignored++;
          warnings.add(id + "/ is a folder inside the class folder " + className + "/; its files"
              + " are not read: move them into " + className + "/ (nested folders are ignored)");
        } else if (hidden(file) || irregular != null && !read && !otherImage) {
          ignored++;
        } else if (irregular != null) {
          bad(file, id, irregular + ", not a regular image file", "replace it with the image "
              + "file itself", null);
        } else if (read) {
          try {
            int[] hw = readSize(file);
            long pixels = (long) hw[0] * hw[1];
            if (pixels > options.maxPixels()) {
              bad(file, id, String.format(Locale.ROOT, "is %d wide × %d high = %,d pixels, more "
                  + "than the limit of %,d", hw[1], hw[0], pixels, options.maxPixels()), "shrink "
                  + "it, or raise the limit with ImageFolderOptions.builder().maxPixels(...) if "
                  + "the memory to decode it (about 3 bytes a pixel) is there", null);
              continue;
            }
            checkSize(file, id, hw);
            files.add(file);
            ids.add(id);
            labels.add(label);
            heights.add(hw[0]);
            widths.add(hw[1]);
          } catch (Unreadable e) {
            bad(file, id, e.getMessage(), e.fix, e.getCause());
          }
        } else if (otherImage) {
          bad(file, id, "is a ." + ext + " image, but only " + options.extensions()
              + " files are read", "convert it, move it out of the folder or add its extension "
              + "with ImageFolderOptions.builder().extensions(...)", null);
        } else {
          ignored++;
        }
      }
    }

    /** Without a target size, every image must have the first image's size. */
    private void checkSize(Path file, String id, int[] hw) {
      if (options.height().isPresent() || files.isEmpty()) {
        return;
      }
      int h = heights.get(0);
      int w = widths.get(0);
      if (hw[0] != h || hw[1] != w) {
        throw new DataFormatException(String.format(Locale.ROOT, "%s is %d high × %d wide, but "
            + "the first image %s is %d high × %d wide; images must all have the same size "
            + "unless a size is given: load with ImageFolderOptions.builder().size(%d, %d) to "
            + "resize every image", file, hw[0], hw[1], ids.get(0), h, w, h, w),
            file.toString(), files.size(), null);
      }
    }

    /** Fails on a bad file, or skips and reports it when asked to. */
    private void bad(Path file, String id, String reason, String fix, Throwable cause) {
      if (!options.skipBadImages()) {
        throw new DataFormatException(file + " " + reason + "; " + fix + ", or load with "
            + "ImageFolderOptions.builder().skipBadImages(true) to skip bad files",
            file.toString(), files.size(), cause);
      }
      skipped++;
      if (problems.size() < LoadReport.MAX_PROBLEMS) {
        problems.add(id + ": " + reason);
      }
    }
  }

  /** Reads {@code [height, width]} from the image header without decoding pixels. */
  private static int[] readSize(Path file) throws Unreadable {
    try {
      if (Files.size(file) == 0) {
        throw new Unreadable("is empty (0 bytes)", null);
      }
      try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
        ImageReader reader = reader(in, false);
        try {
          checkSingleFrame(reader);
          return new int[] {reader.getHeight(0), reader.getWidth(0)};
        } finally {
          reader.dispose();
        }
      }
    } catch (Unreadable e) {
      throw e;
    } catch (IIOException e) {
      throw new Unreadable("is not a readable image (" + e.getMessage() + ")", e);
    } catch (IOException | RuntimeException e) {
      throw new Unreadable("cannot be read (" + e + ")", e);
    }
  }

  /**
   * Refuses an animated GIF or a multi-page TIFF (told by the content, whatever the extension):
   * reading its first frame would drop the others without a word. Only these two formats hold
   * several images, so only their frames are counted (which walks the file's frame headers).
   */
  private static void checkSingleFrame(ImageReader reader) throws IOException, Unreadable {
    String format = reader.getFormatName().toLowerCase(Locale.ROOT);
    boolean gif = format.equals("gif");
    if (!gif && !format.startsWith("tif")) {
      return;
    }
    int frames = reader.getNumImages(true);
    if (frames > 1) {
      throw new Unreadable(String.format(Locale.ROOT, "has %d frames (%s); an image folder reads "
          + "one image a file, and reading only the first frame would drop the other %d "
          + "silently", frames, gif ? "an animated GIF" : "a multi-page TIFF", frames - 1),
          "save the frame you want as a file of its own (or each frame as a file, e.g. "
          + "ImageMagick's 'convert " + (gif ? "in.gif" : "in.tif") + " frame-%d.png')", null);
    }
  }

  /** A reader for the image in {@code in}, with its input set. */
  private static ImageReader reader(ImageInputStream in) throws IOException {
    return reader(in, true);
  }

  /** A reader for the image in {@code in}; {@code forwardOnly} false lets it count frames. */
  private static ImageReader reader(ImageInputStream in, boolean forwardOnly) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new IIOException("its content is not in an image format that can be read");
    }
    ImageReader reader = readers.next();
    reader.setInput(in, forwardOnly, true);
    return reader;
  }

  /** The records of one image folder; immutable after construction, so safe to share. */
  private static final class FolderSource implements RecordSource, ExactDecoder {
    private final Path[] files;
    private final String[] ids;
    private final int[] labels;
    private final int[] widths;
    private final int[] heights;
    private final int channels;
    private final int height;
    private final int width;
    private final Runnable onDecode;
    private final String description;

    FolderSource(Path dir, Scan scan, int channels, int height, int width, Runnable onDecode,
        int numClasses) {
      this.files = scan.files.toArray(Path[]::new);
      this.ids = scan.ids.toArray(String[]::new);
      this.labels = scan.labels.stream().mapToInt(Integer::intValue).toArray();
      this.widths = scan.widths.stream().mapToInt(Integer::intValue).toArray();
      this.heights = scan.heights.stream().mapToInt(Integer::intValue).toArray();
      this.channels = channels;
      this.height = height;
      this.width = width;
      this.onDecode = onDecode;
      this.description = "image folder " + dir + " (" + files.length + " images, " + numClasses
          + " classes" + (scan.ignored > 0 ? "; " + scan.ignored + " other files ignored" : "")
          + ")";
    }

    @Override
    public int size() {
      return files.length;
    }

    @Override
    public String id(int index) {
      return ids[index];
    }

    @Override
    public int label(int index) {
      return labels[index];
    }

    @Override
    public Map<String, String> metadata(int index) {
      return Map.of("file", ids[index], "width", Integer.toString(widths[index]),
          "height", Integer.toString(heights[index]));
    }

    @Override
    public Input decode(int index) {
      float[] values = new float[channels * height * width];
      decodeInto(index, values, 0);
      return new TensorInput(values, new int[] {channels, height, width});
    }

    @Override
    public void decodeInto(int index, float[] dst, int offset) {
      Objects.checkIndex(index, files.length);
      Objects.checkFromIndexSize(offset, channels * height * width, dst.length);
      onDecode.run();
      BufferedImage image = read(index);
      if (heights[index] == height && widths[index] == width) {
        writeChannels(image, channels, dst, offset);
      } else {
        resize(image, channels, dst, offset, height, width);
      }
    }

    /**
     * Decodes the pixels of one file with a reader of its own, after checking that its header
     * still declares the size it had at load (so a file replaced since is not decoded blindly).
     */
    private BufferedImage read(int index) {
      Path file = files[index];
      try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
        ImageReader reader = reader(in);
        try {
          int h = reader.getHeight(0);
          int w = reader.getWidth(0);
          if (h != heights[index] || w != widths[index]) {
            throw new DataFormatException(String.format(Locale.ROOT, "%s is %d high × %d wide, "
                + "but it was %d high × %d wide when the folder was loaded; load the folder "
                + "again after changing files", file, h, w, heights[index], widths[index]),
                file.toString(), index, null);
          }
          return readWhole(reader);
        } finally {
          reader.dispose();
        }
      } catch (DataFormatException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        if (!Files.exists(file)) {
          throw new DataNotFoundException(file + " no longer exists (it was there when the folder "
              + "was loaded); load the folder again after changing files", file.toString(), e);
        }
        throw new DataFormatException(file + " cannot be decoded (" + e.getMessage() + "); it is "
            + "truncated or corrupt: replace or delete it and load the folder again",
            file.toString(), index, e);
      }
    }

    @Override
    public String describe() {
      return description;
    }
  }

  /**
   * Writes an image as {@code channels} planes of floats in [0, 1]: gray images from their raw
   * samples, colour images as 8-bit sRGB, converted to luminance for one channel.
   */
  static void writeChannels(BufferedImage image, int channels, float[] dst, int offset) {
    int w = image.getWidth();
    int h = image.getHeight();
    int plane = w * h;
    Rows rows = new Rows(image, channels);
    for (int y = 0; y < h; y++) {
      float[][] row = rows.row(y);
      for (int c = 0; c < channels; c++) {
        System.arraycopy(row[c], 0, dst, offset + c * plane + y * w, w);
      }
    }
  }

  /**
   * Reads an image one row at a time as {@code channels} rows of floats in [0, 1]: gray images
   * from their raw samples, colour images as 8-bit sRGB, converted to luminance for one channel.
   * Holds one row, never a float copy of the whole image.
   */
  private static final class Rows {
    private final BufferedImage image;
    private final int channels;
    private final int width;
    private final boolean gray;
    private final float max;
    private final int[] ints;
    private final float[][] row;

    Rows(BufferedImage image, int channels) {
      this.image = image;
      this.channels = channels;
      this.width = image.getWidth();
      ColorModel cm = image.getColorModel();
      this.gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
          && !(cm instanceof IndexColorModel);
      this.max = gray ? (1 << cm.getComponentSize(0)) - 1 : 255f;
      this.ints = new int[width];
      this.row = new float[channels][width];
    }

    /** Row {@code y}, one array per channel; the arrays are reused by the next call. */
    float[][] row(int y) {
      if (gray) {
        image.getRaster().getSamples(0, y, width, 1, 0, ints);
        for (int x = 0; x < width; x++) {
          float v = ints[x] / max;
          for (int c = 0; c < channels; c++) {
            row[c][x] = v;
          }
        }
        return row;
      }
      image.getRGB(0, y, width, 1, ints, 0, width);
      for (int x = 0; x < width; x++) {
        int r = (ints[x] >> 16) & 0xFF;
        int g = (ints[x] >> 8) & 0xFF;
        int b = ints[x] & 0xFF;
        if (channels == 1) {
          row[0][x] = (float) ((0.299 * r + 0.587 * g + 0.114 * b) / 255.0);
        } else {
          row[0][x] = r / 255f;
          row[1][x] = g / 255f;
          row[2][x] = b / 255f;
        }
      }
      return row;
    }
  }

  /**
   * Resamples an image into {@code channels} planes of {@code dh × dw} at {@code offset} of {@code
   * dst}, separably with a triangle filter whose support grows with the shrink factor. Source rows
   * are read one at a time, so the memory beyond the decoded image is {@code channels × sh × dw}
   * floats, not a float copy of the image.
   */
  static void resize(BufferedImage image, int channels, float[] dst, int offset, int dh, int dw) {
    int sh = image.getHeight();
    int sw = image.getWidth();
    Filter fx = Filter.of(sw, dw);
    Filter fy = Filter.of(sh, dh);
    float[][] rows = new float[channels][sh * dw];
    Rows source = new Rows(image, channels);
    for (int y = 0; y < sh; y++) {
      float[][] src = source.row(y);
      for (int c = 0; c < channels; c++) {
        float[] in = src[c];
        float[] out = rows[c];
        for (int x = 0; x < dw; x++) {
          double[] wts = fx.weights[x];
          int first = fx.first[x];
          double sum = 0;
          for (int k = 0; k < wts.length; k++) {
            sum += wts[k] * in[first + k];
          }
          out[y * dw + x] = (float) sum;
        }
      }
    }
    for (int c = 0; c < channels; c++) {
      int out = offset + c * dh * dw;
      float[] plane = rows[c];
      for (int y = 0; y < dh; y++) {
        double[] wts = fy.weights[y];
        for (int x = 0; x < dw; x++) {
          double sum = 0;
          for (int k = 0; k < wts.length; k++) {
            sum += wts[k] * plane[(fy.first[y] + k) * dw + x];
          }
          dst[out + y * dw + x] = (float) Math.min(1.0, Math.max(0.0, sum));
        }
      }
    }
  }

  /** For each output position along one axis, the first input index and normalized weights. */
  private static final class Filter {
    final int[] first;
    final double[][] weights;

    private Filter(int[] first, double[][] weights) {
      this.first = first;
      this.weights = weights;
    }

    static Filter of(int in, int out) {
      double scale = (double) in / out;
      double support = Math.max(1.0, scale);
      int[] first = new int[out];
      double[][] weights = new double[out][];
      for (int o = 0; o < out; o++) {
        double center = (o + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(center - support));
        int hi = Math.min(in, (int) Math.ceil(center + support));
        double[] w = new double[hi - lo];
        double total = 0;
        for (int i = lo; i < hi; i++) {
          w[i - lo] = Math.max(0.0, 1.0 - Math.abs((i + 0.5 - center) / support));
          total += w[i - lo];
        }
        for (int k = 0; k < w.length; k++) {
          w[k] /= total;
        }
        first[o] = lo;
        weights[o] = w;
      }
      return new Filter(first, weights);
    }
  }

  /**
   * The first image of {@code reader}, refused when the decoder warned that its data ended early
   * (ImageIO decodes a truncated PNG or JPEG with a warning and grey rows otherwise).
   */
  static BufferedImage readWhole(ImageReader reader) throws IOException {
    List<String> truncated = new ArrayList<>();
    reader.addIIOReadWarningListener((r, warning) -> {
      if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
        truncated.add(warning);
      }
    });
    BufferedImage image = reader.read(0);
    if (!truncated.isEmpty()) {
      throw new IIOException("truncated image data: " + truncated.get(0));
    }
    return image;
  }
}
