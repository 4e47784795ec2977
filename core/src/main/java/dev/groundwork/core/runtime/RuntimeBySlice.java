package dev.groundwork.core.runtime;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.AttributeBins;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.FailureStatistics;
import dev.groundwork.core.analysis.ImageAttributes;
import dev.groundwork.core.analysis.SliceOptions;
import dev.groundwork.core.analysis.TextAttributes;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Batch-1 latency per metadata slice of an evaluation set, beside the error rate of the same
 * slice: which inputs (longer texts, larger images, more objects, one camera) cost more, and
 * whether they are also the ones the model gets wrong.
 *
 * <pre>{@code
 * RuntimeBySliceResult r = RuntimeBySlice.of(model).on(test).run();
 * r.slow();   // the slices flagged as slower than the rest
 * }</pre>
 *
 * <p><b>Slices.</b> Every single-attribute slice of the predictions, binned as the failure
 * analysis bins them ({@link AttributeBins}: categorical values, {@link
 * SliceOptions#quantileBins()} quantile bins of a numeric attribute — 4 unless {@link #options}
 * says otherwise, coarser than the slice search's 16, since each bin needs enough examples for a
 * latency median — at least {@link
 * SliceOptions#minSupport()} examples). The attributes are the dataset's metadata, plus {@code
 * text.chars}/{@code text.words} for text ({@link TextAttributes}) and the five image measures for
 * image tensors ({@link ImageAttributes}) unless the predictions already have them.
 *
 * <p><b>Timing.</b> After {@code warmUp} untimed calls, every example is predicted {@code repeats}
 * times at batch 1 (the batches are decoded beforehand, so a call is {@code predict} plus taking
 * the predicted class); the calls run in an order shuffled by {@code seed}, so drift of the
 * machine spreads over all slices alike. An example's latency is the fastest of its repeats —
 * pre-emption by other processes, GC pauses and cold caches only ever add time, so the minimum is
 * the closest estimate of what the input itself costs, and it stays so on a loaded machine; a
 * slice's p50 (with the distribution-free 95 % interval of {@link LatencyStats}), p90 and p99 are
 * over its examples — the spread of input cost, not of scheduler noise, which {@link
 * RuntimeProfile} measures.
 *
 * <p><b>The flag.</b> A slice is flagged as slow when (1) a one-sided Mann–Whitney U test of its
 * examples' latencies against the rest's (normal approximation with tie correction and continuity
 * correction) gives a Benjamini–Hochberg q-value ≤ {@link SliceOptions#fdr()} across all slices,
 * and (2) its p50 is at least {@code minRatio} (default {@value #DEFAULT_MIN_RATIO}) × the
 * overall p50, so that a tiny but significant difference is not flagged.
 *
 * <p><b>Errors.</b> The error rate of each slice comes from the predictions (the model's own, at
 * batch 32, unless given) with a Wilson 95 % interval.
 */
public final class RuntimeBySlice {

  /** The default least ratio of a flagged slice's p50 to the overall p50. */
  public static final double DEFAULT_MIN_RATIO = 1.1;

  private final Model model;
  private Dataset data;
  private ClassificationPredictions predictions;
  private SliceOptions options = SliceOptions.builder().quantileBins(4).build();
  private int warmUp = 2000;
  private int repeats = 5;
  private long seed = 1;
  private double minRatio = DEFAULT_MIN_RATIO;

  private RuntimeBySlice(Model model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /** Runtime by slice of {@code model}. */
  public static RuntimeBySlice of(Model model) {
    return new RuntimeBySlice(model);
  }

  /** The evaluation set whose examples are timed and sliced (required). */
  public RuntimeBySlice on(Dataset examples) {
    this.data = Objects.requireNonNull(examples, "examples");
    return this;
  }

  /**
   * Predictions of the same examples in the same order, for the error rates and any extra
   * attributes (default: the model's own predictions of the dataset).
   */
  public RuntimeBySlice predictions(ClassificationPredictions p) {
    this.predictions = Objects.requireNonNull(p, "predictions");
    return this;
  }

  /** How attributes are binned, the least slice size and the false discovery rate. */
  public RuntimeBySlice options(SliceOptions o) {
    this.options = Objects.requireNonNull(o, "options");
    InvalidParameterException.check(o.minSupport() >= 2,
        "runtime by slice needs slices of at least 2 examples; minSupport is %s", o.minSupport());
    return this;
  }

  /** Untimed calls before timing (default 2,000). */
  public RuntimeBySlice warmUp(int n) {
    InvalidParameterException.check(n >= 0, "warmUp must be ≥ 0, got %d", n);
    this.warmUp = n;
    return this;
  }

  /** Timed calls per example, whose fastest is the example's latency (default 5; 1 to 101). */
  public RuntimeBySlice repeats(int n) {
    InvalidParameterException.check(n >= 1 && n <= 101, "repeats must be in [1, 101], got %d",
        n);
    this.repeats = n;
    return this;
  }

  /** The seed of the call order (default 1). */
  public RuntimeBySlice seed(long s) {
    this.seed = s;
    return this;
  }

  /** The least ratio of a flagged slice's p50 to the overall p50 (default 1.1; ≥ 1). */
  public RuntimeBySlice minRatio(double r) {
    InvalidParameterException.check(r >= 1 && Double.isFinite(r),
        "minRatio must be a finite number ≥ 1, got %s", r);
    this.minRatio = r;
    return this;
  }

  /**
   * Times the examples and builds the table.
   *
   * @throws InvalidParameterException without data, with fewer than 2 examples, or with
   *     predictions that do not match the dataset's examples
   */
  public RuntimeBySliceResult run() {
    InvalidParameterException.check(data != null, "no examples: call on(dataset) first");
    data.requireNonEmpty("runtime by slice");
    InvalidParameterException.check(data.size() >= 2,
        "runtime by slice needs at least 2 examples, %s has %d", data.name(), data.size());
    ClassificationPredictions p = withAttributes(aligned());
    int n = data.size();
    Batch[] ones = new Batch[n];
    int k = 0;
    for (Batch b : data.batches(1)) {
      ones[k++] = b;
    }
    int[] order = new int[n * repeats];
    for (int i = 0; i < order.length; i++) {
      order[i] = i % n;
    }
    Random rng = new Random(seed);
    for (int i = 0; i < warmUp; i++) {
      RuntimeProfile.argmax(model.predict(ones[rng.nextInt(n)]));
    }
    shuffle(order, rng);
    double[][] times = new double[n][repeats];
    int[] filled = new int[n];
    for (int e : order) {
      long t0 = System.nanoTime();
      RuntimeProfile.argmax(model.predict(ones[e]));
      times[e][filled[e]++] = (System.nanoTime() - t0) / 1e6;
    }
    double[] latency = new double[n];
    for (int e = 0; e < n; e++) {
      double[] t = times[e];
      Arrays.sort(t);
      // the fastest repeat: pre-emption, GC and cache misses only ever add time
      latency[e] = t[0];
    }
    byte[] wrong = new byte[n];
    for (int i = 0; i < n; i++) {
      wrong[i] = (byte) (p.predicted(i) != p.label(i) ? 1 : 0);
    }
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    RuntimeBySliceResult.SliceRuntime overall = row("all", all, latency, wrong, Double.NaN, 1, 1,
        false);
    List<AttributeBins.Bin> bins = AttributeBins.of(p, options);
    double[] pv = new double[bins.size()];
    for (int b = 0; b < bins.size(); b++) {
      pv[b] = mannWhitneyGreater(bins.get(b).rowArray(), latency);
    }
    double[] q = FailureStatistics.benjaminiHochberg(pv);
    List<RuntimeBySliceResult.SliceRuntime> rows = new ArrayList<>();
    for (int b = 0; b < bins.size(); b++) {
      int[] members = bins.get(b).rowArray();
      if (members.length < 2) {
        continue;
      }
      RuntimeBySliceResult.SliceRuntime r = row(bins.get(b).condition().toString(), members,
          latency, wrong, overall.latency().p50(), pv[b], q[b], false);
      rows.add(q[b] <= options.fdr() && r.ratioToOverall() >= minRatio ? r.flagged() : r);
    }
    return new RuntimeBySliceResult(model.name(), model.summary().backend(), data.name(),
        data.fingerprint(), overall, rows, warmUp, repeats, seed, options.fdr(),
        minRatio, RuntimeProfile.machine());
  }

  private ClassificationPredictions aligned() {
    if (predictions == null) {
      ClassProbabilities probs = model.predict(data, 32);
      return ClassificationPredictions.fromDataset(data, probs.values());
    }
    InvalidParameterException.check(predictions.size() == data.size(),
        "the predictions have %s examples but %s has %s; give predictions of the same examples",
        predictions.size(), data.name(), data.size());
    for (int i = 0; i < data.size(); i++) {
      if (!predictions.id(i).equals(data.id(i))) {
        throw new InvalidParameterException(String.format(java.util.Locale.ROOT,
            "example %d of %s is '%s' but of the predictions '%s'; align them first "
                + "(ClassificationPredictions.alignTo)", i, data.name(), data.id(i),
            predictions.id(i)));
      }
    }
    return predictions;
  }

  private ClassificationPredictions withAttributes(ClassificationPredictions p) {
    if (data.spec().inputKind() == InputKind.TEXT) {
      return p.attributes().contains(TextAttributes.CHARS) ? p : TextAttributes.addTo(p, data);
    }
    boolean images = data.input(0) instanceof TensorInput t
        && (t.shape().length == 2 || (t.shape().length == 3 && t.shape()[0] <= 4));
    if (images && !p.attributes().contains(ImageAttributes.NAMES.get(0))) {
      return ImageAttributes.addTo(p, data);
    }
    return p;
  }

  private static RuntimeBySliceResult.SliceRuntime row(String name, int[] members,
      double[] latency, byte[] wrong, double overallP50, double p, double q, boolean slow) {
    // overallP50 NaN: this is the overall row, ratio 1
    double[] l = new double[members.length];
    int errors = 0;
    for (int i = 0; i < members.length; i++) {
      l[i] = latency[members[i]];
      errors += wrong[members[i]];
    }
    LatencyStats s = LatencyStats.of(l);
    double ratio = Double.isNaN(overallP50) ? 1 : s.p50() / overallP50;
    return new RuntimeBySliceResult.SliceRuntime(name, members.length, s, ratio,
        errors, FailureStatistics.wilson(errors, members.length), p, q, slow);
  }

  /**
   * The one-sided p-value that the latencies of {@code members} are stochastically greater than
   * those of the other examples: Mann–Whitney U, normal approximation with tie and continuity
   * correction; 1 when either side is empty.
   */
  static double mannWhitneyGreater(int[] members, double[] latency) {
    int n = latency.length;
    int n1 = members.length;
    int n2 = n - n1;
    if (n1 == 0 || n2 == 0) {
      return 1;
    }
    boolean[] in = new boolean[n];
    for (int m : members) {
      in[m] = true;
    }
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(latency[a], latency[b]));
    double rankSum = 0;
    double tieTerm = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && latency[idx[j + 1]] == latency[idx[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        if (in[idx[t]]) {
          rankSum += rank;
        }
      }
      double ties = j - i + 1;
      tieTerm += ties * ties * ties - ties;
      i = j + 1;
    }
    double u = rankSum - n1 * (n1 + 1) / 2.0;
    double mean = (double) n1 * n2 / 2;
    double var = (double) n1 * n2 / 12 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
    if (var <= 0) {
      return 1;
    }
    double z = (u - mean - 0.5) / Math.sqrt(var);
    return upperTail(z);
  }

  /** P(Z ≥ z) for a standard normal Z (relative error below 1.2e-7). */
  static double upperTail(double z) {
    return 0.5 * erfc(z / Math.sqrt(2));
  }

  /** The complementary error function, by a Chebyshev fit (Numerical Recipes' erfcc). */
  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196
        + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398
        + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  private static void shuffle(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
