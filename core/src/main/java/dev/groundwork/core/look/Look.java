package dev.groundwork.core.look;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.model.ClassProbabilities;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Step 2 of the loop, looking at a classifier's outputs: picks the examples worth looking at and
 * returns them as a {@link Gallery} (a PNG grid of captioned tiles for images, rows for texts).
 *
 * <p>Three picks, each deterministic:
 * <ul>
 *   <li>{@link #perClass(int)}: the first {@code n} examples of each true class, in dataset order;
 *   <li>{@link #confidentMistakes(int)}: the {@code n} wrong predictions with the highest
 *       confidence (probability of the predicted class), highest first;
 *   <li>{@link #unsureCorrect(int)}: the {@code n} right predictions with the lowest confidence,
 *       lowest first.
 * </ul>
 * Equal confidences keep dataset order (the lower index first). Fewer qualifying examples than
 * {@code n} give a smaller gallery, whose title says how many there were.
 *
 * <pre>{@code
 * var test = Datasets.fashionMnistSubset().test();
 * var look = Look.at(test, model.predict(test));
 * look.confidentMistakes(16).writePng(Path.of("mistakes.png"));
 * look.perClass(4);                       // prints the table: id, true, predicted, confidence
 * }</pre>
 */
public final class Look {

  private final ClassificationPredictions predictions;

  private Look(ClassificationPredictions predictions) {
    this.predictions = predictions;
  }

  /**
   * A look at predictions. Tiles need the inputs, so the predictions must come from
   * {@link ClassificationPredictions#fromDataset}; predictions read from a file give tables only
   * (use {@link #at(Dataset, ClassificationPredictions)} to attach their dataset).
   */
  public static Look at(ClassificationPredictions predictions) {
    Objects.requireNonNull(predictions, "predictions");
    return new Look(predictions);
  }

  /**
   * A look at a model's probabilities for every example of a dataset, in dataset order.
   *
   * @throws InvalidParameterException naming {@code probabilities} if its rows or classes differ
   *     from the dataset's size or class count
   */
  public static Look at(Dataset dataset, ClassProbabilities probabilities) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(probabilities, "probabilities");
    InvalidParameterException.check(probabilities.rows() == dataset.size(),
        "probabilities has %d rows but dataset '%s' has %d examples; predict every example of "
            + "the dataset, in its order", probabilities.rows(), dataset.name(), dataset.size());
    InvalidParameterException.check(probabilities.classes() == dataset.classes().size(),
        "probabilities has %d classes but dataset '%s' has %d classes %s; use a model built "
            + "for this dataset's spec", probabilities.classes(), dataset.name(),
        dataset.classes().size(), dataset.classes());
    return new Look(ClassificationPredictions.fromDataset(dataset, probabilities.values()));
  }

  /**
   * A look at predictions made elsewhere (e.g. read from a file) for the examples of a dataset;
   * they are matched by id.
   *
   * @throws InvalidParameterException naming {@code predictions} if its size or classes differ
   *     from the dataset's
   */
  public static Look at(Dataset dataset, ClassificationPredictions predictions) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(predictions, "predictions");
    InvalidParameterException.check(predictions.size() == dataset.size(),
        "predictions has %d examples but dataset '%s' has %d; give one prediction per example",
        predictions.size(), dataset.name(), dataset.size());
    InvalidParameterException.check(predictions.classes().equals(dataset.classes()),
        "predictions has %d classes %s but dataset '%s' has %d classes %s; use the same class "
            + "list in the same order", predictions.numClasses(), predictions.classes(),
        dataset.name(), dataset.classes().size(), dataset.classes());
    return new Look(predictions.alignTo(dataset));
  }

  /** The predictions looked at. */
  public ClassificationPredictions predictions() {
    return predictions;
  }

  /**
   * The first {@code n} examples of each true class, in dataset order; drawn one row per class.
   *
   * @throws InvalidParameterException if {@code n < 1}
   */
  public Gallery perClass(int n) {
    checkN(n);
    int[] taken = new int[predictions.numClasses()];
    List<GalleryItem> items = new ArrayList<>();
    for (int c = 0; c < taken.length; c++) {
      for (int i = 0; i < predictions.size() && taken[c] < n; i++) {
        if (predictions.label(i) == c) {
          items.add(item(i));
          taken[c]++;
        }
      }
    }
    return new Gallery(Gallery.Kind.PER_CLASS, String.format(java.util.Locale.ROOT,
        "first %d of each class", n), items, predictions.size(), n, predictions);
  }

  /**
   * The {@code n} wrong predictions with the highest confidence, highest first.
   *
   * @throws InvalidParameterException if {@code n < 1}
   */
  public Gallery confidentMistakes(int n) {
    checkN(n);
    List<GalleryItem> all = select(false);
    all.sort(Comparator.comparingDouble((GalleryItem g) -> -g.confidence())
        .thenComparingInt(GalleryItem::index));
    List<GalleryItem> items = all.subList(0, Math.min(n, all.size()));
    return new Gallery(Gallery.Kind.CONFIDENT_MISTAKES, String.format(java.util.Locale.ROOT,
        "most confident mistakes: %d of %d", items.size(), all.size()), items, all.size(), 0,
        predictions);
  }

  /**
   * The {@code n} right predictions with the lowest confidence, lowest first.
   *
   * @throws InvalidParameterException if {@code n < 1}
   */
  public Gallery unsureCorrect(int n) {
    checkN(n);
    List<GalleryItem> all = select(true);
    all.sort(Comparator.comparingDouble(GalleryItem::confidence)
        .thenComparingInt(GalleryItem::index));
    List<GalleryItem> items = all.subList(0, Math.min(n, all.size()));
    return new Gallery(Gallery.Kind.UNSURE_CORRECT, String.format(java.util.Locale.ROOT,
        "least confident correct: %d of %d", items.size(), all.size()), items, all.size(), 0,
        predictions);
  }

  private List<GalleryItem> select(boolean correct) {
    List<GalleryItem> out = new ArrayList<>();
    for (int i = 0; i < predictions.size(); i++) {
      if ((predictions.predicted(i) == predictions.label(i)) == correct) {
        out.add(item(i));
      }
    }
    return out;
  }

  private GalleryItem item(int i) {
    int y = predictions.label(i);
    int p = predictions.predicted(i);
    return new GalleryItem(i, predictions.id(i), y, predictions.classes().get(y), p,
        predictions.classes().get(p), predictions.probability(i, p),
        predictions.probability(i, y));
  }

  private static void checkN(int n) {
    InvalidParameterException.check(n >= 1, "n (examples to show) must be >= 1, got %d", n);
  }

  @Override
  public String toString() {
    return "Look at " + predictions;
  }
}
