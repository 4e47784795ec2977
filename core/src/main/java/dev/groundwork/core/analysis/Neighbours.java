package dev.groundwork.core.analysis;

import java.util.stream.IntStream;

/**
 * Exact k nearest neighbours by cosine distance (Euclidean between the L2-normalised rows; an
 * all-zero row stays at the origin), by brute force: {@code n² · dim} operations, rows in parallel,
 * the result independent of the thread count.
 */
final class Neighbours {

  private Neighbours() {}

  /**
   * For each row of {@code features} ({@code n × dim}, row-major) the indices of its {@code k} nearest
   * other rows, nearest first, ties broken by the lower index.
   */
  static int[][] nearest(float[] features, int dim, int k) {
    int n = features.length / dim;
    float[] x = new float[features.length];
    double[] norm = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int t = i * dim, e = t + dim; t < e; t++) {
        s += (double) features[t] * features[t];
      }
      double scale = s == 0 ? 0 : 1 / Math.sqrt(s);
      double u = 0;
      for (int t = i * dim, e = t + dim; t < e; t++) {
        x[t] = (float) (features[t] * scale);
        u += (double) x[t] * x[t];
      }
      norm[i] = u;
    }
    int[][] out = new int[n][];
    IntStream.range(0, n).parallel().forEach(i -> out[i] = row(x, dim, norm, i, k));
    return out;
  }

  private static int[] row(float[] x, int dim, double[] norm, int i, int k) {
    int n = norm.length;
    double[] bestD = new double[k];
    int[] best = new int[k];
    java.util.Arrays.fill(bestD, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(best, Integer.MAX_VALUE);
    int oi = i * dim;
    for (int j = 0; j < n; j++) {
      if (j == i) {
        continue;
      }
      double dot = 0;
      for (int t = 0, oj = j * dim; t < dim; t++) {
        dot += x[oi + t] * x[oj + t];
      }
      double d = norm[i] + norm[j] - 2 * dot;
      if (d < bestD[k - 1]) {
        // j ascends, so a tie with a kept neighbour keeps the earlier (lower) index first
        int pos = k - 1;
        while (pos > 0 && bestD[pos - 1] > d) {
          bestD[pos] = bestD[pos - 1];
          best[pos] = best[pos - 1];
          pos--;
        }
        bestD[pos] = d;
        best[pos] = j;
      }
    }
    return best;
  }
}
