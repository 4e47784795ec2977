package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.DataFormatException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Keypoint evaluation for any number K of keypoints: COCO's OKS, OKS-based AP/AR (pycocotools'
 * iouType {@code keypoints}) and per-joint errors (normalized distance, PCK, left/right swaps).
 *
 * <p><b>OKS</b> of a prediction against a ground truth with labelled keypoints (visibility
 * {@code > 0}): {@code mean over labelled j of exp(-e_j)}, {@code e_j = d_j² / (2 s² k_j²)},
 * {@code k_j = 2σ_j}, {@code s² = } the ground truth's area (override, else box area). A ground
 * truth with no labelled keypoint is ignored (as in pycocotools); a prediction is compared with it by
 * its distance outside the ground-truth box grown by one box size on each side, so a prediction near
 * it is ignored rather than a false positive; without a box the OKS is 0.
 *
 * <p><b>AP</b> is {@link CocoEvaluator}'s machinery with OKS in place of IoU, by default COCO's
 * keypoint parameters (thresholds .50:.05:.95, 20 detections per image and class, areas all,
 * medium, large).
 *
 * <p><b>Per joint</b>, over the pairs matched at OKS &ge; {@code matchThreshold} (default .50, all
 * areas, same greedy matching): for each labelled keypoint the distance divided by {@code
 * sqrt(area)}, PCK = fraction with that distance &le; {@code pckThreshold} (default 0.1), and for
 * each left/right pair labelled on both sides, a swap when the predicted keypoint is strictly closer
 * to the mirror's ground truth than to its own. Misses do not enter the per-joint numbers (they are
 * in AP/AR). An instance whose left/right confusion pushes it below the match
 * threshold is not seen here; {@link KeypointErrorAnalyzer} matches swap-aware at a low OKS and
 * classifies every keypoint (jitter, inversion, swap, miss) per instance.
 *
 * <pre>{@code
 * KeypointEvaluator eval = KeypointEvaluator.of(KeypointSchema.cocoPerson());
 * KeypointResult r = eval.evaluate(groundTruth, predictions);
 * r.coco().ap();
 * System.out.println(r);   // ... left_wrist: PCK 0.41 (worst), ..., 23% swapped with right_wrist
 * }</pre>
 */
public final class KeypointEvaluator {
  private final List<String> classes;
  private final KeypointSchema schema;
  private final CocoParams params;
  private final double matchThreshold;
  private final double pckThreshold;
  private final double[] vars;

  private KeypointEvaluator(List<String> classes, KeypointSchema schema, CocoParams params,
      double matchThreshold, double pckThreshold) {
    this.classes = Inputs.classes(classes);
    this.schema = Objects.requireNonNull(schema, "schema");
    this.params = Objects.requireNonNull(params, "params");
    InvalidParameterException.check(matchThreshold > 0 && matchThreshold <= 1,
        "match threshold is %s; expected an OKS in (0, 1]", matchThreshold);
    InvalidParameterException.check(pckThreshold > 0 && Double.isFinite(pckThreshold),
        "PCK threshold is %s; expected a normalized distance > 0 (e.g. 0.1)", pckThreshold);
    this.matchThreshold = matchThreshold;
    this.pckThreshold = pckThreshold;
    vars = new double[schema.size()];
    for (int j = 0; j < vars.length; j++) {
      double k = 2 * schema.sigmas().get(j);
      vars[j] = k * k;
    }
  }

  /** An evaluator for the schema's single category with COCO's keypoint parameters. */
  public static KeypointEvaluator of(KeypointSchema schema) {
    return of(List.of(schema.category()), schema);
  }

  /** An evaluator for several classes sharing one schema. */
  public static KeypointEvaluator of(List<String> classes, KeypointSchema schema) {
    return new KeypointEvaluator(classes, schema, CocoParams.keypoints(), 0.5, 0.1);
  }

  /** This evaluator with other AP parameters. */
  public KeypointEvaluator withParams(CocoParams p) {
    return new KeypointEvaluator(classes, schema, p, matchThreshold, pckThreshold);
  }

  /** This evaluator with another OKS needed to compare an instance joint by joint. */
  public KeypointEvaluator withMatchThreshold(double oks) {
    return new KeypointEvaluator(classes, schema, params, oks, pckThreshold);
  }

  /** This evaluator with another PCK threshold (distance / sqrt(area)). */
  public KeypointEvaluator withPckThreshold(double normalizedDistance) {
    return new KeypointEvaluator(classes, schema, params, matchThreshold, normalizedDistance);
  }

  /** The schema. */
  public KeypointSchema schema() {
    return schema;
  }

  /**
   * The OKS of a prediction against a ground truth (see the class documentation).
   *
   * @throws DataFormatException if either has the wrong number of keypoints or the ground truth
   *     has no area or box
   */
  public double oks(KeypointInstance groundTruth, KeypointInstance prediction) {
    check(groundTruth, "ground truth", -1, false);
    check(prediction, "prediction", -1, true);
    return oksUnchecked(groundTruth, prediction);
  }

  /** The OKS without checks (the records were checked by {@link #instances}). */
  double oksUnchecked(KeypointInstance gt, KeypointInstance dt) {
    int kk = schema.size();
    double area = gt.scaleArea().orElse(0);
    int visible = gt.visibleCount();
    double sum = 0;
    if (visible > 0) {
      for (int j = 0; j < kk; j++) {
        if (gt.visibilityAt(j) > 0) {
          double dx = (double) dt.xAt(j) - gt.xAt(j);
          double dy = (double) dt.yAt(j) - gt.yAt(j);
          double e = (dx * dx + dy * dy) / vars[j] / (area + CocoEngine.EPS) / 2;
          sum += Math.exp(-e);
        }
      }
      return sum / visible;
    }
    if (gt.box().isEmpty()) {
      return 0;
    }
    Box b = gt.box().get();
    double x0 = b.x1() - b.width();
    double x1 = b.x2() + b.width();
    double y0 = b.y1() - b.height();
    double y1 = b.y2() + b.height();
    for (int j = 0; j < kk; j++) {
      double dx = Math.max(0, x0 - dt.xAt(j)) + Math.max(0, dt.xAt(j) - x1);
      double dy = Math.max(0, y0 - dt.yAt(j)) + Math.max(0, dt.yAt(j) - y1);
      double e = (dx * dx + dy * dy) / vars[j] / (area + CocoEngine.EPS) / 2;
      sum += Math.exp(-e);
    }
    return sum / kk;
  }

  private void check(KeypointInstance k, String what, int index, boolean prediction) {
    String where = index < 0
        ? String.format(Locale.ROOT, "%s (image '%s')", what, k.imageId())
        : String.format(Locale.ROOT, "%s #%d (image '%s')", what, index, k.imageId());
    if (k.size() != schema.size()) {
      throw new DataFormatException(String.format(Locale.ROOT, "%s has %d keypoints; expected"
          + " %d for schema '%s' %s", where, k.size(), schema.size(), schema.category(),
          schema.names()), null, index, null);
    }
    if (prediction && !k.isPrediction()) {
      throw new DataFormatException(where + " has no score; expected predictions made with"
          + " KeypointInstance.prediction(..., score)", null, index, null);
    }
    if (!prediction && k.isPrediction()) {
      throw new DataFormatException(where + " has a score; expected ground truth made with"
          + " KeypointInstance.groundTruth(...) (did you swap the arguments?)", null, index, null);
    }
    if (!prediction && !k.crowd() && k.visibleCount() > 0
        && !(k.scaleArea().orElse(0) > 0)) {
      throw new DataFormatException(where + " has labelled keypoints but no positive area;"
          + " expected an area (withArea) or a box (withBox) for the OKS scale", null, index,
          null);
    }
  }

  /**
   * Evaluates predictions against ground truth.
   *
   * @throws DataFormatException naming the record (index and image) if its keypoint count differs
   *     from the schema, ground truth and predictions are swapped, or ground truth lacks an area
   * @throws dev.groundwork.core.data.LabelException naming the record if its class is unknown
   */
  public KeypointResult evaluate(
      Collection<KeypointInstance> groundTruth, Collection<KeypointInstance> predictions) {
    List<KeypointInstance> gts = List.copyOf(groundTruth);
    List<KeypointInstance> dts = List.copyOf(predictions);
    CocoEngine.Instances in = instances(gts, dts);
    int ng = gts.size();
    int nd = dts.size();
    int crowd = 0;
    for (KeypointInstance k : gts) {
      crowd += k.crowd() ? 1 : 0;
    }
    CocoEngine.Similarity sim = (d, g) -> oksUnchecked(gts.get(g), dts.get(d));
    CocoEngine engine = new CocoEngine(params, in, sim);
    CocoResult coco = new CocoResult(CocoResult.Kind.KEYPOINTS, classes, engine, in.numImages,
        ng, crowd, nd, DetectionProvenance.keypoints(java.util.Map.of("evaluation",
            "COCO keypoints (OKS)", "params", params.toString(), "schema", schema.toString(),
            "matchThreshold", Double.toString(matchThreshold), "pckThreshold",
            Double.toString(pckThreshold), "classes", classes.toString()), gts, dts));

    CocoEngine matching = new CocoEngine(new CocoParams(List.of(matchThreshold),
        List.of(params.maxDetsLimit()), List.of(AreaRange.ALL)), in, sim);
    int kk = schema.size();
    int[] count = new int[kk];
    int[] hits = new int[kk];
    double[] distSum = new double[kk];
    int[] swapChecks = new int[kk];
    int[] swaps = new int[kk];
    int matched = 0;
    for (List<CocoEngine.Group> groups : matching.byClass) {
      for (CocoEngine.Group grp : groups) {
        CocoEngine.GroupEval e = grp.byArea[0];
        for (int i = 0; i < grp.dts.length; i++) {
          int g = e.match[0][i];
          if (g < 0 || e.ignore[0][i]) {
            continue;
          }
          matched++;
          KeypointInstance gt = gts.get(g);
          KeypointInstance dt = dts.get(grp.dts[i]);
          double scale = Math.sqrt(gt.scaleArea().orElse(0));
          for (int j = 0; j < kk; j++) {
            if (gt.visibilityAt(j) <= 0) {
              continue;
            }
            double own = dist(dt, j, gt, j);
            double nd2 = own / scale;
            count[j]++;
            distSum[j] += nd2;
            if (nd2 <= pckThreshold) {
              hits[j]++;
            }
            OptionalInt m = schema.mirrorOf(j);
            if (m.isPresent() && gt.visibilityAt(m.getAsInt()) > 0) {
              swapChecks[j]++;
              if (dist(dt, j, gt, m.getAsInt()) < own) {
                swaps[j]++;
              }
            }
          }
        }
      }
    }
    List<JointError> joints = new java.util.ArrayList<>();
    for (int j = 0; j < kk; j++) {
      OptionalInt m = schema.mirrorOf(j);
      joints.add(new JointError(schema.names().get(j), count[j],
          count[j] == 0 ? Double.NaN : distSum[j] / count[j],
          count[j] == 0 ? Double.NaN : hits[j] / (double) count[j],
          m.isPresent() ? Optional.of(schema.names().get(m.getAsInt())) : Optional.empty(),
          swapChecks[j], swaps[j]));
    }
    return new KeypointResult(coco, joints, matchThreshold, pckThreshold, matched);
  }

  /**
   * Checks every record against the schema and the classes and flattens them for the engine.
   *
   * @throws DataFormatException or {@link dev.groundwork.core.data.LabelException} naming the
   *     record (see {@link #evaluate})
   */
  CocoEngine.Instances instances(List<KeypointInstance> gts, List<KeypointInstance> dts) {
    Map<String, Integer> ci = Inputs.classIndex(classes);
    Inputs.Images images = new Inputs.Images();
    CocoEngine.Instances in = new CocoEngine.Instances();
    int ng = gts.size();
    in.gtImage = new int[ng];
    in.gtClass = new int[ng];
    in.gtArea = new double[ng];
    in.gtIgnore = new boolean[ng];
    in.gtCrowd = new boolean[ng];
    for (int g = 0; g < ng; g++) {
      KeypointInstance k = gts.get(g);
      in.gtClass[g] = Inputs.classOf(ci, classes, k.className(), "ground truth", g, k.imageId());
      check(k, "ground truth", g, false);
      in.gtImage[g] = images.of(k.imageId());
      in.gtArea[g] = k.scaleArea().orElse(0);
      in.gtCrowd[g] = k.crowd();
      in.gtIgnore[g] = k.crowd() || k.visibleCount() == 0;
    }
    int nd = dts.size();
    in.dtImage = new int[nd];
    in.dtClass = new int[nd];
    in.dtScore = new double[nd];
    in.dtArea = new double[nd];
    for (int d = 0; d < nd; d++) {
      KeypointInstance k = dts.get(d);
      in.dtClass[d] = Inputs.classOf(ci, classes, k.className(), "prediction", d, k.imageId());
      check(k, "prediction", d, true);
      in.dtImage[d] = images.of(k.imageId());
      in.dtScore[d] = k.score().getAsDouble();
      OptionalDouble a = k.area();
      in.dtArea[d] = a.isPresent() ? a.getAsDouble() : k.extentArea();
    }
    in.numImages = images.size();
    in.numClasses = classes.size();
    return in;
  }

  /** The squared per-keypoint constants k_j² = (2σ_j)². */
  double variance(int j) {
    return vars[j];
  }

  /** The AP parameters. */
  CocoParams params() {
    return params;
  }

  /** The classes. */
  List<String> classes() {
    return classes;
  }

  private static double dist(KeypointInstance a, int ja, KeypointInstance b, int jb) {
    double dx = (double) a.xAt(ja) - b.xAt(jb);
    double dy = (double) a.yAt(ja) - b.yAt(jb);
    return Math.sqrt(dx * dx + dy * dy);
  }
}
