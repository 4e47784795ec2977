package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's "Could not initialize NNPACK" warning: on a CPU NNPACK does not support, every
 * small-batch convolution printed it on the native standard error (thousands of lines for one
 * runtime profile). Two child JVMs predict 40 single images with the small CNN, one as users run
 * it and one with {@code groundwork.djl.nnpack=keep} (PyTorch untouched); the native standard
 * error is read from the child process, where the warning lands.
 */
class NnpackTest {

  private static final int PREDICTIONS = 40;

  @Test
  void smallBatchConvolutionsPrintNoNnpackWarningAndPredictTheSame(@TempDir Path dir)
      throws Exception {
    Child switched = run(dir, "default", List.of());
    Child kept = run(dir, "keep", List.of("-D" + Nnpack.PROPERTY + "=keep"));

    assertThat(switched.state).isIn(Nnpack.AVAILABLE.name(), Nnpack.SWITCHED_OFF.name());
    assertThat(kept.state).isEqualTo(Nnpack.KEPT.name());
    assertThat(switched.stderr).as(switched.stderr).doesNotContain("NNPACK");
    if (switched.state.equals(Nnpack.SWITCHED_OFF.name())) {
      // the flood is real on this CPU: PyTorch untouched prints it for each convolution layer
      // (the small CNN has two) of each single-image prediction
      long lines = kept.stderr.lines().filter(l -> l.contains("Could not initialize NNPACK"))
          .count();
      assertThat(lines).as(kept.stderr).isGreaterThanOrEqualTo(PREDICTIONS);
    } else {
      assertThat(kept.stderr).doesNotContain("NNPACK");
    }
    // the same convolution path either way: bit-identical probabilities
    assertThat(switched.probabilities).isEqualTo(kept.probabilities).isNotEmpty();
  }

  private record Child(String state, String probabilities, String stderr) {}

  private static Child run(Path dir, String name, List<String> flags) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-Dai.djl.offline=true",
        "-DOPT_OUT_TRACKING=true"));
    command.addAll(flags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String stdout = Files.readString(out);
    String stderr = Files.readString(err);
    assertThat(p.exitValue()).as(stdout + stderr).isZero();
    List<String> lines = stdout.lines().toList();
    String state = lines.stream().filter(l -> l.startsWith("nnpack ")).findFirst().orElseThrow()
        .substring("nnpack ".length());
    String probabilities = lines.stream().filter(l -> l.startsWith("p ")).findFirst()
        .orElseThrow();
    return new Child(state, probabilities, stderr);
  }

  /** The child: the NNPACK state, then a hash of 40 single-image predictions' probabilities. */
  public static final class Probe {
    /** Prints {@code nnpack <state>} and {@code p <hash of the probabilities' bits>}. */
    public static void main(String[] args) {
      Dataset data = Datasets.fashionMnistSubset().train().stratifiedSample(PREDICTIONS, 1);
      try (TrainableModel m = DjlModels.smallCnn(data.spec(), TrainConfig.defaults())) {
        System.out.println("nnpack " + DjlRuntime.nnpack());
        long hash = 17;
        for (var batch : data.batches(1, 1, false)) {
          for (float v : m.predict(batch).values()) {
            hash = hash * 31 + Float.floatToIntBits(v);
          }
        }
        System.out.println("p " + Long.toHexString(hash));
      }
    }
  }
}
