package dev.groundwork.core.analysis.detection;

/**
 * What went wrong with one predicted keypoint, after Ronchi &amp; Perona, "Benchmarking and Error
 * Diagnosis in Multi-Instance Pose Estimation" (ICCV 2017). The keypoint similarity ks of the
 * prediction is taken with the matched person's keypoint, with its mirror (left/right), and with
 * the keypoints (and mirrors) of every other person of the class in the image; the best of these
 * decides. Thresholds are those of {@link KeypointErrorAnalyzer} (defaults 0.5 and 0.85).
 */
public enum KeypointErrorType {
  /** Best with its own keypoint of the matched person, ks &ge; the high threshold. */
  GOOD("good"),
  /** Best with its own keypoint of the matched person, low &le; ks &lt; high: imprecise. */
  JITTER("jitter"),
  /** Best with the mirrored keypoint of the same person (left/right confused), ks &ge; low. */
  INVERSION("inversion"),
  /** Best with a keypoint of another person of the class in the image, ks &ge; low. */
  SWAP("swap"),
  /** ks &lt; low with every candidate: the keypoint is nowhere near a plausible place. */
  MISS("miss");

  private final String label;

  KeypointErrorType(String label) {
    this.label = label;
  }

  /** The lower-case name used in tables ({@code good}, {@code jitter}, ...). */
  public String label() {
    return label;
  }

  /** Whether this is an error (anything but {@link #GOOD}). */
  public boolean isError() {
    return this != GOOD;
  }
}
