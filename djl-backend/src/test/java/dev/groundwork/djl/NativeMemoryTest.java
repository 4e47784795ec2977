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
   * Batch-64 predictions and training steps reuse per-thread input buffers, so native memory does
   * not wait for the garbage collector (before: each call left a 200 kB direct buffer that only a
   * collection freed — +454 MB over 5,500 predictions here; 250 calls of each kind would leave
   * about 50 MB, three times the 16 MB limit, so the test sees a regression). Measured in a
   * child JVM whose heap is fixed and touched up front ({@code -Xms = -Xmx}, {@code
   * -XX:+AlwaysPreTouch}), so that the resident size changes only with native memory: an ordinary
   * JVM's resident size also grows as the collector first touches heap regions it had committed,
   * up to the heap's size. No flag bounds direct memory; a collection is never requested.
   */
  @Test
  void smallCnnNativeMemoryGrowsLessThan16MbOver250PredictionsAnd250StepsAtBatch64(
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
    long base = Long.parseLong(kb[0]);
    long predictions = Long.parseLong(kb[1]);
    long training = Long.parseLong(kb[2]);
    assertThat(predictions - base).as(result).isLessThan(16 * 1024);
    assertThat(training - base).as(result).isLessThan(16 * 1024);
  }

  /** The child of the test above: warm-up, then 250 predictions and 250 training steps. */
  public static final class Probe {
    static final int WARM_UP = 100;
    static final int CALLS = 250;

    /** Prints {@code RSS base <kB> predictions-peak <kB> training-peak <kB>}. */
    public static void main(String[] args) throws IOException {
      Dataset data = Datasets.fashionMnistSubset().train().stratifiedSample(512, 1);
      java.util.List<Batch> batches = new java.util.ArrayList<>();
      data.batches(64, 3, true).forEach(batches::add);
      try (TrainableModel m = DjlModels.smallCnn(data.spec(), TrainConfig.defaults())) {
        for (int i = 0; i < WARM_UP; i++) {
          m.predict(batches.get(i % batches.size()));
          m.trainStep(batches.get(i % batches.size()), false);
        }
        long base = residentKb();
        long predictions = base;
        for (int i = 0; i < CALLS; i++) {
          m.predict(batches.get(i % batches.size()));
          if (i % 25 == 0) {
            predictions = Math.max(predictions, residentKb());
          }
        }
        long training = Math.max(base, residentKb());
        for (int i = 0; i < CALLS; i++) {
          m.trainStep(batches.get(i % batches.size()), false);
          if (i % 25 == 0) {
            training = Math.max(training, residentKb());
          }
        }
        training = Math.max(training, residentKb());
        System.out.printf("RSS base %d kB predictions-peak %d kB training-peak %d kB%n", base,
            predictions, training);
      }
    }
  }
}
