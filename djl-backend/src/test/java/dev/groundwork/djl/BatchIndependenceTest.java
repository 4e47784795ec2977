package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.core.Linear;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.BatchIndependence;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.TrainingModeProbe;
import dev.groundwork.core.model.GradientProbe;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.CheckResult;
import dev.groundwork.core.train.OverfitCheck;
import dev.groundwork.core.train.OverfitReport;
import dev.groundwork.core.train.Verdict;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BatchIndependenceTest {
  static final Dataset TWENTY = Datasets.fashionMnistSubset().train().stratifiedSample(20, 4);
  static final Batch EIGHT = TWENTY.batches(8).iterator().next();

  private static TrainableModel mlpWith(String name, Function<NDList, NDList> bug) {
    return DjlModels.custom(name, () -> new NamedSequential()
        .add("backbone", new NamedSequential().add("flatten", Blocks.batchFlattenBlock())
            .add("fc1", Linear.builder().setUnits(64).build())
            .addFunction(name, bug)
            .addFunction("relu", Activation::relu))
        .add("head", Linear.builder().setUnits(10).build()), TWENTY.spec(),
        TrainConfig.builder().batchSize(20).build());
  }

  @Test
  void theSmallCnnKeepsExamplesIndependent() {
    try (TrainableModel cnn = DjlModels.smallCnn(TWENTY.spec())) {
      BatchIndependence r = ((GradientProbe) cnn).batchIndependence(EIGHT, 3);
      assertThat(r.independent()).as(r.toString()).isTrue();
      assertThat(r.largestLeak()).isZero();
      assertThat(r.ownGradient()).isPositive();
      assertThat(r.mixedWith()).isEmpty();
    }
  }

  @Test
  void aReductionOverTheBatchIsFoundAndItsLayerNamed() {
    try (TrainableModel m = mlpWith("mix", l -> {
      NDArray x = l.singletonOrThrow();
      return new NDList(x.add(x.mean(new int[] {0}, true)));
    })) {
      var before = m.parameterValues();
      BatchIndependence r = ((GradientProbe) m).batchIndependence(EIGHT, 0);
      assertThat(r.independent()).isFalse();
      assertThat(r.suspicious()).isTrue();
      assertThat(r.batchNormByDesign()).isFalse();
      assertThat(r.mixedWith()).hasSize(7);
      assertThat(r.firstMixingLayer()).contains("backbone_mix");
      assertThat(m.parameterValues()).isEqualTo(before);
      // the overfit check still fits (the mixing even helps), but says what it saw
      OverfitReport report = OverfitCheck.of(m).on(TWENTY).baseline(false).run();
      CheckResult check = report.checks().stream()
          .filter(c -> c.name().equals("batch independence")).findFirst().orElseThrow();
      assertThat(check.status()).isEqualTo(CheckResult.Status.WARN);
      assertThat(check.detail()).contains("backbone_mix");
      assertThat(report.verdict()).isNotEqualTo(Verdict.PASS);
      assertThat(report.suggestions().toString()).contains("backbone_mix");
    }
  }

  @Test
  void aTrainingModePassShowsDropoutAndBatchStatisticsAndChangesNothing() {
    try (TrainableModel m = DjlModels.custom("bn-dropout", () -> new NamedSequential()
        .add("backbone", new NamedSequential().add("flatten", Blocks.batchFlattenBlock())
            .add("fc1", Linear.builder().setUnits(64).build())
            .add("bn", ai.djl.nn.norm.BatchNorm.builder().build())
            .addFunction("relu", Activation::relu)
            .add("drop", ai.djl.nn.norm.Dropout.builder().optRate(0.5f).build()))
        .add("head", Linear.builder().setUnits(10).build()), TWENTY.spec(),
        TrainConfig.builder().batchSize(8).build())) {
      var before = m.parameterValues();
      ClassProbabilities inference = m.predict(EIGHT);
      TrainingModeProbe probe = (TrainingModeProbe) m;
      ClassProbabilities first = probe.predictInTrainingMode(EIGHT);
      ClassProbabilities second = probe.predictInTrainingMode(EIGHT);
      // dropout draws new masks each pass; batch statistics differ from the running ones
      assertThat(first).isNotEqualTo(second);
      assertThat(first).isNotEqualTo(inference);
      assertThat(first.rows()).isEqualTo(8);
      // running statistics and weights as they were: inference is bit-identical afterwards
      assertThat(m.parameterValues()).isEqualTo(before);
      assertThat(m.predict(EIGHT)).isEqualTo(inference);
    }
  }

  @Test
  void aTransposeThatMovesTheBatchAxisIsFound() {
    try (TrainableModel m = mlpWith("swap", l -> {
      NDArray x = l.singletonOrThrow(); // (batch, 64) read back as if it were (64, batch)
      return new NDList(x.transpose().reshape(x.getShape()));
    })) {
      BatchIndependence r = ((GradientProbe) m).batchIndependence(EIGHT, 0);
      assertThat(r.suspicious()).isTrue();
      assertThat(r.firstMixingLayer()).contains("backbone_swap");
    }
  }

  @Test
  void batchNormMixesByDesignAndTheProbeLeavesItsRunningStatisticsAlone() {
    try (TrainableModel resnet = DjlModels.resnet(TWENTY.spec())) {
      var before = resnet.parameterValues();
      BatchIndependence r = ((GradientProbe) resnet).batchIndependence(EIGHT, 0);
      assertThat(r.independent()).isFalse();
      assertThat(r.batchNormByDesign()).isTrue();
      assertThat(r.suspicious()).isFalse();
      assertThat(r.firstMixingLayer()).contains("backbone_stembn");
      assertThat(r.detail()).contains("batch norm");
      assertThat(resnet.parameterValues()).isEqualTo(before);
    }
  }
}
