package dev.groundwork.core.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Likely label errors found by confident learning (Northcutt et al., 2021, "Confident Learning:
 * Estimating Uncertainty in Dataset Labels").
 *
 * <p>Per class j the threshold {@code t_j} is the mean predicted probability of j over the examples
 * labelled j (the model's typical self-confidence for that class). An example is confidently
 * counted in the class with the largest probability among the classes whose probability reaches
 * their threshold; it is an issue when that class is not its given label, and that class is the
 * suggested label. Issues are ranked by self-confidence (the probability of the given label),
 * lowest first.
 *
 * <p><b>The probabilities must be out-of-sample</b>: each example scored by a model that did not
 * train on it (cross-validation folds, or a held-out model). A model scoring its own training data
 * has memorised the noisy labels, so its probabilities agree with them and almost no issue is
 * found. Pass such predictions as an ordinary {@link ClassificationPredictions}.
 *
 * <pre>{@code
 * LabelIssues issues = LabelIssues.find(outOfFoldPredictions);
 * issues.top(20);
 * }</pre>
 *
 * @param issues the issues, lowest self-confidence first
 * @param thresholds the per-class thresholds {@code t_j} (NaN for a class with no example)
 * @param classes the class names
 * @param examples the number of predictions examined
 * @param provenance where the numbers come from
 */
public record LabelIssues(List<LabelIssue> issues, List<Double> thresholds, List<String> classes,
    int examples, ClassificationProvenance provenance) {

  /**
   * One likely label error.
   *
   * @param id the example id
   * @param index its position in the predictions
   * @param givenLabel the label in the data
   * @param suggestedLabel the class confident learning counts it in
   * @param selfConfidence the predicted probability of the given label
   * @param suggestedProbability the predicted probability of the suggested label
   */
  public record LabelIssue(String id, int index, String givenLabel, String suggestedLabel,
      double selfConfidence, double suggestedProbability) {}

  /** Copies the lists. */
  public LabelIssues {
    issues = List.copyOf(issues);
    thresholds = List.copyOf(thresholds);
    classes = List.copyOf(classes);
    Objects.requireNonNull(provenance, "provenance");
  }

  /**
   * Finds label issues in out-of-sample predictions (see the class comment: in-sample
   * probabilities find almost nothing).
   */
  public static LabelIssues find(ClassificationPredictions outOfSample) {
    return find(outOfSample, ClassificationProvenance.of(outOfSample, 0, "confident learning"));
  }

  static LabelIssues find(ClassificationPredictions p, ClassificationProvenance provenance) {
    int c = p.numClasses();
    int n = p.size();
    int[] y = p.labelsView();
    float[] probs = p.probs;
    double[] sum = new double[c];
    int[] count = new int[c];
    for (int i = 0; i < n; i++) {
      sum[y[i]] += probs[i * c + y[i]];
      count[y[i]]++;
    }
    double[] t = new double[c];
    List<Double> thresholds = new ArrayList<>();
    for (int j = 0; j < c; j++) {
      t[j] = count[j] == 0 ? Double.NaN : sum[j] / count[j];
      thresholds.add(t[j]);
    }
    List<LabelIssue> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int best = -1;
      float bp = -1;
      for (int j = 0; j < c; j++) {
        float v = probs[i * c + j];
        if (count[j] > 0 && v >= t[j] && v > bp) {
          bp = v;
          best = j;
        }
      }
      if (best >= 0 && best != y[i]) {
        out.add(new LabelIssue(p.id(i), i, p.classes().get(y[i]), p.classes().get(best),
            probs[i * c + y[i]], bp));
      }
    }
    out.sort(Comparator.comparingDouble(LabelIssue::selfConfidence)
        .thenComparingInt(LabelIssue::index));
    return new LabelIssues(out, thresholds, p.classes(), n, provenance);
  }

  /** The {@code k} likeliest label errors. */
  public List<LabelIssue> top(int k) {
    return issues.subList(0, Math.min(Math.max(k, 0), issues.size()));
  }

  /** The number of issues. */
  public int size() {
    return issues.size();
  }

  /** The ids of the issues, likeliest first. */
  public List<String> ids() {
    return issues.stream().map(LabelIssue::id).toList();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
        "label issues: %d of %d examples (%s) by confident learning%n", issues.size(), examples,
        ClassificationTable.pct(examples == 0 ? 0 : (double) issues.size() / examples)));
    ClassificationTable t = new ClassificationTable("id", "given", "suggested", "p(given)",
        "p(suggested)");
    for (LabelIssue i : top(10)) {
      t.row(i.id(), i.givenLabel(), i.suggestedLabel(), i.selfConfidence(),
          i.suggestedProbability());
    }
    return issues.isEmpty() ? b.toString().strip() : b.append(t.render("  ")).toString();
  }
}
