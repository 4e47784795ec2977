package dev.groundwork.core.train;

import dev.groundwork.core.Provenance;
import dev.groundwork.core.analysis.ClassificationPredictions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of a {@link CrossValidation}: out-of-fold probabilities for every example, how well
 * each fold model did on its held-out fold, and where it all came from.
 *
 * @param predictions the out-of-fold probabilities, in dataset order
 * @param folds the number of folds
 * @param epochs passes over the training folds per fold model
 * @param foldAccuracies each fold model's accuracy on its held-out fold, against the given labels
 *     (noisy labels included)
 * @param foldSizes the number of examples in each held-out fold
 * @param accuracy the out-of-fold accuracy over all examples, against the given labels
 * @param elapsed wall time of training and prediction
 * @param provenance seed, configuration (model, folds, epochs, batch size), backend, data
 *     fingerprint
 */
public record CrossValidationResult(ClassificationPredictions predictions, int folds, int epochs,
    List<Double> foldAccuracies, List<Integer> foldSizes, double accuracy, Duration elapsed,
    Provenance provenance) {

  /** Copies the lists. */
  public CrossValidationResult {
    Objects.requireNonNull(predictions, "predictions");
    foldAccuracies = List.copyOf(foldAccuracies);
    foldSizes = List.copyOf(foldSizes);
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(provenance, "provenance");
  }

  /** One line per fold and the total. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "CrossValidation  %d folds × %d epochs · out-of-fold accuracy %.4f · %d examples · "
            + "%.1f s%n", folds, epochs, accuracy, predictions.size(),
        elapsed.toMillis() / 1000.0));
    for (int f = 0; f < foldAccuracies.size(); f++) {
      b.append(String.format(Locale.ROOT, "  fold %d: %d held out, accuracy %.4f%n", f + 1,
          foldSizes.get(f), foldAccuracies.get(f)));
    }
    return b.append("  ").append(provenance).toString();
  }
}
