package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Keypoint errors by type, after Ronchi &amp; Perona, "Benchmarking and Error Diagnosis in
 * Multi-Instance Pose Estimation" (ICCV 2017; their {@code coco-analyze} tool): every predicted
 * keypoint of a matched prediction is good, jitter, inversion, swap or miss
 * ({@link KeypointErrorType}), and each type's cost is the OKS AP gained by an oracle that fixes
 * every keypoint of that type, as TIDE does for boxes.
 *
 * <p><b>Matching.</b> Predictions are matched to ground truth as COCO does (greedy by score, at most
 * {@code maxDets} per image and class, the first area range of the parameters) at a low OKS,
 * default 0.1 as coco-analyze, so that a prediction with badly placed keypoints is still compared
 * with its person. By default the matching is <b>swap-aware</b>: the similarity is the larger of the
 * OKS with the ground truth and with its left/right mirror, so a person predicted facing the wrong
 * way is matched (and its keypoints reported as inversions) instead of being a missed person plus a
 * false positive. Without it ({@link #withSwapAwareMatching}) the matching is coco-analyze's.
 * Ground truth that is crowd or labels no keypoint is not classified.
 *
 * <p><b>Classifying a keypoint</b> j of a prediction matched to ground truth G, labelled in G: its
 * keypoint similarity {@code ks = exp(-d²/(2 s² k_j²))} (the OKS term, s² the area of the candidate)
 * is taken with, in this order, G's keypoint j, keypoint j of every other ground truth of the class
 * in the image (input order), G's mirror of j, and the other ground truths' mirrors of j; candidates
 * not labelled are skipped. The first maximum decides: below {@code low} (0.5) miss; G's own keypoint
 * with ks &ge; {@code high} (0.85) good, else jitter; G's mirror inversion; anyone else's swap. (The
 * same order and ties as coco-analyze; it requires ks &gt; high for good, and a ks of exactly 0.85
 * is good here.)
 *
 * <p><b>Oracle fixes.</b> A fixed keypoint is moved to the position where its ks with G is: {@code
 * high} for jitter, {@code low} for a miss, and for an inversion or a swap the ks it had with the
 * wrong keypoint (the fix puts it at G's keypoint shifted along x by the distance that gives that
 * ks, as coco-analyze does; coco-analyze computes that distance with σ instead of k = 2σ, so its
 * fixed keypoints land at ks<sup>1/4</sup>). Each type is fixed alone on the original predictions
 * ({@link KeypointErrorResult#deltaAp}, as TIDE) and also cumulatively in coco-analyze's order miss,
 * swap, inversion, jitter ({@link KeypointErrorResult#cumulativeAp}); AP is COCO's OKS AP@[.50:.95]
 * with the given parameters, recomputed on the fixed predictions.
 *
 * <pre>{@code
 * KeypointErrorResult r = KeypointErrorAnalyzer.of(KeypointSchema.cocoPerson())
 *     .analyze(groundTruth, predictions);
 * r.count(KeypointErrorType.INVERSION);            // keypoints with left and right confused
 * r.instances(KeypointErrorType.SWAP);             // predictions with another person's joint
 * r.deltaAp(KeypointErrorType.MISS);               // AP gained by fixing every miss
 * System.out.println(r);
 * }</pre>
 */
public final class KeypointErrorAnalyzer {
  /** The OKS at which coco-analyze matches a prediction for its keypoint analysis. */
  public static final double DEFAULT_MATCH_OKS = 0.1;
  /** The ks below which a keypoint is a miss (coco-analyze's lower jitter threshold). */
  public static final double DEFAULT_LOW_KS = 0.5;
  /** The ks from which a keypoint is good (coco-analyze's upper jitter threshold). */
  public static final double DEFAULT_HIGH_KS = 0.85;

  /** The types an oracle fixes, in coco-analyze's cumulative order. */
  static final List<KeypointErrorType> FIX_ORDER = List.of(KeypointErrorType.MISS,
      KeypointErrorType.SWAP, KeypointErrorType.INVERSION, KeypointErrorType.JITTER);

  private final KeypointEvaluator evaluator;
  private final KeypointSchema schema;
  private final double matchThreshold;
  private final double low;
  private final double high;
  private final boolean swapAware;

  private KeypointErrorAnalyzer(KeypointEvaluator evaluator, double matchThreshold, double low,
      double high, boolean swapAware) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.schema = evaluator.schema();
    InvalidParameterException.check(matchThreshold > 0 && matchThreshold <= 1,
        "match threshold is %s; expected an OKS in (0, 1] (coco-analyze uses 0.1)",
        matchThreshold);
    InvalidParameterException.check(low > 0 && low < high && high < 1,
        "keypoint similarity thresholds are low=%s, high=%s; expected 0 < low < high < 1"
            + " (coco-analyze uses 0.5 and 0.85)", low, high);
    this.matchThreshold = matchThreshold;
    this.low = low;
    this.high = high;
    this.swapAware = swapAware;
  }

  /** An analyzer for the schema's single category with coco-analyze's defaults, swap-aware. */
  public static KeypointErrorAnalyzer of(KeypointSchema schema) {
    return of(List.of(schema.category()), schema);
  }

  /** An analyzer for several classes sharing one schema. */
  public static KeypointErrorAnalyzer of(List<String> classes, KeypointSchema schema) {
    return new KeypointErrorAnalyzer(KeypointEvaluator.of(classes, schema), DEFAULT_MATCH_OKS,
        DEFAULT_LOW_KS, DEFAULT_HIGH_KS, true);
  }

  /** This analyzer with other AP parameters (the first area range is the one matched in). */
  public KeypointErrorAnalyzer withParams(CocoParams params) {
    return new KeypointErrorAnalyzer(evaluator.withParams(params), matchThreshold, low, high,
        swapAware);
  }

  /** This analyzer matching predictions at another OKS. */
  public KeypointErrorAnalyzer withMatchThreshold(double oks) {
    return new KeypointErrorAnalyzer(evaluator, oks, low, high, swapAware);
  }

  /**
   * This analyzer with other keypoint-similarity thresholds.
   *
   * @throws InvalidParameterException unless 0 &lt; low &lt; high &lt; 1
   */
  public KeypointErrorAnalyzer withKsThresholds(double lowKs, double highKs) {
    return new KeypointErrorAnalyzer(evaluator, matchThreshold, lowKs, highKs, swapAware);
  }

  /** This analyzer with swap-aware matching on or off (off: coco-analyze's plain OKS). */
  public KeypointErrorAnalyzer withSwapAwareMatching(boolean on) {
    return new KeypointErrorAnalyzer(evaluator, matchThreshold, low, high, on);
  }

  /**
   * Classifies every keypoint of every matched prediction and computes each type's oracle gain.
   *
   * @throws dev.groundwork.core.data.DataFormatException naming the record if its keypoint count
   *     differs from the schema, ground truth and predictions are swapped, or labelled ground truth
   *     has no area
   * @throws dev.groundwork.core.data.LabelException naming the record if its class is unknown
   */
  public KeypointErrorResult analyze(
      Collection<KeypointInstance> groundTruth, Collection<KeypointInstance> predictions) {
    List<KeypointInstance> gts = List.copyOf(groundTruth);
    List<KeypointInstance> dts = List.copyOf(predictions);
    CocoEngine.Instances in = evaluator.instances(gts, dts);
    CocoResult baseline = evaluator.evaluate(gts, dts).coco();
    List<KeypointInstance> flipped = new ArrayList<>();
    for (KeypointInstance g : gts) {
      flipped.add(flip(g));
    }
    CocoEngine.Similarity sim = (d, g) -> {
      double oks = evaluator.oksUnchecked(gts.get(g), dts.get(d));
      return swapAware ? Math.max(oks, evaluator.oksUnchecked(flipped.get(g), dts.get(d))) : oks;
    };
    CocoParams p = evaluator.params();
    CocoEngine matching = new CocoEngine(new CocoParams(List.of(matchThreshold),
        List.of(p.maxDetsLimit()), List.of(p.areaRanges().get(0))), in, sim);

    Map<Long, List<Integer>> sameImage = new HashMap<>();
    for (int g = 0; g < gts.size(); g++) {
      sameImage.computeIfAbsent(key(in, in.gtImage[g], in.gtClass[g]), x -> new ArrayList<>())
          .add(g);
    }
    int kk = schema.size();
    List<KeypointInstanceErrors> instances = new ArrayList<>();
    List<Integer> unmatchedPredictions = new ArrayList<>();
    boolean[] matched = new boolean[gts.size()];
    // per prediction and keypoint: the type and the ks it would be fixed to
    Map<Integer, double[]> fixKs = new HashMap<>();
    for (List<CocoEngine.Group> groups : matching.byClass) {
      for (CocoEngine.Group grp : groups) {
        CocoEngine.GroupEval e = grp.byArea[0];
        for (int i = 0; i < grp.dts.length; i++) {
          int d = grp.dts[i];
          int g = e.match[0][i];
          if (g < 0) {
            if (!e.ignore[0][i]) {
              unmatchedPredictions.add(d);
            }
            continue;
          }
          if (!e.ignore[0][i]) {
            matched[g] = true;
          }
          if (in.gtIgnore[g]) {
            continue; // crowd or no labelled keypoint: nothing to compare
          }
          KeypointInstance gt = gts.get(g);
          KeypointInstance dt = dts.get(d);
          List<Integer> rows = new ArrayList<>();
          rows.add(g);
          for (int o : sameImage.get(key(in, in.gtImage[g], in.gtClass[g]))) {
            if (o != g) {
              rows.add(o);
            }
          }
          int n = rows.size();
          List<Optional<KeypointErrorType>> types = new ArrayList<>();
          List<OptionalInt> partners = new ArrayList<>();
          double[] target = new double[kk];
          for (int j = 0; j < kk; j++) {
            if (gt.visibilityAt(j) <= 0) {
              types.add(Optional.empty());
              partners.add(OptionalInt.empty());
              continue;
            }
            double best = -1;
            int bestRow = -1;
            for (int r = 0; r < 2 * n; r++) {
              KeypointInstance c = r < n ? gts.get(rows.get(r)) : flipped.get(rows.get(r - n));
              if (c.visibilityAt(j) <= 0) {
                continue;
              }
              double ks = ks(dt, c, j);
              if (ks > best) {
                best = ks;
                bestRow = r;
              }
            }
            KeypointErrorType t;
            if (best < low) {
              t = KeypointErrorType.MISS;
              target[j] = low;
            } else if (bestRow == 0) {
              t = best >= high ? KeypointErrorType.GOOD : KeypointErrorType.JITTER;
              target[j] = high;
            } else if (bestRow == n) {
              t = KeypointErrorType.INVERSION;
              target[j] = best;
            } else {
              t = KeypointErrorType.SWAP;
              target[j] = best;
            }
            types.add(Optional.of(t));
            partners.add(t == KeypointErrorType.SWAP ? OptionalInt.of(rows.get(bestRow % n))
                : OptionalInt.empty());
          }
          fixKs.put(d, target);
          instances.add(new KeypointInstanceErrors(d, g, gt.imageId(),
              evaluator.oksUnchecked(gt, dt), evaluator.oksUnchecked(flipped.get(g), dt), types,
              partners));
        }
      }
    }
    instances.sort((a, b) -> Integer.compare(a.prediction(), b.prediction()));
    unmatchedPredictions.sort(null);
    AreaRange range = p.areaRanges().get(0);
    List<Integer> unmatchedGroundTruth = new ArrayList<>();
    for (int g = 0; g < gts.size(); g++) {
      if (!matched[g] && !in.gtIgnore[g] && range.contains(in.gtArea[g])) {
        unmatchedGroundTruth.add(g);
      }
    }

    Map<KeypointErrorType, CocoResult> alone = new EnumMap<>(KeypointErrorType.class);
    Map<KeypointErrorType, CocoResult> cumulative = new EnumMap<>(KeypointErrorType.class);
    List<KeypointErrorType> sofar = new ArrayList<>();
    for (KeypointErrorType t : FIX_ORDER) {
      alone.put(t, evaluator.evaluate(gts, fix(gts, dts, instances, fixKs, List.of(t))).coco());
      sofar.add(t);
      cumulative.put(t, evaluator.evaluate(gts, fix(gts, dts, instances, fixKs, sofar)).coco());
    }
    Map<String, String> config = new LinkedHashMap<>();
    config.put("evaluation", "keypoint errors (Ronchi & Perona 2017)");
    config.put("matchThreshold", Double.toString(matchThreshold));
    config.put("swapAware", Boolean.toString(swapAware));
    config.put("ks", low + "," + high);
    config.put("params", p.toString());
    config.put("schema", schema.toString());
    return new KeypointErrorResult(schema, baseline, instances, unmatchedPredictions,
        unmatchedGroundTruth, alone, cumulative, matchThreshold, low, high, swapAware,
        DetectionProvenance.keypoints(config, gts, dts));
  }

  private List<KeypointInstance> fix(List<KeypointInstance> gts, List<KeypointInstance> dts,
      List<KeypointInstanceErrors> instances, Map<Integer, double[]> fixKs,
      List<KeypointErrorType> types) {
    List<KeypointInstance> out = new ArrayList<>(dts);
    for (KeypointInstanceErrors e : instances) {
      KeypointInstance dt = dts.get(e.prediction());
      KeypointInstance gt = gts.get(e.groundTruth());
      float[] x = dt.x();
      float[] y = dt.y();
      boolean changed = false;
      double area = gt.scaleArea().orElse(0);
      for (int j = 0; j < x.length; j++) {
        Optional<KeypointErrorType> t = e.joints().get(j);
        if (t.isPresent() && types.contains(t.get())) {
          double ks = fixKs.get(e.prediction())[j];
          double dist = Math.sqrt(-Math.log(ks) * 2 * area * evaluator.variance(j));
          x[j] = (float) (gt.xAt(j) + dist);
          y[j] = gt.yAt(j);
          changed = true;
        }
      }
      if (changed) {
        out.set(e.prediction(), new KeypointInstance(dt.imageId(), dt.className(), x, y,
            dt.visibility(), dt.score(), dt.box(), dt.area(), dt.crowd()));
      }
    }
    return out;
  }

  /** The keypoint similarity of prediction keypoint j with candidate keypoint j. */
  private double ks(KeypointInstance dt, KeypointInstance c, int j) {
    double dx = (double) dt.xAt(j) - c.xAt(j);
    double dy = (double) dt.yAt(j) - c.yAt(j);
    double area = c.scaleArea().orElse(0);
    return Math.exp(-(dx * dx + dy * dy) / evaluator.variance(j) / (area + CocoEngine.EPS) / 2);
  }

  /** The instance with each paired keypoint exchanged with its mirror. */
  private KeypointInstance flip(KeypointInstance k) {
    int kk = k.size();
    if (kk != schema.size()) {
      return k; // refused by the checks before use
    }
    float[] x = new float[kk];
    float[] y = new float[kk];
    float[] v = new float[kk];
    for (int j = 0; j < kk; j++) {
      OptionalInt m = schema.mirrorOf(j);
      int s = m.isPresent() ? m.getAsInt() : j;
      x[j] = k.xAt(s);
      y[j] = k.yAt(s);
      v[j] = k.visibilityAt(s);
    }
    return new KeypointInstance(k.imageId(), k.className(), x, y, v, k.score(), k.box(),
        k.area(), k.crowd());
  }

  private static long key(CocoEngine.Instances in, int image, int cls) {
    return (long) image * in.numClasses + cls;
  }
}
