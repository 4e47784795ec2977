package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Likely label errors, found by confident learning (Northcutt, Jiang &amp; Chuang, 2021, "Confident
 * Learning: Estimating Uncertainty in Dataset Labels", JAIR 70) and, given a feature per example,
 * by the labels of its nearest neighbours (Zhu, Dong &amp; Liu, 2022, "Detecting Corrupted Labels
 * Without Training a Model to Predict", ICML — "SimiFeat").
 *
 * <p>Every method starts from per-class thresholds on <b>out-of-sample</b> scores: {@code t_j} is
 * the mean score of class j over the examples labelled j (the typical self-confidence for j). An
 * example reaching no threshold is not counted; reaching one, it is counted in that class; reaching
 * several, in its highest-scoring class (Cleanlab's {@code compute_confident_joint}). Counting
 * every example under (given label i, counted class j) gives the confident joint {@code C[i][j]}.
 *
 * <ul>
 *   <li>{@link Method#CONFIDENT_JOINT}: every example counted off the diagonal is an issue, less
 *       those whose highest-scoring class is still the given label; the suggested label is the
 *       class it is counted in. This is Cleanlab's {@code filter_by="confident_learning"}.
 *   <li>{@link Method#PRUNE_BY_NOISE_RATE}: the confident joint is calibrated so that row i sums to
 *       the number of examples labelled i (rounded, keeping row totals); each off-diagonal cell
 *       {@code C[i][j]} is then the estimated number of examples labelled i whose true class is j.
 *       For each such cell the {@code C[i][j]} examples labelled i with the largest margin {@code
 *       p_j − p_i} are flagged; the union is the issue set, less any example whose given label is
 *       still the model's argmax. The suggested label is the class of the flagging cell with the
 *       largest margin. This is Cleanlab's default, {@code filter_by="prune_by_noise_rate"}.
 *   <li>{@link Method#NEIGHBOUR_CONSENSUS} (the default when the predictions carry embeddings, up to
 *       {@value #MAX_DEFAULT_NEIGHBOUR_EXAMPLES} examples): the
 *       score of example x for class j is {@code w·p_j(x) + (1 − w)·v_j(x)}, where {@code v_j(x)}
 *       is the share of x's k nearest neighbours whose given label is j (cosine distance between
 *       the embeddings, x excluded; exact, by brute force: {@code n²·dim} operations). A model
 *       and a neighbourhood err on different examples: a clean shirt the model calls a T-shirt
 *       is usually among shirts. The weight {@code w} is fitted to the data: the one whose
 *       combined scores predict the <em>given</em> labels best (least Brier score, {@code w =
 *       clip(Σ⟨v − e_y, v − p⟩ / Σ‖v − p‖², 0, 1)}, {@link #modelWeight()}). Both sources are
 *       out-of-sample predictions of the given label (the model did not train on x, x is not its
 *       own neighbour), and label noise spoils the given labels for both alike, so the source
 *       that predicts them better is the better witness of the true ones: weak neighbours (few
 *       examples to a class, or a poor feature space) get little weight, weak models little
 *       weight against good neighbours. The confident joint of these scores says how many
 *       issues there are (its off-diagonal count, as {@code CONFIDENT_JOINT}); they are the
 *       examples with the lowest margin, the combined score of the given label less the highest
 *       combined score of another class (among those whose highest-scoring class is another;
 *       the margin is how Cleanlab's prune by noise rate orders a cell), suggested label the
 *       highest-scoring other class.
 * </ul>
 *
 * <p>Issues are ranked by {@link LabelIssue#score()}, lowest first: the model's probability of the
 * given label (self-confidence), or with neighbour consensus the (negative) margin. {@link
 * #estimatedNoiseRate()} is the number of off-diagonal examples of the (uncalibrated) confident
 * joint over n, less those whose argmax is the given label: Cleanlab's {@code num_label_issues}.
 * Measured on Fashion-MNIST with class-conditional noise it is closer to the truth than the
 * calibrated joint's off-diagonal share, which counts every confident model error as a label error
 * and scales the count up to all examples (see {@code docs/analysis.md}).
 *
 * <p><b>The probabilities must be out-of-sample</b>: each example scored by a model that did not
 * train on it ({@code dev.groundwork.core.train.CrossValidation.outOfSample}, or a held-out model).
 * A model scoring its own training data has memorised the noisy labels, so its probabilities agree
 * with them and almost no issue is found.
 *
 * <pre>{@code
 * var oof = CrossValidation.outOfSample(DjlModels.mlp(data.spec()), data, 5, 4, 7);
 * LabelIssues issues = LabelIssues.find(oof.withEmbeddings(features, dim));  // + neighbours
 * issues.top(20); issues.estimatedNoiseRate();
 * LabelIssues.find(oof, LabelIssues.Method.CONFIDENT_JOINT);   // the model alone
 * }</pre>
 *
 * @param issues the issues, lowest score first
 * @param method how the issues were chosen
 * @param estimatedNoiseRate the estimated fraction of wrong labels (see above), NaN with no
 *     examples
 * @param calibratedJoint the calibrated confident joint of the scores as counts, {@code
 *     [given][true]}; row i sums to the number of examples labelled i (all on the diagonal when
 *     none is confidently counted)
 * @param thresholds the per-class thresholds {@code t_j} on the scores (NaN for a class with no
 *     example)
 * @param classes the class names
 * @param examples the number of predictions examined
 * @param neighbours the k of the neighbour consensus, 0 for the other methods
 * @param modelWeight the fitted weight {@code w} of the model's probabilities in the neighbour
 *     consensus (the neighbours' is {@code 1 − w}), NaN for the other methods
 * @param provenance where the numbers come from
 */
public record LabelIssues(List<LabelIssue> issues, Method method, double estimatedNoiseRate,
    List<List<Integer>> calibratedJoint, List<Double> thresholds, List<String> classes,
    int examples, int neighbours, double modelWeight, ClassificationProvenance provenance) {

  /** How label issues are chosen; see the class comment. */
  public enum Method {
    /** Cleanlab's prune by noise rate: flag the estimated number of errors per cell, by margin. */
    PRUNE_BY_NOISE_RATE,
    /** Every example confidently counted in a class other than its label (Cleanlab's). */
    CONFIDENT_JOINT,
    /** The model's probabilities and the labels of the k nearest neighbours, combined. */
    NEIGHBOUR_CONSENSUS;

    /** The name used in tables, e.g. {@code prune by noise rate}. */
    public String label() {
      return this == NEIGHBOUR_CONSENSUS ? "confident joint + neighbour consensus"
          : name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /** The default number of neighbours of the neighbour consensus. */
  public static final int DEFAULT_NEIGHBOURS = 10;

  /**
   * The most examples for which the default method is neighbour consensus: its exact neighbours
   * cost {@code n²·dim} (about 20 s of CPU for 10,000 × 196, so half an hour for 100,000); above
   * it the default is the confident joint, and neighbour consensus must be asked for by name.
   */
  public static final int MAX_DEFAULT_NEIGHBOUR_EXAMPLES = 20_000;

  /**
   * One likely label error.
   *
   * @param id the example id
   * @param index its position in the predictions
   * @param givenLabel the label in the data
   * @param suggestedLabel the class suggested instead
   * @param selfConfidence the model's predicted probability of the given label
   * @param suggestedProbability the model's predicted probability of the suggested label
   * @param score the ranking score, lowest first: the self-confidence, or with neighbour consensus
   *     the margin, the combined score of the given label less the highest other combined score
   */
  public record LabelIssue(String id, int index, String givenLabel, String suggestedLabel,
      double selfConfidence, double suggestedProbability, double score) {}

  /** Copies the lists. */
  public LabelIssues {
    issues = List.copyOf(issues);
    Objects.requireNonNull(method, "method");
    calibratedJoint = calibratedJoint.stream().map(List::copyOf).toList();
    thresholds = List.copyOf(thresholds);
    classes = List.copyOf(classes);
    Objects.requireNonNull(provenance, "provenance");
  }

  /**
   * Finds label issues in out-of-sample predictions by the default method: {@link
   * Method#NEIGHBOUR_CONSENSUS} with {@value #DEFAULT_NEIGHBOURS} neighbours (at most n − 1) when
   * they carry embeddings ({@link ClassificationPredictions#withEmbeddings}: penultimate-layer
   * features, or the raw pixels) and number at most {@value #MAX_DEFAULT_NEIGHBOUR_EXAMPLES},
   * otherwise {@link Method#CONFIDENT_JOINT}. The result states which.
   */
  public static LabelIssues find(ClassificationPredictions outOfSample) {
    Objects.requireNonNull(outOfSample, "outOfSample");
    int k = Math.min(DEFAULT_NEIGHBOURS, outOfSample.size() - 1);
    Method m = defaultMethod(outOfSample);
    return find(outOfSample, m, k, ClassificationProvenance.of(outOfSample, 0,
        m.label() + (m == Method.NEIGHBOUR_CONSENSUS ? ", k=" + k : "")));
  }

  /**
   * Finds label issues by {@code method} ({@value #DEFAULT_NEIGHBOURS} neighbours for {@link
   * Method#NEIGHBOUR_CONSENSUS}, which needs embeddings).
   */
  public static LabelIssues find(ClassificationPredictions outOfSample, Method method) {
    return find(outOfSample, method, DEFAULT_NEIGHBOURS);
  }

  /**
   * Finds label issues by {@code method}; {@code neighbours} is the k of {@link
   * Method#NEIGHBOUR_CONSENSUS} (ignored by the others).
   *
   * @throws InvalidParameterException if neighbour consensus is asked of predictions without
   *     embeddings, or {@code neighbours} is not in [1, n − 1]
   */
  public static LabelIssues find(ClassificationPredictions outOfSample, Method method,
      int neighbours) {
    Objects.requireNonNull(outOfSample, "outOfSample");
    Objects.requireNonNull(method, "method");
    return find(outOfSample, method, neighbours, ClassificationProvenance.of(outOfSample, 0,
        method.label() + (method == Method.NEIGHBOUR_CONSENSUS ? ", k=" + neighbours : "")));
  }

  /**
   * Neighbour consensus when the predictions carry embeddings and are at most {@value
   * #MAX_DEFAULT_NEIGHBOUR_EXAMPLES}, else the confident joint.
   */
  static Method defaultMethod(ClassificationPredictions p) {
    return p.embeddings != null && p.size() > 1 && p.size() <= MAX_DEFAULT_NEIGHBOUR_EXAMPLES
        ? Method.NEIGHBOUR_CONSENSUS : Method.CONFIDENT_JOINT;
  }

  /**
   * As a failure analysis runs it: neighbour consensus falls back to the confident joint without
   * embeddings or above {@value #MAX_DEFAULT_NEIGHBOUR_EXAMPLES} examples, and uses at most n − 1
   * neighbours.
   */
  static LabelIssues inAnalysis(ClassificationPredictions p, Method method, int neighbours,
      ClassificationProvenance provenance) {
    Method m = method == Method.NEIGHBOUR_CONSENSUS ? defaultMethod(p) : method;
    return find(p, m, Math.min(neighbours, p.size() - 1), provenance);
  }

  static LabelIssues find(ClassificationPredictions p, Method method, int neighbours,
      ClassificationProvenance provenance) {
    int c = p.numClasses();
    int n = p.size();
    int[] y = p.labelsView();
    float[] probs = p.probs;
    float[] scores = probs;
    double weight = Double.NaN;
    boolean consensus = method == Method.NEIGHBOUR_CONSENSUS;
    if (consensus) {
      InvalidParameterException.check(p.embeddings != null,
          "%s: neighbour consensus needs a feature per example; give them with "
              + "withEmbeddings(features, dim) (penultimate-layer features, or the raw pixels), "
              + "or choose Method.CONFIDENT_JOINT", p.source());
      InvalidParameterException.check(neighbours >= 1 && neighbours < n,
          "neighbours must be in [1, %s] for %s examples, got %s", n - 1, n, neighbours);
      int[][] nearest = Neighbours.nearest(p.embeddings, p.embeddingDim(), neighbours);
      weight = fittedWeight(probs, y, c, nearest);
      scores = combined(probs, y, c, nearest, weight);
    }
    int[] count = new int[c];
    for (int i = 0; i < n; i++) {
      count[y[i]]++;
    }
    double[] t = thresholds(scores, y, c, count);
    List<Double> thresholds = new ArrayList<>();
    for (double v : t) {
      thresholds.add(v);
    }
    // the confident joint, counted as Cleanlab's compute_confident_joint counts it
    int[] counted = new int[n];
    long[][] joint = new long[c][c];
    for (int i = 0; i < n; i++) {
      int above = 0;
      int first = -1;
      for (int j = 0; j < c; j++) {
        if (count[j] > 0 && scores[i * c + j] >= t[j] - 1e-6) {
          above++;
          first = first < 0 ? j : first;
        }
      }
      counted[i] = above == 0 ? -1 : above == 1 ? first
          : ClassificationPredictions.argmax(scores, i * c, c);
      if (counted[i] >= 0) {
        joint[y[i]][counted[i]]++;
      }
    }
    for (int j = 0; j < c; j++) {
      // as Cleanlab: every class keeps at least one example on the diagonal
      joint[j][j] = Math.max(joint[j][j], 1);
    }
    int[][] calibrated = calibrate(joint, count);
    List<List<Integer>> calibratedList = new ArrayList<>();
    for (int i = 0; i < c; i++) {
      List<Integer> row = new ArrayList<>();
      for (int j = 0; j < c; j++) {
        row.add(calibrated[i][j]);
      }
      calibratedList.add(row);
    }
    int[] offDiagonal = byConfidentJoint(counted, y, scores, c);
    int estimated = 0;
    for (int s : offDiagonal) {
      estimated += s >= 0 ? 1 : 0;
    }
    double noise = n == 0 ? Double.NaN : (double) estimated / n;
    int[] suggested = switch (method) {
      case CONFIDENT_JOINT -> offDiagonal;
      case PRUNE_BY_NOISE_RATE -> pruneByNoiseRate(probs, y, c, calibrated, count);
      case NEIGHBOUR_CONSENSUS -> lowestMargins(scores, y, c, estimated);
    };
    List<LabelIssue> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int s = suggested[i];
      if (s >= 0) {
        out.add(new LabelIssue(p.id(i), i, p.classes().get(y[i]), p.classes().get(s),
            probs[i * c + y[i]], probs[i * c + s],
            consensus ? margin(scores, i, y[i], c) : scores[i * c + y[i]]));
      }
    }
    out.sort(Comparator.comparingDouble(LabelIssue::score).thenComparingInt(LabelIssue::index));
    return new LabelIssues(out, method, noise, calibratedList, thresholds, p.classes(), n,
        consensus ? neighbours : 0, weight, provenance);
  }

  /** Per class the mean score of its examples for their own class (NaN without examples). */
  private static double[] thresholds(float[] scores, int[] y, int c, int[] count) {
    double[] sum = new double[c];
    for (int i = 0; i < y.length; i++) {
      sum[y[i]] += scores[i * c + y[i]];
    }
    double[] t = new double[c];
    for (int j = 0; j < c; j++) {
      t[j] = count[j] == 0 ? Double.NaN : sum[j] / count[j];
    }
    return t;
  }

  /**
   * The weight {@code w} in [0, 1] of the model whose combined scores {@code w·p + (1 − w)·v}
   * have the least Brier score against the given labels: {@code Σ⟨v − e_y, v − p⟩ / Σ‖v − p‖²},
   * clipped; 1/2 when the two sources agree everywhere (any weight then gives the same scores).
   */
  static double fittedWeight(float[] probs, int[] y, int c, int[][] nearest) {
    double num = 0;
    double den = 0;
    double[] v = new double[c];
    for (int i = 0; i < y.length; i++) {
      Arrays.fill(v, 0);
      for (int q : nearest[i]) {
        v[y[q]] += 1.0 / nearest[i].length;
      }
      for (int j = 0; j < c; j++) {
        double a = v[j] - (j == y[i] ? 1 : 0);
        double b = v[j] - probs[i * c + j];
        num += a * b;
        den += b * b;
      }
    }
    return den == 0 ? 0.5 : Math.min(1, Math.max(0, num / den));
  }

  /** {@code w·p + (1 − w)·(share of the neighbours labelled j)}, row-major like {@code probs}. */
  static float[] combined(float[] probs, int[] y, int c, int[][] nearest, double w) {
    float[] out = new float[probs.length];
    for (int i = 0; i < y.length; i++) {
      int[] nb = nearest[i];
      double share = (1 - w) / nb.length;
      for (int j = 0; j < c; j++) {
        out[i * c + j] = (float) (w * probs[i * c + j]);
      }
      for (int q : nb) {
        out[i * c + y[q]] += (float) share;
      }
    }
    return out;
  }

  /**
   * The off-diagonal examples of the confident joint, less those whose highest score is the given
   * label (given a 1e-6 edge, as Cleanlab's {@code _reduce_issues}): per example the class it is
   * counted in, or -1.
   */
  private static int[] byConfidentJoint(int[] counted, int[] y, float[] scores, int c) {
    int[] s = new int[y.length];
    for (int i = 0; i < y.length; i++) {
      s[i] = counted[i] >= 0 && counted[i] != y[i] && !givenIsTop(scores, i, y[i], c)
          ? counted[i] : -1;
    }
    return s;
  }

  private static boolean givenIsTop(float[] scores, int i, int given, int c) {
    double g = scores[i * c + given] + 1e-6;
    for (int j = 0; j < c; j++) {
      if (j != given && scores[i * c + j] > g) {
        return false;
      }
    }
    return true;
  }

  /** The score of the given label less the highest score of another class. */
  private static double margin(float[] scores, int i, int given, int c) {
    double best = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < c; j++) {
      if (j != given) {
        best = Math.max(best, scores[i * c + j]);
      }
    }
    return scores[i * c + given] - best;
  }

  /**
   * The {@code k} examples with the lowest margin (score of the given label less the highest
   * other score) among those whose highest score is another class (ties by index); per example
   * the highest-scoring other class, or -1.
   */
  private static int[] lowestMargins(float[] scores, int[] y, int c, int k) {
    int n = y.length;
    List<Integer> candidates = new ArrayList<>();
    double[] m = new double[n];
    for (int i = 0; i < n; i++) {
      if (!givenIsTop(scores, i, y[i], c)) {
        candidates.add(i);
        m[i] = margin(scores, i, y[i], c);
      }
    }
    candidates.sort(Comparator.<Integer>comparingDouble(i -> m[i]).thenComparingInt(i -> i));
    int[] s = new int[n];
    Arrays.fill(s, -1);
    for (int r = 0; r < Math.min(k, candidates.size()); r++) {
      int i = candidates.get(r);
      int best = -1;
      for (int j = 0; j < c; j++) {
        if (j != y[i] && (best < 0 || scores[i * c + j] > scores[i * c + best])) {
          best = j;
        }
      }
      s[i] = best;
    }
    return s;
  }

  /**
   * Row i scaled to sum to {@code count[i]}, rounded by largest remainder so the row total is
   * exact; a row with no confident example puts its whole count on the diagonal.
   */
  static int[][] calibrate(long[][] joint, int[] count) {
    int c = count.length;
    int[][] out = new int[c][c];
    for (int i = 0; i < c; i++) {
      long rowSum = 0;
      for (long v : joint[i]) {
        rowSum += v;
      }
      if (rowSum == 0) {
        out[i][i] = count[i];
        continue;
      }
      double[] exact = new double[c];
      int assigned = 0;
      for (int j = 0; j < c; j++) {
        exact[j] = (double) joint[i][j] * count[i] / rowSum;
        out[i][j] = (int) Math.floor(exact[j]);
        assigned += out[i][j];
      }
      Integer[] order = new Integer[c];
      for (int j = 0; j < c; j++) {
        order[j] = j;
      }
      int row = i;
      Arrays.sort(order, (a, b) -> {
        double ra = exact[a] - out[row][a];
        double rb = exact[b] - out[row][b];
        return ra != rb ? Double.compare(rb, ra) : Integer.compare(a, b);
      });
      for (int k = 0; assigned < count[i]; k = (k + 1) % c) {
        out[i][order[k]]++;
        assigned++;
      }
    }
    return out;
  }

  /**
   * For each off-diagonal cell (given i, true j) flags the {@code calibrated[i][j]} examples
   * labelled i with the largest {@code p_j − p_i}; the cells of a row flag at most all but one
   * of its examples. Returns, per example, the flagging class with the largest margin, or -1.
   */
  private static int[] pruneByNoiseRate(float[] probs, int[] y, int c, int[][] calibrated,
      int[] count) {
    int n = y.length;
    int[][] byClass = new int[c][];
    int[] fill = new int[c];
    for (int i = 0; i < c; i++) {
      byClass[i] = new int[count[i]];
    }
    for (int e = 0; e < n; e++) {
      byClass[y[e]][fill[y[e]]++] = e;
    }
    int[] suggested = new int[n];
    Arrays.fill(suggested, -1);
    float[] bestMargin = new float[n];
    for (int i = 0; i < c; i++) {
      int[] members = byClass[i];
      int[] prune = calibrated[i].clone();
      if (members.length > 0 && prune[i] == 0) {
        // as Cleanlab's keep-at-least-one-per-class: one estimated error fewer in the largest cell
        int largest = i == 0 ? 1 : 0;
        for (int j = 0; j < c; j++) {
          if (j != i && prune[j] > prune[largest]) {
            largest = j;
          }
        }
        prune[largest]--;
      }
      for (int j = 0; j < c; j++) {
        int k = j == i ? 0 : prune[j];
        if (k <= 0) {
          continue;
        }
        int gi = i;
        int gj = j;
        Integer[] order = new Integer[members.length];
        for (int m = 0; m < members.length; m++) {
          order[m] = members[m];
        }
        Arrays.sort(order, (a, b) -> {
          float ma = probs[a * c + gj] - probs[a * c + gi];
          float mb = probs[b * c + gj] - probs[b * c + gi];
          return ma != mb ? Float.compare(mb, ma) : Integer.compare(a, b);
        });
        for (int m = 0; m < k; m++) {
          int e = order[m];
          float margin = probs[e * c + j] - probs[e * c + i];
          if (suggested[e] < 0 || margin > bestMargin[e]) {
            suggested[e] = j;
            bestMargin[e] = margin;
          }
        }
      }
    }
    // as Cleanlab: an example the model still predicts as its given label is not an issue
    for (int e = 0; e < n; e++) {
      if (suggested[e] >= 0 && ClassificationPredictions.argmax(probs, e * c, c) == y[e]) {
        suggested[e] = -1;
      }
    }
    return suggested;
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
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "label issues: %d of %d examples (%s) by %s%s, estimated noise rate %s%n", issues.size(),
        examples, ClassificationTable.pct(examples == 0 ? 0 : (double) issues.size() / examples),
        method.label(), neighbours > 0 ? String.format(Locale.ROOT, " (k=%d, model weight %.2f)",
            neighbours, modelWeight) : "",
        Double.isNaN(estimatedNoiseRate) ? "n/a" : ClassificationTable.pct(estimatedNoiseRate)));
    ClassificationTable t = new ClassificationTable("id", "given", "suggested", "p(given)",
        "p(suggested)", "score");
    for (LabelIssue i : top(10)) {
      t.row(i.id(), i.givenLabel(), i.suggestedLabel(), i.selfConfidence(),
          i.suggestedProbability(), i.score());
    }
    return issues.isEmpty() ? b.toString().strip() : b.append(t.render("  ")).toString();
  }
}
