package dev.groundwork.core.collect;

import java.util.stream.IntStream;

/**
 * Exact brute-force nearest centres and greedy k-center over row-major float embeddings: squared
 * Euclidean distances as {@code |x|² + |c|² − 2 x·c}, with dot products in four independent
 * accumulators, rows in parallel blocks.
 */
final class Vectors {

  private static final int ROW_BLOCK = 512;
  private static final int CENTRE_BLOCK = 64;

  private Vectors() {}

  /** Squared norms of the {@code n} rows. */
  static float[] squaredNorms(float[] x, int n, int d) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = dot(x, i * d, x, i * d, d);
    }
    return out;
  }

  static float dot(float[] a, int ao, float[] b, int bo, int d) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = 0;
    for (; j + 3 < d; j += 4) {
      s0 += a[ao + j] * b[bo + j];
      s1 += a[ao + j + 1] * b[bo + j + 1];
      s2 += a[ao + j + 2] * b[bo + j + 2];
      s3 += a[ao + j + 3] * b[bo + j + 3];
    }
    for (; j < d; j++) {
      s0 += a[ao + j] * b[bo + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * For each of the {@code n} rows of {@code x}: the nearest of the {@code k} rows of {@code c}
   * (first index on ties) into {@code arg}, and its squared distance into {@code dist}.
   */
  static void nearest(float[] x, int n, float[] c, int k, int d, int[] arg, float[] dist) {
    float[] xn = squaredNorms(x, n, d);
    float[] cn = squaredNorms(c, k, d);
    int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
    IntStream.range(0, blocks).parallel().forEach(b -> {
      int from = b * ROW_BLOCK;
      int to = Math.min(n, from + ROW_BLOCK);
      for (int i = from; i < to; i++) {
        dist[i] = Float.POSITIVE_INFINITY;
        arg[i] = -1;
      }
      for (int c0 = 0; c0 < k; c0 += CENTRE_BLOCK) {
        int c1 = Math.min(k, c0 + CENTRE_BLOCK);
        for (int i = from; i < to; i++) {
          int io = i * d;
          float best = dist[i];
          int bestJ = arg[i];
          int j = c0;
          // four centres at a time: each x value is loaded once for four independent sums
          for (; j + 3 < c1; j += 4) {
            int o0 = j * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int t = 0; t < d; t++) {
              float xv = x[io + t];
              s0 += xv * c[o0 + t];
              s1 += xv * c[o1 + t];
              s2 += xv * c[o2 + t];
              s3 += xv * c[o3 + t];
            }
            float[] v = {xn[i] + cn[j] - 2 * s0, xn[i] + cn[j + 1] - 2 * s1,
                xn[i] + cn[j + 2] - 2 * s2, xn[i] + cn[j + 3] - 2 * s3};
            for (int q = 0; q < 4; q++) {
              float vq = Math.max(0f, v[q]);
              if (vq < best) {
                best = vq;
                bestJ = j + q;
              }
            }
          }
          for (; j < c1; j++) {
            float v = Math.max(0f, xn[i] + cn[j] - 2 * dot(x, io, c, j * d, d));
            if (v < best) {
              best = v;
              bestJ = j;
            }
          }
          dist[i] = best;
          arg[i] = bestJ;
        }
      }
    });
  }

  /**
   * Greedy k-center (farthest-first traversal) over the rows {@code candidates} of {@code x}:
   * starts from {@code candidates[0]} and repeatedly adds the candidate farthest from every chosen
   * one. Returns positions into {@code candidates}, in the order chosen.
   */
  static int[] kCenter(float[] x, int d, int[] candidates, int k) {
    int m = candidates.length;
    int take = Math.min(k, m);
    int[] chosen = new int[take];
    if (take == 0) {
      return chosen;
    }
    float[] norms = new float[m];
    for (int i = 0; i < m; i++) {
      norms[i] = dot(x, candidates[i] * d, x, candidates[i] * d, d);
    }
    float[] minDist = new float[m];
    java.util.Arrays.fill(minDist, Float.POSITIVE_INFINITY);
    boolean parallel = (long) m * d > 2_000_000L;
    int current = 0;
    for (int t = 0; t < take; t++) {
      chosen[t] = current;
      final int cur = current;
      final int co = candidates[cur] * d;
      final float cnorm = norms[cur];
      minDist[cur] = -1;
      int blocks = (m + ROW_BLOCK * 8 - 1) / (ROW_BLOCK * 8);
      IntStream range = IntStream.range(0, blocks);
      (parallel ? range.parallel() : range).forEach(b -> {
        int from = b * ROW_BLOCK * 8;
        int to = Math.min(m, from + ROW_BLOCK * 8);
        for (int i = from; i < to; i++) {
          if (minDist[i] < 0) {
            continue;
          }
          float v = Math.max(0f, norms[i] + cnorm - 2 * dot(x, candidates[i] * d, x, co, d));
          if (v < minDist[i]) {
            minDist[i] = v;
          }
        }
      });
      float far = -1;
      int next = -1;
      for (int i = 0; i < m; i++) {
        if (minDist[i] > far) {
          far = minDist[i];
          next = i;
        }
      }
      if (next < 0) {
        break;
      }
      current = next;
    }
    return chosen;
  }
}
