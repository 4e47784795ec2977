package dev.groundwork.core.train;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.Provenance;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Batches;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.progress.Progress;
import dev.groundwork.core.progress.ProgressTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Out-of-sample class probabilities for every example of a dataset by k-fold cross-validation:
 * the input that label-issue detection ({@link dev.groundwork.core.analysis.LabelIssues}) needs.
 *
 * <p>The examples are split into {@code folds} stratified folds (each class dealt round-robin into
 * the folds after a shuffle seeded by {@code seed}). For each fold a fresh, untrained model {@code
 * prototype.newInstance(prototype.config())} is trained for {@code epochs} passes over the other
 * folds, one {@link TrainableModel#trainStep} per batch of {@code dataset.batches(batchSize, seed,
 * false).epoch(e)}, then predicts the held-out fold; the fold model is closed on every path. The
 * prototype itself is neither trained nor closed.
 *
 * <p>Keep {@code epochs} small when looking for label errors: a model trained until it fits the
 * noisy labels of its training folds generalises them too, and its held-out probabilities become
 * less useful for telling label errors from hard examples.
 *
 * <pre>{@code
 * Dataset data = fm.train().concat(fm.test());
 * ClassificationPredictions oof =
 *     CrossValidation.outOfSample(DjlModels.mlp(data.spec()), data, 5, 4, 7);
 * LabelIssues.find(oof).top(20);
 *
 * CrossValidationResult r = CrossValidation.of(model).on(data).folds(10).epochs(3)
 *     .batchSize(64).seed(7).run();           // with per-fold accuracy, time and provenance
 * }</pre>
 */
public final class CrossValidation {

  /** Examples per prediction batch. */
  static final int PREDICT_BATCH = 256;

  private final TrainableModel prototype;
  private Dataset data;
  private int folds = 5;
  private int epochs = 3;
  private Integer batchSize;
  private Long seed;
  private Progress progress = Progress.auto();

  private CrossValidation(TrainableModel prototype) {
    this.prototype = Objects.requireNonNull(prototype, "prototype");
  }

  /**
   * Out-of-fold probabilities, aligned with {@code data}'s order (ids, labels and metadata from
   * {@code data}); see the class comment. Batch size: the prototype's configuration.
   *
   * @param prototype the architecture and configuration; each fold trains a new instance
   * @param data the labelled examples, every class with at least {@code folds} examples
   * @param folds the number of folds, ≥ 2
   * @param epochs passes over the training folds, ≥ 1
   * @param seed seeds the folds and the batch order
   * @throws InvalidParameterException if {@code folds < 2}, {@code epochs < 1}, a class has fewer
   *     examples than folds, or the data does not fit the model
   */
  public static ClassificationPredictions outOfSample(TrainableModel prototype, Dataset data,
      int folds, int epochs, long seed) {
    return of(prototype).on(data).folds(folds).epochs(epochs).seed(seed).run().predictions();
  }

  /** A cross-validation of models like {@code prototype}; configure it, then {@link #run()}. */
  public static CrossValidation of(TrainableModel prototype) {
    return new CrossValidation(prototype);
  }

  /** The labelled examples to score. */
  public CrossValidation on(Dataset examples) {
    this.data = Objects.requireNonNull(examples, "examples");
    return this;
  }

  /** The number of folds, ≥ 2 (default 5). */
  public CrossValidation folds(int k) {
    InvalidParameterException.check(k >= 2,
        "folds must be at least 2 (each example is scored by a model trained on the others), "
            + "got %d", k);
    this.folds = k;
    return this;
  }

  /** Passes over the training folds per fold model, ≥ 1 (default 3). */
  public CrossValidation epochs(int passes) {
    InvalidParameterException.check(passes >= 1, "epochs must be at least 1, got %d", passes);
    this.epochs = passes;
    return this;
  }

  /** Examples per training step (default the prototype's batch size). */
  public CrossValidation batchSize(int size) {
    InvalidParameterException.check(size >= 1, "batchSize must be at least 1, got %d", size);
    this.batchSize = size;
    return this;
  }

  /** The seed of the folds and the batch order (default the prototype's seed). */
  public CrossValidation seed(long value) {
    this.seed = value;
    return this;
  }

  /**
   * Where progress goes: task {@code "cross-validation"}, one step per training step of every
   * fold model (message: the fold and epoch); default {@link Progress#auto()}.
   */
  public CrossValidation progress(Progress listener) {
    this.progress = Objects.requireNonNull(listener, "progress");
    return this;
  }

  /**
   * Trains one model per fold and scores the held-out folds.
   *
   * @throws InvalidParameterException if no dataset was given, a class has fewer examples than
   *     folds, or the dataset's inputs or classes differ from the model's
   */
  public CrossValidationResult run() {
    InvalidParameterException.check(data != null,
        "no examples to cross-validate: call on(dataset) first");
    data.requireNonEmpty("cross-validation");
    InvalidParameterException.check(data.spec().inputKind() == prototype.spec().inputKind()
            && data.spec().matchesShape(prototype.spec().inputShape()),
        "%s has inputs %s but model %s takes %s", data.name(),
        Arrays.toString(data.spec().inputShape()), prototype.name(),
        Arrays.toString(prototype.spec().inputShape()));
    InvalidParameterException.check(data.classes().equals(prototype.spec().classes()),
        "%s has the classes %s but model %s predicts %s; build the model from the dataset's spec",
        data.name(), data.classes(), prototype.name(), prototype.spec().classes());
    int[] counts = data.classCounts();
    for (int c = 0; c < counts.length; c++) {
      InvalidParameterException.check(counts[c] == 0 || counts[c] >= folds,
          "class '%s' of %s has %d examples, fewer than the %d folds; use at most %d folds or "
              + "more data", data.classes().get(c), data.name(), counts[c], folds, counts[c]);
    }
    long runSeed = seed != null ? seed : prototype.config().seed();
    int batch = batchSize != null ? batchSize : prototype.config().batchSize();
    long start = System.nanoTime();
    int n = data.size();
    int classes = data.classes().size();
    int[] foldOf = assignFolds(data.labels(), classes, folds, runSeed);
    int[] labels = data.labels();
    float[] probs = new float[n * classes];
    List<Double> accuracies = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    int correct = 0;
    long totalSteps = 0;
    for (int f = 0; f < folds; f++) {
      int size = positions(foldOf, f, false).length;
      int b = Math.min(batch, size);
      totalSteps += (long) epochs * ((size + b - 1) / b);
    }
    ProgressTask task = ProgressTask.start(progress, "cross-validation", Math.max(1, totalSteps));
    long done = 0;
    try {
      for (int f = 0; f < folds; f++) {
        int[] train = positions(foldOf, f, false);
        int[] held = positions(foldOf, f, true);
        Dataset trainSet = data.subset(train);
        Dataset heldSet = data.subset(held);
        ClassProbabilities p;
        try (TrainableModel m = prototype.newInstance(prototype.config())) {
          Batches batches = trainSet.batches(Math.min(batch, trainSet.size()), runSeed, false);
          for (int e = 0; e < epochs; e++) {
            for (Iterator<Batch> it = batches.epoch(e); it.hasNext(); ) {
              m.trainStep(it.next(), false);
              if (++done < totalSteps) {
                task.step(done, "fold " + (f + 1) + "/" + folds + " · epoch " + (e + 1) + "/"
                    + epochs);
              }
            }
          }
          p = m.predict(heldSet, PREDICT_BATCH);
        }
        int foldCorrect = 0;
        for (int r = 0; r < held.length; r++) {
          System.arraycopy(p.values(), r * classes, probs, held[r] * classes, classes);
          if (p.argmax(r) == labels[held[r]]) {
            foldCorrect++;
          }
        }
        correct += foldCorrect;
        accuracies.add((double) foldCorrect / held.length);
        sizes.add(held.length);
      }
    } catch (RuntimeException e) {
      task.finish("failed");
      throw e;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    task.finish(String.format(java.util.Locale.ROOT, "%d folds, out-of-fold accuracy %.1f%%",
        folds, 100.0 * correct / n));
    Map<String, String> config = new LinkedHashMap<>(prototype.config().asMap());
    config.put("model", prototype.name());
    config.put("folds", Integer.toString(folds));
    config.put("epochs", Integer.toString(epochs));
    config.put("batchSize", Integer.toString(batch));
    config.put("stratified", "true");
    Provenance provenance = Provenance.of(runSeed, config, prototype.summary().backend(),
        data.fingerprint().sha256());
    return new CrossValidationResult(ClassificationPredictions.fromDataset(data, probs), folds,
        epochs, accuracies, sizes, (double) correct / n, elapsed, provenance);
  }

  /**
   * Stratified folds: each class's positions shuffled (one generator seeded by {@code seed}) and
   * dealt round-robin, continuing the deal across classes so the folds differ in size by at most
   * one.
   */
  static int[] assignFolds(int[] labels, int classes, int folds, long seed) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i]).add(i);
    }
    Random rng = new Random(seed);
    int[] foldOf = new int[labels.length];
    int next = 0;
    for (List<Integer> members : byClass) {
      int[] a = members.stream().mapToInt(Integer::intValue).toArray();
      for (int i = a.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
      for (int position : a) {
        foldOf[position] = next;
        next = (next + 1) % folds;
      }
    }
    return foldOf;
  }

  private static int[] positions(int[] foldOf, int fold, boolean in) {
    return java.util.stream.IntStream.range(0, foldOf.length)
        .filter(i -> (foldOf[i] == fold) == in).toArray();
  }
}
