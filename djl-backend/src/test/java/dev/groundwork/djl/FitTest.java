package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.model.TrainingState;
import dev.groundwork.core.train.Checkpoint;
import dev.groundwork.core.train.EarlyStopping;
import dev.groundwork.core.train.EpochRecord;
import dev.groundwork.core.train.Fit;
import dev.groundwork.core.train.FitListener;
import dev.groundwork.core.train.FitResult;
import dev.groundwork.core.train.LrSchedule;
import dev.groundwork.core.train.Metric;
import dev.groundwork.core.train.ResumeMismatchException;
import dev.groundwork.core.weights.ChecksumMismatchException;
import dev.groundwork.core.weights.Tensor;
import dev.groundwork.core.weights.WeightsMismatchException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitTest {
  static final Split DATA = Datasets.fashionMnistSubset();
  static final Dataset TRAIN = DATA.train().stratifiedSample(300, 1);
  static final Dataset VAL = DATA.test().stratifiedSample(200, 1);
  static final TrainConfig CONFIG = TrainConfig.builder().batchSize(32).seed(11).build();

  private static Fit fit(TrainableModel m, Path dir) {
    return Fit.of(m).on(TRAIN).validation(VAL).epochs(4).schedule(LrSchedule.cosine())
        .checkpoints(dir).quiet();
  }

  private static double maxDiff(List<Tensor> a, List<Tensor> b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).name()).isEqualTo(b.get(i).name());
      float[] x = a.get(i).values();
      float[] y = b.get(i).values();
      for (int k = 0; k < x.length; k++) {
        max = Math.max(max, Math.abs(x[k] - y[k]));
      }
    }
    return max;
  }

  @Test
  void resumeAfterAStopGivesTheSameHistoryAndParametersAsAnUninterruptedRun(@TempDir Path dir) {
    FitResult whole;
    List<Tensor> wholeParams;
    try (TrainableModel m = DjlModels.smallCnn(TRAIN.spec(), CONFIG)) {
      whole = fit(m, dir.resolve("whole")).run();
      wholeParams = m.parameterValues();
    }
    assertThat(whole.stop()).isEqualTo(FitResult.StopReason.COMPLETED);
    assertThat(whole.history()).hasSize(4);
    // the model learns: validation accuracy well above chance (10 %)
    assertThat(whole.last().validationAccuracy()).isGreaterThan(0.5);
    // cosine schedule: the learning rate falls epoch by epoch
    assertThat(whole.history().get(3).learningRate())
        .isLessThan(whole.history().get(0).learningRate());

    Path part = dir.resolve("part");
    try (TrainableModel m = DjlModels.smallCnn(TRAIN.spec(), CONFIG)) {
      FitResult stopped = fit(m, part).listener(new FitListener() {
        @Override
        public void epochFinished(EpochRecord r, Control c) {
          if (r.epoch() == 2) {
            c.stop("simulated crash");
          }
        }
      }).run();
      assertThat(stopped.stop()).isEqualTo(FitResult.StopReason.STOPPED_BY_LISTENER);
      assertThat(stopped.history()).hasSize(2);
    }
    assertThat(Checkpoint.read(part.resolve("last.safetensors")).epoch()).isEqualTo(2);

    FitResult resumed;
    List<Tensor> resumedParams;
    try (TrainableModel m = DjlModels.smallCnn(TRAIN.spec(), CONFIG)) {
      resumed = fit(m, part).resume(part.resolve("last.safetensors")).run();
      resumedParams = m.parameterValues();
    }
    assertThat(resumed.resumedAfterEpoch()).isEqualTo(2);
    assertThat(resumed.history()).hasSize(4);
    for (int e = 0; e < 4; e++) {
      assertThat(resumed.history().get(e).sameNumbers(whole.history().get(e), 1e-6))
          .as("epoch %d: %s vs %s", e + 1, resumed.history().get(e), whole.history().get(e))
          .isTrue();
    }
    double diff = maxDiff(resumedParams, wholeParams);
    System.out.printf("resumed vs uninterrupted: max |Δ parameter| = %.3g%n", diff);
    assertThat(diff).isLessThanOrEqualTo(1e-6);
    // and a resume really continues: without it, the same 2 epochs from scratch differ
    assertThat(resumed.toString()).contains("resumed after epoch 2");
  }

  @Test
  void resumeRefusesOtherDataOtherSettingsOtherArchitectureAndADamagedFile(@TempDir Path dir)
      throws Exception {
    try (TrainableModel m = DjlModels.smallCnn(TRAIN.spec(), CONFIG)) {
      Fit.of(m).on(TRAIN).validation(VAL).epochs(2).checkpoints(dir).quiet().run();
    }
    Path last = dir.resolve("last.safetensors");
    try (TrainableModel m = DjlModels.smallCnn(TRAIN.spec(), CONFIG)) {
      Dataset other = DATA.train().stratifiedSample(300, 2);
      assertThatThrownBy(() -> Fit.of(m).on(other).validation(VAL).epochs(2).quiet()
          .resume(last).run()).isInstanceOf(ResumeMismatchException.class)
          .hasMessageContaining(last.toString()).hasMessageContaining("training data differs");
      assertThatThrownBy(() -> Fit.of(m).on(TRAIN).validation(VAL).epochs(3).quiet()
          .resume(last).run()).isInstanceOf(ResumeMismatchException.class)
          .hasMessageContaining("settings differ");
    }
    try (TrainableModel mlp = DjlModels.mlp(TRAIN.spec(), CONFIG, 64)) {
      assertThatThrownBy(() -> Fit.of(mlp).on(TRAIN).validation(VAL).epochs(2).quiet()
          .resume(last).run()).isInstanceOf(WeightsMismatchException.class)
          .hasMessageContaining(last.toString()).hasMessageContaining("backbone_fc1_weight");
    }
    byte[] bytes = Files.readAllBytes(last);
    bytes[bytes.length - 100] ^= 0x10; // one flipped bit in the head's values
    Path damaged = dir.resolve("damaged.safetensors");
    Files.write(damaged, bytes);
    assertThatThrownBy(() -> Checkpoint.read(damaged))
        .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining(damaged.toString());
  }

  @Test
  void earlyStoppingStopsAfterPatienceAndRestoresTheBestEpoch(@TempDir Path dir)
      throws Exception {
    Dataset tiny = DATA.train().stratifiedSample(40, 3);
    try (TrainableModel m = DjlModels.mlp(tiny.spec(),
        TrainConfig.builder().batchSize(8).seed(5).learningRate(3e-3).build(), 256)) {
      FitResult r = Fit.of(m).on(tiny).validation(VAL).epochs(40)
          .earlyStopping(EarlyStopping.on(Metric.VALIDATION_LOSS).patience(2))
          .checkpoints(dir).quiet().run();
      assertThat(r.stop()).isEqualTo(FitResult.StopReason.EARLY_STOPPED);
      assertThat(r.history().size()).isLessThan(40);
      assertThat(r.bestEpoch()).isEqualTo(r.history().size() - 2);
      double best = r.best().orElseThrow().validationLoss();
      for (EpochRecord e : r.history()) {
        assertThat(e.validationLoss()).isGreaterThanOrEqualTo(best);
      }
      assertThat(r.restoredBest()).isTrue();
      // the model now predicts as the best epoch did
      double now = m.predict(VAL, 256).meanLoss(VAL.labels());
      assertThat(now).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-6));
      TrainingState saved = Checkpoint.read(dir.resolve("best.safetensors")).state();
      assertThat(maxDiff(saved.parameters(), m.parameterValues())).isEqualTo(0.0);
      assertThat(Files.readAllLines(dir.resolve("history.csv"))).hasSize(r.history().size() + 1);
    }
  }

  @Test
  void barModeRedrawsOneLineWithRateEtaAndLossThenPrintsTheEpoch() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (TrainableModel m = DjlModels.mlp(TRAIN.spec(), CONFIG, 32)) {
      Fit.of(m).on(TRAIN).epochs(2)
          .progress(Fit.Progress.BAR, new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    // the last step of each epoch is always drawn, then cleared before the epoch's line
    assertThat(out).contains("\r  epoch 1/2 [").contains("10/10 · ").contains(" ex/s · loss ")
        .contains("ETA 0:00");
    assertThat(out.split("\n")).hasSize(2);
    assertThat(out).contains("epoch   1  train loss").contains("epoch   2  train loss");
  }

  @Test
  void quietRunsPrintNothingAndLinesModePrintsOneLinePerEpoch() {
    ByteArrayOutputStream silent = new ByteArrayOutputStream();
    try (TrainableModel m = DjlModels.mlp(TRAIN.spec(), CONFIG, 32)) {
      Fit.of(m).on(TRAIN).epochs(1)
          .progress(Fit.Progress.OFF, new PrintStream(silent, true, StandardCharsets.UTF_8)).run();
    }
    assertThat(silent.size()).isZero();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (TrainableModel m = DjlModels.mlp(TRAIN.spec(), CONFIG, 32)) {
      FitResult r = Fit.of(m).on(TRAIN).epochs(3)
          .progress(Fit.Progress.LINES, new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
      String out = buf.toString(StandardCharsets.UTF_8);
      assertThat(out.lines().filter(l -> l.contains("epoch")).count()).isEqualTo(3);
      assertThat(out).doesNotContain("\r");
      assertThat(r.toCsv().lines().count()).isEqualTo(4);
      assertThat(r.toJson()).contains("\"history\":[{\"epoch\":1").contains("\"seed\":11");
      assertThat(r.provenance().datasetFingerprint()).isEqualTo(TRAIN.fingerprint().toString());
      // training only: the monitor falls back to the training loss
      assertThat(r.monitor()).isEqualTo(Metric.TRAIN_LOSS);
    }
  }
}
