package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * What a COCO-style evaluation sweeps: the IoU (or OKS) thresholds, the maximum detections per
 * image and class, and the area ranges. Recall thresholds are always COCO's 101 points 0:.01:1.
 *
 * <pre>{@code
 * CocoParams p = CocoParams.boxes();                  // .50:.05:.95, maxDets 1/10/100, all/S/M/L
 * CocoParams k = CocoParams.keypoints();              // .50:.05:.95, maxDets 20, all/M/L
 * CocoParams custom = p.withMaxDets(List.of(5, 50));
 * }</pre>
 *
 * @param thresholds the IoU/OKS thresholds, ascending, each in (0, 1]
 * @param maxDets the detection limits, ascending, each {@code >= 1}; the last is the one used for
 *     AP and the per-area numbers
 * @param areaRanges the area ranges, the first being the one used for AP and AR overall
 */
public record CocoParams(List<Double> thresholds, List<Integer> maxDets,
    List<AreaRange> areaRanges) {

  /**
   * Checks and copies the lists.
   *
   * @throws InvalidParameterException if a list is empty or not ascending, a threshold is outside
   *     (0, 1], a limit is below 1 or area range names repeat
   */
  public CocoParams {
    thresholds = List.copyOf(thresholds);
    maxDets = List.copyOf(maxDets);
    areaRanges = List.copyOf(areaRanges);
    InvalidParameterException.check(!thresholds.isEmpty() && !maxDets.isEmpty()
        && !areaRanges.isEmpty(), "COCO parameters need at least one threshold, one maxDets and"
        + " one area range; received %s, %s, %s", thresholds, maxDets, areaRanges);
    for (int i = 0; i < thresholds.size(); i++) {
      double t = thresholds.get(i);
      InvalidParameterException.check(t > 0 && t <= 1, "threshold %s is outside (0, 1]", t);
      InvalidParameterException.check(i == 0 || t > thresholds.get(i - 1),
          "thresholds %s are not strictly ascending", thresholds);
    }
    for (int i = 0; i < maxDets.size(); i++) {
      InvalidParameterException.check(maxDets.get(i) >= 1, "maxDets %s is below 1",
          maxDets.get(i));
      InvalidParameterException.check(i == 0 || maxDets.get(i) > maxDets.get(i - 1),
          "maxDets %s are not strictly ascending", maxDets);
    }
    HashSet<String> names = new HashSet<>();
    for (AreaRange a : areaRanges) {
      InvalidParameterException.check(names.add(a.name()), "area range name '%s' repeats in %s",
          a.name(), areaRanges);
    }
  }

  /** COCO's thresholds .50:.05:.95, computed as numpy's {@code linspace(.5, .95, 10)} does. */
  public static List<Double> cocoThresholds() {
    return linspace(0.5, 0.95, 10);
  }

  /** COCO's bounding-box parameters: thresholds .50:.05:.95, maxDets 1/10/100, all/S/M/L. */
  public static CocoParams boxes() {
    return new CocoParams(cocoThresholds(), List.of(1, 10, 100),
        List.of(AreaRange.ALL, AreaRange.SMALL, AreaRange.MEDIUM, AreaRange.LARGE));
  }

  /** COCO's keypoint parameters: thresholds .50:.05:.95, maxDets 20, all/medium/large. */
  public static CocoParams keypoints() {
    return new CocoParams(cocoThresholds(), List.of(20),
        List.of(AreaRange.ALL, AreaRange.MEDIUM, AreaRange.LARGE));
  }

  /** These parameters with other detection limits. */
  public CocoParams withMaxDets(List<Integer> limits) {
    return new CocoParams(thresholds, limits, areaRanges);
  }

  /** These parameters with other thresholds. */
  public CocoParams withThresholds(List<Double> ts) {
    return new CocoParams(ts, maxDets, areaRanges);
  }

  /** These parameters with other area ranges. */
  public CocoParams withAreaRanges(List<AreaRange> ranges) {
    return new CocoParams(thresholds, maxDets, ranges);
  }

  /** The largest detection limit. */
  public int maxDetsLimit() {
    return maxDets.get(maxDets.size() - 1);
  }

  /** COCO's 101 recall points 0:.01:1 as numpy's {@code linspace(0, 1, 101)} computes them. */
  static double[] recallThresholds() {
    List<Double> r = linspace(0.0, 1.0, 101);
    double[] out = new double[r.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.get(i);
    }
    return out;
  }

  /** {@code i * step + start}, last point exactly {@code stop}, as numpy does. */
  static List<Double> linspace(double start, double stop, int num) {
    double step = (stop - start) / (num - 1);
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < num; i++) {
      out.add(i == num - 1 ? stop : i * step + start);
    }
    return out;
  }

  /** The index of threshold {@code t} (within 1e-9), or -1. */
  int thresholdIndex(double t) {
    for (int i = 0; i < thresholds.size(); i++) {
      if (Math.abs(thresholds.get(i) - t) < 1e-9) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the area range with this name, or -1. */
  int areaIndex(String name) {
    for (int i = 0; i < areaRanges.size(); i++) {
      if (areaRanges.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
