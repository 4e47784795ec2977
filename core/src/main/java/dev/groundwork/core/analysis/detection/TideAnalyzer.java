package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * TIDE error decomposition of box detections (Bolya et al., ECCV 2020): every false positive and
 * every missed object is given one kind, and each kind's cost is the AP@t_f gained by an oracle that
 * fixes all errors of that kind.
 *
 * <p><b>Matching.</b> As {@link CocoEvaluator} at the single threshold t_f (default 0.5), all areas,
 * at most {@code maxDets} (default 100) detections per image and class; detections past the cut
 * take no part. Detections matched to a crowd region are ignored (neither TP nor error).
 *
 * <p><b>Classifying a false positive</b> by its IoU with the non-crowd ground truth of its image,
 * checked in TIDE's order, the first that applies:
 * <ol>
 *   <li>no ground truth in the image: Bkg;
 *   <li>t_b &le; max IoU with its own class &lt; t_f: Loc (target: that ground truth);
 *   <li>max IoU with another class &ge; t_f: Cls (target: that ground truth);
 *   <li>max IoU with its own class &ge; t_f: Dupl (that ground truth was taken by a higher score);
 *   <li>max IoU with every ground truth &lt; t_b: Bkg;
 *   <li>otherwise (another class, t_b &le; IoU &lt; t_f): Both.
 * </ol>
 * A non-crowd ground truth that no detection matched and that is not the target of a Cls or Loc
 * error is Miss.
 *
 * <p><b>Oracle fixes</b> (one kind at a time, on the original; detections in descending score
 * order, ties by image then input order):
 * <ul>
 *   <li>Cls: the detection takes the target's class and becomes its true positive, leaving its own
 *       class's list; if the target is matched by a true positive, or a higher-scored Cls or Loc
 *       error has the same target (whichever kind is being fixed, as TIDE's {@code BestGTMatch}),
 *       the detection is removed instead.
 *   <li>Loc: the detection becomes the target's true positive (same class), with the same rule.
 *   <li>Both, Dupl, Bkg: the detection is removed.
 *   <li>Miss: the missed ground truth is removed from its class's count of positives. A class whose
 *       every object is missed keeps AP 0 (nothing is left to recall).
 * </ul>
 * dAP = AP@t_f after the fix minus the original AP@t_f, AP being the mean over the classes with
 * ground truth of COCO's 101-point AP (so the original equals {@link CocoResult#ap50()} at t_f 0.5).
 *
 * <p><b>Special errors</b> ({@link TideSpecialError}), as TIDE reports them beside the main ones:
 * FalsePos removes every false positive (perfect precision, recall unchanged); FalseNeg removes
 * every unmatched non-crowd ground truth from its class's positives (perfect recall of what was
 * found, precision unchanged), a class left without positives counting 0 as for Miss.
 *
 * <pre>{@code
 * TideResult t = TideAnalyzer.of(List.of("cat", "dog")).analyze(groundTruth, detections);
 * t.count(TideErrorType.LOCALIZATION);
 * t.deltaAp(TideErrorType.BACKGROUND);
 * System.out.println(t);
 * }</pre>
 */
public final class TideAnalyzer {
  private static final int TP = 1;
  private static final int FP = 2;

  private final List<String> classes;
  private final double foreground;
  private final double background;
  private final int maxDets;

  private TideAnalyzer(List<String> classes, double foreground, double background, int maxDets) {
    this.classes = Inputs.classes(classes);
    InvalidParameterException.check(foreground > 0 && foreground <= 1,
        "TIDE foreground threshold t_f is %s; expected 0 < t_f <= 1", foreground);
    InvalidParameterException.check(background >= 0 && background < foreground,
        "TIDE background threshold t_b is %s; expected 0 <= t_b < t_f (%s)", background,
        foreground);
    InvalidParameterException.check(maxDets >= 1, "maxDets is %s; expected >= 1", maxDets);
    this.foreground = foreground;
    this.background = background;
    this.maxDets = maxDets;
  }

  /** An analyzer with TIDE's defaults: t_f = 0.5, t_b = 0.1, 100 detections per image and class. */
  public static TideAnalyzer of(List<String> classes) {
    return new TideAnalyzer(classes, 0.5, 0.1, 100);
  }

  /**
   * This analyzer with other thresholds.
   *
   * @throws InvalidParameterException unless 0 &le; t_b &lt; t_f &le; 1
   */
  public TideAnalyzer withThresholds(double foregroundThreshold, double backgroundThreshold) {
    return new TideAnalyzer(classes, foregroundThreshold, backgroundThreshold, maxDets);
  }

  /** This analyzer with another detection limit per image and class. */
  public TideAnalyzer withMaxDets(int limit) {
    return new TideAnalyzer(classes, foreground, background, limit);
  }

  /**
   * Classifies the errors and computes each kind's dAP.
   *
   * @throws dev.groundwork.core.data.LabelException naming the record if a class is unknown
   */
  public TideResult analyze(
      Collection<GroundTruthBox> groundTruth, Collection<DetectedBox> detections) {
    BoxData data = new BoxData(classes, groundTruth, detections);
    CocoEngine.Instances in = data.instances;
    CocoParams p = new CocoParams(List.of(foreground), List.of(maxDets), List.of(AreaRange.ALL));
    CocoEngine engine = new CocoEngine(p, in, data::similarity);
    int nd = data.dts.size();
    int ng = data.gts.size();
    int[] status = new int[nd]; // 0: cut by maxDets or ignored
    boolean[] matched = new boolean[ng];
    for (List<CocoEngine.Group> groups : engine.byClass) {
      for (CocoEngine.Group g : groups) {
        CocoEngine.GroupEval e = g.byArea[0];
        for (int i = 0; i < g.dts.length; i++) {
          if (e.ignore[0][i]) {
            continue;
          }
          if (e.match[0][i] >= 0) {
            status[g.dts[i]] = TP;
            matched[e.match[0][i]] = true;
          } else {
            status[g.dts[i]] = FP;
          }
        }
      }
    }
    Integer[] order = new Integer[nd];
    for (int d = 0; d < nd; d++) {
      order[d] = d;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Double.compare(in.dtScore[b], in.dtScore[a]);
      if (c != 0) {
        return c;
      }
      c = Integer.compare(in.dtImage[a], in.dtImage[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    Map<Integer, List<Integer>> gtsByImage = new HashMap<>();
    for (int g = 0; g < ng; g++) {
      if (!in.gtCrowd[g]) {
        gtsByImage.computeIfAbsent(in.gtImage[g], x -> new ArrayList<>()).add(g);
      }
    }

    List<TideError> errors = new ArrayList<>();
    TideErrorType[] kind = new TideErrorType[nd];
    int[] target = new int[nd];
    Arrays.fill(target, -1);
    boolean[] covered = new boolean[ng];
    int[] claimant = new int[ng];
    Arrays.fill(claimant, -1);
    for (int d : order) {
      if (status[d] != FP) {
        continue;
      }
      Box box = data.dts.get(d).box();
      int sameG = -1;
      int otherG = -1;
      double same = -1;
      double other = -1;
      for (int g : gtsByImage.getOrDefault(in.dtImage[d], List.of())) {
        double iou = box.iou(data.gts.get(g).box());
        if (in.gtClass[g] == in.dtClass[d]) {
          if (iou > same) {
            same = iou;
            sameG = g;
          }
        } else if (iou > other) {
          other = iou;
          otherG = g;
        }
      }
      TideErrorType t;
      int g;
      double iou;
      if (sameG < 0 && otherG < 0) {
        t = TideErrorType.BACKGROUND;
        g = -1;
        iou = 0;
      } else if (sameG >= 0 && same >= background && same < foreground) {
        t = TideErrorType.LOCALIZATION;
        g = sameG;
        iou = same;
      } else if (otherG >= 0 && other >= foreground) {
        t = TideErrorType.CLASSIFICATION;
        g = otherG;
        iou = other;
      } else if (sameG >= 0 && same >= foreground) {
        t = TideErrorType.DUPLICATE;
        g = sameG;
        iou = same;
      } else if (Math.max(same, other) < background) {
        t = TideErrorType.BACKGROUND;
        g = same >= other ? sameG : otherG;
        iou = Math.max(same, other);
      } else {
        t = TideErrorType.BOTH;
        g = otherG;
        iou = other;
      }
      kind[d] = t;
      target[d] = g;
      if (t == TideErrorType.CLASSIFICATION || t == TideErrorType.LOCALIZATION) {
        covered[g] = true;
        if (claimant[g] < 0) {
          claimant[g] = d; // the highest-scored Cls or Loc error on g (order is by score)
        }
      }
      errors.add(new TideError(t, data.dts.get(d).imageId(), data.dts.get(d).className(),
          OptionalInt.of(d), t == TideErrorType.BACKGROUND ? OptionalInt.empty()
              : OptionalInt.of(g), iou));
    }
    List<Integer> missed = new ArrayList<>();
    for (int g = 0; g < ng; g++) {
      if (!in.gtCrowd[g] && !matched[g] && !covered[g]) {
        missed.add(g);
        errors.add(new TideError(TideErrorType.MISSED, data.gts.get(g).imageId(),
            data.gts.get(g).className(), OptionalInt.empty(), OptionalInt.of(g), 0));
      }
    }

    int[] npos = new int[classes.size()];
    for (int g = 0; g < ng; g++) {
      if (!in.gtCrowd[g]) {
        npos[in.gtClass[g]]++;
      }
    }
    int[] baseClass = in.dtClass.clone();
    double ap = meanAp(order, baseClass, status, npos, npos);
    Map<TideErrorType, Integer> counts = new EnumMap<>(TideErrorType.class);
    Map<TideErrorType, Double> delta = new EnumMap<>(TideErrorType.class);
    for (TideErrorType t : TideErrorType.values()) {
      counts.put(t, 0);
    }
    for (TideError e : errors) {
      counts.merge(e.type(), 1, Integer::sum);
    }
    for (TideErrorType t : TideErrorType.values()) {
      int[] cls = baseClass.clone();
      int[] st = status.clone();
      int[] np = npos.clone();
      boolean[] taken = matched.clone();
      if (t == TideErrorType.MISSED) {
        for (int g : missed) {
          np[in.gtClass[g]]--;
        }
      } else {
        for (int d : order) {
          if (kind[d] != t) {
            continue;
          }
          boolean snap = t == TideErrorType.CLASSIFICATION || t == TideErrorType.LOCALIZATION;
          if (snap && !taken[target[d]] && claimant[target[d]] == d) {
            taken[target[d]] = true;
            cls[d] = in.gtClass[target[d]];
            st[d] = TP;
          } else {
            cls[d] = -1;
          }
        }
      }
      delta.put(t, meanAp(order, cls, st, np, npos) - ap);
    }
    Map<TideSpecialError, Double> special = new EnumMap<>(TideSpecialError.class);
    int[] noFp = status.clone();
    for (int d = 0; d < nd; d++) {
      if (noFp[d] == FP) {
        noFp[d] = 0;
      }
    }
    special.put(TideSpecialError.FALSE_POSITIVE, meanAp(order, baseClass, noFp, npos, npos) - ap);
    int[] noFn = npos.clone();
    for (int g = 0; g < ng; g++) {
      if (!in.gtCrowd[g] && !matched[g]) {
        noFn[in.gtClass[g]]--;
      }
    }
    special.put(TideSpecialError.FALSE_NEGATIVE, meanAp(order, baseClass, status, noFn, npos) - ap);
    return new TideResult(foreground, background, ap, counts, delta, special, errors,
        DetectionProvenance.boxes(java.util.Map.of("evaluation", "TIDE", "foreground",
            Double.toString(foreground), "background", Double.toString(background), "maxDets",
            Integer.toString(maxDets), "classes", classes.toString()), groundTruth, detections));
  }

  /**
   * Mean over the classes with original ground truth of the 101-point AP; a class whose positives
   * were all removed counts as 0.
   */
  private double meanAp(Integer[] order, int[] cls, int[] status, int[] npos, int[] originalNpos) {
    double[] recThrs = CocoParams.recallThresholds();
    double sum = 0;
    int n = 0;
    for (int k = 0; k < npos.length; k++) {
      if (originalNpos[k] == 0) {
        continue;
      }
      n++;
      if (npos[k] == 0) {
        continue;
      }
      List<Integer> ds = new ArrayList<>();
      for (int d : order) {
        if (cls[d] == k && status[d] != 0) {
          ds.add(d);
        }
      }
      boolean[] tp = new boolean[ds.size()];
      boolean[] fp = new boolean[ds.size()];
      for (int i = 0; i < ds.size(); i++) {
        tp[i] = status[ds.get(i)] == TP;
        fp[i] = status[ds.get(i)] == FP;
      }
      double[] q = CocoEngine.interpolatedPrecision(tp, fp, npos[k], recThrs);
      double s = 0;
      for (double v : q) {
        s += v;
      }
      sum += s / q.length;
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
