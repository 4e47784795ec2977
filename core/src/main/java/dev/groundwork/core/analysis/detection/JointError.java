package dev.groundwork.core.analysis.detection;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Localization error of one keypoint over the matched instances where the ground truth labels it
 * (visibility {@code > 0}).
 *
 * <p>Distances are normalized by {@code sqrt(area)} of the ground truth, the same scale s as OKS,
 * so 0.1 means a tenth of the object's size.
 *
 * @param name the keypoint
 * @param count the number of labelled ground-truth keypoints compared
 * @param meanDistance the mean normalized distance (NaN when {@code count} is 0)
 * @param pck the fraction with normalized distance {@code <=} the PCK threshold (NaN when
 *     {@code count} is 0)
 * @param mirror the mirrored keypoint, if the schema pairs this one
 * @param swapChecks the instances where this keypoint and its mirror are both labelled
 * @param swaps of those, how many predicted this keypoint strictly closer to the mirror's ground
 *     truth than to its own
 */
public record JointError(String name, int count, double meanDistance, double pck,
    Optional<String> mirror, int swapChecks, int swaps) {

  /** Checks the fields. */
  public JointError {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mirror, "mirror");
  }

  /** {@code swaps / swapChecks}; NaN when never checked. */
  public double swapRate() {
    return swapChecks == 0 ? Double.NaN : swaps / (double) swapChecks;
  }

  /** e.g. {@code left_wrist: PCK 0.41, mean distance 0.153, 23% swapped with right_wrist (n=12)}. */
  String describe(boolean worst) {
    StringBuilder sb = new StringBuilder(name).append(": ");
    if (count == 0) {
      return sb.append("never labelled in matched instances").toString();
    }
    sb.append(String.format(Locale.ROOT, "PCK %.2f", pck));
    if (worst) {
      sb.append(" (worst)");
    }
    sb.append(String.format(Locale.ROOT, ", mean distance %.3f", meanDistance));
    if (mirror.isPresent() && swapChecks > 0) {
      sb.append(String.format(Locale.ROOT, ", %d%% swapped with %s",
          Math.round(100 * swapRate()), mirror.get()));
    }
    return sb.append(String.format(Locale.ROOT, " (n=%d)", count)).toString();
  }
}
