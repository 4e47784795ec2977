package dev.groundwork.core.analysis.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The COCO evaluation loop over flat arrays, shared by boxes (IoU) and keypoints (OKS): per image
 * and class greedy matching by score, then precision at 101 recall points per threshold, class,
 * area range and detection limit. Follows pycocotools' {@code evaluateImg} and {@code accumulate}.
 */
final class CocoEngine {
  /** np.spacing(1). */
  static final double EPS = Math.ulp(1.0);

  /** Similarity (IoU or OKS) between detection {@code dt} and ground truth {@code gt}. */
  @FunctionalInterface
  interface Similarity {
    double between(int dt, int gt);
  }

  /** The instances, flattened; images and classes are indices. */
  static final class Instances {
    int numImages;
    int numClasses;
    int[] gtImage;
    int[] gtClass;
    double[] gtArea;
    /** Ignored regardless of area: crowd, or (keypoints) no labelled keypoint. */
    boolean[] gtIgnore;
    /** Crowd: may be matched by several detections. */
    boolean[] gtCrowd;
    int[] dtImage;
    int[] dtClass;
    double[] dtScore;
    double[] dtArea;
  }

  /** One image and class: its ground truths and its detections sorted by score, truncated. */
  static final class Group {
    final int image;
    final int cls;
    final int[] gts;
    final int[] dts;
    /** sim[d][g] for dts[d] and gts[g]. */
    final double[][] sim;
    /** Per area range. */
    GroupEval[] byArea;

    Group(int image, int cls, int[] gts, int[] dts, double[][] sim) {
      this.image = image;
      this.cls = cls;
      this.gts = gts;
      this.dts = dts;
      this.sim = sim;
    }
  }

  /** The matching of one group in one area range. */
  static final class GroupEval {
    /** Number of ground truths not ignored in this area range. */
    int nonIgnored;
    /** match[t][d]: the matched ground truth (global index) of dts[d], or -1. */
    int[][] match;
    /** ignore[t][d]: whether dts[d] is ignored (matched to an ignored GT, or unmatched and out of range). */
    boolean[][] ignore;
  }

  final CocoParams params;
  final Instances in;
  final double[] recallThresholds = CocoParams.recallThresholds();
  /** Groups per class, in image order. */
  final List<List<Group>> byClass = new ArrayList<>();
  /** precision[t][r][k][a][m], -1 when the class has no ground truth in the range. */
  final double[][][][][] precision;
  /** recall[t][k][a][m], -1 likewise. */
  final double[][][][] recall;

  CocoEngine(CocoParams params, Instances in, Similarity similarity) {
    this.params = params;
    this.in = in;
    buildGroups(similarity);
    int nt = params.thresholds().size();
    int na = params.areaRanges().size();
    int nm = params.maxDets().size();
    for (List<Group> groups : byClass) {
      for (Group g : groups) {
        g.byArea = new GroupEval[na];
        for (int a = 0; a < na; a++) {
          g.byArea[a] = evaluate(g, params.areaRanges().get(a));
        }
      }
    }
    precision = new double[nt][recallThresholds.length][in.numClasses][na][nm];
    recall = new double[nt][in.numClasses][na][nm];
    for (int k = 0; k < in.numClasses; k++) {
      for (int a = 0; a < na; a++) {
        for (int m = 0; m < nm; m++) {
          accumulate(k, a, m);
        }
      }
    }
  }

  private void buildGroups(Similarity similarity) {
    Map<Long, List<Integer>> gts = new HashMap<>();
    Map<Long, List<Integer>> dts = new HashMap<>();
    for (int g = 0; g < in.gtImage.length; g++) {
      gts.computeIfAbsent(key(in.gtImage[g], in.gtClass[g]), x -> new ArrayList<>()).add(g);
    }
    for (int d = 0; d < in.dtImage.length; d++) {
      dts.computeIfAbsent(key(in.dtImage[d], in.dtClass[d]), x -> new ArrayList<>()).add(d);
    }
    int limit = params.maxDetsLimit();
    for (int k = 0; k < in.numClasses; k++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < in.numImages; i++) {
      for (int k = 0; k < in.numClasses; k++) {
        long key = key(i, k);
        List<Integer> g = gts.getOrDefault(key, List.of());
        List<Integer> d = new ArrayList<>(dts.getOrDefault(key, List.of()));
        if (g.isEmpty() && d.isEmpty()) {
          continue;
        }
        d.sort((p, q) -> Double.compare(in.dtScore[q], in.dtScore[p])); // stable
        if (d.size() > limit) {
          d = d.subList(0, limit);
        }
        int[] ga = g.stream().mapToInt(Integer::intValue).toArray();
        int[] da = d.stream().mapToInt(Integer::intValue).toArray();
        double[][] sim = new double[da.length][ga.length];
        for (int x = 0; x < da.length; x++) {
          for (int y = 0; y < ga.length; y++) {
            sim[x][y] = similarity.between(da[x], ga[y]);
          }
        }
        byClass.get(k).add(new Group(i, k, ga, da, sim));
      }
    }
  }

  private long key(int image, int cls) {
    return (long) image * in.numClasses + cls;
  }

  /** pycocotools' evaluateImg for one group and area range. */
  private GroupEval evaluate(Group g, AreaRange range) {
    int ng = g.gts.length;
    int nd = g.dts.length;
    boolean[] ig = new boolean[ng];
    for (int y = 0; y < ng; y++) {
      int gi = g.gts[y];
      ig[y] = in.gtIgnore[gi] || !range.contains(in.gtArea[gi]);
    }
    // Non-ignored ground truths first, stable.
    Integer[] order = new Integer[ng];
    for (int y = 0; y < ng; y++) {
      order[y] = y;
    }
    Arrays.sort(order, (p, q) -> Boolean.compare(ig[p], ig[q]));
    GroupEval e = new GroupEval();
    for (boolean b : ig) {
      if (!b) {
        e.nonIgnored++;
      }
    }
    int nt = params.thresholds().size();
    e.match = new int[nt][nd];
    e.ignore = new boolean[nt][nd];
    for (int t = 0; t < nt; t++) {
      int[] gtMatch = new int[ng];
      Arrays.fill(gtMatch, -1);
      Arrays.fill(e.match[t], -1);
      for (int d = 0; d < nd; d++) {
        double best = Math.min(params.thresholds().get(t), 1 - 1e-10);
        int m = -1;
        for (int pos = 0; pos < ng; pos++) {
          int y = order[pos];
          if (gtMatch[pos] >= 0 && !in.gtCrowd[g.gts[y]]) {
            continue; // already matched, and not a crowd
          }
          if (m > -1 && !ig[order[m]] && ig[y]) {
            break; // matched to a regular GT; the rest are ignored ones
          }
          if (g.sim[d][y] < best) {
            continue;
          }
          best = g.sim[d][y];
          m = pos;
        }
        if (m == -1) {
          continue;
        }
        e.ignore[t][d] = ig[order[m]];
        e.match[t][d] = g.gts[order[m]];
        gtMatch[m] = d;
      }
      for (int d = 0; d < nd; d++) {
        if (e.match[t][d] < 0 && !range.contains(in.dtArea[g.dts[d]])) {
          e.ignore[t][d] = true;
        }
      }
    }
    return e;
  }

  /** pycocotools' accumulate for one class, area range and detection limit. */
  private void accumulate(int k, int a, int m) {
    int maxDet = params.maxDets().get(m);
    List<Group> groups = byClass.get(k);
    int npig = 0;
    List<int[]> refs = new ArrayList<>(); // {group index, d}
    for (int gi = 0; gi < groups.size(); gi++) {
      Group g = groups.get(gi);
      npig += g.byArea[a].nonIgnored;
      for (int d = 0; d < Math.min(maxDet, g.dts.length); d++) {
        refs.add(new int[] {gi, d});
      }
    }
    int nt = params.thresholds().size();
    if (npig == 0) {
      for (int t = 0; t < nt; t++) {
        for (int r = 0; r < recallThresholds.length; r++) {
          precision[t][r][k][a][m] = -1;
        }
        recall[t][k][a][m] = -1;
      }
      return;
    }
    refs.sort((p, q) -> Double.compare(score(groups, q), score(groups, p))); // stable
    int nd = refs.size();
    for (int t = 0; t < nt; t++) {
      boolean[] tp = new boolean[nd];
      boolean[] fp = new boolean[nd];
      for (int i = 0; i < nd; i++) {
        GroupEval e = groups.get(refs.get(i)[0]).byArea[a];
        int d = refs.get(i)[1];
        boolean ignored = e.ignore[t][d];
        tp[i] = e.match[t][d] >= 0 && !ignored;
        fp[i] = e.match[t][d] < 0 && !ignored;
      }
      double[] q = interpolatedPrecision(tp, fp, npig, recallThresholds);
      for (int r = 0; r < q.length; r++) {
        precision[t][r][k][a][m] = q[r];
      }
      recall[t][k][a][m] = finalRecall(tp, npig);
    }
  }

  private double score(List<Group> groups, int[] ref) {
    return in.dtScore[groups.get(ref[0]).dts[ref[1]]];
  }

  /** Recall after all detections: matched count / npig, 0 when there are no detections. */
  static double finalRecall(boolean[] tp, int npig) {
    if (tp.length == 0) {
      return 0;
    }
    int n = 0;
    for (boolean b : tp) {
      if (b) {
        n++;
      }
    }
    return n / (double) npig;
  }

  /**
   * Precision at each recall threshold, from detections sorted by descending score: cumulative
   * precision made monotone from the right, then sampled at the first detection whose recall
   * reaches the threshold (0 when none does). Entries that are neither TP nor FP are ignored ones.
   */
  static double[] interpolatedPrecision(boolean[] tp, boolean[] fp, int npig, double[] recThrs) {
    int nd = tp.length;
    double[] rc = new double[nd];
    double[] pr = new double[nd];
    int ctp = 0;
    int cfp = 0;
    for (int i = 0; i < nd; i++) {
      if (tp[i]) {
        ctp++;
      }
      if (fp[i]) {
        cfp++;
      }
      rc[i] = ctp / (double) npig;
      pr[i] = ctp / ((double) (cfp + ctp) + EPS);
    }
    for (int i = nd - 1; i > 0; i--) {
      if (pr[i] > pr[i - 1]) {
        pr[i - 1] = pr[i];
      }
    }
    double[] q = new double[recThrs.length];
    int pos = 0;
    for (int r = 0; r < recThrs.length; r++) {
      while (pos < nd && rc[pos] < recThrs[r]) {
        pos++;
      }
      q[r] = pos < nd ? pr[pos] : 0;
    }
    return q;
  }

  /**
   * Mean precision over the entries that are defined (> -1), pycocotools' summarize; NaN when none.
   *
   * @param t threshold index, or -1 for all
   * @param k class index, or -1 for all
   */
  double meanPrecision(int t, int k, int a, int m) {
    double sum = 0;
    long n = 0;
    for (int ti = 0; ti < precision.length; ti++) {
      if (t >= 0 && ti != t) {
        continue;
      }
      for (int r = 0; r < recallThresholds.length; r++) {
        for (int ki = 0; ki < in.numClasses; ki++) {
          if (k >= 0 && ki != k) {
            continue;
          }
          double v = precision[ti][r][ki][a][m];
          if (v > -1) {
            sum += v;
            n++;
          }
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Mean recall over the defined entries; NaN when none. */
  double meanRecall(int t, int k, int a, int m) {
    double sum = 0;
    long n = 0;
    for (int ti = 0; ti < recall.length; ti++) {
      if (t >= 0 && ti != t) {
        continue;
      }
      for (int ki = 0; ki < in.numClasses; ki++) {
        if (k >= 0 && ki != k) {
          continue;
        }
        double v = recall[ti][ki][a][m];
        if (v > -1) {
          sum += v;
          n++;
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
