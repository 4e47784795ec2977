package dev.groundwork.examples.bench;

import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationOptions;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.collect.PoolMiner;
import dev.groundwork.core.collect.PoolPredictions;
import dev.groundwork.core.collect.Selection;
import dev.groundwork.core.collect.UnlabeledPool;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.RecordSource;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.examples.results.Results;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Benchmark — ranking a pool of 100,000 items with 384-dimensional embeddings (MiniLM's size) for
 * a budget of 1,000: the mixed strategy end to end (uncertainty, failing-cluster placement,
 * nearness to the failures' examples, k-center within each scenario) and the nearness strategy
 * alone, against a hand-written exact brute force doing the nearness ranking: for each pool item,
 * the squared distance to every failure example in one loop (float accumulators, single thread),
 * then a sort.
 *
 * <p>Data: a seeded mixture of 40 Gaussian clusters in 384 dimensions; 5,000 labelled items
 * whose errors concentrate in 4 clusters (so the analysis has failing clusters and top losses to
 * be near to), and the pool. Median of 3 runs each.
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:exec@bench -Dbench=CollectBench -Dbench.heap=2g
 * </pre>
 */
public final class CollectBench {

  static final int DIM = 384;
  static final int CLUSTERS = 40;
  static final int CLASSES = 10;
  static final int RUNS = 3;

  private CollectBench() {}

  /** Args: pool size (100000), budget (1000). */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int budget = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Random rng = new Random(7);
    float[][] centres = new float[CLUSTERS][DIM];
    for (float[] c : centres) {
      for (int j = 0; j < DIM; j++) {
        c[j] = (float) rng.nextGaussian() * 3;
      }
    }
    List<String> classes = IntStream.range(0, CLASSES).mapToObj(k -> "c" + k).toList();
    // labelled: 5,000 items, clusters 0..3 are wrong 60% of the time, the rest 8%
    int m = 5000;
    float[] lemb = new float[m * DIM];
    float[] lprobs = new float[m * CLASSES];
    int[] labels = new int[m];
    List<String> lids = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      int c = rng.nextInt(CLUSTERS);
      sample(centres[c], rng, lemb, i);
      labels[i] = c % CLASSES;
      boolean wrong = rng.nextDouble() < (c < 4 ? 0.6 : 0.08);
      probsRow(lprobs, i, wrong ? (labels[i] + 1 + rng.nextInt(CLASSES - 1)) % CLASSES
          : labels[i], rng);
      lids.add("l-" + i);
    }
    ClassificationPredictions labelled = ClassificationPredictions.of(lids, labels, lprobs,
        classes).withEmbeddings(lemb, DIM);
    long a0 = System.nanoTime();
    ClassificationAnalysis analysis = FailureAnalysis.classification(labelled)
        .options(ClassificationOptions.builder().seed(1).clusters(40).build()).run();
    double analysisSeconds = (System.nanoTime() - a0) / 1e9;
    System.out.printf(Locale.ROOT, "analysis of %d labelled: %.1f s; %d significant clusters, "
        + "%d top losses%n", m, analysisSeconds, analysis.clusters().significant().size(),
        analysis.topLosses().losses().size());
    // the pool
    float[] pemb = new float[n * DIM];
    float[] pprobs = new float[n * CLASSES];
    List<String> pids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(CLUSTERS);
      sample(centres[c], rng, pemb, i);
      probsRow(pprobs, i, rng.nextInt(CLASSES), rng);
      pids.add("p-" + i);
    }
    UnlabeledPool pool = UnlabeledPool.hidingLabels(Dataset.of("bench-pool",
        DatasetSpec.features(1, classes), new IdOnlySource(pids)));
    PoolPredictions pp = PoolPredictions.of(pool, pprobs, "bench").withEmbeddings(pemb, DIM);
    PoolMiner miner = PoolMiner.of(analysis, labelled);

    double[] mixed = new double[RUNS];
    double[] near = new double[RUNS];
    double[] hand = new double[RUNS];
    Selection sel = null;
    List<String> nearIds = null;
    List<String> handIds = null;
    for (int r = 0; r < RUNS; r++) {
      long t = System.nanoTime();
      sel = miner.select(pp, budget, PoolMiner.Strategy.MIXED, 1);
      mixed[r] = (System.nanoTime() - t) / 1e9;
      t = System.nanoTime();
      nearIds = miner.select(pp, budget, PoolMiner.Strategy.NEAR_FAILURES, 1).ids();
      near[r] = (System.nanoTime() - t) / 1e9;
      t = System.nanoTime();
      handIds = handWritten(analysis, labelled, lemb, pemb, n, budget, pids);
      hand[r] = (System.nanoTime() - t) / 1e9;
      System.out.printf(Locale.ROOT, "run %d: mixed %.2f s, near-failures %.2f s, hand-written "
          + "brute force %.2f s%n", r + 1, mixed[r], near[r], hand[r]);
    }
    System.out.print(sel.summary());
    long same = nearIds.stream().filter(new java.util.HashSet<>(handIds)::contains).count();
    System.out.printf(Locale.ROOT, "near-failures and the hand-written ranking agree on %d of %d "
        + "items%n", same, budget);
    double mixedS = median(mixed);
    double nearS = median(near);
    double handS = median(hand);
    System.out.printf(Locale.ROOT, "median: mixed %.2f s, near-failures %.2f s, hand-written "
        + "%.2f s (%.2f× the hand-written)%n", mixedS, nearS, handS, handS / nearS);
    Results.start("collect-bench", args)
        .note("setup", String.format(Locale.ROOT, "pool %d × %d-d embeddings, budget %d, %d "
            + "failure anchors; median of %d runs", n, DIM, budget, analysis.topLosses()
            .losses().size(), RUNS))
        .put("pool_items", n, "items").put("dim", DIM, "").put("budget", budget, "items")
        .put("mixed_seconds", mixedS, "s").put("near_failures_seconds", nearS, "s")
        .put("hand_written_seconds", handS, "s").put("speedup_vs_hand_written", handS / nearS,
            "×")
        .put("agreement_items", same, "items")
        .write();
  }

  static void sample(float[] centre, Random rng, float[] out, int row) {
    for (int j = 0; j < DIM; j++) {
      out[row * DIM + j] = centre[j] + (float) rng.nextGaussian();
    }
  }

  static void probsRow(float[] p, int row, int pred, Random rng) {
    float top = 0.3f + 0.65f * rng.nextFloat();
    for (int k = 0; k < CLASSES; k++) {
      p[row * CLASSES + k] = k == pred ? top : (1 - top) / (CLASSES - 1);
    }
  }

  /**
   * The baseline: the same anchors (top losses, misclassified members of significant clusters),
   * each pool item's nearest one by a plain loop, sorted, the first {@code budget} taken.
   */
  static List<String> handWritten(ClassificationAnalysis a, ClassificationPredictions labelled,
      float[] lemb, float[] pemb, int n, int budget, List<String> pids) {
    java.util.LinkedHashSet<String> anchorIds = new java.util.LinkedHashSet<>();
    a.topLosses().losses().forEach(l -> anchorIds.add(l.id()));
    java.util.Map<String, Integer> pos = new java.util.HashMap<>();
    for (int i = 0; i < labelled.size(); i++) {
      pos.put(labelled.id(i), i);
    }
    for (var f : a.clusters().significant()) {
      for (String id : f.memberIds()) {
        int p = pos.get(id);
        if (labelled.predicted(p) != labelled.label(p)) {
          anchorIds.add(id);
        }
      }
    }
    int[] anchors = anchorIds.stream().mapToInt(pos::get).toArray();
    float[] best = new float[n];
    for (int i = 0; i < n; i++) {
      float b = Float.POSITIVE_INFINITY;
      for (int k : anchors) {
        float s = 0;
        for (int j = 0; j < DIM; j++) {
          float d = pemb[i * DIM + j] - lemb[k * DIM + j];
          s += d * d;
        }
        b = Math.min(b, s);
      }
      best[i] = b;
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> best[i]).thenComparingInt(i -> i));
    List<String> out = new ArrayList<>(budget);
    for (int k = 0; k < budget; k++) {
      out.add(pids.get(order[k]));
    }
    return out;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** Ids only: the bench ranks by precomputed predictions and embeddings, never decodes. */
  private record IdOnlySource(List<String> ids) implements RecordSource {
    @Override
    public int size() {
      return ids.size();
    }

    @Override
    public String id(int index) {
      return ids.get(index);
    }

    @Override
    public int label(int index) {
      return 0;
    }

    @Override
    public Input decode(int index) {
      return new TensorInput(new float[1], new int[] {1});
    }
  }
}
