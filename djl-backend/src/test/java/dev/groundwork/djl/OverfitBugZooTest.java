package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.LabelException;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.model.Optimizer;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.train.CheckResult;
import dev.groundwork.core.train.Diagnosis;
import dev.groundwork.core.train.ExampleFit;
import dev.groundwork.core.train.OverfitCheck;
import dev.groundwork.core.train.OverfitReport;
import dev.groundwork.core.train.Verdict;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deliberately broken set-ups: each must get the right verdict and name the right cause.
 * Every one runs on real Fashion-MNIST examples and DJL's PyTorch engine.
 */
class OverfitBugZooTest {
  static final Dataset HUNDRED = Datasets.fashionMnistSubset().train().stratifiedSample(100, 42);

  private static TrainableModel mlp(TrainConfig config, int hidden) {
    return DjlModels.mlp(HUNDRED.spec(), config, hidden);
  }

  private static TrainableModel mlp() {
    return mlp(TrainConfig.defaults(), 128);
  }

  private static CheckResult.Status status(OverfitReport r, String check) {
    return r.check(check).orElseThrow().status();
  }

  @Test
  void healthyMlpPasses() {
    try (TrainableModel m = mlp()) {
      OverfitReport r = OverfitCheck.of(m).on(HUNDRED).run();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.PASS);
      assertThat(r.finalAccuracy()).isEqualTo(1.0);
      assertThat(r.stepsToTarget()).isPresent();
      assertThat(r.stepsToTarget().getAsInt()).isLessThan(400);
      assertThat(r.initialLoss()).isBetween(2.0, 2.8);
      assertThat(r.baselineAccuracy().orElseThrow()).isLessThan(0.3);
      assertThat(r.examplesPerSecond()).isPositive();
      assertThat(r.toString()).contains("PASS").contains("100/100").contains("ln 10 = 2.30");
      assertThat(r.provenance().datasetFingerprint()).isEqualTo(HUNDRED.fingerprint().sha256());
    }
  }

  @Test
  void smallCnnPassesOnAHundredFashionMnistImages() {
    try (TrainableModel m = DjlModels.smallCnn(HUNDRED.spec())) {
      OverfitReport r = OverfitCheck.of(m).on(HUNDRED).run();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.PASS);
      assertThat(r.stepsToTarget().getAsInt()).isLessThan(300);
      assertThat(r.neverFit()).isEmpty();
    }
  }

  @Test
  void zeroedInputsAreCaughtBeforeTraining() {
    Dataset zeroed = HUNDRED.map(in -> new TensorInput(new float[784], new int[] {1, 28, 28}));
    try (TrainableModel m = mlp()) {
      OverfitReport r = OverfitCheck.of(m).on(zeroed).run();
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.cause()).contains("all inputs are zero");
      assertThat(r.steps()).isZero();
    }
  }

  @Test
  void learningRate100Diverges() {
    TrainConfig lr100 = TrainConfig.builder().optimizer(Optimizer.SGD).learningRate(100).build();
    try (TrainableModel m = mlp(lr100, 128)) {
      OverfitReport r = OverfitCheck.of(m).on(HUNDRED).run();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.FAIL);
      assertThat(r.cause()).contains("diverged at step");
      assertThat(status(r, "divergence")).isEqualTo(CheckResult.Status.FAIL);
      assertThat(r.suggestions().get(0)).contains("lower the learning rate");
    }
  }

  @Test
  void learningRate1eMinus9Stagnates() {
    try (TrainableModel m = mlp(TrainConfig.defaults().withLearningRate(1e-9), 128)) {
      OverfitReport r = OverfitCheck.of(m).on(HUNDRED).maxSteps(60).run();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.FAIL);
      assertThat(r.cause()).contains("stagnated");
      assertThat(r.suggestions().get(0)).contains("raise the learning rate");
    }
  }

  @Test
  void allParametersFrozenFailsWithoutTraining() {
    try (TrainableModel m = mlp()) {
      m.freeze("");
      OverfitReport r = OverfitCheck.of(m).on(HUNDRED).run();
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.cause()).isEqualTo("all parameters are frozen");
      assertThat(r.frozenParameters()).hasSize(4);
      assertThat(r.steps()).isZero();
    }
  }

  @Test
  void layerCutOffFromTheLossIsNamed() {
    try (TrainableModel m = DjlModels.custom("cut-off", CutOff::new, HUNDRED.spec(),
        TrainConfig.defaults())) {
      OverfitReport r = OverfitCheck.of(m).on(HUNDRED).run();
      assertThat(r.deadParameters()).containsExactlyInAnyOrder("side_weight", "side_bias");
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.WARN);
      assertThat(r.cause()).contains("never received a gradient").contains("side_weight");
    }
  }

  @Test
  void inputMultipliedAwayIsAModelThatIgnoresItsInput() {
    try (TrainableModel m = DjlModels.custom("blind", Blind::new, HUNDRED.spec(),
        TrainConfig.defaults())) {
      OverfitReport r = OverfitCheck.of(m).on(HUNDRED).maxSteps(100).run();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.FAIL);
      assertThat(r.cause()).contains("ignores its input");
    }
  }

  @Test
  void labelsAllOneClassAreDegenerate() {
    Dataset trousers = Datasets.fashionMnistSubset().train().withClasses(List.of("Trouser"))
        .stratifiedSample(20, 1);
    try (TrainableModel m = mlp()) {
      OverfitReport r = OverfitCheck.of(m).on(trousers).run();
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.cause()).contains("one class").contains("Trouser");
    }
  }

  @Test
  void labelsOutsideTheModelsClassesAreATypedErrorBeforeTraining() {
    var fiveClasses = HUNDRED.spec().withClasses(HUNDRED.classes().subList(0, 5));
    try (TrainableModel m = DjlModels.mlp(fiveClasses, TrainConfig.defaults(), 16)) {
      assertThatThrownBy(() -> OverfitCheck.of(m).on(HUNDRED).run())
          .isInstanceOf(LabelException.class).hasMessageContaining("outside the 5 classes");
    }
  }

  @Test
  void badBudgetsAndSubsetsAreTypedErrors() {
    try (TrainableModel m = mlp()) {
      assertThatThrownBy(() -> OverfitCheck.of(m).maxSteps(0))
          .isInstanceOf(InvalidParameterException.class).hasMessageContaining("zero steps");
      assertThatThrownBy(() -> OverfitCheck.of(m).run())
          .isInstanceOf(InvalidParameterException.class).hasMessageContaining("no examples");
      Dataset small = HUNDRED.map(in -> in, HUNDRED.spec().withInputShape(new int[] {784}));
      assertThatThrownBy(() -> OverfitCheck.of(m).on(small).run())
          .isInstanceOf(InvalidParameterException.class).hasMessageContaining("[784]")
          .hasMessageContaining("[1, 28, 28]");
    }
  }

  @Test
  void modelTooSmallToMemorizeFails() {
    try (TrainableModel m = mlp(TrainConfig.defaults().withLearningRate(3e-3), 3)) {
      OverfitReport r = OverfitCheck.of(m).on(HUNDRED).maxSteps(300).evalEvery(10).run();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.FAIL);
      assertThat(r.diagnosis()).isEqualTo(Diagnosis.CAPACITY);
      assertThat(r.cause()).contains("a layer only 3 wide").contains("too small");
      assertThat(r.evidence().narrowestLayer()).isEqualTo(3);
      assertThat(r.suggestions().get(0)).contains("wider");
    }
  }

  @Test
  void relabeledExamplesAreTheOnesThatNeverFit() {
    Map<String, String> flips = new LinkedHashMap<>();
    for (int i : new int[] {3, 27, 51, 88}) {
      int label = HUNDRED.label(i);
      flips.put(HUNDRED.id(i), HUNDRED.classes().get((label + 5) % 10));
    }
    Dataset noisy = HUNDRED.relabel(flips);
    try (TrainableModel m = mlp(TrainConfig.defaults(), 64)) {
      // Stop once 96 examples fit. Relabeled examples keep a low margin (p(label) minus the best
      // other class) through training, so they head the ranking; a few genuinely ambiguous
      // Fashion-MNIST images (Pullover/Coat/Shirt) compete with them. Measured: 3 of the 4
      // relabeled ones are in the top 4 (chance: 0.16 expected), 2 of them never fit.
      OverfitReport r = OverfitCheck.of(m).on(noisy).targetAccuracy(0.96).run();
      List<String> top4 = r.hardest(4).stream().map(ExampleFit::id).toList();
      assertThat(top4.stream().filter(flips::containsKey).count()).as(r.toString())
          .isGreaterThanOrEqualTo(3);
      assertThat(r.neverFit().stream().filter(flips::containsKey).count())
          .isGreaterThanOrEqualTo(2);
      assertThat(r.verdict()).isEqualTo(Verdict.WARN);
      assertThat(r.cause()).contains("never fit").contains("mislabeled");
    }
  }

  @Test
  void aForwardPassThatThrowsIsAFailedCheckThatSaysSo() {
    // a reshape hard-coded to one example: the model builds (it is initialised with one example)
    // and fails on the first real batch
    try (TrainableModel m = DjlModels.custom("reshape-to-one", () -> new NamedSequential()
        .add("backbone", new NamedSequential()
            .addFunction("flatten", l -> new NDList(l.singletonOrThrow().reshape(1, 784)))
            .add("fc1", Linear.builder().setUnits(16).build()))
        .add("head", Linear.builder().setUnits(10).build()), HUNDRED.spec(),
        TrainConfig.defaults())) {
      OverfitReport r = OverfitCheck.of(m).on(HUNDRED).maxSteps(10).run();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.FAIL);
      assertThat(r.diagnosis()).isEqualTo(Diagnosis.ENGINE_ERROR);
      assertThat(r.cause()).contains("forward pass fails before training")
          .contains("shape '[1, 784]' is invalid");
      assertThat(r.steps()).isZero();
      assertThat(status(r, "forward pass")).isEqualTo(CheckResult.Status.FAIL);
    }
  }

  @Test
  void aSubsetThatCannotBeBatchedIsATypedErrorNamingTheExample() {
    // a transform that returns a 10×10 image for some examples: they cannot be stacked
    Dataset ragged = HUNDRED.map(in -> ((TensorInput) in).values()[400] > 0.5f
        ? new TensorInput(new float[100], new int[] {1, 10, 10}) : in);
    try (TrainableModel m = mlp()) {
      assertThatThrownBy(() -> OverfitCheck.of(m).on(ragged).maxSteps(10).run())
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("expects a tensor of shape [1, 28, 28]")
          .hasMessageContaining("example train-");
    }
  }

  @Test
  void aTimeBudgetShorterThanOneStepSaysSo() {
    try (TrainableModel m = mlp()) {
      OverfitReport r = OverfitCheck.of(m).on(HUNDRED).timeBudget(Duration.ofNanos(1)).run();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.FAIL);
      assertThat(r.diagnosis()).isEqualTo(Diagnosis.TIME_BUDGET);
      assertThat(r.steps()).isEqualTo(1);
      assertThat(r.cause()).startsWith("stopped by the 1-ns budget after 1 step: the budget is "
          + "shorter than one step (").endsWith(" ms) and checks nothing");
      assertThat(r.suggestions().get(0)).startsWith("give it a longer timeBudget");
    }
  }

  @Test
  void aLossNotFiniteBeforeAnyUpdateIsNotCalledDivergence() {
    // NaN in training mode only: the first step's loss is NaN before any update
    try (TrainableModel m = OverfitZoo.net("nan-in-training", OverfitZoo.CONFIG,
        b -> b.add("nan", new OverfitZoo.TrainingOnly(x -> x.mul(Float.NaN))))) {
      OverfitReport r = OverfitCheck.of(m).on(OverfitZoo.FIFTY).maxSteps(20).run();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.FAIL);
      assertThat(r.diagnosis()).isEqualTo(Diagnosis.NON_FINITE_AT_INIT);
      assertThat(r.cause()).contains("NaN at step 1, before any update");
      assertThat(r.steps()).isEqualTo(1);
      assertThat(r.suggestions().toString()).doesNotContain("lower the learning rate");
    }
  }

  /** An MLP with a side layer whose output is computed and thrown away. */
  static final class CutOff extends AbstractBlock {
    private final Block trunk;
    private final Block side;

    CutOff() {
      trunk = addChildBlock("trunk", new NamedSequential()
          .add("flatten", Blocks.batchFlattenBlock())
          .add("fc1", Linear.builder().setUnits(64).build())
          .addFunction("relu", Activation::relu)
          .add("fc2", Linear.builder().setUnits(10).build()));
      side = addChildBlock("side", Linear.builder().setUnits(10).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training,
        PairList<String, Object> params) {
      side.forward(ps, new NDList(in.singletonOrThrow().reshape(in.singletonOrThrow()
          .getShape().get(0), -1)), training, params);
      return trunk.forward(ps, in, training, params);
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
      trunk.initialize(manager, dataType, shapes);
      side.initialize(manager, dataType, new Shape(shapes[0].get(0), 784));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return trunk.getOutputShapes(inputShapes);
    }
  }

  /** An MLP whose input is multiplied by zero before the first layer. */
  static final class Blind extends AbstractBlock {
    private final Block net;

    Blind() {
      net = addChildBlock("net", new NamedSequential()
          .add("flatten", Blocks.batchFlattenBlock())
          .add("fc1", Linear.builder().setUnits(64).build())
          .addFunction("relu", Activation::relu)
          .add("fc2", Linear.builder().setUnits(10).build()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training,
        PairList<String, Object> params) {
      return net.forward(ps, new NDList(in.singletonOrThrow().mul(0)), training, params);
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
      net.initialize(manager, dataType, shapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return net.getOutputShapes(inputShapes);
    }
  }
}
