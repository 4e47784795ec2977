package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.LrFinder;
import dev.groundwork.core.train.LrFinderResult;
import dev.groundwork.core.train.OverfitCheck;
import dev.groundwork.core.train.Verdict;
import org.junit.jupiter.api.Test;

class LrFinderTest {

  @Test
  void suggestsAWorkingLearningRateOnFashionMnistAndLeavesTheModelUntouched() {
    Dataset train = Datasets.fashionMnistSubset().train();
    try (TrainableModel m = DjlModels.mlp(train.spec(), TrainConfig.defaults(), 128)) {
      var before = m.predict(train.batches(8).iterator().next());
      LrFinderResult r = LrFinder.of(m).on(train).range(1e-6, 10).steps(100).run();
      assertThat(m.predict(train.batches(8).iterator().next())).isEqualTo(before);
      // Seeded: measured 3.43e-3 after 80 steps (diverged at lr 0.385), the same twice and on one
      // or two cores. The grid grows ×1.177 a step (1e-6..10 in 100); another CPU's rounding may
      // move the steepest fall by a step or two, so two grid steps either side, no more.
      double step = Math.pow(1e7, 1 / 99.0);
      assertThat(r.suggestion()).as(r.toString())
          .isBetween(3.43e-3 / (step * step), 3.43e-3 * step * step);
      assertThat(r.stopReason()).contains("diverged");
      assertThat(r.learningRates()).as(r.toString()).hasSizeBetween(78, 82);
      assertThat(r.rule()).contains("steepest");
      assertThat(r.toString()).contains("suggestion");
      // and the suggestion works: the overfit check passes with it
      try (TrainableModel tuned = m.newInstance(m.config().withLearningRate(r.suggestion()))) {
        assertThat(OverfitCheck.of(tuned).on(train.stratifiedSample(100, 42)).baseline(false)
            .run().verdict()).isEqualTo(Verdict.PASS);
      }
    }
  }

  @Test
  void batchNormModelsWorkWithTheCheckAndTheFinder() {
    Dataset twenty = Datasets.fashionMnistSubset().train().stratifiedSample(20, 1);
    try (TrainableModel res = DjlModels.resnet(twenty.spec())) {
      // running statistics are reported as not trainable; copying the frozen set must skip them
      assertThat(res.parameters()).anyMatch(p -> p.name().endsWith("runningMean") && !p.trainable());
      var report = OverfitCheck.of(res).on(twenty).maxSteps(3).run();
      assertThat(report.baselineAccuracy()).isPresent();
      assertThat(report.steps()).isEqualTo(3);
      LrFinderResult r = LrFinder.of(res).on(twenty).steps(10).run();
      assertThat(r.learningRates()).hasSizeBetween(2, 10);
    }
  }
}
