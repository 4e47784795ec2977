package dev.groundwork.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxLoaderTest {
  @TempDir Path dir;

  private Dataset load(int n, boolean gzip) throws IOException {
    Path images = IdxFixtures.write(dir.resolve("train-images-idx3-ubyte" + (gzip ? ".gz" : "")),
        IdxFixtures.images(n, 2, 3), gzip);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
    }
    Path labelFile = IdxFixtures.write(dir.resolve("train-labels" + (gzip ? ".gz" : "")),
        IdxFixtures.labels(labels), gzip);
    return Datasets.idx(images, labelFile, List.of("a", "b", "c"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void loadsPixelsLabelsAndIds(boolean gzip) throws IOException {
    Dataset d = load(5, gzip);
    assertThat(d.size()).isEqualTo(5);
    assertThat(d.spec().inputShape()).containsExactly(1, 2, 3);
    assertThat(d.ids()).containsExactly("train-00000", "train-00001", "train-00002",
        "train-00003", "train-00004");
    assertThat(d.labels()).containsExactly(0, 1, 2, 0, 1);
    TensorInput t = (TensorInput) d.get(4).input();
    assertThat(t.shape()).containsExactly(1, 2, 3);
    for (int p = 0; p < 6; p++) {
      assertThat(t.values()[p]).isEqualTo(IdxFixtures.pixel(4, p));
    }
  }

  @Test
  void classNamesDefaultToLabelValues() throws IOException {
    Path images = IdxFixtures.write(dir.resolve("x-images"), IdxFixtures.images(3, 2, 2), false);
    Path labels = IdxFixtures.write(dir.resolve("x-labels"), IdxFixtures.labels(0, 4, 2), false);
    Dataset d = Datasets.idx(images, labels);
    assertThat(d.classes()).containsExactly("0", "1", "2", "3", "4");
    assertThat(d.id(0)).isEqualTo("x-00000");
  }

  @Test
  void truncatedPlainFileNamesTheIncompleteRecord() throws IOException {
    byte[] full = IdxFixtures.images(10, 2, 3);
    Path images = IdxFixtures.write(dir.resolve("imgs"), Arrays.copyOf(full, 16 + 6 * 4 + 2),
        false);
    Path labels = IdxFixtures.write(dir.resolve("labels"), IdxFixtures.labels(new int[10]), false);
    DataFormatException e = catchThrowableOfType(DataFormatException.class,
        () -> Datasets.idx(images, labels, List.of("a")));
    assertThat(e.getMessage()).contains(images.toAbsolutePath().toString()).contains("truncated")
        .contains("record 4");
    assertThat(e.record()).hasValue(4);
    assertThat(e.source()).hasValue(images.toAbsolutePath().toString());
  }

  @Test
  void truncatedGzipFileIsReportedNotCrashed() throws IOException {
    Path whole = IdxFixtures.write(dir.resolve("whole.gz"), IdxFixtures.images(200, 28, 28), true);
    byte[] gz = Files.readAllBytes(whole);
    Path images = dir.resolve("cut.gz");
    Files.write(images, Arrays.copyOf(gz, gz.length / 2));
    Path labels = IdxFixtures.write(dir.resolve("labels"), IdxFixtures.labels(new int[200]), false);
    assertThatThrownBy(() -> Datasets.idx(images, labels, List.of("a")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(images.toAbsolutePath().toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void corruptGzipIsAFormatError() throws IOException {
    byte[] bad = new byte[64];
    bad[0] = 0x1f;
    bad[1] = (byte) 0x8b;
    bad[2] = 99;
    Path images = dir.resolve("bad.gz");
    Files.write(images, bad);
    Path labels = IdxFixtures.write(dir.resolve("labels"), IdxFixtures.labels(0), false);
    assertThatThrownBy(() -> Datasets.idx(images, labels, List.of("a")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad.gz").hasMessageContaining("gzip");
  }

  @Test
  void wrongMagicNumberIsNamed() throws IOException {
    byte[] bytes = IdxFixtures.images(2, 2, 2);
    bytes[0] = 0x12;
    Path images = IdxFixtures.write(dir.resolve("imgs"), bytes, false);
    Path labels = IdxFixtures.write(dir.resolve("labels"), IdxFixtures.labels(0, 0), false);
    assertThatThrownBy(() -> Datasets.idx(images, labels, List.of("a")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("magic number 0x12000803")
        .hasMessageContaining(images.toAbsolutePath().toString());
  }

  @Test
  void labelsFileGivenAsImagesIsCaught() throws IOException {
    Path labels = IdxFixtures.write(dir.resolve("labels"), IdxFixtures.labels(0, 0), false);
    assertThatThrownBy(() -> Datasets.idx(labels, labels, List.of("a")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("has 1 dimensions").hasMessageContaining("3 were expected");
  }

  @Test
  void imageLabelCountMismatchNamesBothFiles() throws IOException {
    Path images = IdxFixtures.write(dir.resolve("imgs"), IdxFixtures.images(3, 2, 2), false);
    Path labels = IdxFixtures.write(dir.resolve("lbls"), IdxFixtures.labels(0, 0), false);
    assertThatThrownBy(() -> Datasets.idx(images, labels, List.of("a")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("3 images").hasMessageContaining("2 labels")
        .hasMessageContaining("imgs").hasMessageContaining("lbls");
  }

  @Test
  void labelOutsideClassListNamesTheRecord() throws IOException {
    Path images = IdxFixtures.write(dir.resolve("imgs"), IdxFixtures.images(4, 2, 2), false);
    Path labels = IdxFixtures.write(dir.resolve("lbls"), IdxFixtures.labels(0, 1, 7, 0), false);
    LabelException e = catchThrowableOfType(LabelException.class,
        () -> Datasets.idx(images, labels, List.of("a", "b")));
    assertThat(e.getMessage()).contains("record 2").contains("label 7").contains("[a, b]");
    assertThat(e.record()).hasValue(2);
  }

  @Test
  void emptyFileIsAnEmptyDataset() throws IOException {
    Path images = IdxFixtures.write(dir.resolve("imgs"), IdxFixtures.images(0, 2, 2), false);
    Path labels = IdxFixtures.write(dir.resolve("lbls"), IdxFixtures.labels(), false);
    assertThatThrownBy(() -> Datasets.idx(images, labels, List.of("a")))
        .isInstanceOf(EmptyDatasetException.class).hasMessageContaining("0 images");
  }

  @Test
  void trailingBytesAreAnError() throws IOException {
    byte[] bytes = Arrays.copyOf(IdxFixtures.images(2, 2, 2), 16 + 8 + 3);
    Path images = IdxFixtures.write(dir.resolve("imgs"), bytes, false);
    Path labels = IdxFixtures.write(dir.resolve("lbls"), IdxFixtures.labels(0, 0), false);
    assertThatThrownBy(() -> Datasets.idx(images, labels, List.of("a")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("bytes after");
  }

  @Test
  void missingFileAndDirectoryAreNotFound() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> Datasets.idx(missing, missing))
        .isInstanceOf(DataNotFoundException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> Datasets.fashionMnist(missing))
        .isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining(missing.toAbsolutePath().toString())
        .hasMessageContaining("dataset-fashion-mnist");
  }

  @Test
  void directoryWithoutTheFilesNamesTheMissingOne() {
    assertThatThrownBy(() -> Datasets.fashionMnist(dir))
        .isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("train-images-idx3-ubyte.gz");
  }

  @Test
  void fifoIsRefusedWithoutBlocking() throws IOException {
    Path fifo = HostileFiles.fifo(dir.resolve("images-idx3-ubyte"));
    Path labels = IdxFixtures.write(dir.resolve("lbls"), IdxFixtures.labels(0), false);
    String path = fifo.toAbsolutePath().toString();
    Throwable images = HostileFiles.failsQuickly(() -> Datasets.idx(fifo, labels, List.of("a")));
    assertThat(images).isExactlyInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("IDX file " + path + " is a FIFO, socket or device");
    assertThat(((DataException) images).source()).hasValue(path);
    assertThat(HostileFiles.failsQuickly(() -> Datasets.idx(labels, fifo)))
        .isExactlyInstanceOf(DataNotFoundException.class).hasMessageContaining(path);
  }

  // ---------------------------------------------------------------- hostile headers

  /** Bytes this thread allocates while {@code call} runs, and what it threw. */
  private static long allocatedWhile(Runnable call) {
    java.lang.management.ThreadMXBean bean =
        java.lang.management.ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean b && b.isThreadAllocatedMemorySupported(),
        "this JVM cannot measure allocations");
    com.sun.management.ThreadMXBean b = (com.sun.management.ThreadMXBean) bean;
    long id = Thread.currentThread().getId();
    long before = b.getThreadAllocatedBytes(id);
    call.run();
    return b.getThreadAllocatedBytes(id) - before;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void smallFileClaimingTwoGigabytesFailsBeforeAllocating(boolean gzip) throws IOException {
    // 46,340 × 46,340 = 2,147,395,600 bytes claimed by a header and 1 KB of pixels.
    Path images = IdxFixtures.write(dir.resolve("huge-images" + (gzip ? ".gz" : "")),
        HostileFiles.idxHeader(new int[] {1, 46_340, 46_340}, 1024), gzip);
    Path labels = IdxFixtures.write(dir.resolve("lbls"), IdxFixtures.labels(0), false);
    String path = images.toAbsolutePath().toString();
    DataFormatException[] thrown = new DataFormatException[1];
    long started = System.nanoTime();
    long allocated = allocatedWhile(() -> thrown[0] = catchThrowableOfType(
        DataFormatException.class, () -> Datasets.idx(images, labels, List.of("a"))));
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(thrown[0]).isExactlyInstanceOf(DataFormatException.class);
    assertThat(thrown[0].getMessage()).contains(path).contains("is truncated")
        .contains("[1, 46340, 46340]").contains("record 0 (1024 of 2147395600 bytes)");
    assertThat(thrown[0].source()).hasValue(path);
    assertThat(thrown[0].record()).hasValue(0);
    assertThat(allocated).as("bytes allocated").isLessThan(16L << 20);
    assertThat(millis).as("milliseconds").isLessThan(5_000);
  }

  @Test
  void gzipClaimAboveTheDirectLimitIsReadExactly() throws IOException {
    int n = 21;
    int rows = 640;
    int cols = 640; // 21 × 409,600 bytes = 8.2 MiB, above IdxFile.DIRECT_READ_LIMIT
    assertThat((long) n * rows * cols).isGreaterThan(IdxFile.DIRECT_READ_LIMIT);
    byte[] full = IdxFixtures.images(n, rows, cols);
    int[] zeros = new int[n];
    Path labels = IdxFixtures.write(dir.resolve("lbls"), IdxFixtures.labels(zeros), false);

    Path whole = IdxFixtures.write(dir.resolve("whole.gz"), full, true);
    Dataset d = Datasets.idx(whole, labels, List.of("a"));
    assertThat(d.size()).isEqualTo(n);
    TensorInput last = (TensorInput) d.get(n - 1).input();
    assertThat(last.values()[rows * cols - 1]).isEqualTo(IdxFixtures.pixel(n - 1, rows * cols - 1));

    Path cut = IdxFixtures.write(dir.resolve("cut.gz"),
        Arrays.copyOf(full, full.length - rows * cols - 5), true);
    DataFormatException e = catchThrowableOfType(DataFormatException.class,
        () -> Datasets.idx(cut, labels, List.of("a")));
    assertThat(e.getMessage()).contains(cut.toAbsolutePath().toString()).contains("truncated")
        .contains("record 19");
    assertThat(e.record()).hasValue(19);

    Path longer = IdxFixtures.write(dir.resolve("longer.gz"), Arrays.copyOf(full, full.length + 3),
        true);
    DataFormatException t = catchThrowableOfType(DataFormatException.class,
        () -> Datasets.idx(longer, labels, List.of("a")));
    assertThat(t.getMessage()).contains(longer.toAbsolutePath().toString())
        .contains("bytes after its 21 declared records");
    assertThat(t.record()).hasValue(21);
  }

  @Test
  void gzipWhoseTrailerStatesTheClaimIsGunzippedOnce() throws IOException {
    // 21 × 640 × 640 = 8.2 MiB, above the direct limit: the trailer decides between one pass and
    // a counting pass first (Fashion-MNIST's 47 MB training images were gunzipped twice before)
    int n = 21;
    byte[] full = IdxFixtures.images(n, 640, 640);
    Path whole = IdxFixtures.write(dir.resolve("whole.gz"), full, true);
    long size = Files.size(whole);
    int[] opened = new int[1];
    java.util.function.Supplier<java.io.InputStream> open = () -> {
      opened[0]++;
      try {
        return Files.newInputStream(whole);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };

    IdxFile once = IdxFile.read("whole.gz", open, 3, size, full.length);
    assertThat(opened[0]).isEqualTo(1);
    assertThat(once.data).isEqualTo(Arrays.copyOfRange(full, 16, full.length));

    opened[0] = 0;
    IdxFile.read("whole.gz", open, 3, size, full.length + 1L);
    assertThat(opened[0]).as("a trailer that disagrees: counted first").isEqualTo(2);
    opened[0] = 0;
    IdxFile.read("whole.gz", open, 3, full.length / IdxFile.DEFLATE_MAX_RATIO - 1, full.length);
    assertThat(opened[0]).as("a claim no deflate stream of that size can hold").isEqualTo(2);

    // a trailer that lies about a short payload: read at once, still reported at its record
    byte[] cut = Arrays.copyOf(full, full.length - 640 * 640 - 5);
    Path cutFile = IdxFixtures.write(dir.resolve("cut.gz"), cut, true);
    DataFormatException e = catchThrowableOfType(DataFormatException.class,
        () -> IdxFile.read("cut.gz", () -> {
          try {
            return Files.newInputStream(cutFile);
          } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
          }
        }, 3, Files.size(cutFile), full.length));
    assertThat(e.getMessage()).contains("cut.gz is truncated").contains("record 19");
    assertThat(e.record()).hasValue(19);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void zeroDimensionIsAFormatErrorNotAnIllegalArgument(boolean gzip) throws IOException {
    Path images = IdxFixtures.write(dir.resolve("flat" + (gzip ? ".gz" : "")),
        HostileFiles.idxHeader(new int[] {5, 0, 28}, 0), gzip);
    Path labels = IdxFixtures.write(dir.resolve("lbls"), IdxFixtures.labels(0, 0, 0, 0, 0), false);
    DataFormatException e = catchThrowableOfType(DataFormatException.class,
        () -> Datasets.idx(images, labels, List.of("a")));
    assertThat(e).isExactlyInstanceOf(DataFormatException.class);
    assertThat(e.getMessage()).contains(images.toAbsolutePath().toString())
        .contains("declares the dimensions [5, 0, 28]: dimension 1 is 0")
        .contains("the header is corrupt");
    assertThat(e.source()).hasValue(images.toAbsolutePath().toString());
  }

  @Test
  void claimBeyondOneArrayIsAFormatError() throws IOException {
    Path images = IdxFixtures.write(dir.resolve("vast"),
        HostileFiles.idxHeader(new int[] {65_536, 65_536, 65_536}, 16), false);
    Path labels = IdxFixtures.write(dir.resolve("lbls"), IdxFixtures.labels(0), false);
    assertThatThrownBy(() -> Datasets.idx(images, labels, List.of("a")))
        .isExactlyInstanceOf(DataFormatException.class)
        .hasMessageContaining(images.toAbsolutePath().toString())
        .hasMessageContaining("more than one array can hold");
  }

  @Test
  void inferredClassesWithoutRecordsAreWarnedNotSilentlyInvented() throws IOException {
    Path images = IdxFixtures.write(dir.resolve("x-images"), IdxFixtures.images(3, 2, 2), false);
    Path labels = IdxFixtures.write(dir.resolve("x-labels"), IdxFixtures.labels(0, 4, 2), false);
    String path = labels.toAbsolutePath().toString();

    Dataset d = Datasets.idx(images, labels);

    assertThat(d.loadReport().loaded()).isEqualTo(3);
    assertThat(d.loadReport().warnings()).containsExactly(
        "class '1' has no examples: no record of " + path + " has the label value 1, though the "
            + "classes run from 0 to the largest label found, 4",
        "class '3' has no examples: no record of " + path + " has the label value 3, though the "
            + "classes run from 0 to the largest label found, 4");
    assertThat(Datasets.idx(images, labels, List.of("a", "b", "c", "d", "e", "f")).loadReport()
        .warnings()).hasSize(3).last().asString().isEqualTo("class 'f' has no examples: the class "
            + "list names it, but no record of " + path + " has the label 5");
  }

  @Test
  void fashionMnistDirectoryWithAFifoNamesIt() throws IOException {
    Path fifo = HostileFiles.fifo(dir.resolve("train-images-idx3-ubyte.gz"));
    Throwable t = HostileFiles.failsQuickly(() -> Datasets.fashionMnist(dir));
    assertThat(t).isExactlyInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("Fashion-MNIST file " + fifo.toAbsolutePath()
            + " is a FIFO, socket or device");
    assertThat(((DataException) t).source()).hasValue(fifo.toAbsolutePath().toString());
  }
}
