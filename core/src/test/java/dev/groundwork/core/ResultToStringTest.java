package dev.groundwork.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.analysis.detection.KeypointErrorType;
import dev.groundwork.core.analysis.detection.KeypointInstanceErrors;
import dev.groundwork.core.analysis.detection.KeypointJointErrors;
import dev.groundwork.core.analysis.detection.TideError;
import dev.groundwork.core.analysis.detection.TideErrorType;
import dev.groundwork.core.compare.Candidate;
import dev.groundwork.core.compare.CandidateResult;
import dev.groundwork.core.compare.RuntimeSummary;
import dev.groundwork.core.model.TrainingState;
import dev.groundwork.core.train.CheckResult;
import dev.groundwork.core.train.Checkpoint;
import dev.groundwork.core.train.EpochRecord;
import dev.groundwork.core.weights.Tensor;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The results that used to print as raw records (nested records, lists of tensors, maps) print as
 * tables or one readable line each.
 */
class ResultToStringTest {

  private static final RuntimeSummary FAST = new RuntimeSummary(0.8, 1.25, 32, 2345.4, true,
      List.of());

  @Test
  void aCandidateIsATableNotItsNestedRecords() {
    CandidateResult c = CandidateResult.measured("small-cnn", Candidate.Kind.TRAINED,
        "2 conv stages", List.of(0.84, 0.85, 0.83), 421_546, OptionalLong.of(1_686_184), 12.34,
        FAST);
    assertThat(c.toString()).isEqualTo("""
        Candidate small-cnn (trained, 2 conv stages)
          accuracy   0.8400 ± 0.0100 over 3 seeds (0.8400, 0.8500, 0.8300)
          size       421,546 parameters · 1,686,184 bytes · training 12.3 s
          runtime    p50 0.800 ms · p99 1.250 ms at batch 1 · 2,345 examples/s at batch 32 · \
        within budget""");
    assertThat(CandidateResult.failed("resnet", Candidate.Kind.TRAINED, "", "seed 42, training: "
        + "out of memory").toString()).isEqualTo("""
        Candidate resnet (trained)
          FAILED     seed 42, training: out of memory""");
    assertThat(new RuntimeSummary(6, 9.5, 32, 800, false, List.of("p99 9.5 ms > 5 ms",
        "800 examples/s < 1000")).toString()).isEqualTo("p50 6.000 ms · p99 9.500 ms at batch 1 "
        + "· 800 examples/s at batch 32 · over budget: p99 9.5 ms > 5 ms; 800 examples/s < 1000");
  }

  @Test
  void aCheckpointListsItsStateAndHistoryOneLineAnEpoch() {
    TrainingState state = new TrainingState("small-cnn", List.of(
        Tensor.of("w", new int[] {2, 3}, new float[6]), Tensor.of("b", new int[] {2},
            new float[2])), List.of(), Map.of(), Set.of("w"), 0.01, Map.of("w", 0.1));
    assertThat(state.toString()).isEqualTo("TrainingState small-cnn · 2 parameter tensors (8 "
        + "values) · 0 optimizer tensors · 1 frozen · lr 0.01 · lr scales {w=0.1}");
    Checkpoint c = new Checkpoint(state, 2, 50, 42, "sha256:aaaa (n=100)", "sha256:bbbb (n=20)",
        0.01, "epochs 5 · batch 4", List.of(
            new EpochRecord(1, 0.9, 0.6, 0.8, 0.65, 0.01, 1.0, 0.1, 100),
            new EpochRecord(2, 0.7, 0.7, 0.85, 0.6, 0.01, 1.0, 0.1, 100)), 1, 0.8, 1, "test");
    assertThat(c.toString()).isEqualTo("""
        Checkpoint after epoch 2 (step 50) · best epoch 1 (0.8000) · 1 epoch without improvement
          model       small-cnn · 2 parameter tensors
          run         seed 42 · backend test · base lr 0.01
          settings    epochs 5 · batch 4
          data        train sha256:aaaa (n=100) · validation sha256:bbbb (n=20)
          %s
          %s""".formatted(c.history().get(0), c.history().get(1)));
    assertThat(c.toString()).doesNotContain("Tensor[").doesNotContain("EpochRecord[");
  }

  @Test
  void itemsOfResultsAreOneReadableLine() {
    assertThat(new CheckResult("loss at init", CheckResult.Status.WARN, "2.9 vs ln 10 = 2.30")
        .toString()).isEqualTo("loss at init  WARN  2.9 vs ln 10 = 2.30");
    assertThat(new TideError(TideErrorType.LOCALIZATION, "img7", "person", OptionalInt.of(3),
        OptionalInt.of(5), 0.42).toString()).isEqualTo("Loc image img7 class person · "
            + "detection #3 · ground truth #5 · IoU 0.420");
    Map<KeypointErrorType, Integer> counts = new EnumMap<>(KeypointErrorType.class);
    for (KeypointErrorType t : KeypointErrorType.values()) {
      counts.put(t, t.ordinal());
    }
    assertThat(new KeypointJointErrors("nose", counts).toString())
        .isEqualTo("nose: good 0 jitter 1 inversion 2 swap 3 miss 4 (10)");
    assertThat(new KeypointInstanceErrors(1, 2, "img9", 0.71, 0.2, List.of(
        Optional.of(KeypointErrorType.JITTER), Optional.empty(),
        Optional.of(KeypointErrorType.SWAP)), List.of(OptionalInt.empty(), OptionalInt.empty(),
        OptionalInt.of(4))).toString()).isEqualTo("prediction #1 ↔ ground truth #2 (image img9) "
            + "· OKS 0.710, flipped 0.200 · good 0 jitter 1 inversion 0 swap 1 miss 0");
  }

  @Test
  void poolPredictionsSayWhatTheyHold() {
    var data = dev.groundwork.core.data.Datasets.fashionMnistSubset().test();
    var pool = dev.groundwork.core.collect.UnlabeledPool.hidingLabels(data);
    var p = dev.groundwork.core.collect.PoolPredictions.of(pool, new float[data.size() * 10],
        "mlp");
    assertThat(p.toString()).isEqualTo("PoolPredictions of mlp on " + pool.name()
        + ": 1,000 items × 10 classes, no embeddings");
    assertThat(p.withEmbeddings(new float[data.size() * 4], 4).toString())
        .endsWith(", embeddings of 4");
  }
}
