package dev.groundwork.core.train;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.Provenance;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Batches;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.data.LabelException;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.data.TextInput;
import dev.groundwork.core.model.BatchIndependence;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.GradientProbe;
import dev.groundwork.core.model.NonFiniteLossException;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.model.TrainingModeProbe;
import dev.groundwork.core.progress.Progress;
import dev.groundwork.core.progress.ProgressTask;
import dev.groundwork.core.weights.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Step 3 of the loop: prove the pipeline can learn by overfitting a small subset, and say why not
 * when it cannot.
 *
 * <p>Trains the given model (its current weights and frozen parameters) on 10–500 examples until
 * the target accuracy (default 100%) or the step/time budget, and returns an {@link OverfitReport}
 * whose verdict rests on these checks: degenerate data (before any step), input statistics, loss
 * at initialisation against {@code ln C}, batch independence, divergence (after updates only),
 * stagnation, an input-independent baseline (the same architecture trained on zeroed inputs),
 * training against inference mode, labels against inputs (nearest neighbours), parameters that
 * never receive a gradient, and which examples never fit.
 *
 * <p>The report's {@link Diagnosis} is the first rule the evidence ({@link OverfitEvidence})
 * satisfies, in a fixed order: the time budget, inputs outside a normalised range, outputs that
 * ignore the input from initialisation, a learning rate a schedule left near zero, parameters
 * that barely moved, parameters without gradient, frozen parameters, dropout or noise active in
 * training mode, batch norm over tiny batches, layers that mix the batch, squashed outputs, weight
 * decay, labels independent of the inputs, a few examples that never fit, a layer narrower than
 * the classes, a loss still falling when the steps ran out, a loss that fell and flattened; when
 * none fits, {@link
 * Diagnosis#UNCLEAR} with the evidence. An engine error during training is a FAIL naming the step
 * and the batch; batch norm over a batch of one is refused before training.
 *
 * <pre>{@code
 * Dataset hundred = Datasets.fashionMnistSubset().train().stratifiedSample(100, 42);
 * OverfitReport r = OverfitCheck.of(DjlModels.smallCnn(hundred.spec())).on(hundred).run();
 * // OverfitCheck  PASS  100/100 fit at step 60 · 60 steps · 2.1 s
 * }</pre>
 *
 * <p>The check trains the model you pass; build another with {@link
 * TrainableModel#newInstance} to keep one untouched.
 */
public final class OverfitCheck {

  /** Subsets larger than this are not an overfit check. */
  public static final int MAX_EXAMPLES = 10_000;

  /**
   * A training loss this many times the first step's (or ln C), after at least one update, means
   * training diverged.
   */
  static final double EXPLODE_FACTOR = 10;
  /** Parameters that moved less than this fraction of their norm were not trained at all. */
  static final double MIN_PARAMETER_CHANGE = 1e-3;
  /** Input values beyond this magnitude are not normalised. */
  static final double MAX_NORMALISED_INPUT = 20;
  /** Inputs whose largest magnitude is below this were scaled away. */
  static final double MIN_NORMALISED_INPUT = 1e-2;
  /** Two training-mode passes differing by more than this (mean |Δp| per example): stochastic. */
  static final double MIN_STOCHASTIC = 1e-4;
  /** Batch norm over batches smaller than this is named when the check fails. */
  static final int MIN_BATCH_NORM_BATCH = 8;
  /** One mode's loss above this multiple of the other's (plus 0.1) is a mode gap. */
  static final double MODE_GAP = 1.5;
  /** Logits spanning at most this much were squashed (a softmax or sigmoid spans at most 1). */
  static final double MAX_BOUNDED_SPREAD = 1.05;
  /** Weight decay is named when the weights' norm fell below this fraction of its start. */
  static final double MAX_DECAYED_NORM = 0.5;
  /** A final loss at least this fraction of the label entropy sits at the label entropy. */
  static final double LABEL_ENTROPY_FRACTION = 0.8;
  /** "Often mislabeled" needs at least this many passes over the subset. */
  static final int MIN_PASSES = 5;
  /** The loss of the last fifth of the steps this much below the fifth before: still falling. */
  static final double STILL_FALLING = 0.10;
  /** A model whose loss fell this much and flattened short of the target is too small. */
  static final double MIN_CAPACITY_DROP = 0.30;
  /** The loss must fall by at least this fraction of the initial loss, or training stagnated. */
  static final double MIN_RELATIVE_DROP = 0.10;
  /** The model must beat the zero-input baseline's accuracy by this much. */
  static final double MIN_BASELINE_GAP = 0.10;

  /** What a text becomes in the zero-input baseline. */
  static final String CONSTANT_TEXT = "input";

  static final String DATA = "data";
  static final String INIT_LOSS = "loss at init";
  static final String DIVERGENCE = "divergence";
  static final String STAGNATION = "stagnation";
  static final String BASELINE = "zero-input baseline";
  static final String GRADIENTS = "gradient flow";
  static final String EXAMPLES = "per-example fit";
  static final String BATCH = "batch independence";
  static final String INPUTS = "input statistics";
  static final String MODES = "training vs inference mode";
  static final String FORWARD = "forward pass";
  static final String STEP = "training step";
  static final String NEIGHBOURS = "labels vs inputs";
  /** The nearest-neighbour test of labels against inputs looks at this many examples at most. */
  static final int MAX_NEIGHBOUR_EXAMPLES = 500;

  /** Why a training run ended. */
  private enum Stop { TARGET, STEPS, TIME, FAILURE }

  private final TrainableModel model;
  private Dataset subset;
  private double targetAccuracy = 1.0;
  private int maxSteps = 1000;
  private Duration timeBudget = Duration.ofMinutes(5);
  private Integer batchSize;
  private Long seed;
  private boolean baseline = true;
  private Integer evalEvery;
  private Progress progress = Progress.auto();

  private OverfitCheck(TrainableModel model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /** A check of this model. */
  public static OverfitCheck of(TrainableModel model) {
    return new OverfitCheck(model);
  }

  /** The examples to overfit (10–500 is typical; at most {@value #MAX_EXAMPLES}). */
  public OverfitCheck on(Dataset examples) {
    this.subset = Objects.requireNonNull(examples, "examples");
    return this;
  }

  /** The accuracy on the subset that counts as fitted, in (0, 1]; default 1.0. */
  public OverfitCheck targetAccuracy(double target) {
    InvalidParameterException.check(target > 0 && target <= 1,
        "targetAccuracy must be in (0, 1], got %s", target);
    this.targetAccuracy = target;
    return this;
  }

  /** The most training steps to take; default 1000. */
  public OverfitCheck maxSteps(int steps) {
    InvalidParameterException.check(steps >= 1,
        "maxSteps must be at least 1, got %d: a budget of zero steps checks nothing", steps);
    this.maxSteps = steps;
    return this;
  }

  /** The most wall time to train for; default 5 minutes. */
  public OverfitCheck timeBudget(Duration budget) {
    InvalidParameterException.check(budget != null && !budget.isNegative() && !budget.isZero(),
        "timeBudget must be positive, got %s", budget);
    this.timeBudget = budget;
    return this;
  }

  /** Examples per step; default the model's batch size, at most the subset size. */
  public OverfitCheck batchSize(int size) {
    InvalidParameterException.check(size >= 1, "batchSize must be at least 1, got %d", size);
    this.batchSize = size;
    return this;
  }

  /** The seed of the batch order; default the model's seed. */
  public OverfitCheck seed(long value) {
    this.seed = value;
    return this;
  }

  /** Whether to train the zero-input baseline (doubles the time); default true. */
  public OverfitCheck baseline(boolean run) {
    this.baseline = run;
    return this;
  }

  /**
   * Evaluate the whole subset every this many steps; default {@code ceil(n / (4 · batch))}:
   * about four evaluations per pass over the subset, so that evaluating costs no more than
   * training (every step at batch 32 on 100 examples, every 25th at batch 1).
   */
  public OverfitCheck evalEvery(int steps) {
    InvalidParameterException.check(steps >= 1, "evalEvery must be at least 1, got %d", steps);
    this.evalEvery = steps;
    return this;
  }

  /**
   * Where progress goes: tasks {@code "overfit check"} (steps up to {@link #maxSteps}) and {@code
   * "overfit check: zero-input baseline"}; default {@link Progress#auto()}.
   */
  public OverfitCheck progress(Progress listener) {
    this.progress = Objects.requireNonNull(listener, "progress");
    return this;
  }

  /**
   * Runs the check.
   *
   * @throws InvalidParameterException if no subset was given, it has more than {@value
   *     #MAX_EXAMPLES} examples, or its input shape differs from the model's
   * @throws LabelException if a label is outside the model's classes
   */
  public OverfitReport run() {
    InvalidParameterException.check(subset != null,
        "no examples to overfit: call on(dataset.stratifiedSample(100, 42)) first");
    subset.requireNonEmpty("an overfit check");
    InvalidParameterException.check(subset.size() <= MAX_EXAMPLES,
        "%s has %,d examples: this is not an overfit check (use 10–500 examples, e.g. "
            + "stratifiedSample(100, 42)); to train on the full set use the fit loop",
        subset.name(), subset.size());
    InvalidParameterException.check(subset.spec().inputKind() == model.spec().inputKind()
            && subset.spec().matchesShape(model.spec().inputShape()),
        "%s has inputs %s but model %s takes %s", subset.name(),
        Arrays.toString(subset.spec().inputShape()), model.name(),
        Arrays.toString(model.spec().inputShape()));
    int classes = model.spec().numClasses();
    List<String> modelClasses = model.spec().classes();
    List<String> dataClasses = subset.classes();
    InvalidParameterException.check(
        dataClasses.subList(0, Math.min(dataClasses.size(), classes))
            .equals(modelClasses.subList(0, Math.min(dataClasses.size(), classes))),
        "%s has classes %s but model %s was built for %s: label indices would mean different "
            + "classes; build the model from the dataset's spec", subset.name(), dataClasses,
        model.name(), modelClasses);
    int[] labels = subset.labels();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= classes) {
        throw new LabelException(String.format(Locale.ROOT,
            "example %s of %s has label %d (%s), outside the %d classes of model %s; build the "
                + "model from the dataset's spec", subset.id(i), subset.name(), labels[i],
            subset.classes().get(labels[i]), classes, model.name()), subset.origin(), i);
      }
    }
    return new Run().execute(labels, classes);
  }

  /** One execution; holds the mutable state of the run. */
  private final class Run {
    private final List<CheckResult> checks = new ArrayList<>();
    private final List<String> suggestions = new ArrayList<>();
    private long runSeed;
    private int batch;
    private int[] labels;
    private int classes;
    private Provenance provenance;
    private List<String> frozen;
    // the evidence, filled as it is measured
    private List<OverfitEvidence.InputStats> inputStats = List.of();
    private double prior;
    private double initLoss = Double.NaN;
    private OptionalDouble baselineLoss = OptionalDouble.empty();
    private OptionalDouble trainingModeLoss = OptionalDouble.empty();
    private double change = Double.NaN;
    private double normRatio = Double.NaN;
    private double spread = Double.NaN;
    private boolean varyAtInit = true;
    private boolean batchNorm;
    private double neighbourAccuracy = Double.NaN;
    private double stochastic = Double.NaN;
    private double chance;

    OverfitReport execute(int[] subsetLabels, int numClasses) {
      labels = subsetLabels;
      classes = numClasses;
      runSeed = seed != null ? seed : model.config().seed();
      batch = Math.min(batchSize != null ? batchSize : model.config().batchSize(), subset.size());
      double expected = Math.log(classes);
      // frozen: not trainable, and either frozen in the training state or outside it (a fixed
      // backbone); running statistics (batch norm) are in the state, not trainable, not frozen
      dev.groundwork.core.model.TrainingState state = model.trainingState();
      java.util.Set<String> inState = new java.util.HashSet<>();
      state.parameters().forEach(t -> inState.add(t.name()));
      frozen = model.parameters().stream().filter(p -> !p.trainable()).map(ParameterInfo::name)
          .filter(name -> state.frozen().contains(name) || !inState.contains(name)).toList();
      provenance = Provenance.of(runSeed, config(), model.summary().backend(),
          subset.fingerprint().sha256());
      prior = priorEntropy(labels, classes);

      String degenerate = degenerateData(labels);
      if (degenerate != null) {
        checks.add(CheckResult.fail(DATA, degenerate));
        return early(Diagnosis.DEGENERATE_DATA, "degenerate data: " + degenerate, null);
      }
      checks.add(CheckResult.ok(DATA, String.format(Locale.ROOT,
          "%d examples, %d of %d classes present, inputs finite and varied", subset.size(),
          Arrays.stream(subset.classCounts()).filter(c -> c > 0).count(), classes)));
      checkInputs();
      chance = (double) Arrays.stream(subset.classCounts()).max().orElse(0) / subset.size();

      ClassProbabilities initial;
      try {
        initial = model.predict(subset, 256);
      } catch (InvalidParameterException | LabelException e) {
        throw e;
      } catch (RuntimeException e) {
        checks.add(CheckResult.fail(FORWARD, firstLine(e)));
        suggestions.add("run the model on one batch alone and fix the layer named in the error");
        return early(Diagnosis.ENGINE_ERROR, "the model's forward pass fails before training: "
            + firstLine(e), null);
      }
      initLoss = initial.meanLoss(labels);
      varyAtInit = !constantOutputs(initial);
      checkInitialLoss(initLoss, expected, classes);
      if (!Double.isFinite(initLoss)) {
        suggestions.add("check the inputs for extreme values and the last layer's initialisation");
        return early(Diagnosis.NON_FINITE_AT_INIT, "the loss is " + fmt(initLoss)
            + " before any update: the inputs or the initialisation give non-finite outputs",
            initial);
      }

      BatchIndependence independence = checkBatchIndependence();
      batchNorm = independence != null && independence.batchNormByDesign();

      boolean anyTrainable = model.parameters().stream().anyMatch(ParameterInfo::trainable);
      if (!anyTrainable) {
        checks.add(CheckResult.fail(GRADIENTS, "all " + frozen.size()
            + " parameters are frozen: training can change nothing"));
        suggestions.add("unfreeze the head (e.g. model.unfreeze(\"head\")) or the whole model");
        return early(Diagnosis.ALL_FROZEN, "all parameters are frozen", initial);
      }
      if (batchNorm && (batch == 1 || subset.size() % batch == 1)) {
        String which = batch == 1 ? "every batch holds one example (batch size 1)"
            : String.format(Locale.ROOT, "the last batch of each pass holds one example (%d "
                + "examples in batches of %d)", subset.size(), batch);
        checks.add(CheckResult.fail(BATCH, "batch norm in training mode over one example: "
            + which));
        suggestions.add(batch == 1 ? "use batches of at least 2 (batchSize), or remove batch norm"
            : "use a subset size that leaves no batch of one, or another batch size");
        return early(Diagnosis.BATCH_NORM_SMALL_BATCH, "batch norm cannot normalise a batch of "
            + "one example: " + which, initial);
      }

      List<Tensor> before = trainableValues(model);
      Training main = train(model, subset, labels, initLoss, true);
      if (main.failure != null) {
        checks.add(CheckResult.fail(STEP, "step " + (main.steps + 1) + ": " + firstLine(
            main.failure)));
        suggestions.add("run that step alone and fix the layer named in the error");
        return result(Verdict.FAIL, Diagnosis.ENGINE_ERROR, String.format(Locale.ROOT,
            "training step %d (a batch of %d) failed in the engine: %s", main.steps + 1,
            main.failedBatch, firstLine(main.failure)), main);
      }
      measureParameters(before, trainableValues(model));
      double finalLoss = main.last.meanLoss(labels);
      double finalAccuracy = main.last.accuracy(labels);
      spread = outputSpread(main.last);

      // a step refused before any update: the loss is not finite at initialisation
      if (main.divergedAt == 1) {
        checks.add(CheckResult.fail(DIVERGENCE, "the first step's loss is " + fmt(
            main.divergedLoss) + ", before any update"));
        suggestions.add("check the inputs for extreme values and the last layer's initialisation");
        return result(Verdict.FAIL, Diagnosis.NON_FINITE_AT_INIT, "the training loss is "
            + fmt(main.divergedLoss) + " at step 1, before any update: the inputs or the "
            + "initialisation give non-finite outputs in training mode", main);
      }
      // divergence: only after updates, against the loss measured the same way
      if (main.divergedAt >= 0) {
        checks.add(CheckResult.fail(DIVERGENCE, String.format(Locale.ROOT,
            "training loss %s at step %d, after %d updates (%s at step 1)", fmt(main.divergedLoss),
            main.divergedAt, main.divergedAt - 1, fmt(main.losses.get(0)))));
        suggestions.add(String.format(Locale.ROOT, "lower the learning rate (now %.3g), e.g. "
            + "to %.3g, or run the LR finder", model.learningRate(),
            model.learningRate() / 10));
        return result(Verdict.FAIL, Diagnosis.DIVERGED, String.format(Locale.ROOT,
            "training diverged at step %d: the loss became %s after %d update%s (it was %s at "
                + "step 1)", main.divergedAt, fmt(main.divergedLoss), main.divergedAt - 1,
            main.divergedAt == 2 ? "" : "s", fmt(main.losses.get(0))), main);
      }
      checks.add(CheckResult.ok(DIVERGENCE, String.format(Locale.ROOT,
          "no NaN/Inf, training loss at most %.3g", main.maxLoss)));

      double drop = (initLoss - finalLoss) / initLoss;
      boolean reached = main.reachedAt.isPresent();
      boolean stagnated = !reached && varyAtInit && drop < MIN_RELATIVE_DROP;
      checks.add(stagnated ? CheckResult.fail(STAGNATION, String.format(Locale.ROOT,
          "loss fell only %.1f%% in %d steps (%.3g → %.3g)", 100 * drop, main.steps, initLoss,
          finalLoss)) : CheckResult.ok(STAGNATION, String.format(Locale.ROOT,
          "loss fell %.1f%% (%.3g → %.3g)", 100 * drop, initLoss, finalLoss)));

      OptionalDouble baselineAccuracy = OptionalDouble.empty();
      if (!varyAtInit) {
        checks.add(CheckResult.fail(BASELINE, "the untrained model gives the same output for "
            + "every example: its input does not reach the output"));
      } else if (baseline && main.stoppedBy != Stop.TIME) {
        double[] base = zeroInputBaseline(labels, main.steps);
        baselineAccuracy = OptionalDouble.of(base[0]);
        baselineLoss = OptionalDouble.of(base[1]);
        boolean noBetter = finalAccuracy - base[0] < MIN_BASELINE_GAP;
        String detail = String.format(Locale.ROOT, "with inputs zeroed the same model reaches "
            + "%.0f%% (loss %.3g), with inputs %.0f%% (loss %.3g)", 100 * base[0], base[1],
            100 * finalAccuracy, finalLoss);
        checks.add(noBetter ? CheckResult.fail(BASELINE, detail + ": the inputs do not help")
            : CheckResult.ok(BASELINE, detail));
      } else {
        checks.add(CheckResult.skipped(BASELINE, baseline ? "the time budget is spent"
            : "switched off"));
      }
      checkModes(finalLoss);
      checkNeighbours(reached);

      List<String> dead = main.dead();
      if (dead.isEmpty()) {
        checks.add(CheckResult.ok(GRADIENTS, "all " + main.maxGradient.size()
            + " trainable parameters receive gradient"
            + (frozen.isEmpty() ? "" : "; " + frozen.size() + " frozen")));
      } else {
        checks.add((reached ? CheckResult.warn(GRADIENTS, "") : CheckResult.fail(GRADIENTS, ""))
            .withDetail(dead.size() + " trainable parameters never received a gradient: " + dead
                + " (cut off from the loss, or frozen by mistake?)"));
      }

      List<ExampleFit> fits = fits(main, labels);
      List<String> never = fits.stream().filter(f -> !f.fit()).map(ExampleFit::id).toList();
      List<String> lowest = fits.stream().limit(3).map(ExampleFit::id).toList();
      int n = subset.size();
      // a run the time budget cut short gave its last examples no time to fit: not a label sign
      boolean fewNeverFit = !never.isEmpty() && never.size() <= Math.max(1, n / 10)
          && finalAccuracy >= 0.9 && (long) main.steps * batch >= MIN_PASSES * n
          && main.stoppedBy != Stop.TIME;
      if (never.isEmpty()) {
        checks.add(CheckResult.ok(EXAMPLES, "every example fit; lowest margin " + lowest));
      } else {
        checks.add(CheckResult.warn(EXAMPLES, never.size() + " never fit"
            + (fewNeverFit ? " (often mislabeled)" : "") + ": " + abbreviate(never)
            + "; lowest margin " + lowest));
      }

      Diagnosis d;
      String cause;
      Verdict verdict = reached ? Verdict.WARN : Verdict.FAIL;
      boolean outside = inputStats.stream()
          .anyMatch(OverfitEvidence.InputStats::outsideNormalisedRange);
      // the subset's loss at init comes from probabilities floored at 1e-12 (at most 27.6); the
      // first step's training loss is exact
      double firstStep = main.losses.isEmpty() ? Double.NaN : main.losses.get(0);
      boolean initFar = Math.max(initLoss, Double.isNaN(firstStep) ? 0 : firstStep)
          > expected * 1.5 + 0.5;
      double lr = model.learningRate();
      boolean bounded = spread <= MAX_BOUNDED_SPREAD;
      boolean mixing = independence != null && independence.suspicious();
      if (reached) {
        if (!dead.isEmpty()) {
          d = Diagnosis.NO_GRADIENT;
          cause = "target reached, but " + dead.size() + " parameters never received a gradient: "
              + abbreviate(dead);
          suggestions.add("connect those layers to the loss, or remove them");
        } else if (mixing) {
          d = Diagnosis.BATCH_MIXING;
          cause = "target reached, but examples mix across the batch: " + independence.detail();
        } else if (outside && initFar) {
          d = Diagnosis.NORMALISATION;
          cause = String.format(Locale.ROOT, "target reached, but the inputs are not normalised "
              + "(%s) and the loss at init was %.3g (step 1's training loss %s), far above ln %d "
              + "= %.3g", worstChannel(), initLoss, fmt(firstStep), classes, expected);
          suggestions.add("normalise the inputs (e.g. to [0, 1] or to zero mean and unit "
              + "variance per channel)");
        } else if (bounded && finalLoss > 0.5) {
          d = Diagnosis.BOUNDED_OUTPUTS;
          cause = boundedCause(finalLoss, true);
          suggestions.add("return raw logits from the last layer: the loss applies the softmax");
        } else if (!never.isEmpty() && fewNeverFit) {
          d = Diagnosis.FEW_NEVER_FIT;
          cause = "target reached, but " + never.size() + " examples never fit (often "
              + "mislabeled): " + abbreviate(never);
          suggestions.add("look at those examples and their labels; relabel or drop the wrong ones");
        } else if (never.isEmpty() && warnings() == 0) {
          verdict = Verdict.PASS;
          d = Diagnosis.FITS;
          cause = String.format(Locale.ROOT, "fit %d/%d at step %d · init loss %.2f (ln %d = "
              + "%.2f) · no NaN · all layers receive gradient", n, n, main.reachedAt.getAsInt(),
              initLoss, classes, expected);
        } else {
          d = Diagnosis.FITS;
          cause = "target reached; " + firstWarning();
        }
      } else if (main.stoppedBy == Stop.TIME) {
        d = Diagnosis.TIME_BUDGET;
        cause = main.steps == 1 ? String.format(Locale.ROOT, "stopped by the %s budget after 1 "
            + "step: the budget is shorter than one step (%.0f ms) and checks nothing",
            duration(timeBudget), main.millisPerStep())
            : String.format(Locale.ROOT, "stopped by the %s budget after %d steps (%d/%d fit, "
            + "loss %.3g → %.3g)", duration(timeBudget), main.steps,
            Math.round(finalAccuracy * n), n, initLoss, finalLoss);
        suggestions.add(String.format(Locale.ROOT, "give it a longer timeBudget: a step took "
            + "%.0f ms, %d steps need about %s", main.millisPerStep(), maxSteps,
            duration(Duration.ofMillis((long) Math.ceil(main.millisPerStep() * maxSteps)))));
      } else if (outside) {
        d = Diagnosis.NORMALISATION;
        cause = String.format(Locale.ROOT, "the inputs are not normalised: %s (loss at init "
            + "%.3g, ln %d = %.3g)", worstChannel(), initLoss, classes, expected);
        suggestions.add("normalise the inputs (e.g. to [0, 1] or to zero mean and unit "
            + "variance per channel)");
      } else if (!varyAtInit) {
        d = Diagnosis.IGNORES_INPUT;
        cause = "the model ignores its input: it gives the same output for every example, before "
            + "and after training (input cut off, or every hidden unit dead)";
        suggestions.add("check that the input reaches the first layer (a multiply by zero, a "
            + "wrong input name) and that the hidden units are not all dead (a huge negative bias)");
      } else if (lr < model.config().learningRate() / 100 && change < MIN_PARAMETER_CHANGE) {
        d = Diagnosis.LEARNING_RATE_ZEROED;
        cause = String.format(Locale.ROOT, "the learning rate is %.3g, %.3g× below the configured "
            + "%.3g (left there by a schedule?): the parameters moved %.2g of their norm", lr,
            model.config().learningRate() / lr, model.config().learningRate(), change);
        suggestions.add(String.format(Locale.ROOT, "reset it: model.learningRate(%.3g)",
            model.config().learningRate()));
      } else if (change < MIN_PARAMETER_CHANGE) {
        d = Diagnosis.LEARNING_RATE_TOO_LOW;
        cause = String.format(Locale.ROOT, "training stagnated: the parameters moved %.2g of "
            + "their norm in %d steps at learning rate %.3g", change, main.steps, lr);
        suggestions.add(String.format(Locale.ROOT, "raise the learning rate (now %.3g), e.g. to "
            + "%.3g, or run the LR finder", lr, lr * 10));
      } else if (!dead.isEmpty()) {
        d = Diagnosis.NO_GRADIENT;
        cause = dead.size() + " parameters never received a gradient: " + abbreviate(dead);
        suggestions.add("connect those layers to the loss (a detach or stop-gradient?), or "
            + "unfreeze them if frozen by mistake");
      } else if (!frozen.isEmpty()) {
        d = Diagnosis.FROZEN;
        cause = String.format(Locale.ROOT, "%d parameters are frozen (%s): the %d trainable ones "
            + "reach only %.0f%%", frozen.size(), abbreviate(frozen),
            model.parameters().stream().filter(ParameterInfo::trainable).count(),
            100 * finalAccuracy);
        suggestions.add("unfreeze them for the check (model.unfreeze(\"\")), or check that the "
            + "frozen part is pretrained");
      } else if (stochastic > MIN_STOCHASTIC) {
        d = Diagnosis.REGULARISATION;
        cause = String.format(Locale.ROOT, "dropout or noise is active in training mode (two "
            + "passes over the same batch differ by %.2g in probability) and keeps the model "
            + "from fitting: loss %.3g with it on, %.3g with it off", stochastic,
            trainingModeLoss.getAsDouble(), finalLoss);
        suggestions.add("switch dropout and noise layers off (rate 0) for the overfit check");
      } else if (batchNorm && batch < MIN_BATCH_NORM_BATCH) {
        d = Diagnosis.BATCH_NORM_SMALL_BATCH;
        cause = String.format(Locale.ROOT, "batch norm over batches of %d: statistics of %d "
            + "examples are noise (loss %s with the batch's statistics, %.3g with the running "
            + "ones)", batch, batch, trainingModeLoss.isPresent()
                ? fmt(trainingModeLoss.getAsDouble()) : "not measured", finalLoss);
        suggestions.add(String.format(Locale.ROOT, "use batches of at least %d, or remove batch "
            + "norm for the check", MIN_BATCH_NORM_BATCH * 2));
      } else if (mixing) {
        d = Diagnosis.BATCH_MIXING;
        cause = "examples mix across the batch: " + independence.detail();
        suggestions.add("find the layer that mixes them and make it work per example");
      } else if (bounded && finalLoss < LABEL_ENTROPY_FRACTION * prior) {
        d = Diagnosis.BOUNDED_OUTPUTS;
        cause = boundedCause(finalLoss, false);
        suggestions.add("return raw logits from the last layer: the loss applies the softmax");
      } else if (model.config().weightDecay() > 0 && normRatio < MAX_DECAYED_NORM) {
        d = Diagnosis.WEIGHT_DECAY;
        cause = String.format(Locale.ROOT, "weight decay %.3g holds the weights down: their norm "
            + "fell to %.2f× its start and the loss stays at %.3g", model.config().weightDecay(),
            normRatio, finalLoss);
        suggestions.add("set weightDecay to 0 for the overfit check");
      } else if (finalLoss >= LABEL_ENTROPY_FRACTION * prior && baselineAccuracy.isPresent()
          && finalAccuracy - baselineAccuracy.getAsDouble() < MIN_BASELINE_GAP
          && neighbourAccuracy <= neighbourChanceLimit()) {
        d = Diagnosis.LABELS_INDEPENDENT_OF_INPUTS;
        cause = String.format(Locale.ROOT, "the labels are independent of what the model sees: "
            + "its loss settles at %.3g, near the label entropy %.3g; with inputs zeroed it does "
            + "as well (%.0f%% vs %.0f%%), and an input's nearest neighbour has its label %.0f%% "
            + "of the time (chance %.0f%%)", finalLoss, prior,
            100 * baselineAccuracy.getAsDouble(), 100 * finalAccuracy, 100 * neighbourAccuracy,
            100 * chance);
        suggestions.add("check that inputs and labels stay paired through loading and "
            + "shuffling (look at a few decoded examples with their labels)");
        suggestions.add("check that the augmentations keep the class visible");
      } else if (fewNeverFit) {
        verdict = Verdict.WARN;
        d = Diagnosis.FEW_NEVER_FIT;
        cause = String.format(Locale.ROOT, "%d/%d fit; %d examples never fit (often mislabeled):"
            + " %s", n - never.size(), n, never.size(), abbreviate(never));
        suggestions.add("look at those examples and their labels; relabel or drop the wrong ones");
      } else if (narrowestLayer() > 0 && narrowestLayer() < classes) {
        d = Diagnosis.CAPACITY;
        cause = String.format(Locale.ROOT, "a layer only %d wide, narrower than the %d classes, "
            + "is a bottleneck: the model is too small to memorise %d examples (%.0f%% fit)",
            narrowestLayer(), classes, n, 100 * finalAccuracy);
        suggestions.add("make the narrow layer wider (at least the number of classes)");
      } else if (main.stillFalling()) {
        d = Diagnosis.STEP_BUDGET;
        cause = String.format(Locale.ROOT, "the loss was still falling when the %d-step budget "
            + "ended (%.0f%% fit, loss %.3g → %.3g)", maxSteps, 100 * finalAccuracy, initLoss,
            finalLoss);
        suggestions.add(String.format(Locale.ROOT, "give it more steps, e.g. maxSteps(%d)",
            maxSteps * 4));
      } else if (drop >= MIN_CAPACITY_DROP) {
        d = Diagnosis.CAPACITY;
        cause = String.format(Locale.ROOT, "the loss fell %.0f%% and flattened at %.3g with %.0f%%"
            + " fit: the model is too small to memorise %d examples", 100 * drop, finalLoss,
            100 * finalAccuracy, n);
        suggestions.add("make it wider or deeper");
      } else {
        d = Diagnosis.UNCLEAR;
        cause = String.format(Locale.ROOT, "did not fit (%.0f%% after %d steps, loss %.3g → %.3g)"
            + " and the evidence fits no rule: cause unclear", 100 * finalAccuracy, main.steps,
            initLoss, finalLoss);
        suggestions.add("read the evidence below; try the simplest model and a plain loop on "
            + "the same batches");
      }
      return result(verdict, d, cause, main, baselineAccuracy, fits);
    }

    private String boundedCause(double finalLoss, boolean reached) {
      return String.format(Locale.ROOT, "%sthe outputs are squashed before the loss: the logits "
          + "span at most %.2f, so the loss cannot fall below %.3g (a softmax or sigmoid on the "
          + "last layer?)", reached ? "target reached, but " : "", spread, finalLoss);
    }

    private String worstChannel() {
      return inputStats.stream().filter(OverfitEvidence.InputStats::outsideNormalisedRange)
          .findFirst().map(s -> String.format(Locale.ROOT, "values from %.3g to %.3g, mean "
              + "%.3g, std %.3g", s.min(), s.max(), s.mean(), s.std())).orElse("");
    }

    /** Per-channel statistics of the subset's tensor inputs, and a check on their range. */
    private void checkInputs() {
      if (subset.spec().inputKind() != InputKind.TENSOR) {
        return;
      }
      int[] shape = subset.spec().inputShape();
      int channels = shape.length == 3 ? shape[0] : 1;
      int size = subset.spec().inputSize();
      int per = size / channels;
      double[] min = new double[channels];
      double[] max = new double[channels];
      double[] sum = new double[channels];
      double[] sq = new double[channels];
      Arrays.fill(min, Double.POSITIVE_INFINITY);
      Arrays.fill(max, Double.NEGATIVE_INFINITY);
      for (Batch b : subset.batches(256)) {
        float[] v = b.inputs();
        for (int i = 0; i < v.length; i++) {
          int c = (i % size) / per;
          min[c] = Math.min(min[c], v[i]);
          max[c] = Math.max(max[c], v[i]);
          sum[c] += v[i];
          sq[c] += (double) v[i] * v[i];
        }
      }
      List<OverfitEvidence.InputStats> stats = new ArrayList<>();
      double count = (double) subset.size() * per;
      for (int c = 0; c < channels; c++) {
        double mean = sum[c] / count;
        stats.add(new OverfitEvidence.InputStats(c, min[c], max[c], mean,
            Math.sqrt(Math.max(0, sq[c] / count - mean * mean))));
      }
      inputStats = List.copyOf(stats);
      String detail = inputStats.stream().map(Object::toString)
          .collect(java.util.stream.Collectors.joining("; "));
      checks.add(inputStats.stream().anyMatch(OverfitEvidence.InputStats::outsideNormalisedRange)
          ? CheckResult.warn(INPUTS, detail + ": far from a normalised range")
          : CheckResult.ok(INPUTS, detail));
    }

    /**
     * Labels against inputs, without a model: how often an input's nearest other input (squared
     * distance, over the first {@value #MAX_NEIGHBOUR_EXAMPLES} examples as the model sees them)
     * has its label. Near chance, the labels do not depend on the inputs.
     */
    private void checkNeighbours(boolean reached) {
      if (subset.spec().inputKind() != InputKind.TENSOR) {
        checks.add(CheckResult.skipped(NEIGHBOURS, "text inputs"));
        return;
      }
      int n = Math.min(subset.size(), MAX_NEIGHBOUR_EXAMPLES);
      int size = subset.spec().inputSize();
      float[] x = new float[n * size];
      int[] y = new int[n];
      int row = 0;
      for (Batch b : subset.batches(256)) {
        int take = Math.min(b.size(), n - row);
        System.arraycopy(b.inputs(), 0, x, row * size, take * size);
        System.arraycopy(b.labels(), 0, y, row, take);
        row += take;
        if (row == n) {
          break;
        }
      }
      int hits = 0;
      for (int i = 0; i < n; i++) {
        double best = Double.POSITIVE_INFINITY;
        int nearest = -1;
        for (int j = 0; j < n; j++) {
          if (j == i) {
            continue;
          }
          double dist = 0;
          for (int k = 0; k < size && dist < best; k++) {
            double dv = x[i * size + k] - x[j * size + k];
            dist += dv * dv;
          }
          if (dist < best) {
            best = dist;
            nearest = j;
          }
        }
        if (nearest >= 0 && y[nearest] == y[i]) {
          hits++;
        }
      }
      neighbourAccuracy = (double) hits / n;
      String detail = String.format(Locale.ROOT, "an input's nearest neighbour has its label "
          + "%.0f%% of the time (chance %.0f%%, %d examples)", 100 * neighbourAccuracy,
          100 * chance, n);
      // a fitted subset with labels unrelated to the inputs is memorised: worth no warning
      checks.add(!reached && neighbourAccuracy <= neighbourChanceLimit()
          ? CheckResult.warn(NEIGHBOURS, detail + ": the labels look independent of the inputs")
          : CheckResult.ok(NEIGHBOURS, detail));
    }

    /** The loss in training mode against inference mode, where the backend can run it. */
    private void checkModes(double finalLoss) {
      if (!(model instanceof TrainingModeProbe probe)) {
        checks.add(CheckResult.skipped(MODES, "the backend cannot run training mode alone"));
        return;
      }
      ClassProbabilities p = null;
      try {
        for (Batch b : subset.batches(batch)) {
          ClassProbabilities q = probe.predictInTrainingMode(b);
          p = p == null ? q : p.append(q);
        }
      } catch (RuntimeException e) {
        checks.add(CheckResult.skipped(MODES, "training mode failed: " + firstLine(e)));
        return;
      }
      double train = p.meanLoss(labels);
      trainingModeLoss = OptionalDouble.of(train);
      // the same batch twice: dropout and noise layers give different outputs each pass
      Batch first = subset.batches(batch).iterator().next();
      ClassProbabilities a = probe.predictInTrainingMode(first);
      ClassProbabilities b = probe.predictInTrainingMode(first);
      double sum = 0;
      for (int i = 0; i < a.values().length; i++) {
        sum += Math.abs(a.values()[i] - b.values()[i]);
      }
      stochastic = sum / a.rows() / 2;
      String detail = String.format(Locale.ROOT, "loss %.3g in training mode (batches of %d), "
          + "%.3g in inference mode; two training-mode passes over one batch differ by %.2g",
          train, batch, finalLoss, stochastic);
      boolean gap = Math.abs(train - finalLoss)
          > (MODE_GAP - 1) * Math.min(train, finalLoss) + 0.1;
      checks.add(gap ? CheckResult.warn(MODES, detail + ": the modes disagree")
          : CheckResult.ok(MODES, detail));
    }

    private void measureParameters(List<Tensor> before, List<Tensor> after) {
      double diff = 0;
      double start = 0;
      double end = 0;
      for (int k = 0; k < before.size(); k++) {
        float[] a = before.get(k).values();
        float[] b = after.get(k).values();
        for (int i = 0; i < a.length; i++) {
          diff += (double) (b[i] - a[i]) * (b[i] - a[i]);
          start += (double) a[i] * a[i];
          end += (double) b[i] * b[i];
        }
      }
      change = start == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff / start);
      normRatio = start == 0 ? 1 : Math.sqrt(end / start);
    }

    private List<Tensor> trainableValues(TrainableModel m) {
      java.util.Set<String> trainable = new java.util.HashSet<>();
      m.parameters().stream().filter(ParameterInfo::trainable).forEach(p -> trainable.add(p.name()));
      return m.parameterValues().stream().filter(t -> trainable.contains(t.name())).toList();
    }

    /**
     * The nearest-neighbour accuracy that chance alone reaches: the majority share plus {@value
     * #MIN_BASELINE_GAP} or three standard deviations of a count at that rate, whichever is more.
     */
    private double neighbourChanceLimit() {
      int n = Math.min(subset.size(), MAX_NEIGHBOUR_EXAMPLES);
      return chance + Math.max(MIN_BASELINE_GAP, 3 * Math.sqrt(chance * (1 - chance) / n));
    }

    /** The fewest outputs of any weight but the last (weights are stored outputs-first). */
    private int narrowestLayer() {
      List<ParameterInfo> weights = model.parameters().stream()
          .filter(p -> p.shape().length >= 2 && p.name().endsWith("weight")).toList();
      return weights.size() < 2 ? 0 : weights.subList(0, weights.size() - 1).stream()
          .mapToInt(p -> p.shape()[0]).min().orElse(0);
    }

    private OverfitEvidence evidence(ClassProbabilities last) {
      return new OverfitEvidence(inputStats, prior, initLoss,
          last == null ? Double.NaN : last.meanLoss(labels), baselineLoss, trainingModeLoss,
          neighbourAccuracy, chance, stochastic, narrowestLayer(), change, normRatio, spread, varyAtInit, model.learningRate(),
          model.config().learningRate(), batchNorm);
    }

    private OverfitReport early(Diagnosis d, String cause, ClassProbabilities last) {
      List<ExampleFit> fits = new ArrayList<>();
      if (last != null) {
        for (int i = 0; i < labels.length; i++) {
          int p = last.argmax(i);
          fits.add(new ExampleFit(subset.id(i), subset.classes().get(labels[i]),
              p == labels[i] ? 0 : -1, last.loss(i, labels[i]), subset.classes().get(p),
              margin(last, i, labels[i])));
        }
      }
      return build(Verdict.FAIL, d, cause, 0, OptionalInt.empty(), Duration.ZERO, last,
          new double[0], OptionalDouble.empty(), List.of(), 0, fits);
    }

    private OverfitReport result(Verdict verdict, Diagnosis d, String cause, Training t) {
      return result(verdict, d, cause, t, OptionalDouble.empty(),
          t.last == null ? List.of() : fits(t, labels));
    }

    private OverfitReport result(Verdict verdict, Diagnosis d, String cause, Training t,
        OptionalDouble baselineAccuracy, List<ExampleFit> fits) {
      return build(verdict, d, cause, t.steps, t.reachedAt, t.time, t.last, t.curve(),
          baselineAccuracy, t.dead(), t.throughput(), fits);
    }

    private OverfitReport build(Verdict verdict, Diagnosis d, String cause, int steps,
        OptionalInt reachedAt, Duration time, ClassProbabilities last, double[] curve,
        OptionalDouble baselineAccuracy, List<String> dead, double throughput,
        List<ExampleFit> fits) {
      double finalLoss = last == null ? Double.NaN : last.meanLoss(labels);
      double finalAccuracy = last == null ? 0 : last.accuracy(labels);
      return new OverfitReport(verdict, d, cause, suggestions, checks, evidence(last),
          labels.length, classes, steps, reachedAt, time, initLoss, finalLoss, finalAccuracy,
          targetAccuracy, curve, baselineAccuracy, dead, frozen, fits, throughput, provenance);
    }

    /**
     * Whether example 0 of the first batch is independent of the others (gradient of its loss
     * with respect to their inputs); skipped where the backend cannot compute input gradients.
     */
    private BatchIndependence checkBatchIndependence() {
      int k = Math.min(Math.max(2, batch), Math.min(16, subset.size()));
      if (!(model instanceof GradientProbe probe) || k < 2
          || subset.spec().inputKind() != InputKind.TENSOR) {
        checks.add(CheckResult.skipped(BATCH, k < 2 ? "a single example"
            : "the backend does not compute input gradients"));
        return null;
      }
      Batch b = subset.batches(k).iterator().next();
      BatchIndependence r;
      try {
        r = probe.batchIndependence(b, 0);
      } catch (InvalidParameterException | LabelException e) {
        throw e;
      } catch (RuntimeException e) {
        checks.add(CheckResult.skipped(BATCH, "the probe failed: " + firstLine(e)));
        return null;
      }
      if (r.suspicious()) {
        checks.add(CheckResult.warn(BATCH, r.detail()));
        suggestions.add("find the layer that mixes examples" + r.firstMixingLayer()
            .map(l -> " (" + l + ")").orElse("") + ": a reshape or transpose that moves the "
            + "batch axis, or a reduction over axis 0");
      } else {
        checks.add(CheckResult.ok(BATCH, r.detail()));
      }
      return r;
    }

    /** Every example's fit, hardest first: by mean margin over training, lowest first. */
    private List<ExampleFit> fits(Training t, int[] labels) {
      List<ExampleFit> fits = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        fits.add(new ExampleFit(subset.id(i), subset.classes().get(labels[i]), t.fitAt[i],
            t.last.loss(i, labels[i]), subset.classes().get(t.last.argmax(i)),
            t.evaluations == 0 ? 0 : t.marginSum[i] / t.evaluations));
      }
      fits.sort(Comparator.comparingDouble(ExampleFit::meanMargin)
          .thenComparing(Comparator.comparingDouble(ExampleFit::finalLoss).reversed()));
      return fits;
    }

    /** Whether every example gets (nearly) the same probabilities. */
    private boolean constantOutputs(ClassProbabilities p) {
      if (p.rows() < 2) {
        return false;
      }
      for (int c = 0; c < p.classes(); c++) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < p.rows(); i++) {
          min = Math.min(min, p.get(i, c));
          max = Math.max(max, p.get(i, c));
        }
        if (max - min > 1e-4f) {
          return false;
        }
      }
      return true;
    }

    private long warnings() {
      return checks.stream().filter(c -> c.status() == CheckResult.Status.WARN).count();
    }

    private String firstWarning() {
      return checks.stream().filter(c -> c.status() == CheckResult.Status.WARN)
          .map(c -> c.name() + ": " + c.detail()).findFirst().orElse("");
    }

    private Map<String, String> config() {
      Map<String, String> c = new LinkedHashMap<>(model.config().asMap());
      c.put("model", model.name());
      c.put("examples", Integer.toString(subset.size()));
      c.put("targetAccuracy", Double.toString(targetAccuracy));
      c.put("maxSteps", Integer.toString(maxSteps));
      c.put("timeBudget", timeBudget.toString());
      c.put("checkBatchSize", Integer.toString(batch));
      c.put("baseline", Boolean.toString(baseline));
      return c;
    }

    private void checkInitialLoss(double initLoss, double expected, int classes) {
      String detail = String.format(Locale.ROOT, "%.3g vs ln(%d) = %.3g expected for a fresh "
          + "model", initLoss, classes, expected);
      if (!Double.isFinite(initLoss)) {
        checks.add(CheckResult.fail(INIT_LOSS, detail + ": not finite"));
      } else if (initLoss > expected * 1.5 + 0.5) {
        checks.add(CheckResult.warn(INIT_LOSS, detail + ": far above — over-confident initial "
            + "outputs (logit scale too large, or softmax applied twice?)"));
      } else if (initLoss < expected * 0.5) {
        checks.add(CheckResult.warn(INIT_LOSS, detail + ": far below — the model already fits "
            + "this data (pretrained on it? labels leaking into inputs?)"));
      } else {
        checks.add(CheckResult.ok(INIT_LOSS, detail));
      }
    }

    /** A description of what is degenerate in the data, or null if nothing is. */
    private String degenerateData(int[] labels) {
      int first = labels[0];
      if (Arrays.stream(labels).allMatch(l -> l == first)) {
        return String.format(Locale.ROOT, "all %d labels are one class (%s): reaching 100%% "
            + "proves nothing; sample with stratifiedSample", labels.length,
            subset.classes().get(first));
      }
      if (subset.spec().inputKind() != InputKind.TENSOR) {
        String firstText = textOf(subset.input(0));
        for (int i = 1; i < subset.size(); i++) {
          if (!textOf(subset.input(i)).equals(firstText)) {
            return null;
          }
        }
        return "all texts are identical: the model cannot tell examples apart";
      }
      float[] reference = null;
      boolean allZero = true;
      boolean allSame = true;
      for (Batch b : subset.batches(256)) {
        float[] v = b.inputs();
        int size = v.length / b.size();
        for (int i = 0; i < v.length; i++) {
          if (!Float.isFinite(v[i])) {
            return String.format(Locale.ROOT, "example %s has %s at input position %d",
                b.ids().get(i / size), v[i], i % size);
          }
          allZero &= v[i] == 0f;
        }
        if (reference == null) {
          reference = Arrays.copyOf(v, size);
        }
        for (int k = 0; k < b.size() && allSame; k++) {
          allSame = Arrays.equals(v, k * size, (k + 1) * size, reference, 0, size);
        }
      }
      if (allZero) {
        return "all inputs are zero: the model has nothing to learn from (a broken loader or "
            + "transform?)";
      }
      if (allSame) {
        return "all inputs are identical: the model cannot tell examples apart";
      }
      return null;
    }

    /** Accuracy and loss of a fresh copy trained on the subset with its inputs made constant. */
    private double[] zeroInputBaseline(int[] labels, int steps) {
      // The same examples with their inputs replaced by a constant: zeros for tensors, one fixed
      // text for texts, so nothing but the label distribution is left to learn from.
      Dataset zeroed = subset.map(in -> in instanceof TensorInput t
          ? new TensorInput(new float[t.values().length], t.shape())
          : new TextInput(CONSTANT_TEXT));
      try (TrainableModel fresh = model.newInstance(model.config())) {
        for (String name : frozen) {
          fresh.freeze(name);
        }
        fresh.learningRate(model.learningRate());
        Training t = train(fresh, zeroed, labels, Double.NaN, false, Math.max(1, steps));
        if (t.last == null) {
          return new double[] {0, Double.NaN};
        }
        return new double[] {t.last.accuracy(labels), t.last.meanLoss(labels)};
      }
    }

    private Training train(TrainableModel m, Dataset data, int[] labels, double initLoss,
        boolean collect) {
      return train(m, data, labels, initLoss, collect, maxSteps);
    }

    private Training train(TrainableModel m, Dataset data, int[] labels, double initLoss,
        boolean collect, int stepBudget) {
      ProgressTask task = ProgressTask.start(progress, collect ? "overfit check"
          : "overfit check: zero-input baseline", stepBudget);
      try {
        Training t = trainSteps(m, data, labels, collect, stepBudget, task);
        task.finish(switch (t.stoppedBy) {
          case TARGET -> "target reached at step " + t.steps;
          case TIME -> "time budget reached at step " + t.steps;
          case FAILURE -> "engine error at step " + (t.steps + 1);
          case STEPS -> t.divergedAt >= 0 ? "diverged at step " + t.divergedAt
              : t.steps + " steps";
        });
        return t;
      } catch (RuntimeException e) {
        task.finish("failed");
        throw e;
      }
    }

    private Training trainSteps(TrainableModel m, Dataset data, int[] labels, boolean collect,
        int stepBudget, ProgressTask task) {
      Training t = new Training(data.size());
      Batches batches = data.batches(batch, runSeed, false);
      int every = evalEvery != null ? evalEvery : evaluationCadence(data.size(), batch);
      long start = System.nanoTime();
      long deadline = start + timeBudget.toNanos();
      double reference = Double.NaN;
      int epoch = 0;
      Iterator<Batch> it = batches.epoch(epoch);
      t.stoppedBy = Stop.STEPS;
      while (t.steps < stepBudget) {
        if (!it.hasNext()) {
          it = batches.epoch(++epoch);
        }
        Batch next = it.next();
        long stepStart = System.nanoTime();
        StepResult r;
        try {
          r = m.trainStep(next, collect);
        } catch (NonFiniteLossException e) {
          // the backend refused the step (weights unchanged): divergence, if after updates
          t.stepNanos += System.nanoTime() - stepStart;
          t.examplesSeen += next.size();
          t.steps++;
          t.losses.add(Double.NaN);
          t.divergedAt = t.steps;
          t.divergedLoss = Double.NaN;
          break;
        } catch (InvalidParameterException | LabelException e) {
          throw e;
        } catch (RuntimeException e) {
          t.failure = e;
          t.failedBatch = next.size();
          t.stoppedBy = Stop.FAILURE;
          break;
        }
        t.stepNanos += System.nanoTime() - stepStart;
        t.examplesSeen += next.size();
        t.steps++;
        t.losses.add(r.loss());
        t.maxLoss = Math.max(t.maxLoss, r.loss());
        r.gradientNorms().forEach((k, v) -> t.maxGradient.merge(k, v, Math::max));
        if (t.steps == 1 && Double.isFinite(r.loss())) {
          // the first step's loss is measured before any update: it is the reference
          reference = Math.max(r.loss(), Math.log(model.spec().numClasses()));
        } else if (!Double.isFinite(r.loss()) || (collect && r.loss() > EXPLODE_FACTOR
            * reference)) {
          t.divergedAt = t.steps;
          t.divergedLoss = r.loss();
          break;
        }
        if (t.steps < stepBudget) {
          task.step(t.steps, String.format(Locale.ROOT, "loss %.3f%s", r.loss(), t.last == null
              ? "" : String.format(Locale.ROOT, " · %.0f%% fit", 100 * t.last.accuracy(labels))));
        }
        boolean outOfTime = System.nanoTime() > deadline;
        if (t.steps % every == 0 || t.steps == stepBudget || outOfTime) {
          t.time = Duration.ofNanos(System.nanoTime() - start);
          t.evaluate(m.predict(data, 256), labels);
          if (collect && t.reachedAt.isEmpty() && t.last.accuracy(labels) >= targetAccuracy) {
            t.reachedAt = OptionalInt.of(t.steps);
            t.stoppedBy = Stop.TARGET;
            break;
          }
        }
        if (outOfTime && t.steps < stepBudget) {
          t.stoppedBy = Stop.TIME;
          break;
        }
      }
      t.time = Duration.ofNanos(System.nanoTime() - start);
      if (t.steps > 0 && (t.last == null || t.evaluatedAt != t.steps)) {
        t.evaluate(m.predict(data, 256), labels);
      }
      if (t.last == null && t.failure == null) {
        t.last = m.predict(data, 256);
      }
      return t;
    }
  }

  /** The state of one training run. */
  private static final class Training {
    final List<Double> losses = new ArrayList<>();
    final Map<String, Double> maxGradient = new LinkedHashMap<>();
    final int[] fitAt;
    final double[] marginSum;
    int evaluations;
    int steps;
    int evaluatedAt = -1;
    double maxLoss = Double.NEGATIVE_INFINITY;
    int divergedAt = -1;
    double divergedLoss;
    OptionalInt reachedAt = OptionalInt.empty();
    Duration time = Duration.ZERO;
    ClassProbabilities last;
    long examplesSeen;
    long stepNanos;
    RuntimeException failure;
    int failedBatch;
    Stop stoppedBy = Stop.STEPS;

    Training(int n) {
      fitAt = new int[n];
      marginSum = new double[n];
      Arrays.fill(fitAt, -1);
    }

    void evaluate(ClassProbabilities probs, int[] labels) {
      last = probs;
      evaluatedAt = steps;
      evaluations++;
      for (int i = 0; i < labels.length; i++) {
        marginSum[i] += margin(probs, i, labels[i]);
        if (probs.argmax(i) != labels[i]) {
          fitAt[i] = -1;
        } else if (fitAt[i] < 0) {
          fitAt[i] = steps;
        }
      }
    }

    double[] curve() {
      return losses.stream().mapToDouble(Double::doubleValue).toArray();
    }

    List<String> dead() {
      return maxGradient.entrySet().stream().filter(e -> e.getValue() == 0.0)
          .map(Map.Entry::getKey).toList();
    }

    double millisPerStep() {
      return steps == 0 ? 0 : stepNanos / 1e6 / steps;
    }

    /** Whether the training loss of the last fifth of the steps is still well below the fifth before. */
    boolean stillFalling() {
      int k = losses.size() / 5;
      if (k < 2) {
        return false;
      }
      double last = 0;
      double before = 0;
      for (int i = 0; i < k; i++) {
        last += losses.get(losses.size() - 1 - i);
        before += losses.get(losses.size() - 1 - k - i);
      }
      return last < (1 - STILL_FALLING) * before;
    }

    /** Examples per second of training steps alone (evaluations excluded). */
    double throughput() {
      double s = stepNanos / 1e9;
      return s <= 0 ? 0 : examplesSeen / s;
    }

  }

  private static String textOf(dev.groundwork.core.data.Input in) {
    return in instanceof TextInput t ? t.text() : String.valueOf(in);
  }

  /** p(label) minus the largest other probability. */
  static double margin(ClassProbabilities p, int row, int label) {
    double other = 0;
    for (int c = 0; c < p.classes(); c++) {
      if (c != label) {
        other = Math.max(other, p.get(row, c));
      }
    }
    return p.get(row, label) - other;
  }

  /**
   * Steps between evaluations of the whole subset: one evaluation (a forward pass over {@code n}
   * examples) per {@code n / (4 · batch)} steps, at least every step — every step when batches
   * are large, once a quarter pass when they are tiny.
   */
  static int evaluationCadence(int n, int batch) {
    return Math.max(1, (int) Math.ceil(n / (4.0 * batch)));
  }

  /** The entropy of the label distribution, in nats. */
  static double priorEntropy(int[] labels, int classes) {
    int[] counts = new int[classes];
    for (int l : labels) {
      counts[l]++;
    }
    double h = 0;
    for (int c : counts) {
      if (c > 0) {
        double p = (double) c / labels.length;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /** The largest ln(p_max / p_min) over the rows: the range the logits span. */
  static double outputSpread(ClassProbabilities p) {
    double spread = 0;
    for (int i = 0; i < p.rows(); i++) {
      float min = Float.POSITIVE_INFINITY;
      float max = 0;
      for (int c = 0; c < p.classes(); c++) {
        min = Math.min(min, p.get(i, c));
        max = Math.max(max, p.get(i, c));
      }
      spread = Math.max(spread, min <= 0 ? Double.POSITIVE_INFINITY : Math.log(max / min));
    }
    return spread;
  }

  /** "5-minute", "30-second", "50-ms", "1-µs"... for a budget. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      long ns = d.toNanos();
      return ns % 1000 == 0 ? ns / 1000 + "-µs" : ns + "-ns";
    }
    return ms % 60_000 == 0 ? ms / 60_000 + "-minute" : ms % 1000 == 0 ? ms / 1000 + "-second"
        : ms + "-ms";
  }

  /** The first line of the message; engine exceptions keep their type's name in front. */
  static String firstLine(Throwable e) {
    String line = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return e instanceof dev.groundwork.core.GroundworkException ? line
        : e.getClass().getSimpleName() + ": " + line;
  }

  static String fmt(double loss) {
    return Double.isNaN(loss) ? "NaN" : Double.isInfinite(loss) ? "Inf"
        : String.format(Locale.ROOT, "%.3g", loss);
  }

  static String abbreviate(List<String> items) {
    return items.size() <= 8 ? items.toString()
        : items.subList(0, 8).toString().replace("]", ", … " + items.size() + " in all]");
  }
}
