package dev.groundwork.core.analysis.detection;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Keypoint evaluation: COCO's OKS-based AP/AR and the per-joint errors of matched instances.
 *
 * @param coco OKS-based AP/AR
 * @param joints one entry per keypoint, in schema order
 * @param matchThreshold the OKS an instance pair needs to be compared joint by joint
 * @param pckThreshold the normalized distance counted as correct by PCK
 * @param matchedInstances the number of ground-truth instances compared joint by joint
 */
public record KeypointResult(CocoResult coco, List<JointError> joints, double matchThreshold,
    double pckThreshold, int matchedInstances) {

  /** Copies the list. */
  public KeypointResult {
    Objects.requireNonNull(coco, "coco");
    joints = List.copyOf(joints);
  }

  /** The joint with the lowest PCK (first in schema order on ties), if any was compared. */
  public Optional<JointError> worstJoint() {
    JointError worst = null;
    for (JointError j : joints) {
      if (j.count() > 0 && (worst == null || j.pck() < worst.pck())) {
        worst = j;
      }
    }
    return Optional.ofNullable(worst);
  }

  /** The named joint's errors. */
  public Optional<JointError> joint(String name) {
    return joints.stream().filter(j -> j.name().equals(name)).findFirst();
  }

  /** Where the numbers come from (the COCO part's provenance: parameters and input digest). */
  public dev.groundwork.core.Provenance provenance() {
    return coco.provenance();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(coco.toString());
    sb.append(String.format(Locale.ROOT, "%nper joint: %d instances matched at OKS >= %.2f;"
        + " distance / sqrt(GT area); PCK@%.2f", matchedInstances, matchThreshold, pckThreshold));
    JointError worst = worstJoint().orElse(null);
    for (JointError j : joints) {
      sb.append(System.lineSeparator()).append("  ").append(j.describe(j == worst));
    }
    return sb.toString();
  }
}
