package dev.groundwork.core.analysis.detection;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One matched prediction's keypoints, each classified by {@link KeypointErrorType}.
 *
 * @param prediction the prediction's index in the predictions given
 * @param groundTruth the matched ground truth's index in the ground truth given
 * @param imageId the image
 * @param oks the OKS of the prediction with the ground truth as annotated
 * @param flippedOks the OKS with the ground truth's left/right keypoints exchanged
 * @param joints per keypoint in schema order, its error type; empty where the ground truth does
 *     not label the keypoint
 * @param swappedWith per keypoint in schema order, for a {@link KeypointErrorType#SWAP} the index
 *     (in the ground truth given) of the other person whose keypoint it landed on; empty otherwise
 */
public record KeypointInstanceErrors(int prediction, int groundTruth, String imageId, double oks,
    double flippedOks, List<Optional<KeypointErrorType>> joints, List<OptionalInt> swappedWith) {

  /** Checks and copies. */
  public KeypointInstanceErrors {
    Objects.requireNonNull(imageId, "imageId");
    joints = List.copyOf(joints);
    swappedWith = List.copyOf(swappedWith);
    if (swappedWith.size() != joints.size()) {
      throw new IllegalArgumentException("swappedWith has " + swappedWith.size()
          + " entries for " + joints.size() + " keypoints; expected one per keypoint");
    }
  }

  /** How many of this instance's keypoints have the type. */
  public int count(KeypointErrorType type) {
    int n = 0;
    for (Optional<KeypointErrorType> t : joints) {
      if (t.isPresent() && t.get() == type) {
        n++;
      }
    }
    return n;
  }

  /** Whether any keypoint has the type. */
  public boolean has(KeypointErrorType type) {
    return count(type) > 0;
  }

  /** Whether the whole instance fits better left/right flipped ({@code flippedOks > oks}). */
  public boolean inverted() {
    return flippedOks > oks;
  }

  /** One line: the pair, its OKS as annotated and flipped, and the count of each error type. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
        "prediction #%d ↔ ground truth #%d (image %s) · OKS %.3f, flipped %.3f ·", prediction,
        groundTruth, imageId, oks, flippedOks));
    for (KeypointErrorType t : KeypointErrorType.values()) {
      sb.append(' ').append(t.label()).append(' ').append(count(t));
    }
    return sb.toString();
  }
}
