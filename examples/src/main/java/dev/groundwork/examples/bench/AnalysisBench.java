package dev.groundwork.examples.bench;

import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationOptions;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.examples.results.Results;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmark 2 — the full classification failure analysis on synthetic predictions.
 *
 * <p>Data: n predictions × 10 classes × 8 categorical metadata attributes (3–8 values each) and a
 * 16-d embedding; errors are 10% except in {@code camera = cam-3} (30%), which the slices must rank
 * first. Analysis: metrics, confusion, top losses, slices up to 2-way (every value and pair of
 * values scored on a seeded half, refined, confirmed on the other half), k-means with 10 clusters,
 * label issues, calibration and the collection plan. Baseline (same run, same arrays): one plain pass computing
 * accuracy and the confusion matrix. Prints the median of 3 rounds at 100k and 1M, the ratio to
 * the baseline and the peak heap.
 *
 * <p>Run (forks a JVM with {@code -Xms1g -Xmx1g}; needs the modules installed):
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:exec@bench -Dbench=AnalysisBench -Dbench.heap=1g
 * </pre>
 *
 * <p>Without installing, run the compiled classes directly:
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp core/target/classes:examples/target/classes:$GUAVA:$COMMONS_MATH \
 *     dev.groundwork.examples.bench.AnalysisBench
 * </pre>
 */
public final class AnalysisBench {

  private static final int CLASSES = 10;
  private static final int ROUNDS = 3;
  private static final int[] CARDINALITIES = {4, 5, 3, 8, 6, 4, 5, 7};
  private static final String[] NAMES = {"camera", "site", "device", "shift", "lens", "operator",
      "weather", "batch"};

  private AnalysisBench() {}

  /** Runs at 100k and 1M predictions (or the sizes given as arguments). */
  public static void main(String[] args) {
    int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
        : new int[] {100_000, 1_000_000};
    System.out.printf(Locale.ROOT, "AnalysisBench: %d classes, %d attributes, 16-d embeddings, "
        + "slices ≤ 2-way, 10 clusters; max heap %d MB, %d cores, %d rounds (median)%n",
        CLASSES, NAMES.length, Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors(), ROUNDS);
    System.out.printf(Locale.ROOT, "%10s %12s %12s %12s %10s %10s  %s%n", "n", "build s",
        "analysis s", "baseline s", "ratio", "peak heap", "top slice");
    Results results = Results.start("analysis-bench", args);
    for (int n : sizes) {
      run(n, results);
    }
    results.write();
  }

  private static void run(int n, Results results) {
    System.gc();
    HeapPeaks.reset();
    long t0 = System.nanoTime();
    ClassificationPredictions p = generate(n, 42);
    double build = (System.nanoTime() - t0) / 1e9;
    float[] probs = p.probabilities();
    int[] labels = p.labels();
    ClassificationOptions options = ClassificationOptions.builder().maxOrder(2).clusters(10)
        .seed(7).build();
    double[] analysis = new double[ROUNDS];
    double[] baseline = new double[ROUNDS];
    ClassificationAnalysis result = null;
    long check = 0;
    for (int r = 0; r < ROUNDS; r++) {
      long s = System.nanoTime();
      check += baseline(probs, labels, CLASSES)[0];
      baseline[r] = (System.nanoTime() - s) / 1e9;
      s = System.nanoTime();
      result = FailureAnalysis.classification(p).options(options).run();
      analysis[r] = (System.nanoTime() - s) / 1e9;
    }
    long peak = HeapPeaks.bytes();
    double a = median(analysis);
    double b = median(baseline);
    System.out.printf(Locale.ROOT, "%,10d %12.3f %12.3f %12.4f %9.0f× %7d MB  %s%n", n, build, a,
        b, a / b, peak >> 20, result.slices().top(1).isEmpty() ? "none"
            : result.slices().top(1).get(0).description());
    if (check == 0) {
      throw new IllegalStateException("baseline saw no correct prediction");
    }
    String k = n % 1_000_000 == 0 ? (n / 1_000_000) + "m" : n % 1000 == 0 ? (n / 1000) + "k"
        : String.valueOf(n);
    results.put("build_seconds_" + k, build, "s").put("analysis_seconds_" + k, a, "s")
        .put("baseline_seconds_" + k, b, "s").put("peak_heap_mb_" + k, peak >> 20, "MB")
        .note("top_slice_" + k, result.slices().top(1).isEmpty() ? "none"
            : result.slices().top(1).get(0).description());
    if (n == 1_000_000 || n == Integer.MAX_VALUE) {
      System.out.println(result);
    }
  }

  /** Accuracy and confusion matrix in one pass: the least any analysis has to do. */
  static long[] baseline(float[] probs, int[] labels, int c) {
    long[] confusion = new long[c * c];
    long correct = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      float bv = probs[i * c];
      for (int k = 1; k < c; k++) {
        if (probs[i * c + k] > bv) {
          bv = probs[i * c + k];
          best = k;
        }
      }
      confusion[labels[i] * c + best]++;
      if (best == labels[i]) {
        correct++;
      }
    }
    return new long[] {correct, confusion[0]};
  }

  /** Synthetic predictions with a planted failure in camera = cam-3. */
  static ClassificationPredictions generate(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[][] codes = new int[NAMES.length][n];
    List<String> ids = new ArrayList<>(n);
    int[] labels = new int[n];
    float[] probs = new float[n * CLASSES];
    float[] emb = new float[n * 16];
    for (int i = 0; i < n; i++) {
      ids.add("ex-" + i);
      for (int a = 0; a < NAMES.length; a++) {
        codes[a][i] = rng.nextInt(CARDINALITIES[a]);
      }
      labels[i] = rng.nextInt(CLASSES);
      boolean wrong = rng.nextDouble() < (codes[0][i] == 3 ? 0.3 : 0.1);
      int pred = wrong ? (labels[i] + 1 + rng.nextInt(CLASSES - 1)) % CLASSES : labels[i];
      float top = 0.4f + 0.55f * (float) rng.nextDouble();
      float rest = (1 - top) / (CLASSES - 1);
      for (int k = 0; k < CLASSES; k++) {
        probs[i * CLASSES + k] = k == pred ? top : rest;
      }
      for (int t = 0; t < 16; t++) {
        emb[i * 16 + t] = (float) (rng.nextDouble() + (t == labels[i] ? 2 : 0));
      }
    }
    ClassificationPredictions p = ClassificationPredictions.of(ids, labels, probs,
        List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"));
    for (int a = 0; a < NAMES.length; a++) {
      List<String> values = new ArrayList<>();
      for (int v = 0; v < CARDINALITIES[a]; v++) {
        values.add((a == 0 ? "cam" : NAMES[a]) + "-" + v);
      }
      p = p.withAttribute(NAMES[a], codes[a], values);
    }
    return p.withEmbeddings(emb, 16);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

}
