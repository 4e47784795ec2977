package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Native memory stays flat on the paths users run — the small CNN, batch-64 prediction and
 * training — measured in a JVM of its own against its resident size after warm-up, so the test
 * passes or fails the same way alone, in any order and in the full suite.
 */
class NativeMemoryTest {

  static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  /**
   * Batch-64 predictions and training steps reuse per-thread input buffers and close every array,
   * so native memory does not wait for the garbage collector. Two measures, each at the precision
   * its kind of leak needs, in a child JVM whose heap is fixed and touched up front ({@code -Xms =
   * -Xmx}, {@code -XX:+AlwaysPreTouch}) so that its resident size changes only with native memory:
   *
   * <ul>
   *   <li>the JVM's direct buffers ({@code BufferPoolMXBean "direct"}), exact: before, each call
   *       copied its batch into a fresh 200 kB direct buffer that only a collection freed — 250
   *       calls would leave 50 MB; the limit is 1 MB;
   *   <li>the resident size, for arrays left open in PyTorch: a small-CNN step's activations are
   *       several MB, so one unclosed array per call would add hundreds of MB. The limit is 96 MB,
   *       because PyTorch's allocator and malloc's arenas keep and release memory in swings of
   *       ±30 MB around a flat level (measured on the 2-core machine: +10 to +34 MB at every 50
   *       steps over 500, with no trend).
   * </ul>
   */
  @Test
  void smallCnnAtBatch64LeavesNoDirectBuffersAndNoArraysOver250PredictionsAnd250Steps(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = dir.resolve("child.log");
    Process p = new ProcessBuilder(java, "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-cp",
        System.getProperty("java.class.path"), Probe.class.getName()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    String result = out.lines().filter(l -> l.startsWith("RSS ")).findFirst().orElseThrow();
    System.out.println(result);
    String[] kb = result.replaceAll("[^0-9 ]", "").trim().split(" +");
    long[] v = Arrays.stream(kb).mapToLong(Long::parseLong).toArray();
    // RSS base, predictions peak, training peak; direct base, predictions peak, training peak
    assertThat(v).hasSize(6);
    assertThat(v[4] - v[3]).as(result).isLessThan(1024);
    assertThat(v[5] - v[3]).as(result).isLessThan(1024);
    assertThat(v[1] - v[0]).as(result).isLessThan(96 * 1024);
    assertThat(v[2] - v[0]).as(result).isLessThan(96 * 1024);
  }

  /** The child of the test above: warm-up, then 250 predictions and 250 training steps. */
  public static final class Probe {
    static final int WARM_UP = 100;
    static final int CALLS = 250;

    /**
     * Prints {@code RSS base <kB> predictions-peak <kB> training-peak <kB> direct base <kB>
     * predictions-peak <kB> training-peak <kB>}.
     */
    public static void main(String[] args) throws IOException {
      Dataset data = Datasets.fashionMnistSubset().train().stratifiedSample(512, 1);
      java.util.List<Batch> batches = new java.util.ArrayList<>();
      data.batches(64, 3, true).forEach(batches::add);
      try (TrainableModel m = DjlModels.smallCnn(data.spec(), TrainConfig.defaults())) {
        for (int i = 0; i < WARM_UP; i++) {
          m.predict(batches.get(i % batches.size()));
          m.trainStep(batches.get(i % batches.size()), false);
        }
        long[] base = {residentKb(), directKb()};
        long[] predictions = base.clone();
        for (int i = 0; i < CALLS; i++) {
          m.predict(batches.get(i % batches.size()));
          if (i % 25 == 0) {
            peak(predictions);
          }
        }
        peak(predictions);
        long[] training = base.clone();
        for (int i = 0; i < CALLS; i++) {
          m.trainStep(batches.get(i % batches.size()), false);
          if (i % 25 == 0) {
            peak(training);
          }
        }
        peak(training);
        System.out.printf("RSS base %d kB predictions-peak %d kB training-peak %d kB direct base "
            + "%d kB predictions-peak %d kB training-peak %d kB%n", base[0], predictions[0],
            training[0], base[1], predictions[1], training[1]);
      }
    }

    private static void peak(long[] into) throws IOException {
      into[0] = Math.max(into[0], residentKb());
      into[1] = Math.max(into[1], directKb());
    }

    private static long directKb() {
      for (java.lang.management.BufferPoolMXBean pool : java.lang.management.ManagementFactory
          .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
        if (pool.getName().equals("direct")) {
          return pool.getMemoryUsed() / 1024;
        }
      }
      throw new IllegalStateException("no direct buffer pool");
    }
  }
}
