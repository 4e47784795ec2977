package dev.groundwork.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DataNotFoundException;
import dev.groundwork.core.model.TrainingState;
import dev.groundwork.core.weights.ChecksumMismatchException;
import dev.groundwork.core.weights.SafeTensors;
import dev.groundwork.core.weights.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  /** A checkpoint of {@code floats} random parameter values at {@code epoch}. */
  static Checkpoint sample(int epoch, int floats) {
    Random rng = new Random(epoch);
    float[] w = new float[floats];
    for (int i = 0; i < floats; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    float[] m = new float[floats];
    m[0] = epoch;
    TrainingState state = new TrainingState("net", List.of(Tensor.of("head_weight",
        new int[] {floats}, w), Tensor.of("head_bias", new int[] {2}, new float[] {1, -1})),
        List.of(Tensor.of("adam.m/head_weight", new int[] {floats}, m)),
        Map.of("head_weight", (long) epoch * 10, "head_bias", (long) epoch * 10),
        Set.of("head_bias"), 1e-3, Map.of("head_weight", 0.1));
    List<EpochRecord> history = new ArrayList<>();
    for (int e = 1; e <= epoch; e++) {
      history.add(new EpochRecord(e, 1.0 / e, 0.5, Double.NaN, Double.NaN, 1e-3, 1, 0, 100));
    }
    return new Checkpoint(state, epoch, epoch * 10L, 1234567890123456789L, "sha256:aa/100", "",
        1e-3, "epochs 5", history, epoch, 1.0 / epoch, 0, "test backend");
  }

  @Test
  void roundTripKeepsEveryField(@TempDir Path dir) {
    Path f = dir.resolve("c.safetensors");
    Checkpoint c = sample(3, 1000);
    Checkpoint.write(f, c);
    Checkpoint back = Checkpoint.read(f);
    assertThat(back.epoch()).isEqualTo(3);
    assertThat(back.step()).isEqualTo(30);
    assertThat(back.seed()).isEqualTo(1234567890123456789L);
    assertThat(back.state().parameters()).isEqualTo(c.state().parameters());
    assertThat(back.state().optimizer()).isEqualTo(c.state().optimizer());
    assertThat(back.state().updates()).isEqualTo(c.state().updates());
    assertThat(back.state().frozen()).containsExactly("head_bias");
    assertThat(back.state().learningRateScales()).containsEntry("head_weight", 0.1);
    assertThat(back.history()).hasSize(3);
    assertThat(back.history().get(2).sameNumbers(c.history().get(2), 0)).isTrue();
    assertThat(back.history().get(0).validated()).isFalse();
    assertThat(back.architecture()).containsExactly("head_weight [1000]", "head_bias [2]");
    assertThat(back.trainFingerprint()).isEqualTo("sha256:aa/100");
  }

  @Test
  void aFlippedByteAPlainSafetensorsFileAndAMissingFileAreTypedErrors(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("c.safetensors");
    Checkpoint.write(f, sample(2, 100));
    byte[] bytes = Files.readAllBytes(f);
    bytes[bytes.length - 10] ^= 1;
    Path bad = dir.resolve("bad.safetensors");
    Files.write(bad, bytes);
    assertThatThrownBy(() -> Checkpoint.read(bad)).isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining(bad.toString()).hasMessageContaining("earlier checkpoint");
    Path plain = dir.resolve("plain.safetensors");
    SafeTensors.write(plain, Map.of(), List.of(Tensor.of("w", new int[] {1}, new float[] {1})));
    assertThatThrownBy(() -> Checkpoint.read(plain)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("not a Groundwork checkpoint");
    assertThatThrownBy(() -> Checkpoint.read(dir.resolve("none.safetensors")))
        .isInstanceOf(DataNotFoundException.class);
  }

  /** Writes checkpoints of epochs 1, 2, … to args[0] until killed. */
  public static void main(String[] args) {
    Path f = Path.of(args[0]);
    for (int epoch = 1; ; epoch++) {
      Checkpoint.write(f, sample(epoch, 2_000_000));
    }
  }

  @Test
  void killMinus9DuringASaveLeavesTheLastCompleteCheckpointLoadable(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("last.safetensors");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int killedMidWrite = 0;
    for (int round = 0; round < 4; round++) {
      Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          CheckpointTest.class.getName(), f.toString()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("child.log").toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int startEpoch = Files.exists(f) ? Checkpoint.read(f).epoch() : 0;
      while (System.nanoTime() < deadline && p.isAlive()
          && (!Files.exists(f) || Checkpoint.read(f).epoch() < startEpoch + 2)) {
        Thread.sleep(20);
      }
      // kill while a write is in progress: wait for the writer's temporary to appear, then land
      // 0–3 ms into it (preparing the tensors takes most of a round, so a blind sleep mostly hits
      // the gap between two writes)
      while (System.nanoTime() < deadline && p.isAlive() && !hasTemporary(dir)) {
        Thread.onSpinWait();
      }
      Thread.sleep(round);
      assertThat(p.isAlive()).as(Files.readString(dir.resolve("child.log"))).isTrue();
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      // a temporary beside the target: the kill landed inside a write, not between two
      killedMidWrite += hasTemporary(dir) ? 1 : 0;
      Checkpoint c = Checkpoint.read(f);
      assertThat(c.epoch()).isGreaterThanOrEqualTo(2);
      assertThat(c.state().optimizer().get(0).values()[0]).isEqualTo((float) c.epoch());
    }
    // the loadable checkpoint above was really exercised against torn writes
    assertThat(killedMidWrite).isGreaterThanOrEqualTo(2);
    // the next save removes the temporaries the killed writers left behind
    Checkpoint.write(f, sample(1, 10));
    try (var s = Files.list(dir)) {
      assertThat(s.map(x -> x.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
          .isEmpty();
    }
  }

  private static boolean hasTemporary(Path dir) throws java.io.IOException {
    try (var s = Files.list(dir)) {
      return s.anyMatch(x -> x.getFileName().toString().endsWith(".tmp"));
    }
  }
}
