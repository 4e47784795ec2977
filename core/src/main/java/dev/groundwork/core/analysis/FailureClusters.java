package dev.groundwork.core.analysis;

import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.InputKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Groups of similar examples with more errors than their classes explain: k-means++ over the
 * embeddings (or, without embeddings, the raw tensor inputs of the dataset, randomly projected to
 * {@value #PROJECTED_DIM} dimensions when larger), then per cluster the class-stratified test of
 * its errors against those its class composition explains ({@link
 * FailureStatistics#stratifiedExcess}, Cochran–Mantel–Haenszel, one-sided) with Benjamini–Hochberg
 * across the clusters; the raw Fisher test of cluster vs rest is kept beside it. k-means never sees
 * the errors, so the tests use all examples.
 *
 * <p>k-means is fitted with Commons Math's {@link KMeansPlusPlusClusterer} seeded with {@code
 * JDKRandomGenerator(seed)} on at most {@value #MAX_FIT_POINTS} examples (a seeded sample); every
 * example is then assigned to its nearest centroid. Representatives are the misclassified
 * examples closest to the centroid.
 *
 * @param clusters every cluster, the significant ones first, each group by excess errors
 * @param k the number of clusters asked for
 * @param space what was clustered ({@code embeddings 64-d}, {@code raw inputs 784-d → 64-d}) or
 *     why nothing was
 * @param fdr the false discovery rate used
 * @param provenance where the numbers come from
 */
public record FailureClusters(List<FailureCluster> clusters, int k, String space, double fdr,
    ClassificationProvenance provenance) {

  /** Raw inputs with more dimensions are randomly projected to this many. */
  public static final int PROJECTED_DIM = 64;
  /** k-means is fitted on at most this many examples. */
  public static final int MAX_FIT_POINTS = 10_000;
  /** Representatives kept per cluster. */
  public static final int REPRESENTATIVES = 5;

  /**
   * One cluster.
   *
   * @param index the cluster number
   * @param size its examples
   * @param errors how many of them are misclassified
   * @param errorRate {@code errors / size}
   * @param restErrorRate the error rate of all other examples
   * @param errorGap {@code errorRate − restErrorRate}
   * @param expectedErrors the errors its class composition explains: Σ over its examples of their
   *     class's error rate
   * @param adjustedPValue class-stratified (Cochran–Mantel–Haenszel), one-sided
   * @param adjustedQValue Benjamini–Hochberg of the adjusted p across the clusters
   * @param rawPValue the raw test, not adjusted for the class mix: Fisher exact, cluster vs rest
   * @param rawQValue Benjamini–Hochberg of the raw p across the clusters
   * @param significant {@code adjustedQValue ≤ fdr} and more errors than expected
   * @param representativeIds misclassified examples closest to the centroid, closest first
   * @param memberIds every example of the cluster, in data order
   */
  public record FailureCluster(int index, int size, int errors, double errorRate,
      double restErrorRate, double errorGap, double expectedErrors, double adjustedPValue,
      double adjustedQValue, double rawPValue, double rawQValue, boolean significant,
      List<String> representativeIds, List<String> memberIds) {
    /** Copies the lists. */
    public FailureCluster {
      representativeIds = List.copyOf(representativeIds);
      memberIds = List.copyOf(memberIds);
    }

    /** {@code errors − expectedErrors}: the errors beyond the class mix. */
    public double excessErrors() {
      return errors - expectedErrors;
    }

    /** The ranking score: the errors beyond the class mix. */
    public double score() {
      return excessErrors();
    }
  }

  /** Copies the list. */
  public FailureClusters {
    clusters = List.copyOf(clusters);
    Objects.requireNonNull(provenance, "provenance");
  }

  /** The significant clusters, worst first. */
  public List<FailureCluster> significant() {
    return clusters.stream().filter(FailureCluster::significant).toList();
  }

  static FailureClusters find(ClassificationPredictions p, byte[] err, int k, long seed,
      double fdr, ClassificationProvenance provenance) {
    int n = p.size();
    float[] x;
    int dim;
    String space;
    if (p.embeddings != null) {
      x = p.embeddings;
      dim = p.embeddingDim();
      space = "embeddings " + dim + "-d";
    } else if (p.dataset().isPresent()
        && p.dataset().get().spec().inputKind() == InputKind.TENSOR) {
      Dataset d = p.dataset().get();
      int raw = d.spec().inputSize();
      dim = Math.min(raw, PROJECTED_DIM);
      x = rawInputs(d, dim, seed);
      space = "raw inputs " + raw + "-d" + (raw > dim ? " → random projection " + dim + "-d" : "");
    } else {
      return new FailureClusters(List.of(), k, "none: no embeddings and no tensor inputs", fdr,
          provenance);
    }
    if (k <= 0 || n < 2) {
      return new FailureClusters(List.of(), k, space + " (skipped)", fdr, provenance);
    }
    int kk = Math.min(k, n);
    Random rng = new Random(seed);
    int[] sample = sampleIndices(n, Math.min(n, MAX_FIT_POINTS), rng);
    List<DoublePoint> points = new ArrayList<>(sample.length);
    for (int i : sample) {
      double[] v = new double[dim];
      for (int j = 0; j < dim; j++) {
        v[j] = x[i * dim + j];
      }
      points.add(new DoublePoint(v));
    }
    KMeansPlusPlusClusterer<DoublePoint> km = new KMeansPlusPlusClusterer<>(kk, 100,
        new EuclideanDistance(), new JDKRandomGenerator((int) seed ^ (int) (seed >>> 32)));
    List<CentroidCluster<DoublePoint>> fit = km.cluster(points);
    int c = fit.size();
    double[][] centroids = new double[c][];
    for (int j = 0; j < c; j++) {
      centroids[j] = fit.get(j).getCenter().getPoint();
    }
    int[] assign = new int[n];
    double[] dist = new double[n];
    int[] size = new int[c];
    int[] errors = new int[c];
    int totalErrors = 0;
    int classes = p.numClasses();
    int[] y = p.labelsView();
    int[][] sk = new int[c][classes];
    int[][] ek = new int[c][classes];
    int[] classN = new int[classes];
    int[] classE = new int[classes];
    for (int i = 0; i < n; i++) {
      int best = 0;
      double bd = Double.POSITIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        double s = 0;
        double[] cj = centroids[j];
        for (int t = 0, o = i * dim; t < dim; t++) {
          double diff = x[o + t] - cj[t];
          s += diff * diff;
        }
        if (s < bd) {
          bd = s;
          best = j;
        }
      }
      assign[i] = best;
      dist[i] = bd;
      size[best]++;
      errors[best] += err[i];
      totalErrors += err[i];
      sk[best][y[i]]++;
      ek[best][y[i]] += err[i];
      classN[y[i]]++;
      classE[y[i]] += err[i];
    }
    double[] pv = new double[c];
    double[] adj = new double[c];
    double[] expected = new double[c];
    for (int j = 0; j < c; j++) {
      pv[j] = FailureStatistics.fisherTwoSided(errors[j], size[j] - errors[j],
          totalErrors - errors[j], (n - size[j]) - (totalErrors - errors[j]));
      FailureStatistics.Stratified st = FailureStatistics.stratifiedExcess(sk[j], ek[j], classN,
          classE);
      adj[j] = st.pValue();
      expected[j] = st.expected();
    }
    double[] q = FailureStatistics.benjaminiHochberg(pv);
    double[] adjQ = FailureStatistics.benjaminiHochberg(adj);
    List<FailureCluster> out = new ArrayList<>();
    for (int j = 0; j < c; j++) {
      if (size[j] == 0) {
        continue;
      }
      double rate = (double) errors[j] / size[j];
      double rest = n == size[j] ? 0 : (double) (totalErrors - errors[j]) / (n - size[j]);
      List<String> members = new ArrayList<>(size[j]);
      for (int i = 0; i < n; i++) {
        if (assign[i] == j) {
          members.add(p.id(i));
        }
      }
      out.add(new FailureCluster(j, size[j], errors[j], rate, rest, rate - rest, expected[j],
          adj[j], adjQ[j], pv[j], q[j], adjQ[j] <= fdr && errors[j] > expected[j],
          representatives(p, err, assign, dist, j), members));
    }
    out.sort(Comparator.comparing((FailureCluster f) -> !f.significant())
        .thenComparingDouble(f -> -f.score()).thenComparingInt(FailureCluster::index));
    return new FailureClusters(out, k, space, fdr, provenance);
  }

  private static List<String> representatives(ClassificationPredictions p, byte[] err,
      int[] assign, double[] dist, int cluster) {
    List<Integer> cand = new ArrayList<>();
    for (int i = 0; i < assign.length; i++) {
      if (assign[i] == cluster && err[i] != 0) {
        cand.add(i);
      }
    }
    cand.sort(Comparator.<Integer>comparingDouble(i -> dist[i]).thenComparingInt(i -> i));
    return cand.stream().limit(REPRESENTATIVES).map(p::id).toList();
  }

  private static int[] sampleIndices(int n, int m, Random rng) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    if (m == n) {
      return all;
    }
    for (int i = 0; i < m; i++) {
      int j = i + rng.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] out = java.util.Arrays.copyOf(all, m);
    java.util.Arrays.sort(out);
    return out;
  }

  /** Decodes every input and projects it with a seeded Gaussian matrix when larger than dim. */
  private static float[] rawInputs(Dataset d, int dim, long seed) {
    int raw = d.spec().inputSize();
    int n = d.size();
    float[] out = new float[n * dim];
    float[] proj = null;
    if (raw > dim) {
      Random r = new Random(seed);
      proj = new float[raw * dim];
      double scale = 1 / Math.sqrt(dim);
      for (int i = 0; i < proj.length; i++) {
        proj[i] = (float) (r.nextGaussian() * scale);
      }
    }
    float[] buf = new float[raw];
    for (int i = 0; i < n; i++) {
      float[] v = ((dev.groundwork.core.data.TensorInput) d.input(i)).values();
      System.arraycopy(v, 0, buf, 0, raw);
      if (proj == null) {
        System.arraycopy(buf, 0, out, i * dim, raw);
        continue;
      }
      for (int t = 0; t < raw; t++) {
        float b = buf[t];
        if (b == 0) {
          continue;
        }
        for (int j = 0, o = t * dim; j < dim; j++) {
          out[i * dim + j] += b * proj[o + j];
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    List<FailureCluster> sig = significant();
    if (clusters.isEmpty()) {
      return "failure clusters: none (" + space + ")";
    }
    StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
        "failure clusters: %d beyond class mix of %d (k-means on %s, class-adjusted BH q ≤ %s)"
            + "%n", sig.size(), clusters.size(), space, fdr));
    ClassificationTable t = new ClassificationTable("cluster", "n", "error", "expected", "rest",
        "adj. q", "raw q", "representatives");
    for (FailureCluster f : clusters.subList(0, Math.min(10, clusters.size()))) {
      t.row((f.significant() ? "*" : " ") + f.index(), f.size(),
          ClassificationTable.pct(f.errorRate()),
          ClassificationTable.pct(f.expectedErrors() / f.size()),
          ClassificationTable.pct(f.restErrorRate()), ClassificationTable.pValue(f.adjustedQValue()),
          ClassificationTable.pValue(f.rawQValue()),
          String.join(", ", f.representativeIds().subList(0,
              Math.min(3, f.representativeIds().size()))));
    }
    return b.append(t.render("  ")).toString();
  }
}
