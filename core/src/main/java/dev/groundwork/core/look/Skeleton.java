package dev.groundwork.core.look;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines an {@link Overlay} draws between keypoints (limbs), as pairs of keypoint indices.
 *
 * <pre>{@code
 * Skeleton s = Skeleton.of(0, 1, 1, 2);      // keypoint 0 – 1 and 1 – 2
 * Skeleton coco = Skeleton.cocoPerson();     // the 19 limbs of COCO's person keypoints
 * }</pre>
 *
 * @param limbs the pairs of keypoint indices to join
 */
public record Skeleton(List<Limb> limbs) {

  /**
   * A line between two keypoints.
   *
   * @param from a keypoint index, {@code >= 0}
   * @param to another keypoint index, {@code >= 0}
   */
  public record Limb(int from, int to) {
    /** Checks the indices. */
    public Limb {
      InvalidParameterException.check(from >= 0 && to >= 0 && from != to,
          "skeleton limb (%d, %d): expected two different keypoint indices >= 0", from, to);
    }
  }

  /** Copies the list. */
  public Skeleton {
    limbs = List.copyOf(limbs);
  }

  /** No lines. */
  public static Skeleton none() {
    return new Skeleton(List.of());
  }

  /**
   * Limbs from index pairs: {@code of(a, b, c, d)} joins a – b and c – d.
   *
   * @throws InvalidParameterException if the number of indices is odd
   */
  public static Skeleton of(int... pairs) {
    InvalidParameterException.check(pairs.length % 2 == 0,
        "skeleton indices come in pairs; got %d indices", pairs.length);
    List<Limb> out = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.add(new Limb(pairs[i], pairs[i + 1]));
    }
    return new Skeleton(out);
  }

  /**
   * COCO's person skeleton for
   * {@link dev.groundwork.core.analysis.detection.KeypointSchema#cocoPerson()} (0-based): legs, hips, torso,
   * arms and face.
   */
  public static Skeleton cocoPerson() {
    return of(15, 13, 13, 11, 16, 14, 14, 12, 11, 12, 5, 11, 6, 12, 5, 6, 5, 7, 6, 8, 7, 9, 8, 10,
        1, 2, 0, 1, 0, 2, 1, 3, 2, 4, 3, 5, 4, 6);
  }

  /** The largest keypoint index used, or -1 without limbs. */
  int maxIndex() {
    int m = -1;
    for (Limb l : limbs) {
      m = Math.max(m, Math.max(l.from(), l.to()));
    }
    return m;
  }
}
