package dev.groundwork.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.progress.Progress;
import dev.groundwork.core.progress.ProgressUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every long step reports its progress: per task, steps from 0 that never decrease and end at the
 * total exactly once, with the reason in the last message.
 */
class LongStepProgressTest {

  private static final Dataset DATA = CrossValidationTest.blobs();
  private static final TrainConfig CONFIG = TrainConfig.builder().batchSize(8).seed(3).build();

  /** The updates of each task, in order; asserts the listener contract on them. */
  private static Map<String, List<ProgressUpdate>> record(Consumer<Progress> run) {
    List<ProgressUpdate> all = new ArrayList<>();
    run.accept(all::add);
    Map<String, List<ProgressUpdate>> byTask = all.stream().collect(Collectors.groupingBy(
        ProgressUpdate::task, java.util.LinkedHashMap::new, Collectors.toList()));
    for (List<ProgressUpdate> updates : byTask.values()) {
      assertThat(updates.get(0).step()).isZero();
      for (int i = 1; i < updates.size(); i++) {
        assertThat(updates.get(i).step()).isGreaterThan(updates.get(i - 1).step());
        assertThat(updates.get(i).total()).isEqualTo(updates.get(0).total());
      }
      ProgressUpdate last = updates.get(updates.size() - 1);
      assertThat(last.done()).isTrue();
      assertThat(updates.stream().filter(ProgressUpdate::done)).hasSize(1);
    }
    return byTask;
  }

  @Test
  void crossValidationReportsEveryTrainingStepOfEveryFold() {
    // 60 examples, 5 folds: 48 training examples per fold = 6 batches of 8, × 2 epochs × 5 folds
    Map<String, List<ProgressUpdate>> tasks = record(p -> CrossValidation.of(
        new CrossValidationTest.Centroids(DATA.spec(), CONFIG)).on(DATA).folds(5).epochs(2)
        .progress(p).run());
    List<ProgressUpdate> cv = tasks.get("cross-validation");
    assertThat(cv.get(0).total()).isEqualTo(60);
    assertThat(cv).extracting(ProgressUpdate::step).containsExactlyElementsOf(
        java.util.stream.LongStream.rangeClosed(0, 60).boxed().toList());
    assertThat(cv.get(1).message()).isEqualTo("fold 1/5 · epoch 1/2");
    assertThat(cv.get(cv.size() - 1).message()).startsWith("5 folds, out-of-fold accuracy ");
  }

  @Test
  void lrFinderReportsEachSweepStepAndWhyItStopped() {
    Map<String, List<ProgressUpdate>> tasks = record(p -> LrFinder.of(
        new CrossValidationTest.Centroids(DATA.spec(), CONFIG)).on(DATA).steps(20).progress(p)
        .run());
    List<ProgressUpdate> lr = tasks.get("LR finder");
    assertThat(lr).hasSize(21);
    assertThat(lr.get(1).message()).isEqualTo("lr 1.0e-06 · loss 0.000");
    assertThat(lr.get(20).message()).isEqualTo("swept the whole range");
  }

  @Test
  void fitReportsStepsOverAllEpochsBesideItsEpochLines() {
    Map<String, List<ProgressUpdate>> tasks = record(p -> new Object() {
      void run() {
        try (var m = new CrossValidationTest.Centroids(DATA.spec(), CONFIG)) {
          Fit.of(m).on(DATA).epochs(3).quiet().progress(p).run();
        }
      }
    }.run());
    List<ProgressUpdate> fit = tasks.get("fit");
    assertThat(fit.get(0).total()).isEqualTo(3 * 8); // 60 examples in batches of 8
    assertThat(fit).hasSize(25);
    assertThat(fit.get(9).message()).isEqualTo("epoch 2/3 · loss 0.0000");
    assertThat(fit.get(24).message()).isEqualTo("3 epochs");
  }

  @Test
  void fineTuneReportsBothStepsAsOneTask() {
    Map<String, List<ProgressUpdate>> tasks = record(p -> new Object() {
      void run() {
        try (var m = new CrossValidationTest.Centroids(DATA.spec(), CONFIG)) {
          FineTune.of(m).on(DATA).headEpochs(2).fullEpochs(3)
              .progress(Fit.Progress.OFF, System.out).progress(p).run();
        }
      }
    }.run());
    assertThat(tasks).containsOnlyKeys("fine-tune");
    List<ProgressUpdate> ft = tasks.get("fine-tune");
    assertThat(ft.get(0).total()).isEqualTo(5 * 8); // 2 + 3 epochs of 8 batches
    assertThat(ft).extracting(ProgressUpdate::step).containsExactlyElementsOf(
        java.util.stream.LongStream.rangeClosed(0, 40).boxed().toList());
    assertThat(ft.get(9).message()).isEqualTo("head · epoch 2/2 · loss 0.0000");
    assertThat(ft.get(16).message()).isEqualTo("full");
    assertThat(ft.get(17).message()).isEqualTo("full · epoch 1/3 · loss 0.0000");
    assertThat(ft.get(40).message()).isEqualTo("full · 3 epochs");
  }

  @Test
  void aFineTuneThatFailsEndsItsTaskOnce() {
    List<ProgressUpdate> seen = new ArrayList<>();
    try (var m = new CrossValidationTest.Centroids(DATA.spec(), CONFIG) {
      int steps;

      @Override
      public dev.groundwork.core.model.StepResult trainStep(dev.groundwork.core.data.Batch b,
          boolean g) {
        if (++steps == 11) {
          throw new IllegalStateException("boom");
        }
        return super.trainStep(b, g);
      }
    }) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> FineTune.of(m).on(DATA)
          .headEpochs(2).fullEpochs(1).progress(Fit.Progress.OFF, System.out)
          .progress(seen::add).run()).hasMessage("boom");
    }
    assertThat(seen.stream().filter(ProgressUpdate::done)).hasSize(1);
    ProgressUpdate last = seen.get(seen.size() - 1);
    assertThat(last.done()).isTrue();
    assertThat(last.message()).isEqualTo("failed");
    assertThat(seen.get(seen.size() - 2).step()).isEqualTo(10);
  }

  @Test
  void anUnusedListenerSeesNothingAndQuietIsTheSilentOne() {
    List<ProgressUpdate> seen = new ArrayList<>();
    Progress both = Progress.quiet().and(seen::add);
    LrFinder.of(new CrossValidationTest.Centroids(DATA.spec(), CONFIG)).on(DATA).steps(10)
        .progress(both).run();
    assertThat(seen).hasSize(11);
  }
}
