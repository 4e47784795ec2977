package dev.groundwork.core.train;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.Provenance;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Batches;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.NonFiniteLossException;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.model.TrainingState;
import dev.groundwork.core.weights.WeightsMismatchException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The fit loop: trains any {@link TrainableModel} for a number of epochs over a whole dataset, with
 * validation after each epoch, a learning-rate schedule, early stopping, listeners, progress on the
 * console, atomic checkpoints and an exact resume.
 *
 * <pre>{@code
 * FitResult fit = Fit.of(model).on(split.train()).validation(split.test()).epochs(10)
 *     .schedule(LrSchedule.cosine()).earlyStopping(EarlyStopping.on(Metric.VALIDATION_LOSS))
 *     .checkpoints(Path.of("runs/cnn")).run();
 * fit.writeCsv(Path.of("runs/cnn/history.csv"));
 * // later, after a crash: the same call with .resume(Path.of("runs/cnn/last.safetensors"))
 * }</pre>
 *
 * <p><b>Determinism and resume.</b> Epoch {@code e} visits the training set in an order fixed by
 * the model's seed and {@code e} ({@link Batches#epoch(int)}); the learning rate of each step is a
 * function of the step; a checkpoint holds the parameters, the optimizer state, the frozen set,
 * the learning-rate scales, the epoch and step and the data fingerprints. So a run stopped after
 * epoch k and resumed from its checkpoint gives the same history and parameters as one that never
 * stopped. The built-in models draw no random numbers while training (no dropout); a model that
 * does would also need its engine's generator restored, which no backend exposes today.
 *
 * <p><b>Checkpoints.</b> With {@link #checkpoints(Path)} the fit writes {@code last.safetensors}
 * every {@link #checkpointEvery(int) N} epochs and after the last, and {@code best.safetensors}
 * whenever the watched metric improves, each atomically (a crash mid-write leaves the previous file
 * loadable), plus {@code history.csv} and {@code fit.json} at the end.
 *
 * <p><b>Progress.</b> On a terminal, a progress line with the rate, the ETA and the running loss,
 * redrawn at most four times a second; elsewhere (CI, logs, notebooks) one line per epoch.
 */
public final class Fit {

  /** How progress is shown. */
  public enum Progress {
    /** A redrawn progress line on a terminal, else one line per epoch. */
    AUTO,
    /** One line per epoch. */
    LINES,
    /** A redrawn progress line (carriage returns), then one line per epoch. */
    BAR,
    /** Nothing. */
    OFF
  }

  private final TrainableModel model;
  private Dataset train;
  private Dataset validation;
  private int epochs = 10;
  private int batchSize;
  private int validationBatchSize = 256;
  private LrSchedule schedule = LrSchedule.constant();
  private EarlyStopping earlyStopping;
  private Metric monitor;
  private Path checkpointDir;
  private int checkpointEvery = 1;
  private Path resumeFrom;
  private final List<FitListener> listeners = new ArrayList<>();
  private Progress progress = Progress.AUTO;
  private PrintStream out = System.out;
  private dev.groundwork.core.progress.Progress listener =
      dev.groundwork.core.progress.Progress.quiet();

  private Fit(TrainableModel model) {
    this.model = Objects.requireNonNull(model, "model");
    this.batchSize = model.config().batchSize();
  }

  /** A fit of {@code model}, which keeps its parameters when the fit ends. */
  public static Fit of(TrainableModel model) {
    return new Fit(model);
  }

  /** The training data (required). */
  public Fit on(Dataset trainingData) {
    this.train = Objects.requireNonNull(trainingData, "trainingData");
    return this;
  }

  /** The validation data, evaluated after each epoch (optional). */
  public Fit validation(Dataset validationData) {
    this.validation = Objects.requireNonNull(validationData, "validationData");
    return this;
  }

  /** The number of epochs (default 10). */
  public Fit epochs(int n) {
    InvalidParameterException.check(n >= 1, "epochs must be ≥ 1, got %d", n);
    this.epochs = n;
    return this;
  }

  /** Examples per step (default: the model's {@code TrainConfig.batchSize()}). */
  public Fit batchSize(int n) {
    InvalidParameterException.check(n >= 1, "batchSize must be ≥ 1, got %d", n);
    this.batchSize = n;
    return this;
  }

  /** Examples per validation batch (default 256; does not change results). */
  public Fit validationBatchSize(int n) {
    InvalidParameterException.check(n >= 1, "validationBatchSize must be ≥ 1, got %d", n);
    this.validationBatchSize = n;
    return this;
  }

  /** The learning-rate schedule over the model's current rate (default constant). */
  public Fit schedule(LrSchedule s) {
    this.schedule = Objects.requireNonNull(s, "schedule");
    return this;
  }

  /** Stop when a metric stops improving; also makes it the watched metric. */
  public Fit earlyStopping(EarlyStopping rule) {
    this.earlyStopping = Objects.requireNonNull(rule, "earlyStopping");
    return this;
  }

  /**
   * The metric that picks the best epoch and checkpoint (default: early stopping's, else the
   * validation loss with validation data, else the training loss).
   */
  public Fit monitor(Metric metric) {
    this.monitor = Objects.requireNonNull(metric, "metric");
    return this;
  }

  /** Writes checkpoints into {@code directory} (created if needed); see the class comment. */
  public Fit checkpoints(Path directory) {
    this.checkpointDir = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /** Writes {@code last.safetensors} every {@code n} epochs (default 1) and after the last. */
  public Fit checkpointEvery(int n) {
    InvalidParameterException.check(n >= 1, "checkpointEvery must be ≥ 1, got %d", n);
    this.checkpointEvery = n;
    return this;
  }

  /**
   * Continues the run saved in {@code checkpoint}: same model architecture, same training and
   * validation data (by fingerprint) and same settings, or a typed error.
   */
  public Fit resume(Path checkpoint) {
    this.resumeFrom = Objects.requireNonNull(checkpoint, "checkpoint");
    return this;
  }

  /** Adds a listener. */
  public Fit listener(FitListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** How progress is shown, and where (default {@link Progress#AUTO} on standard output). */
  public Fit progress(Progress mode, PrintStream stream) {
    this.progress = Objects.requireNonNull(mode, "mode");
    this.out = Objects.requireNonNull(stream, "stream");
    return this;
  }

  /**
   * Also reports every training step to {@code listener} (task {@code "fit"}, steps over all
   * epochs, message: the epoch and running loss), e.g. {@code Progress.console(out)} for sparse
   * lines in a log or a listener of your own; the epoch lines stay as set by {@link
   * #progress(Progress, PrintStream)} or {@link #quiet()}. Default: none.
   */
  public Fit progress(dev.groundwork.core.progress.Progress listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** No progress output. */
  public Fit quiet() {
    this.progress = Progress.OFF;
    return this;
  }

  private Metric watched() {
    if (earlyStopping != null) {
      return earlyStopping.metric();
    }
    if (monitor != null) {
      return monitor;
    }
    return validation != null ? Metric.VALIDATION_LOSS : Metric.TRAIN_LOSS;
  }

  private String settings() {
    return "epochs " + epochs + " · batch " + batchSize + " · schedule " + schedule
        + (earlyStopping == null ? "" : " · " + earlyStopping) + " · monitor " + watched();
  }

  /**
   * Runs the fit.
   *
   * @throws InvalidParameterException if no training data was given, or a validation metric is
   *     watched without validation data
   * @throws NonFiniteLossException if a step's loss is not finite
   * @throws ResumeMismatchException if the checkpoint belongs to other data or settings
   * @throws WeightsMismatchException if the checkpoint belongs to another architecture
   */
  public FitResult run() {
    InvalidParameterException.check(train != null, "no training data: call on(dataset) first");
    Metric metric = watched();
    InvalidParameterException.check(!metric.needsValidation() || validation != null,
        "%s needs validation data: call validation(dataset)", metric);
    if (validation != null) {
      InvalidParameterException.check(validation.spec().numClasses() == model.spec().numClasses(),
          "validation data has %d classes, the model %d", validation.spec().numClasses(),
          model.spec().numClasses());
    }
    long seed = model.config().seed();
    String trainPrint = train.fingerprint().toString();
    String valPrint = validation == null ? "" : validation.fingerprint().toString();
    String settings = settings();
    Batches batches = train.batches(batchSize, seed, false);
    int stepsPerEpoch = batches.count();
    long totalSteps = (long) epochs * stepsPerEpoch;

    List<EpochRecord> history = new ArrayList<>();
    double base = model.learningRate();
    int start = 0;
    int bestEpoch = 0;
    double bestScore = Double.NaN;
    int wait = 0;
    TrainingState bestState = null;
    if (resumeFrom != null) {
      Checkpoint c = Checkpoint.read(resumeFrom);
      checkResume(c, trainPrint, valPrint, settings, seed);
      model.restore(c.state());
      history.addAll(c.history());
      base = c.baseLearningRate();
      start = c.epoch();
      bestEpoch = c.bestEpoch();
      bestScore = c.bestScore();
      wait = c.epochsWithoutImprovement();
      if (earlyStopping != null && earlyStopping.restoreBest() && bestEpoch > 0) {
        bestState = bestCheckpointState(bestEpoch);
      }
    }
    String backend = model.summary().backend();
    ProgressPrinter printer = new ProgressPrinter(progress, out, epochs, stepsPerEpoch);
    FitResult.StopReason stop = FitResult.StopReason.COMPLETED;
    String detail = "";
    Path last = null;
    Path bestFile = null;
    if (start >= epochs) {
      detail = "the checkpoint had already completed " + start + " epochs";
    }
    dev.groundwork.core.progress.ProgressTask task = dev.groundwork.core.progress.ProgressTask
        .start(this.listener, "fit", totalSteps);
    task.step((long) start * stepsPerEpoch, "resumed after epoch " + start);
    for (int e = start; e < epochs; e++) {
      int epoch = e + 1;
      listeners.forEach(l -> l.epochStarted(epoch));
      double lossSum = 0;
      long correct = 0;
      long seen = 0;
      double lr = base;
      long t0 = System.nanoTime();
      int s = 0;
      for (Iterator<Batch> it = batches.epoch(e); it.hasNext(); s++) {
        Batch batch = it.next();
        long step = (long) e * stepsPerEpoch + s;
        lr = schedule.rate(base, step, totalSteps, stepsPerEpoch);
        model.learningRate(lr);
        StepResult r;
        try {
          r = model.trainStep(batch, false);
        } catch (RuntimeException failure) {
          printer.abort(); // end a half-drawn progress line before the error surfaces
          task.finish("failed");
          throw failure;
        }
        if (!Double.isFinite(r.loss())) {
          printer.abort();
          task.finish("non-finite loss");
          throw new NonFiniteLossException("training model " + model.name() + " gave loss "
              + r.loss() + " at epoch " + epoch + ", step " + step + " (batch of "
              + batch.size() + " examples: " + NonFiniteLossException.preview(batch.ids())
              + "); check these inputs for NaN or infinite values, or lower the learning rate",
              batch.ids());
        }
        lossSum += r.loss() * batch.size();
        correct += r.correct(batch.labels());
        seen += batch.size();
        for (FitListener l : listeners) {
          l.stepFinished(epoch, step, r);
        }
        printer.step(epoch, s + 1, seen, lossSum / seen, System.nanoTime() - t0);
        if (step + 1 < totalSteps) {
          task.step(step + 1, String.format(java.util.Locale.ROOT, "epoch %d/%d · loss %.4f",
              epoch, epochs, lossSum / seen));
        }
      }
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      long v0 = System.nanoTime();
      double valLoss = Double.NaN;
      double valAcc = Double.NaN;
      if (validation != null) {
        ClassProbabilities p = model.predict(validation, validationBatchSize);
        int[] labels = validation.labels();
        valLoss = p.meanLoss(labels);
        valAcc = p.accuracy(labels);
      }
      double valSeconds = validation == null ? 0 : (System.nanoTime() - v0) / 1e9;
      EpochRecord record = new EpochRecord(epoch, lossSum / seen, (double) correct / seen,
          valLoss, valAcc, lr, trainSeconds, valSeconds, seen / Math.max(1e-9, trainSeconds));
      history.add(record);
      double score = record.value(metric);
      boolean improved = metric.improves(score, bestScore,
          earlyStopping == null ? 0 : earlyStopping.minDelta());
      if (improved) {
        bestScore = score;
        bestEpoch = epoch;
        wait = 0;
      } else {
        wait++;
      }
      TrainingState state = null;
      if (improved && earlyStopping != null && earlyStopping.restoreBest()) {
        state = model.trainingState();
        bestState = state;
      }
      long step = (long) epoch * stepsPerEpoch;
      if (checkpointDir != null) {
        boolean due = epoch % checkpointEvery == 0 || epoch == epochs;
        if (due || improved) {
          state = state != null ? state : model.trainingState();
          Checkpoint c = new Checkpoint(state, epoch, step, seed, trainPrint, valPrint, base,
              settings, history, bestEpoch, bestScore, wait, backend);
          if (due) {
            last = checkpointDir.resolve("last.safetensors");
            Checkpoint.write(last, c);
          }
          if (improved) {
            bestFile = checkpointDir.resolve("best.safetensors");
            Checkpoint.write(bestFile, c);
          }
        }
      }
      printer.epoch(record, improved ? "best " + metric : "");
      String[] stopRequest = new String[1];
      for (FitListener l : listeners) {
        l.epochFinished(record, reason -> stopRequest[0] = Objects.requireNonNull(reason));
      }
      if (stopRequest[0] != null) {
        stop = FitResult.StopReason.STOPPED_BY_LISTENER;
        detail = stopRequest[0];
        if (checkpointDir != null && !(epoch % checkpointEvery == 0)) {
          last = checkpointDir.resolve("last.safetensors");
          Checkpoint.write(last, new Checkpoint(model.trainingState(), epoch, step, seed,
              trainPrint, valPrint, base, settings, history, bestEpoch, bestScore, wait,
              backend));
        }
        break;
      }
      if (earlyStopping != null && wait >= earlyStopping.patience()) {
        stop = FitResult.StopReason.EARLY_STOPPED;
        detail = String.format(java.util.Locale.ROOT, "%s did not improve for %d epochs", metric,
            wait);
        break;
      }
    }
    task.finish(stop == FitResult.StopReason.COMPLETED ? history.size() + " epochs"
        : stop + (detail.isEmpty() ? "" : ": " + detail));
    boolean restored = false;
    if (earlyStopping != null && earlyStopping.restoreBest() && bestState != null
        && bestEpoch != history.size()) {
      model.restore(bestState);
      restored = true;
    }
    if (bestFile == null && checkpointDir != null && bestEpoch > 0) {
      Path b = checkpointDir.resolve("best.safetensors");
      bestFile = java.nio.file.Files.isRegularFile(b) ? b : null;
    }
    Map<String, String> config = new LinkedHashMap<>(model.config().asMap());
    config.put("fit", settings);
    config.put("validationData", valPrint);
    Provenance provenance = Provenance.of(seed, config, backend, trainPrint);
    FitResult result = new FitResult(model.name(), history, stop, detail, metric, bestEpoch,
        restored, start, Optional.ofNullable(last), Optional.ofNullable(bestFile), settings,
        provenance);
    if (checkpointDir != null) {
      result.writeCsv(checkpointDir.resolve("history.csv"));
      result.writeJson(checkpointDir.resolve("fit.json"));
    }
    return result;
  }

  private TrainingState bestCheckpointState(int bestEpoch) {
    if (checkpointDir != null) {
      Path b = checkpointDir.resolve("best.safetensors");
      if (java.nio.file.Files.isRegularFile(b)) {
        Checkpoint c = Checkpoint.read(b);
        if (c.epoch() == bestEpoch) {
          return c.state();
        }
      }
    }
    return null;
  }

  private void checkResume(Checkpoint c, String trainPrint, String valPrint, String settings,
      long seed) {
    String source = resumeFrom.toAbsolutePath().toString();
    List<String> mine = new ArrayList<>();
    for (ParameterInfo p : model.parameters()) {
      mine.add(p.name() + " " + Arrays.toString(p.shape()));
    }
    List<String> theirs = c.architecture();
    if (!sameArchitecture(mine, theirs)) {
      List<String> missing = new ArrayList<>(mine);
      missing.removeAll(theirs);
      List<String> extra = new ArrayList<>(theirs);
      extra.removeAll(mine);
      throw new WeightsMismatchException("checkpoint " + source + " was written by model '"
          + c.state().model() + "' of another architecture than model " + model.name()
          + ": the model has " + missing + " which the checkpoint lacks, and the checkpoint has "
          + extra + "; resume with the same architecture", source);
    }
    List<String> problems = new ArrayList<>();
    if (!c.trainFingerprint().equals(trainPrint)) {
      problems.add("the training data differs (checkpoint " + c.trainFingerprint() + ", now "
          + trainPrint + ")");
    }
    if (!c.validationFingerprint().equals(valPrint)) {
      problems.add("the validation data differs (checkpoint "
          + (c.validationFingerprint().isEmpty() ? "none" : c.validationFingerprint()) + ", now "
          + (valPrint.isEmpty() ? "none" : valPrint) + ")");
    }
    if (!c.settings().equals(settings)) {
      problems.add("the settings differ (checkpoint: " + c.settings() + "; now: " + settings
          + ")");
    }
    if (c.seed() != seed) {
      problems.add("the seed differs (checkpoint " + c.seed() + ", model " + seed + ")");
    }
    if (!problems.isEmpty()) {
      throw new ResumeMismatchException("cannot resume from " + source + ": "
          + String.join("; ", problems) + "; a resume must continue the same run — start a new "
          + "fit instead", source);
    }
  }

  private static boolean sameArchitecture(List<String> mine, List<String> theirs) {
    return new java.util.HashSet<>(mine).equals(new java.util.HashSet<>(theirs));
  }

  /** Draws progress; one line per epoch, or a redrawn line on a terminal. */
  private static final class ProgressPrinter {
    private final PrintStream out;
    private final boolean bar;
    private final boolean off;
    private final int epochs;
    private final int steps;
    private long lastDraw;
    private boolean drawn;

    ProgressPrinter(Progress mode, PrintStream out, int epochs, int steps) {
      this.out = out;
      this.off = mode == Progress.OFF;
      this.bar = mode == Progress.BAR
          || mode == Progress.AUTO && System.console() != null && out == System.out;
      this.epochs = epochs;
      this.steps = steps;
    }

    void step(int epoch, int step, long examples, double loss, long nanos) {
      if (!bar || off) {
        return;
      }
      long now = System.nanoTime();
      if (step < steps && now - lastDraw < 250_000_000L) {
        return;
      }
      lastDraw = now;
      double seconds = nanos / 1e9;
      double rate = examples / Math.max(1e-9, seconds);
      double eta = seconds / step * (steps - step);
      int width = 24;
      int filled = (int) ((long) width * step / steps);
      out.print(String.format(java.util.Locale.ROOT,
          "\r  epoch %d/%d [%s%s] %3d%% %d/%d · %,.0f ex/s · loss %.4f · ETA %d:%02d  ", epoch,
          epochs, "=".repeat(filled), " ".repeat(width - filled), 100 * step / steps, step, steps,
          rate, loss, (long) eta / 60, (long) eta % 60));
      out.flush();
      drawn = true;
    }

    void epoch(EpochRecord r, String note) {
      if (off) {
        return;
      }
      if (drawn) {
        out.print("\r" + " ".repeat(100) + "\r");
        drawn = false;
      }
      out.println("  " + r + (note.isEmpty() ? "" : "  ← " + note));
    }

    void abort() {
      if (drawn) {
        out.println();
      }
    }
  }
}
