package dev.groundwork.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.model.Optimizer;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.OverfitCheck;
import dev.groundwork.core.train.OverfitReport;
import dev.groundwork.core.train.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The overfit check's bug zoo: broken set-ups that real pipelines suffer, and healthy controls,
 * each on 50 real Fashion-MNIST images and a small MLP on DJL's PyTorch engine. {@code
 * OverfitZooTest} asserts what the check says about each; the examples' {@code BugZoo} records the
 * table and reports docs/training.md quotes; {@link #main} prints the table here.
 */
public final class OverfitZoo {

  /** 5 images per class. */
  static final Dataset FIFTY = Datasets.fashionMnistSubset().train().stratifiedSample(50, 42);
  static final int BATCH = 10;
  static final int STEPS = 200;
  static final TrainConfig CONFIG = TrainConfig.builder().batchSize(BATCH).seed(7).build();

  /**
   * One set-up: its name, whether it is a healthy control, the verdict and diagnosis (by name, so
   * that the table also runs against versions without diagnoses) the check must give, a fragment
   * of the cause it must name, and how to run the check on it.
   */
  public record SetUp(String name, boolean control, Verdict verdict, String diagnosis, String cause,
      Supplier<OverfitReport> run) {}

  private OverfitZoo() {}

  /** Every set-up, healthy controls first. */
  public static List<SetUp> all() {
    List<SetUp> z = new ArrayList<>();
    // healthy controls
    z.add(control("healthy MLP", () -> check(mlp(CONFIG), FIFTY)));
    z.add(control("random labels (memorisable)", () -> check(mlp(CONFIG), randomLabels())));
    z.add(control("labels off by one example, consistently", () -> check(mlp(CONFIG),
        FIFTY.relabel(shiftedLabels()))));
    z.add(control("mild dropout 0.1", () -> check(net("dropout-0.1", CONFIG,
        b -> b.add("drop", Dropout.builder().optRate(0.1f).build())), FIFTY)));
    // wrong normalisation
    z.add(broken("inputs in 0..255 (not normalised)", Verdict.WARN, "NORMALISATION", "not normalised",
        () -> check(mlp(CONFIG),
        FIFTY.map(scale(255f, 0f)))));
    z.add(broken("16-bit inputs (0..65535)", Verdict.WARN, "NORMALISATION", "not normalised",
        () -> check(mlp(CONFIG), FIFTY.map(scale(65535f, 0f)))));
    z.add(broken("mean added instead of subtracted (+100)", Verdict.FAIL, "NORMALISATION", "not normalised",
        () -> check(mlp(CONFIG),
        FIFTY.map(scale(1f, 100f)))));
    z.add(broken("divided by 255 twice", Verdict.FAIL, "NORMALISATION", "not normalised",
        () -> check(mlp(CONFIG),
        FIFTY.map(scale(1f / 255 / 255, 0f)))));
    // labels and inputs out of step
    z.add(broken("inputs and labels shuffled apart each epoch", Verdict.FAIL, "LABELS_INDEPENDENT_OF_INPUTS", "labels are independent",
        () -> check(mlp(CONFIG),
        FIFTY.map(randomOtherInput(11)))));
    z.add(broken("loader returns the previous record's input", Verdict.FAIL, "LABELS_INDEPENDENT_OF_INPUTS", "labels are independent",
        () -> check(mlp(CONFIG),
        FIFTY.map(staleBuffer()))));
    // augmentation that destroys the signal
    z.add(broken("augmentation: 90% of pixels replaced by noise", Verdict.FAIL, "LABELS_INDEPENDENT_OF_INPUTS", "labels are independent",
        () -> check(mlp(CONFIG),
        FIFTY.map(saltNoise(0.9, 3)))));
    z.add(broken("augmentation: pixels permuted per example", Verdict.FAIL, "LABELS_INDEPENDENT_OF_INPUTS", "labels are independent",
        () -> check(mlp(CONFIG),
        FIFTY.map(permutePixels(5)))));
    // regularisation left on
    z.add(broken("dropout 0.95 left on", Verdict.FAIL, "REGULARISATION", "dropout or noise is active",
        () -> check(net("dropout-0.95", CONFIG,
        b -> b.add("drop", Dropout.builder().optRate(0.95f).build())), FIFTY)));
    z.add(broken("gaussian noise layer sigma 5 in training", Verdict.FAIL, "REGULARISATION", "dropout or noise is active",
        () -> check(net("noise", CONFIG,
        b -> b.add("noise", new TrainingOnly(x -> x.add(x.getManager().randomNormal(
            0, 5, x.getShape(), DataType.FLOAT32))))), FIFTY)));
    z.add(broken("weight decay 1.0", Verdict.FAIL, "WEIGHT_DECAY", "weight decay 1.00",
        () -> check(mlp(CONFIG.toBuilder().weightDecay(1.0)
        .build()), FIFTY)));
    // wrong loss / activation pairing
    z.add(broken("softmax before the loss", Verdict.WARN, "BOUNDED_OUTPUTS", "squashed",
        () -> check(withOutput("softmax",
        l -> new NDList(l.singletonOrThrow().softmax(1))), FIFTY)));
    z.add(broken("sigmoid on the logits", Verdict.WARN, "BOUNDED_OUTPUTS", "squashed",
        () -> check(withOutput("sigmoid",
        l -> new NDList(Activation.sigmoid(l.singletonOrThrow()))), FIFTY)));
    // frozen, detached, cut-off or dead layers
    z.add(broken("backbone frozen by mistake", Verdict.FAIL, "FROZEN", "are frozen",
        () -> {
      TrainableModel m = DjlModels.mlp(FIFTY.spec(), CONFIG, 8);
      m.freeze("backbone");
      return check(m, FIFTY);
    }));
    z.add(broken("backbone detached from the loss", Verdict.FAIL, "NO_GRADIENT", "never received a gradient",
        () -> check(net("detached", CONFIG,
        b -> b.addFunction("detach", l -> new NDList(l.singletonOrThrow().stopGradient()))),
        FIFTY)));
    z.add(broken("layer computed and thrown away", Verdict.WARN, "NO_GRADIENT", "side_weight",
        () -> check(DjlModels.custom("cut-off",
        OverfitBugZooTest.CutOff::new, FIFTY.spec(), CONFIG), FIFTY)));
    z.add(broken("input multiplied by zero", Verdict.FAIL, "IGNORES_INPUT", "ignores its input",
        () -> check(DjlModels.custom("blind",
        OverfitBugZooTest.Blind::new, FIFTY.spec(), CONFIG), FIFTY)));
    z.add(broken("dead ReLUs (bias -1000)", Verdict.FAIL, "IGNORES_INPUT", "ignores its input",
        () -> check(DjlModels.custom("dead-relu",
        () -> new NamedSequential().add("backbone", new NamedSequential()
            .add("flatten", Blocks.batchFlattenBlock())
            .add("fc1", Linear.builder().setUnits(64).build())
            .addFunction("shift", l -> new NDList(l.singletonOrThrow().sub(1000)))
            .addFunction("relu", Activation::relu))
            .add("head", Linear.builder().setUnits(10).build()), FIFTY.spec(), CONFIG), FIFTY)));
    // batch-size-dependent layers
    z.add(broken("batch norm, batches of 1", Verdict.FAIL, "BATCH_NORM_SMALL_BATCH", "batch size 1",
        () -> check(batchNorm(1), FIFTY)));
    z.add(broken("batch norm, last batch of 1", Verdict.FAIL, "BATCH_NORM_SMALL_BATCH", "51 examples in batches of 10",
        () -> check(batchNorm(BATCH),
        Datasets.fashionMnistSubset().train().stratifiedSample(51, 42))));
    z.add(broken("batch norm, batches of 2", Verdict.FAIL, "BATCH_NORM_SMALL_BATCH", "batches of 2",
        () -> check(batchNorm(2), FIFTY)));
    z.add(broken("layer that subtracts the batch mean", Verdict.WARN, "BATCH_MIXING", "mix across the batch",
        () -> check(net("batch-mean", CONFIG,
        b -> b.addFunction("center", l -> {
          NDArray x = l.singletonOrThrow();
          return new NDList(x.sub(x.mean(new int[] {0}, true)));
        })), FIFTY)));
    z.add(broken("reshape hard-coded to the batch size", Verdict.FAIL, "ENGINE_ERROR",
        "training step 6 (a batch of 5) failed", () -> check(net("fixed-reshape", CONFIG,
        b -> b.add("reshape", new TrainingOnly(x -> x.reshape(BATCH, 64)))),
        Datasets.fashionMnistSubset().train().stratifiedSample(55, 42))));
    // learning rate
    z.add(broken("LR schedule left the rate at zero", Verdict.FAIL, "LEARNING_RATE_ZEROED", "below the configured",
        () -> {
      TrainableModel m = mlp(CONFIG);
      m.learningRate(1e-12);
      return check(m, FIFTY);
    }));
    z.add(broken("learning rate 1e-9", Verdict.FAIL, "LEARNING_RATE_TOO_LOW", "stagnated",
        () -> check(mlp(CONFIG.withLearningRate(1e-9)), FIFTY)));
    z.add(broken("learning rate 100 (SGD)", Verdict.FAIL, "DIVERGED", "diverged at step",
        () -> check(mlp(CONFIG.toBuilder()
        .optimizer(Optimizer.SGD).learningRate(100).build()), FIFTY)));
    // capacity, labels, budget
    z.add(broken("hidden layer of 1 unit", Verdict.FAIL, "CAPACITY", "too small",
        () -> check(DjlModels.mlp(FIFTY.spec(), CONFIG, 1),
        FIFTY)));
    z.add(broken("four examples mislabeled", Verdict.WARN, "FEW_NEVER_FIT", "often mislabeled",
        () -> check(mlp(CONFIG), FIFTY.relabel(flipped(4)),
        c -> c.targetAccuracy(0.92))));
    z.add(broken("time budget of 5 ms", Verdict.FAIL, "TIME_BUDGET", "stopped by the 5-ms budget",
        () -> check(mlp(CONFIG), FIFTY,
        c -> c.timeBudget(Duration.ofMillis(5)))));
    return z;
  }

  private static SetUp control(String name, Supplier<OverfitReport> run) {
    return new SetUp(name, true, Verdict.PASS, "FITS", "fit ", run);
  }

  private static SetUp broken(String name, Verdict verdict, String diagnosis, String cause,
      Supplier<OverfitReport> run) {
    return new SetUp(name, false, verdict, diagnosis, cause, run);
  }

  /** Runs the check with the zoo's budget and closes the model. */
  static OverfitReport check(TrainableModel m, Dataset data) {
    return check(m, data, c -> c);
  }

  static OverfitReport check(TrainableModel m, Dataset data,
      UnaryOperator<OverfitCheck> options) {
    try (m) {
      return options.apply(OverfitCheck.of(m).on(data).maxSteps(STEPS)).run();
    }
  }

  static TrainableModel mlp(TrainConfig config) {
    return DjlModels.mlp(FIFTY.spec(), config, 64);
  }

  /** flatten – fc1 (64) – [extra] – relu – head. */
  static TrainableModel net(String name, TrainConfig config,
      Function<NamedSequential, NamedSequential> extra) {
    return DjlModels.custom(name, () -> new NamedSequential()
        .add("backbone", extra.apply(new NamedSequential()
            .add("flatten", Blocks.batchFlattenBlock())
            .add("fc1", Linear.builder().setUnits(64).build()))
            .addFunction("relu", Activation::relu))
        .add("head", Linear.builder().setUnits(10).build()), FIFTY.spec(), config);
  }

  /** The MLP with a function after the head. */
  static TrainableModel withOutput(String name, Function<NDList, NDList> out) {
    return DjlModels.custom(name, () -> new NamedSequential()
        .add("backbone", new NamedSequential()
            .add("flatten", Blocks.batchFlattenBlock())
            .add("fc1", Linear.builder().setUnits(64).build())
            .addFunction("relu", Activation::relu))
        .add("head", Linear.builder().setUnits(10).build())
        .addFunction(name, out), FIFTY.spec(), CONFIG);
  }

  static TrainableModel batchNorm(int batch) {
    return net("batch-norm", CONFIG.toBuilder().batchSize(batch).build(),
        b -> b.add("bn", BatchNorm.builder().build()));
  }

  static UnaryOperator<Input> scale(float factor, float offset) {
    return in -> {
      float[] v = ((TensorInput) in).values().clone();
      for (int i = 0; i < v.length; i++) {
        v[i] = v[i] * factor + offset;
      }
      return new TensorInput(v, ((TensorInput) in).shape());
    };
  }

  /** Every access returns a random example's input: labels and inputs paired anew each time. */
  static UnaryOperator<Input> randomOtherInput(long seed) {
    List<Input> pool = new ArrayList<>();
    for (int i = 0; i < FIFTY.size(); i++) {
      pool.add(FIFTY.input(i));
    }
    Random r = new Random(seed);
    return in -> pool.get(r.nextInt(pool.size()));
  }

  /** Every access returns the input decoded by the access before it. */
  static UnaryOperator<Input> staleBuffer() {
    Input[] previous = {FIFTY.input(FIFTY.size() - 1)};
    return in -> {
      Input out = previous[0];
      previous[0] = in;
      return out;
    };
  }

  /** Each pixel, with probability {@code p}, replaced by a uniform value in [0, 1). */
  static UnaryOperator<Input> saltNoise(double p, long seed) {
    Random r = new Random(seed);
    return in -> {
      float[] v = ((TensorInput) in).values().clone();
      for (int i = 0; i < v.length; i++) {
        if (r.nextDouble() < p) {
          v[i] = r.nextFloat();
        }
      }
      return new TensorInput(v, ((TensorInput) in).shape());
    };
  }

  static UnaryOperator<Input> permutePixels(long seed) {
    Random r = new Random(seed);
    return in -> {
      float[] v = ((TensorInput) in).values().clone();
      for (int i = v.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        float t = v[i];
        v[i] = v[j];
        v[j] = t;
      }
      return new TensorInput(v, ((TensorInput) in).shape());
    };
  }

  static Dataset randomLabels() {
    Random r = new Random(3);
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < FIFTY.size(); i++) {
      m.put(FIFTY.id(i), FIFTY.classes().get(r.nextInt(10)));
    }
    return FIFTY.relabel(m);
  }

  /** Example i gets example i+1's label. */
  static Map<String, String> shiftedLabels() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < FIFTY.size(); i++) {
      m.put(FIFTY.id(i), FIFTY.classes().get(FIFTY.label((i + 1) % FIFTY.size())));
    }
    return m;
  }

  static Map<String, String> flipped(int n) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int k = 0; k < n; k++) {
      int i = 3 + 12 * k;
      m.put(FIFTY.id(i), FIFTY.classes().get((FIFTY.label(i) + 5) % 10));
    }
    return m;
  }

  /** A function applied in training mode only (noise injection). */
  static final class TrainingOnly extends AbstractBlock {
    private final Function<NDArray, NDArray> fn;

    TrainingOnly(Function<NDArray, NDArray> fn) {
      this.fn = fn;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training,
        PairList<String, Object> params) {
      return training ? new NDList(fn.apply(in.singletonOrThrow())) : in;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return inputShapes;
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {}
  }

  /** The report's diagnosis; "-" for reports of a version without one (the "before" column). */
  private static String diagnosis(OverfitReport r) {
    try {
      return String.valueOf(OverfitReport.class.getMethod("diagnosis").invoke(r));
    } catch (ReflectiveOperationException e) {
      return "-";
    }
  }

  /**
   * Prints set-up | verdict | diagnosis | cause | seconds for every set-up (or those whose name
   * contains the first argument; a second argument prints their full reports).
   */
  public static void main(String[] args) {
    long start = System.nanoTime();
    for (SetUp s : all()) {
      if (args.length > 0 && !s.name().contains(args[0])) {
        continue;
      }
      long t = System.nanoTime();
      String verdict;
      String cause;
      try {
        OverfitReport r = s.run().get();
        verdict = r.verdict() + " | " + diagnosis(r);
        cause = r.cause();
        if (args.length > 1) {
          System.out.println(r);
        }
      } catch (RuntimeException e) {
        verdict = "THROWS | -";
        cause = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines()
            .findFirst().orElse("");
      }
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f s |%n", s.name(), verdict,
          cause.replace("|", "/"), (System.nanoTime() - t) / 1e9);
    }
    System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - start) / 1e9);
  }
}
