package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Batches;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** Every NDArray of a step is closed: resident memory stays flat over 2,000 training steps. */
class NativeMemoryTest {

  static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void residentMemoryStaysWithinTenPercentOver2000Steps() throws IOException {
    Dataset data = Datasets.fashionMnistSubset().train().stratifiedSample(512, 1);
    try (TrainableModel m = DjlModels.mlp(data.spec(), TrainConfig.defaults(), 128)) {
      Batches batches = data.batches(16, 3, true);
      Iterator<Batch> it = batches.epoch(0);
      int epoch = 0;
      long afterWarmUp = 0;
      long peak = 0;
      Batch probe = data.batches(8).iterator().next();
      for (int step = 1; step <= 2000; step++) {
        if (!it.hasNext()) {
          it = batches.epoch(++epoch);
        }
        m.trainStep(it.next(), step % 10 == 0);
        if (step % 50 == 0) {
          m.predict(probe);
        }
        if (step == 300) {
          System.gc();
          afterWarmUp = residentKb();
        } else if (step > 300 && step % 100 == 0) {
          peak = Math.max(peak, residentKb());
        }
      }
      assertThat(afterWarmUp).isPositive();
      assertThat((double) peak).as("RSS after warm-up %d kB, peak %d kB", afterWarmUp, peak)
          .isLessThanOrEqualTo(afterWarmUp * 1.10);
    }
  }
}
