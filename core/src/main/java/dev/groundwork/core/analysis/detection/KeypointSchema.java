package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The keypoints of one object category: their names, the per-keypoint OKS sigmas and the
 * left/right pairs used to detect swaps.
 *
 * <pre>{@code
 * KeypointSchema coco = KeypointSchema.cocoPerson();          // 17 joints, official sigmas
 * KeypointSchema hand = KeypointSchema.of("hand",
 *     List.of("wrist", "thumb_tip", "index_tip"), List.of(0.05, 0.03, 0.03));
 * }</pre>
 *
 * @param category the object class the keypoints belong to (e.g. {@code person})
 * @param names the K keypoint names, unique
 * @param sigmas the K per-keypoint standard deviations σ of COCO's OKS (k = 2σ), each {@code > 0}
 * @param pairs mirrored keypoints (left, right) as indices into {@code names}; each keypoint in at
 *     most one pair
 */
public record KeypointSchema(
    String category, List<String> names, List<Double> sigmas, List<Pair> pairs) {

  /**
   * A pair of mirrored keypoints.
   *
   * @param left index of the left keypoint
   * @param right index of the right keypoint
   */
  public record Pair(int left, int right) {}

  private static final double[] COCO_SIGMAS = {
    .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87, .89, .89
  };

  private static final List<String> COCO_NAMES = List.of(
      "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder",
      "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
      "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle");

  /**
   * Checks and copies the fields.
   *
   * @throws InvalidParameterException if there are no keypoints, names repeat, the sigma count
   *     differs from the name count, a sigma is not a finite number {@code > 0}, or a pair index is
   *     out of range or reused
   */
  public KeypointSchema {
    Objects.requireNonNull(category, "category");
    names = List.copyOf(names);
    sigmas = List.copyOf(sigmas);
    pairs = List.copyOf(pairs);
    InvalidParameterException.check(!names.isEmpty(), "keypoint schema '%s' has no keypoints;"
        + " expected at least one name", category);
    InvalidParameterException.check(new HashSet<>(names).size() == names.size(),
        "keypoint schema '%s' repeats a name in %s; expected unique names", category, names);
    InvalidParameterException.check(sigmas.size() == names.size(),
        "keypoint schema '%s' has %d names but %d sigmas; expected one sigma per keypoint",
        category, names.size(), sigmas.size());
    for (int i = 0; i < sigmas.size(); i++) {
      double s = sigmas.get(i);
      InvalidParameterException.check(s > 0 && Double.isFinite(s),
          "keypoint schema '%s': sigma of '%s' is %s; expected a finite number > 0",
          category, names.get(i), s);
    }
    Set<Integer> used = new HashSet<>();
    for (Pair p : pairs) {
      for (int j : new int[] {p.left(), p.right()}) {
        InvalidParameterException.check(j >= 0 && j < names.size(),
            "keypoint schema '%s': pair %s has index %d; expected 0..%d", category, p, j,
            names.size() - 1);
        InvalidParameterException.check(used.add(j),
            "keypoint schema '%s': keypoint '%s' is in more than one pair (or paired with itself);"
                + " expected each keypoint in at most one pair", category, names.get(j));
      }
    }
  }

  /**
   * A schema whose left/right pairs are found from the names: {@code left_X} pairs with
   * {@code right_X} (also {@code l_X}/{@code r_X} and {@code X_left}/{@code X_right}).
   */
  public static KeypointSchema of(String category, List<String> names, List<Double> sigmas) {
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      String mirror = mirrorName(n);
      if (mirror != null) {
        int j = names.indexOf(mirror);
        if (j >= 0) {
          pairs.add(new Pair(i, j));
        }
      }
    }
    return new KeypointSchema(category, names, sigmas, pairs);
  }

  private static String mirrorName(String n) {
    if (n.startsWith("left_")) {
      return "right_" + n.substring(5);
    }
    if (n.startsWith("l_")) {
      return "r_" + n.substring(2);
    }
    if (n.endsWith("_left")) {
      return n.substring(0, n.length() - 5) + "_right";
    }
    return null;
  }

  /**
   * COCO's 17 person keypoints with the official sigmas (pycocotools: {@code [.26, .25, .25, .35,
   * .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87, .89, .89] / 10}) and the 8 left/right
   * pairs (eyes, ears, shoulders, elbows, wrists, hips, knees, ankles).
   */
  public static KeypointSchema cocoPerson() {
    List<Double> sigmas = new ArrayList<>();
    for (double s : COCO_SIGMAS) {
      sigmas.add(s / 10.0);
    }
    return of("person", COCO_NAMES, sigmas);
  }

  /** The number of keypoints K. */
  public int size() {
    return names.size();
  }

  /** The index of the named keypoint. */
  public OptionalInt indexOf(String name) {
    int i = names.indexOf(name);
    return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
  }

  /** The keypoint mirrored to keypoint {@code j}, if it is in a pair. */
  public OptionalInt mirrorOf(int j) {
    for (Pair p : pairs) {
      if (p.left() == j) {
        return OptionalInt.of(p.right());
      }
      if (p.right() == j) {
        return OptionalInt.of(p.left());
      }
    }
    return OptionalInt.empty();
  }

  /** The name of the keypoint mirrored to the named one, if any. */
  public Optional<String> mirrorOf(String name) {
    OptionalInt i = indexOf(name);
    if (i.isEmpty()) {
      return Optional.empty();
    }
    OptionalInt m = mirrorOf(i.getAsInt());
    return m.isEmpty() ? Optional.empty() : Optional.of(names.get(m.getAsInt()));
  }
}
