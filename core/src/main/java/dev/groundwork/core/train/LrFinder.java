package dev.groundwork.core.train;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.Provenance;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Batches;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.progress.Progress;
import dev.groundwork.core.progress.ProgressTask;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The learning-rate range test: train a fresh copy of the model while the learning rate grows
 * exponentially each step, stop when the loss diverges, and suggest a learning rate.
 *
 * <p>Rule: the suggestion is the learning rate where the smoothed loss falls fastest (the most
 * negative slope of loss against log learning rate), taken from before the minimum of the smoothed
 * loss; if the curve never falls, one tenth of the learning rate at the minimum. The loss is
 * smoothed with an exponential moving average (β = 0.9, bias-corrected); the sweep stops when the
 * smoothed loss exceeds four times its minimum, or is not finite.
 *
 * <pre>{@code
 * LrFinderResult lr = LrFinder.of(model).on(train).run();
 * TrainableModel tuned = model.newInstance(model.config().withLearningRate(lr.suggestion()));
 * }</pre>
 */
public final class LrFinder {

  static final double SMOOTHING = 0.9;
  static final double DIVERGENCE_FACTOR = 4;

  private final TrainableModel model;
  private Dataset data;
  private double minLr = 1e-6;
  private double maxLr = 1;
  private int steps = 100;
  private Integer batchSize;
  private Progress progress = Progress.auto();

  private LrFinder(TrainableModel model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /** A range test for this model; the model itself is not trained (a fresh copy is). */
  public static LrFinder of(TrainableModel model) {
    return new LrFinder(model);
  }

  /** The examples to train on. */
  public LrFinder on(Dataset examples) {
    this.data = Objects.requireNonNull(examples, "examples");
    return this;
  }

  /** The learning-rate range swept; default 1e-6 to 1. */
  public LrFinder range(double from, double to) {
    InvalidParameterException.check(from > 0 && to > from && Double.isFinite(to),
        "LR range must satisfy 0 < from < to, got [%s, %s]", from, to);
    this.minLr = from;
    this.maxLr = to;
    return this;
  }

  /** The number of steps of the sweep; default 100. */
  public LrFinder steps(int count) {
    InvalidParameterException.check(count >= 10, "steps must be at least 10, got %d", count);
    this.steps = count;
    return this;
  }

  /** Examples per step; default the model's batch size. */
  public LrFinder batchSize(int size) {
    InvalidParameterException.check(size >= 1, "batchSize must be at least 1, got %d", size);
    this.batchSize = size;
    return this;
  }

  /** Where progress goes: task {@code "LR finder"}, one step per sweep step; default {@link
   * Progress#auto()}. */
  public LrFinder progress(Progress listener) {
    this.progress = Objects.requireNonNull(listener, "progress");
    return this;
  }

  /** Runs the sweep on a fresh copy of the model (same architecture, configuration, frozen set). */
  public LrFinderResult run() {
    InvalidParameterException.check(data != null, "no examples: call on(dataset) first");
    data.requireNonEmpty("an LR range test");
    int batch = Math.min(batchSize != null ? batchSize : model.config().batchSize(), data.size());
    long seed = model.config().seed();
    List<String> frozen = model.parameters().stream().filter(p -> !p.trainable())
        .map(ParameterInfo::name).toList();
    List<Double> lrs = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    List<Double> smoothed = new ArrayList<>();
    String stop = "swept the whole range";
    ProgressTask task = ProgressTask.start(progress, "LR finder", steps);
    try (TrainableModel fresh = model.newInstance(model.config())) {
      for (String name : frozen) {
        fresh.freeze(name);
      }
      Batches batches = data.batches(batch, seed, false);
      int epoch = 0;
      Iterator<Batch> it = batches.epoch(epoch);
      double avg = 0;
      double best = Double.POSITIVE_INFINITY;
      double factor = Math.pow(maxLr / minLr, 1.0 / (steps - 1));
      for (int s = 0; s < steps; s++) {
        if (!it.hasNext()) {
          it = batches.epoch(++epoch);
        }
        double lr = minLr * Math.pow(factor, s);
        fresh.learningRate(lr);
        StepResult r;
        try {
          r = fresh.trainStep(it.next(), false);
        } catch (dev.groundwork.core.model.NonFiniteLossException e) {
          stop = String.format(java.util.Locale.ROOT, "loss not finite at lr %.3g", lr);
          break;
        }
        avg = SMOOTHING * avg + (1 - SMOOTHING) * r.loss();
        double sm = avg / (1 - Math.pow(SMOOTHING, s + 1));
        lrs.add(lr);
        losses.add(r.loss());
        smoothed.add(sm);
        if (!Double.isFinite(sm)) {
          stop = String.format(java.util.Locale.ROOT, "loss not finite at lr %.3g", lr);
          break;
        }
        best = Math.min(best, sm);
        if (s + 1 < steps) {
          task.step(s + 1, String.format(java.util.Locale.ROOT, "lr %.2g · loss %.3f", lr, sm));
        }
        if (s > 0 && sm > DIVERGENCE_FACTOR * best) {
          stop = String.format(java.util.Locale.ROOT,
              "loss diverged at lr %.3g (smoothed %.3g > %.0f × min %.3g)", lr, sm,
              DIVERGENCE_FACTOR, best);
          break;
        }
      }
    } catch (RuntimeException e) {
      task.finish("failed");
      throw e;
    }
    task.finish(stop);
    Map<String, String> config = new LinkedHashMap<>(model.config().asMap());
    config.put("model", model.name());
    config.put("range", minLr + ".." + maxLr);
    config.put("steps", Integer.toString(steps));
    Provenance provenance = Provenance.of(seed, config, model.summary().backend(),
        data.fingerprint().sha256());
    return LrFinderResult.of(lrs, losses, smoothed, stop, provenance);
  }
}
