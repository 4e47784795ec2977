package dev.groundwork.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Accuracy and per-class precision, recall, F1 and support, with macro and support-weighted F1.
 *
 * <p>Precision of a class that is never predicted is 0, and F1 is 0 when precision + recall is 0
 * (the convention of scikit-learn's {@code zero_division=0}), so macro averages stay defined.
 *
 * @param classes the class names
 * @param perClass one row per class, in label order
 * @param accuracy the fraction predicted correctly
 * @param macroF1 the unweighted mean of the per-class F1
 * @param weightedF1 the mean of the per-class F1 weighted by support
 * @param examples the number of predictions
 * @param provenance where the numbers come from
 */
public record ClassificationMetrics(List<String> classes, List<ClassScores> perClass,
    double accuracy, double macroF1, double weightedF1, int examples,
    ClassificationProvenance provenance) {

  /** The scores of one class. */
  public record ClassScores(String className, double precision, double recall, double f1,
      int support, int predicted) {}

  /** Copies the lists. */
  public ClassificationMetrics {
    classes = List.copyOf(classes);
    perClass = List.copyOf(perClass);
    Objects.requireNonNull(provenance, "provenance");
  }

  /**
   * Computes the metrics from a confusion matrix: the one formula behind every analysis (in
   * memory, or from counts aggregated elsewhere, e.g. on Spark, with {@link
   * ConfusionMatrix#ofCounts}).
   */
  public static ClassificationMetrics of(ConfusionMatrix cm, ClassificationProvenance provenance) {
    int c = cm.classes().size();
    long[] rowSum = new long[c];
    long[] colSum = new long[c];
    long correct = 0;
    long total = 0;
    for (int t = 0; t < c; t++) {
      for (int p = 0; p < c; p++) {
        long v = cm.count(t, p);
        rowSum[t] += v;
        colSum[p] += v;
        total += v;
        if (t == p) {
          correct += v;
        }
      }
    }
    List<ClassScores> rows = new ArrayList<>();
    double macro = 0;
    double weighted = 0;
    for (int k = 0; k < c; k++) {
      long tp = cm.count(k, k);
      double precision = colSum[k] == 0 ? 0 : (double) tp / colSum[k];
      double recall = rowSum[k] == 0 ? 0 : (double) tp / rowSum[k];
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      rows.add(new ClassScores(cm.classes().get(k), precision, recall, f1, (int) rowSum[k],
          (int) colSum[k]));
      macro += f1 / c;
      weighted += total == 0 ? 0 : f1 * rowSum[k] / total;
    }
    return new ClassificationMetrics(cm.classes(), rows, total == 0 ? 0 : (double) correct / total,
        macro, weighted, (int) total, provenance);
  }

  /** The scores of the class named {@code className}. */
  public ClassScores of(String className) {
    return perClass.stream().filter(s -> s.className().equals(className)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no class " + className + " in "
            + classes));
  }

  @Override
  public String toString() {
    ClassificationTable t = new ClassificationTable("class", "precision", "recall", "f1",
        "support");
    for (ClassScores s : perClass) {
      t.row(s.className(), s.precision(), s.recall(), s.f1(), s.support());
    }
    return String.format(Locale.ROOT, "accuracy %.4f · macro F1 %.4f · weighted F1 %.4f · n=%d%n",
        accuracy, macroF1, weightedF1, examples) + t;
  }
}
