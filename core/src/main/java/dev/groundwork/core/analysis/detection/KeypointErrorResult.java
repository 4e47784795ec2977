package dev.groundwork.core.analysis.detection;

import com.google.common.collect.ImmutableMap;
import dev.groundwork.core.Provenance;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keypoint errors by type ({@link KeypointErrorAnalyzer}): per keypoint, per instance, and the OKS
 * AP an oracle gains by fixing each type.
 *
 * @param schema the keypoints
 * @param baseline COCO's OKS AP/AR of the predictions as given
 * @param instances every matched prediction with a classified keypoint, by prediction index
 * @param unmatchedPredictions predictions matched to no ground truth at the match threshold
 *     (background false positives), as indices in the predictions given
 * @param unmatchedGroundTruth ground truth (not crowd, with labelled keypoints, in the first area
 *     range) that no prediction matched (missed people), as indices in the ground truth given
 * @param fixedAlone per error type (jitter, inversion, swap, miss), the AP/AR after fixing that
 *     type alone
 * @param fixedCumulative the AP/AR after fixing miss, then also swap, inversion and jitter
 *     (coco-analyze's order), keyed by the last type added
 * @param matchThreshold the OKS at which predictions were matched
 * @param lowKs the keypoint similarity below which a keypoint is a miss
 * @param highKs the keypoint similarity from which a keypoint is good
 * @param swapAware whether the matching took the better of the OKS and the left/right-flipped OKS
 * @param provenance the parameters and a SHA-256 of every input record
 */
public record KeypointErrorResult(KeypointSchema schema, CocoResult baseline,
    List<KeypointInstanceErrors> instances, List<Integer> unmatchedPredictions,
    List<Integer> unmatchedGroundTruth, Map<KeypointErrorType, CocoResult> fixedAlone,
    Map<KeypointErrorType, CocoResult> fixedCumulative, double matchThreshold, double lowKs,
    double highKs, boolean swapAware, Provenance provenance) {

  /** Checks and copies. */
  public KeypointErrorResult {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(baseline, "baseline");
    instances = List.copyOf(instances);
    unmatchedPredictions = List.copyOf(unmatchedPredictions);
    unmatchedGroundTruth = List.copyOf(unmatchedGroundTruth);
    fixedAlone = ImmutableMap.copyOf(fixedAlone);
    fixedCumulative = ImmutableMap.copyOf(fixedCumulative);
    Objects.requireNonNull(provenance, "provenance");
  }

  /** The number of keypoints of a type over all matched predictions. */
  public int count(KeypointErrorType type) {
    return instances.stream().mapToInt(i -> i.count(type)).sum();
  }

  /** Per keypoint in schema order, how many of each type. */
  public List<KeypointJointErrors> joints() {
    List<KeypointJointErrors> out = new ArrayList<>();
    for (int j = 0; j < schema.size(); j++) {
      Map<KeypointErrorType, Integer> c = new EnumMap<>(KeypointErrorType.class);
      for (KeypointErrorType t : KeypointErrorType.values()) {
        c.put(t, 0);
      }
      for (KeypointInstanceErrors i : instances) {
        Optional<KeypointErrorType> t = i.joints().get(j);
        t.ifPresent(x -> c.merge(x, 1, Integer::sum));
      }
      out.add(new KeypointJointErrors(schema.names().get(j), c));
    }
    return out;
  }

  /** The named keypoint's counts. */
  public Optional<KeypointJointErrors> joint(String name) {
    return joints().stream().filter(j -> j.name().equals(name)).findFirst();
  }

  /** The matched predictions with at least one keypoint of the type, by prediction index. */
  public List<KeypointInstanceErrors> instances(KeypointErrorType type) {
    return instances.stream().filter(i -> i.has(type)).toList();
  }

  /** The matched predictions that fit their person better flipped left/right. */
  public List<KeypointInstanceErrors> invertedInstances() {
    return instances.stream().filter(KeypointInstanceErrors::inverted).toList();
  }

  /**
   * The OKS AP@[.50:.95] gained by fixing every keypoint of the type alone (0 for {@code GOOD}).
   */
  public double deltaAp(KeypointErrorType type) {
    CocoResult r = fixedAlone.get(type);
    return r == null ? 0 : r.ap() - baseline.ap();
  }

  /**
   * The OKS AP@[.50:.95] after fixing miss, swap, inversion and jitter cumulatively up to and
   * including the type (coco-analyze's curves); the baseline AP for {@code GOOD}.
   */
  public double cumulativeAp(KeypointErrorType type) {
    CocoResult r = fixedCumulative.get(type);
    return r == null ? baseline.ap() : r.ap();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "keypoint errors (Ronchi & Perona): %d predictions matched at OKS >= %.2f (%s),"
            + " %d unmatched predictions, %d unmatched ground truth; ks thresholds %.2f/%.2f;"
            + " OKS AP %.4f%n", instances.size(), matchThreshold,
        swapAware ? "swap-aware" : "plain OKS", unmatchedPredictions.size(),
        unmatchedGroundTruth.size(), lowKs, highKs, baseline.ap()));
    int width = Math.max(8, schema.names().stream().mapToInt(String::length).max().orElse(8));
    sb.append(String.format(Locale.ROOT, "  %-" + width + "s", "keypoint"));
    for (KeypointErrorType t : KeypointErrorType.values()) {
      sb.append(String.format(Locale.ROOT, " %9s", t.label()));
    }
    sb.append(System.lineSeparator());
    for (KeypointJointErrors j : joints()) {
      sb.append(String.format(Locale.ROOT, "  %-" + width + "s", j.name()));
      for (KeypointErrorType t : KeypointErrorType.values()) {
        sb.append(String.format(Locale.ROOT, " %9d", j.count(t)));
      }
      sb.append(System.lineSeparator());
    }
    sb.append(String.format(Locale.ROOT, "  %-" + width + "s", "total"));
    for (KeypointErrorType t : KeypointErrorType.values()) {
      sb.append(String.format(Locale.ROOT, " %9d", count(t)));
    }
    sb.append(String.format(Locale.ROOT, "%n  %-9s %9s %9s %9s %15s%n", "fix", "keypoints",
        "instances", "dAP", "cumulative AP"));
    KeypointErrorType worst = null;
    for (KeypointErrorType t : KeypointErrorAnalyzer.FIX_ORDER) {
      if (worst == null || deltaAp(t) > deltaAp(worst)) {
        worst = t;
      }
    }
    for (KeypointErrorType t : KeypointErrorAnalyzer.FIX_ORDER) {
      sb.append(String.format(Locale.ROOT, "  %-9s %9d %9d %+9.4f %15.4f%s%n", t.label(),
          count(t), instances(t).size(), deltaAp(t), cumulativeAp(t),
          t == worst && deltaAp(t) > 0 ? "  (largest)" : ""));
    }
    sb.append(String.format(Locale.ROOT, "  %d of %d matched predictions fit better flipped"
        + " left/right", invertedInstances().size(), instances.size()));
    sb.append("\n\nprovenance: ").append(provenance);
    return sb.toString();
  }
}
