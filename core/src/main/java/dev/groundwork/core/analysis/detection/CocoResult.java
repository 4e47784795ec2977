package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.Provenance;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a COCO-style evaluation: the standard AP/AR summary, AP at any evaluated
 * threshold, and AP per class. Values are in [0, 1]; a value that is not defined (no ground truth in
 * the area range, an area range or threshold not evaluated) is {@code NaN} where pycocotools
 * prints -1.
 *
 * <p>{@link #toString()} is the summary as a compact table with per-class AP below it.
 */
public final class CocoResult implements dev.groundwork.core.report.Renderable {

  /** What was matched: boxes by IoU or keypoints by OKS. */
  public enum Kind {
    /** Boxes, matched by IoU. */
    BOXES("bbox", "IoU"),
    /** Keypoints, matched by OKS. */
    KEYPOINTS("keypoints", "OKS");

    private final String label;
    private final String similarity;

    Kind(String label, String similarity) {
      this.label = label;
      this.similarity = similarity;
    }

    /** {@code IoU} or {@code OKS}. */
    public String similarity() {
      return similarity;
    }
  }

  /**
   * One line of the summary.
   *
   * @param recall whether this is AR (else AP)
   * @param threshold the threshold, or NaN for the average over all thresholds
   * @param area the area range's name
   * @param maxDets the detection limit
   * @param value the metric, NaN when not defined
   */
  public record Metric(boolean recall, double threshold, String area, int maxDets, double value) {
    /** e.g. {@code AP@[.50:.95] all maxDets=100}. */
    public String name() {
      String t = Double.isNaN(threshold) ? "[.50:.95]" : String.format(Locale.ROOT, ".%02d",
          Math.round(threshold * 100));
      return (recall ? "AR" : "AP") + "@" + t + " " + area + " maxDets=" + maxDets;
    }
  }

  private final Kind kind;
  private final Provenance provenance;
  private final CocoParams params;
  private final int images;
  private final int groundTruths;
  private final int crowd;
  private final int detections;
  private final double[] apByThreshold;
  private final double[] arByThreshold;
  private final double ap;
  private final double[] apByArea;
  private final double[] arByMaxDets;
  private final double[] arByArea;
  private final Map<String, Double> perClassAp;
  private final Map<String, Double> perClassAp50;
  private final List<Metric> metrics;

  CocoResult(Kind kind, List<String> classes, CocoEngine e, int images, int groundTruths,
      int crowd, int detections, Provenance provenance) {
    this.provenance = java.util.Objects.requireNonNull(provenance, "provenance");
    this.kind = kind;
    this.params = e.params;
    this.images = images;
    this.groundTruths = groundTruths;
    this.crowd = crowd;
    this.detections = detections;
    int nt = params.thresholds().size();
    int na = params.areaRanges().size();
    int nm = params.maxDets().size();
    int last = nm - 1;
    ap = e.meanPrecision(-1, -1, 0, last);
    apByThreshold = new double[nt];
    arByThreshold = new double[nt];
    for (int t = 0; t < nt; t++) {
      apByThreshold[t] = e.meanPrecision(t, -1, 0, last);
      arByThreshold[t] = e.meanRecall(t, -1, 0, last);
    }
    apByArea = new double[na];
    arByArea = new double[na];
    for (int a = 0; a < na; a++) {
      apByArea[a] = e.meanPrecision(-1, -1, a, last);
      arByArea[a] = e.meanRecall(-1, -1, a, last);
    }
    arByMaxDets = new double[nm];
    for (int m = 0; m < nm; m++) {
      arByMaxDets[m] = e.meanRecall(-1, -1, 0, m);
    }
    ImmutableMap.Builder<String, Double> pc = ImmutableMap.builder();
    ImmutableMap.Builder<String, Double> pc50 = ImmutableMap.builder();
    int t50 = params.thresholdIndex(0.5);
    for (int k = 0; k < classes.size(); k++) {
      pc.put(classes.get(k), e.meanPrecision(-1, k, 0, last));
      pc50.put(classes.get(k), t50 < 0 ? Double.NaN : e.meanPrecision(t50, k, 0, last));
    }
    perClassAp = pc.build();
    perClassAp50 = pc50.build();
    List<Metric> ms = new ArrayList<>();
    int maxDet = params.maxDetsLimit();
    String all = params.areaRanges().get(0).name();
    ms.add(new Metric(false, Double.NaN, all, maxDet, ap));
    for (double t : new double[] {0.5, 0.75}) {
      if (params.thresholdIndex(t) >= 0) {
        ms.add(new Metric(false, t, all, maxDet, ap(t)));
      }
    }
    for (int a = 1; a < na; a++) {
      ms.add(new Metric(false, Double.NaN, params.areaRanges().get(a).name(), maxDet,
          apByArea[a]));
    }
    for (int m = 0; m < nm; m++) {
      ms.add(new Metric(true, Double.NaN, all, params.maxDets().get(m), arByMaxDets[m]));
    }
    if (kind == Kind.KEYPOINTS) {
      for (double t : new double[] {0.5, 0.75}) {
        int ti = params.thresholdIndex(t);
        if (ti >= 0) {
          ms.add(new Metric(true, t, all, maxDet, arByThreshold[ti]));
        }
      }
    }
    for (int a = 1; a < na; a++) {
      ms.add(new Metric(true, Double.NaN, params.areaRanges().get(a).name(), maxDet,
          arByArea[a]));
    }
    metrics = List.copyOf(ms);
  }

  /** Boxes or keypoints. */
  public Kind kind() {
    return kind;
  }

  /** The parameters evaluated with. */
  public CocoParams params() {
    return params;
  }

  /** The number of images (the union of those in ground truth and detections). */
  public int images() {
    return images;
  }

  /** The number of ground-truth instances, crowd included. */
  public int groundTruths() {
    return groundTruths;
  }

  /** The number of detections before the maxDets cut. */
  public int detections() {
    return detections;
  }

  /** AP averaged over all thresholds (AP@[.50:.95]), first area range, largest maxDets. */
  public double ap() {
    return ap;
  }

  /** AP at IoU/OKS .50. */
  public double ap50() {
    return ap(0.5);
  }

  /** AP at IoU/OKS .75. */
  public double ap75() {
    return ap(0.75);
  }

  /** AP at one of the evaluated thresholds; NaN if {@code threshold} was not evaluated. */
  public double ap(double threshold) {
    int t = params.thresholdIndex(threshold);
    return t < 0 ? Double.NaN : apByThreshold[t];
  }

  /** AP@[.50:.95] in the named area range; NaN if not evaluated or without ground truth. */
  public double ap(String areaRange) {
    int a = params.areaIndex(areaRange);
    return a < 0 ? Double.NaN : apByArea[a];
  }

  /** AP for small objects (area &le; 32²). */
  public double apSmall() {
    return ap(AreaRange.SMALL.name());
  }

  /** AP for medium objects (32² &le; area &le; 96²). */
  public double apMedium() {
    return ap(AreaRange.MEDIUM.name());
  }

  /** AP for large objects (area &ge; 96²). */
  public double apLarge() {
    return ap(AreaRange.LARGE.name());
  }

  /** AR averaged over thresholds with at most {@code maxDets} detections per image and class. */
  public double ar(int maxDets) {
    int m = params.maxDets().indexOf(maxDets);
    return m < 0 ? Double.NaN : arByMaxDets[m];
  }

  /** AR at the largest maxDets. */
  public double ar() {
    return arByMaxDets[arByMaxDets.length - 1];
  }

  /** AR in the named area range at the largest maxDets. */
  public double ar(String areaRange) {
    int a = params.areaIndex(areaRange);
    return a < 0 ? Double.NaN : arByArea[a];
  }

  /** AR for small objects. */
  public double arSmall() {
    return ar(AreaRange.SMALL.name());
  }

  /** AR for medium objects. */
  public double arMedium() {
    return ar(AreaRange.MEDIUM.name());
  }

  /** AR for large objects. */
  public double arLarge() {
    return ar(AreaRange.LARGE.name());
  }

  /** AP@[.50:.95] per class in class order; NaN for a class without ground truth. */
  public Map<String, Double> perClassAp() {
    return perClassAp;
  }

  /** AP@.50 per class in class order; NaN for a class without ground truth. */
  public Map<String, Double> perClassAp50() {
    return perClassAp50;
  }

  /** The summary lines, in pycocotools' order. */
  public List<Metric> metrics() {
    return metrics;
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "  n/a " : String.format(Locale.ROOT, "%.4f", v);
  }

  @Override
  public String toString() {
    return table() + "\nprovenance: " + provenance;
  }

  /** Where the numbers come from: the parameters and a SHA-256 of every input record. */
  public Provenance provenance() {
    return provenance;
  }

  private String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "COCO %s evaluation (%s): %d images, %d ground truths"
        + " (%d crowd), %d detections%n", kind.label, kind.similarity, images, groundTruths,
        crowd, detections));
    for (Metric m : metrics) {
      sb.append(String.format(Locale.ROOT, "  %-34s %s%n", m.name(), fmt(m.value())));
    }
    sb.append("  per-class AP@[.50:.95] / AP@.50:");
    for (Map.Entry<String, Double> e : perClassAp.entrySet()) {
      sb.append(String.format(Locale.ROOT, "%n    %-20s %s  %s", e.getKey(), fmt(e.getValue()),
          fmt(perClassAp50.get(e.getKey()))));
    }
    return sb.toString();
  }

  /** This result as a report section (see {@link dev.groundwork.core.report.Sections#coco}). */
  @Override
  public dev.groundwork.core.report.Section toSection() {
    return dev.groundwork.core.report.Sections.coco(this);
  }
}
