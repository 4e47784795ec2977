package dev.groundwork.core.train;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.progress.ProgressTask;
import dev.groundwork.core.weights.LoadPolicy;
import dev.groundwork.core.weights.NameMapping;
import dev.groundwork.core.weights.Pretrained;
import dev.groundwork.core.weights.WeightLoadReport;
import dev.groundwork.core.weights.WeightsMismatchException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Transfer learning in one call, with its steps visible in the result: load pretrained weights
 * into the backbone (every other parameter — the head, sized for the new classes — keeps its fresh
 * initialization), train the rest with the backbone frozen, then unfreeze and train everything
 * with a lower learning rate for the backbone (discriminative learning rates) — the pattern fastai
 * calls {@code fine_tune}.
 *
 * <pre>{@code
 * try (TrainableModel model = DjlModels.smallCnn(ours.spec())) {
 *   FineTuneResult r = FineTune.of(model).from(Pretrained.file(path).sha256(hex))
 *       .on(ours).validation(val).headEpochs(2).fullEpochs(6).run();
 *   System.out.println(r);
 * }
 * }</pre>
 *
 * <p>What transfers is what {@link #backbone(String)} names: only the file's tensors under that
 * prefix are loaded (the others are reported as skipped), and every model parameter under it must
 * load — a backbone that does not fit is a {@link WeightsMismatchException}, never a silent partial
 * start. When the new classes look unlike the old ones, transfer less: with the small CNN
 * pretrained on Fashion-MNIST's tops and fine-tuned on its shoes and bags, the pretrained
 * fully-connected layer was worse than a random one (a frozen linear probe reached 32 % against
 * 70 %) while the convolutions helped, so {@code backbone("backbone_conv")} is the recipe there
 * (docs/scale.md).
 */
public final class FineTune {

  private final TrainableModel model;
  private Pretrained weights;
  private String backbone = "backbone";
  private String head = "head";
  private boolean keepHead;
  private Dataset train;
  private Dataset validation;
  private int headEpochs = 1;
  private int fullEpochs = 3;
  private double backboneFactor = 0.1;
  private Integer batchSize;
  private LrSchedule schedule = LrSchedule.constant();
  private Fit.Progress progress = Fit.Progress.AUTO;
  private PrintStream out = System.out;
  private dev.groundwork.core.progress.Progress listener =
      dev.groundwork.core.progress.Progress.quiet();

  private FineTune(TrainableModel model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /** Fine-tunes {@code model}, built for the new task's classes. */
  public static FineTune of(TrainableModel model) {
    return new FineTune(model);
  }

  /** The pretrained weights to start from (without, the model's current values are the start). */
  public FineTune from(Pretrained pretrained) {
    this.weights = Objects.requireNonNull(pretrained, "pretrained");
    return this;
  }

  /** The prefix of the parameters that transfer (default {@code backbone}). */
  public FineTune backbone(String prefix) {
    this.backbone = Objects.requireNonNull(prefix, "prefix");
    return this;
  }

  /** The prefix of the head's parameters (default {@code head}). */
  public FineTune head(String prefix) {
    this.head = Objects.requireNonNull(prefix, "prefix");
    return this;
  }

  /** Load the file's head too (same classes, e.g. continuing a fine-tune); default off. */
  public FineTune keepHead(boolean keep) {
    this.keepHead = keep;
    return this;
  }

  /** The training data of the new task. */
  public FineTune on(Dataset data) {
    this.train = Objects.requireNonNull(data, "data");
    return this;
  }

  /** The validation data of the new task. */
  public FineTune validation(Dataset data) {
    this.validation = Objects.requireNonNull(data, "data");
    return this;
  }

  /** Epochs with the backbone frozen (default 1; 0 skips the step). */
  public FineTune headEpochs(int n) {
    InvalidParameterException.check(n >= 0, "headEpochs must be ≥ 0, got %d", n);
    this.headEpochs = n;
    return this;
  }

  /** Epochs with everything trainable (default 3; 0 skips the step). */
  public FineTune fullEpochs(int n) {
    InvalidParameterException.check(n >= 0, "fullEpochs must be ≥ 0, got %d", n);
    this.fullEpochs = n;
    return this;
  }

  /** The backbone's learning rate as a fraction of the head's in the full step (default 0.1). */
  public FineTune backboneFactor(double factor) {
    InvalidParameterException.check(factor > 0 && factor <= 1,
        "backboneFactor must be in (0, 1], got %s", factor);
    this.backboneFactor = factor;
    return this;
  }

  /** Examples per step (default: the model's configuration). */
  public FineTune batchSize(int n) {
    InvalidParameterException.check(n >= 1, "batchSize must be ≥ 1, got %d", n);
    this.batchSize = n;
    return this;
  }

  /** The schedule of each step (default constant). */
  public FineTune schedule(LrSchedule s) {
    this.schedule = Objects.requireNonNull(s, "schedule");
    return this;
  }

  /** Progress output of both steps. */
  public FineTune progress(Fit.Progress mode, PrintStream stream) {
    this.progress = Objects.requireNonNull(mode, "mode");
    this.out = Objects.requireNonNull(stream, "stream");
    return this;
  }

  /**
   * Also reports every training step of both steps to {@code listener} as one task, {@code
   * "fine-tune"}: its total is the head's and the full step's training steps together, each
   * message names the step ({@code "head · epoch 1/2 · loss 0.6931"}, {@code "full · epoch 3/6 ·
   * loss 0.4120"}) and the last one says how it ended. E.g. {@code Progress.console(out)} for
   * sparse lines in a log. The epoch lines stay as set by {@link #progress(Fit.Progress,
   * PrintStream)}. Default: none.
   */
  public FineTune progress(dev.groundwork.core.progress.Progress listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Loads, trains the new layers, then trains everything. The model keeps what the last step set:
   * everything trainable, the backbone's learning rate scaled by {@code backboneFactor} (call
   * {@code scaleLearningRate(backbone, 1)} to undo).
   *
   * @throws InvalidParameterException without training data, with no epochs at all, or when a
   *     prefix names no parameter
   * @throws WeightsMismatchException if the pretrained backbone does not fit
   */
  public FineTuneResult run() {
    InvalidParameterException.check(train != null, "no training data: call on(dataset) first");
    InvalidParameterException.check(headEpochs + fullEpochs > 0,
        "headEpochs and fullEpochs are both 0: nothing to train");
    double rate = model.learningRate();
    Optional<WeightLoadReport> load = Optional.empty();
    if (weights != null) {
      Pretrained p = weights.policy(LoadPolicy.MATCHING).rename(keeping(backbone,
          keepHead ? head : null));
      WeightLoadReport report = p.loadInto(model);
      List<String> missingBackbone = new ArrayList<>();
      for (ParameterInfo info : model.parameters()) {
        if (info.name().startsWith(backbone) && !report.loaded().contains(info.name())) {
          missingBackbone.add(info.name());
        }
      }
      if (!missingBackbone.isEmpty()) {
        throw new WeightsMismatchException("the pretrained weights " + weights.source()
            + " left backbone parameters " + missingBackbone + " of model " + model.name()
            + " unloaded:\n" + report + "\nmap the names with Pretrained.rename(...) so that "
            + "every backbone parameter loads", weights.source());
      }
      load = Optional.of(report);
    }
    Optional<FitResult> headPhase = Optional.empty();
    Optional<FitResult> fullPhase = Optional.empty();
    int size = batchSize != null ? batchSize : model.config().batchSize();
    long stepsPerEpoch = train.batches(size, model.config().seed(), false).count();
    ProgressTask task = ProgressTask.start(listener, "fine-tune",
        stepsPerEpoch * (headEpochs + fullEpochs));
    try {
      if (headEpochs > 0) {
        model.freeze(backbone);
        model.learningRate(rate);
        headPhase = Optional.of(fit(headEpochs, task, "head", 0, fullEpochs == 0));
      }
      if (fullEpochs > 0) {
        model.unfreeze(backbone);
        model.scaleLearningRate(backbone, backboneFactor);
        model.learningRate(rate);
        fullPhase = Optional.of(fit(fullEpochs, task, "full", stepsPerEpoch * headEpochs, true));
      }
    } finally {
      task.finish("failed"); // a no-op after a completed last step
    }
    return new FineTuneResult(model.name(), load, backbone, head, headPhase, fullPhase, rate,
        backboneFactor);
  }

  /**
   * One step's fit, its progress forwarded to {@code task} after {@code offset} steps; the last
   * step's end ends the task.
   */
  private FitResult fit(int epochs, ProgressTask task, String step, long offset, boolean last) {
    dev.groundwork.core.progress.Progress forward = u -> {
      String message = step + (u.message().isEmpty() ? "" : " · " + u.message());
      if (!u.done()) {
        task.step(offset + u.step(), message);
      } else if (last) {
        task.finish(message);
      } // else the next step's first update carries on; a failure ends the task in run()
    };
    Fit f = Fit.of(model).on(train).epochs(epochs).schedule(schedule).progress(progress, out)
        .progress(forward);
    if (validation != null) {
      f.validation(validation);
    }
    if (batchSize != null) {
      f.batchSize(batchSize);
    }
    return f.run();
  }

  /** Drops every tensor outside the backbone (and the head, if kept). */
  private static NameMapping keeping(String backbonePrefix, String headPrefix) {
    return name -> name.startsWith(backbonePrefix)
        || headPrefix != null && name.startsWith(headPrefix) ? name : "";
  }
}
