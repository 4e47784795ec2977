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
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainableModel;
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
 * whose verdict rests on these checks: degenerate data (before any step), loss at initialisation
 * against {@code ln C}, divergence, stagnation, an input-independent baseline (the same
 * architecture trained on zeroed inputs), parameters that never receive a gradient, and which
 * examples never fit.
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

  /** A loss this many times the initial loss (or ln C) means training diverged. */
  static final double EXPLODE_FACTOR = 10;
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

  private final TrainableModel model;
  private Dataset subset;
  private double targetAccuracy = 1.0;
  private int maxSteps = 1000;
  private Duration timeBudget = Duration.ofMinutes(5);
  private Integer batchSize;
  private Long seed;
  private boolean baseline = true;
  private Integer evalEvery;

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
   * Evaluate the whole subset every this many steps; default every step for up to 500 examples
   * (exact steps-to-target and per-example margins), else once per pass over the subset.
   */
  public OverfitCheck evalEvery(int steps) {
    InvalidParameterException.check(steps >= 1, "evalEvery must be at least 1, got %d", steps);
    this.evalEvery = steps;
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

    OverfitReport execute(int[] labels, int classes) {
      runSeed = seed != null ? seed : model.config().seed();
      batch = Math.min(batchSize != null ? batchSize : model.config().batchSize(), subset.size());
      double expected = Math.log(classes);
      List<String> frozen = model.parameters().stream().filter(p -> !p.trainable())
          .map(ParameterInfo::name).toList();
      Provenance provenance = Provenance.of(runSeed, config(), model.summary().backend(),
          subset.fingerprint().sha256());

      String degenerate = degenerateData(labels);
      if (degenerate != null) {
        checks.add(CheckResult.fail(DATA, degenerate));
        return report(Verdict.FAIL, "degenerate data: " + degenerate, labels, classes, 0,
            OptionalInt.empty(), Duration.ZERO, Double.NaN, null, new double[0],
            OptionalDouble.empty(), List.of(), frozen, 0, provenance);
      }
      checks.add(CheckResult.ok(DATA, String.format(Locale.ROOT,
          "%d examples, %d of %d classes present, inputs finite and varied", subset.size(),
          Arrays.stream(subset.classCounts()).filter(c -> c > 0).count(), classes)));

      ClassProbabilities initial = model.predict(subset, 256);
      double initLoss = initial.meanLoss(labels);
      checkInitialLoss(initLoss, expected, classes);

      checkBatchIndependence();

      boolean anyTrainable = model.parameters().stream().anyMatch(ParameterInfo::trainable);
      if (!anyTrainable) {
        checks.add(CheckResult.fail(GRADIENTS, "all " + frozen.size()
            + " parameters are frozen: training can change nothing"));
        suggestions.add("unfreeze the head (e.g. model.unfreeze(\"head\")) or the whole model");
        return report(Verdict.FAIL, "all parameters are frozen", labels, classes, 0,
            OptionalInt.empty(), Duration.ZERO, initLoss, initial, new double[0],
            OptionalDouble.empty(), List.of(), frozen, 0, provenance);
      }

      Training main = train(model, subset, labels, initLoss, true);
      double finalLoss = main.last.meanLoss(labels);
      double finalAccuracy = main.last.accuracy(labels);

      // divergence
      if (main.divergedAt >= 0) {
        checks.add(CheckResult.fail(DIVERGENCE, String.format(Locale.ROOT,
            "loss %s at step %d (started at %.3g)", fmt(main.divergedLoss), main.divergedAt,
            initLoss)));
        suggestions.add(String.format(Locale.ROOT, "lower the learning rate (now %.3g), e.g. "
            + "to %.3g, or run the LR finder", model.config().learningRate(),
            model.config().learningRate() / 10));
        return report(Verdict.FAIL, String.format(Locale.ROOT,
            "training diverged at step %d: the loss became %s", main.divergedAt,
            fmt(main.divergedLoss)), labels, classes, main.steps, main.reachedAt, main.time,
            initLoss, main.last, main.curve(), OptionalDouble.empty(), main.dead(), frozen,
            main.throughput(), provenance);
      }
      checks.add(CheckResult.ok(DIVERGENCE, String.format(Locale.ROOT,
          "no NaN/Inf, loss at most %.3g", main.maxLoss)));

      // stagnation, and a model that ignores its input
      double drop = (initLoss - finalLoss) / initLoss;
      boolean reached = main.reachedAt.isPresent();
      boolean constantOutputs = constantOutputs(main.last);
      boolean stagnated = !reached && !constantOutputs && drop < MIN_RELATIVE_DROP;
      if (stagnated) {
        checks.add(CheckResult.fail(STAGNATION, String.format(Locale.ROOT,
            "loss fell only %.1f%% in %d steps (%.3g → %.3g)", 100 * drop, main.steps, initLoss,
            finalLoss)));
      } else {
        checks.add(CheckResult.ok(STAGNATION, String.format(Locale.ROOT,
            "loss fell %.1f%% (%.3g → %.3g)", 100 * drop, initLoss, finalLoss)));
      }

      OptionalDouble baselineAccuracy = OptionalDouble.empty();
      boolean ignoresInput = constantOutputs;
      if (constantOutputs) {
        checks.add(CheckResult.fail(BASELINE, "the model gives the same output for every "
            + "example: it ignores its input"));
      } else if (baseline && !stagnated) {
        double base = zeroInputBaseline(labels, main.steps, frozen);
        baselineAccuracy = OptionalDouble.of(base);
        ignoresInput = finalAccuracy - base < MIN_BASELINE_GAP;
        String detail = String.format(Locale.ROOT,
            "with inputs zeroed the same model reaches %.0f%%, with inputs %.0f%%", 100 * base,
            100 * finalAccuracy);
        checks.add(ignoresInput ? CheckResult.fail(BASELINE, detail + ": it ignores its input")
            : CheckResult.ok(BASELINE, detail));
      } else {
        checks.add(CheckResult.skipped(BASELINE, baseline ? "training stagnated" : "switched off"));
      }

      // gradient flow
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

      // per-example fit
      List<ExampleFit> fits = fits(main, labels);
      List<String> never = fits.stream().filter(f -> !f.fit()).map(ExampleFit::id).toList();
      List<String> lowest = fits.stream().limit(3).map(ExampleFit::id).toList();
      if (never.isEmpty()) {
        checks.add(CheckResult.ok(EXAMPLES, "every example fit; lowest margin " + lowest));
      } else {
        checks.add(CheckResult.warn(EXAMPLES, never.size() + " never fit (often mislabeled): "
            + abbreviate(never) + "; lowest margin " + lowest));
      }

      Verdict verdict;
      String cause;
      int n = subset.size();
      if (stagnated && !ignoresInput) {
        verdict = Verdict.FAIL;
        cause = String.format(Locale.ROOT, "training stagnated: the loss fell only %.1f%% in %d "
            + "steps", 100 * drop, main.steps);
        suggestions.add(String.format(Locale.ROOT, "raise the learning rate (now %.3g), e.g. to "
            + "%.3g, or run the LR finder", model.config().learningRate(),
            model.config().learningRate() * 10));
        suggestions.add("check the loss and the labels: do they match the model's outputs?");
      } else if (ignoresInput) {
        verdict = Verdict.FAIL;
        cause = constantOutputs
            ? "the model ignores its input: it gives the same output for every example (input "
                + "cut off, or every hidden unit dead)"
            : String.format(Locale.ROOT, "the model ignores its input: with inputs zeroed it "
                + "reaches %.0f%%, with inputs %.0f%%", 100 * baselineAccuracy.getAsDouble(),
                100 * finalAccuracy);
        suggestions.add("check that the input reaches the first layer (a multiply by zero, a "
            + "detached tensor, a wrong input name)");
      } else if (!reached && !dead.isEmpty()) {
        verdict = Verdict.FAIL;
        cause = dead.size() + " parameters never received a gradient: " + abbreviate(dead);
        suggestions.add("connect those layers to the loss, or unfreeze them if frozen by mistake");
      } else if (reached && never.isEmpty() && dead.isEmpty() && warnings() == 0) {
        verdict = Verdict.PASS;
        cause = String.format(Locale.ROOT, "fit %d/%d at step %d · init loss %.2f (ln %d = %.2f)"
            + " · no NaN · all layers receive gradient", n, n, main.reachedAt.getAsInt(),
            initLoss, classes, expected);
      } else if (reached) {
        verdict = Verdict.WARN;
        cause = !dead.isEmpty()
            ? "target reached, but " + dead.size() + " parameters never received a gradient: "
                + abbreviate(dead)
            : !never.isEmpty() ? "target reached, but " + never.size() + " examples never fit "
                + "(often mislabeled): " + abbreviate(never)
            : "target reached; " + firstWarning();
      } else if (finalAccuracy >= 0.9 && never.size() <= Math.max(1, n / 10)) {
        verdict = Verdict.WARN;
        cause = String.format(Locale.ROOT, "%d/%d fit; %d examples never fit (often mislabeled):"
            + " %s", n - never.size(), n, never.size(), abbreviate(never));
        suggestions.add("look at those examples and their labels; relabel or drop the wrong ones");
      } else {
        verdict = Verdict.FAIL;
        cause = String.format(Locale.ROOT, "did not fit: %.0f%% after %d steps (target %.0f%%), "
            + "though the loss fell %.0f%%", 100 * finalAccuracy, main.steps, 100 * targetAccuracy,
            100 * drop);
        suggestions.add("the model may be too small to memorize " + n + " examples: make it "
            + "wider or deeper");
        suggestions.add("or give it more steps (maxSteps) or a higher learning rate");
      }
      return report(verdict, cause, labels, classes, main.steps, main.reachedAt, main.time,
          initLoss, main.last, main.curve(), baselineAccuracy, dead, frozen, main.throughput(),
          provenance, fits);
    }

    /**
     * Whether example 0 of the first batch is independent of the others (gradient of its loss
     * with respect to their inputs); skipped where the backend cannot compute input gradients.
     */
    private void checkBatchIndependence() {
      int k = Math.min(Math.max(2, batch), Math.min(16, subset.size()));
      if (!(model instanceof dev.groundwork.core.model.GradientProbe probe) || k < 2
          || subset.spec().inputKind() != dev.groundwork.core.data.InputKind.TENSOR) {
        checks.add(CheckResult.skipped(BATCH, k < 2 ? "a single example"
            : "the backend does not compute input gradients"));
        return;
      }
      var b = subset.batches(k).iterator().next();
      dev.groundwork.core.model.BatchIndependence r = probe.batchIndependence(b, 0);
      if (r.suspicious()) {
        checks.add(CheckResult.warn(BATCH, r.detail()));
        suggestions.add("find the layer that mixes examples" + r.firstMixingLayer()
            .map(l -> " (" + l + ")").orElse("") + ": a reshape or transpose that moves the "
            + "batch axis, or a reduction over axis 0");
      } else {
        checks.add(CheckResult.ok(BATCH, r.detail()));
      }
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

    private double zeroInputBaseline(int[] labels, int steps, List<String> frozen) {
      // The same examples with their inputs replaced by a constant: zeros for tensors, one fixed
      // text for texts, so nothing but the label distribution is left to learn from.
      Dataset zeroed = subset.map(in -> in instanceof TensorInput t
          ? new TensorInput(new float[t.values().length], t.shape())
          : new TextInput(CONSTANT_TEXT));
      try (TrainableModel fresh = model.newInstance(model.config())) {
        for (String name : frozen) {
          fresh.freeze(name);
        }
        Training t = train(fresh, zeroed, labels, Double.NaN, false, Math.max(1, steps));
        return t.last.accuracy(labels);
      }
    }

    private Training train(TrainableModel m, Dataset data, int[] labels, double initLoss,
        boolean collect) {
      return train(m, data, labels, initLoss, collect, maxSteps);
    }

    private Training train(TrainableModel m, Dataset data, int[] labels, double initLoss,
        boolean collect, int stepBudget) {
      Training t = new Training(data.size());
      Batches batches = data.batches(batch, runSeed, false);
      int every = evalEvery != null ? evalEvery : data.size() <= 500 ? 1 : batches.count();
      long start = System.nanoTime();
      long deadline = start + timeBudget.toNanos();
      double limit = EXPLODE_FACTOR * Math.max(Double.isNaN(initLoss) ? 0 : initLoss,
          Math.log(model.spec().numClasses()));
      int epoch = 0;
      Iterator<Batch> it = batches.epoch(epoch);
      while (t.steps < stepBudget) {
        if (!it.hasNext()) {
          it = batches.epoch(++epoch);
        }
        Batch next = it.next();
        long stepStart = System.nanoTime();
        StepResult r;
        try {
          r = m.trainStep(next, collect);
        } catch (dev.groundwork.core.model.NonFiniteLossException e) {
          // the backend refused the step (weights unchanged): that is divergence
          t.stepNanos += System.nanoTime() - stepStart;
          t.examplesSeen += next.size();
          t.steps++;
          t.losses.add(Double.NaN);
          t.divergedAt = t.steps;
          t.divergedLoss = Double.NaN;
          break;
        }
        t.stepNanos += System.nanoTime() - stepStart;
        t.examplesSeen += next.size();
        t.steps++;
        t.losses.add(r.loss());
        t.maxLoss = Math.max(t.maxLoss, r.loss());
        r.gradientNorms().forEach((k, v) -> t.maxGradient.merge(k, v, Math::max));
        if (!Double.isFinite(r.loss()) || (collect && r.loss() > limit)) {
          t.divergedAt = t.steps;
          t.divergedLoss = r.loss();
          break;
        }
        boolean outOfTime = System.nanoTime() > deadline;
        if (t.steps % every == 0 || t.steps == stepBudget || outOfTime) {
          t.time = Duration.ofNanos(System.nanoTime() - start);
          t.evaluate(m.predict(data, 256), labels);
          if (collect && t.reachedAt.isEmpty() && t.last.accuracy(labels) >= targetAccuracy) {
            t.reachedAt = OptionalInt.of(t.steps);
            break;
          }
        }
        if (outOfTime) {
          break;
        }
      }
      t.time = Duration.ofNanos(System.nanoTime() - start);
      if (t.last == null || t.evaluatedAt != t.steps) {
        t.evaluate(m.predict(data, 256), labels);
      }
      return t;
    }

    private OverfitReport report(Verdict verdict, String cause, int[] labels, int classes,
        int steps, OptionalInt reachedAt, Duration time, double initLoss, ClassProbabilities last,
        double[] curve, OptionalDouble baselineAccuracy, List<String> dead, List<String> frozen,
        double throughput, Provenance provenance) {
      List<ExampleFit> fits = new ArrayList<>();
      if (last != null) {
        for (int i = 0; i < labels.length; i++) {
          int p = last.argmax(i);
          fits.add(new ExampleFit(subset.id(i), subset.classes().get(labels[i]),
              p == labels[i] ? 0 : -1, last.loss(i, labels[i]), subset.classes().get(p),
              margin(last, i, labels[i])));
        }
      }
      return report(verdict, cause, labels, classes, steps, reachedAt, time, initLoss, last,
          curve, baselineAccuracy, dead, frozen, throughput, provenance, fits);
    }

    private OverfitReport report(Verdict verdict, String cause, int[] labels, int classes,
        int steps, OptionalInt reachedAt, Duration time, double initLoss, ClassProbabilities last,
        double[] curve, OptionalDouble baselineAccuracy, List<String> dead, List<String> frozen,
        double throughput, Provenance provenance, List<ExampleFit> fits) {
      double finalLoss = last == null ? Double.NaN : last.meanLoss(labels);
      double finalAccuracy = last == null ? 0 : last.accuracy(labels);
      return new OverfitReport(verdict, cause, suggestions, checks, labels.length, classes, steps,
          reachedAt, time, initLoss, finalLoss, finalAccuracy, targetAccuracy, curve,
          baselineAccuracy, dead, frozen, fits, throughput, provenance);
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

  static String fmt(double loss) {
    return Double.isNaN(loss) ? "NaN" : Double.isInfinite(loss) ? "Inf"
        : String.format(Locale.ROOT, "%.3g", loss);
  }

  static String abbreviate(List<String> items) {
    return items.size() <= 8 ? items.toString()
        : items.subList(0, 8).toString().replace("]", ", … " + items.size() + " in all]");
  }
}
