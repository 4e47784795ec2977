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
 * The keypoints of one object category: their names, the per-keypoint OKS sigmas, the left/right
 * pairs used to detect inversions, and the skeleton (limbs) if known.
 *
 * <p>Left/right pairs are found from the names by {@link #of}: a name with a left marker pairs with
 * the same name with the right marker, the marker being {@code left}/{@code right} or {@code l}/{@code
 * r} in any case, as a prefix or suffix joined by {@code _}, {@code -}, {@code .} or a space
 * ({@code left_eye}, {@code L-wrist}, {@code paw.l}, {@code eye_right}), or in camel case
 * ({@code leftEye}, {@code LShoulder}, {@code eyeLeft}). {@link #withPairs} gives them by name
 * instead. A schema is read from a COCO file's {@code categories} with
 * {@link CocoJson.GroundTruth#schema(String, List)}.
 *
 * <pre>{@code
 * KeypointSchema coco = KeypointSchema.cocoPerson();          // 17 joints, official sigmas
 * KeypointSchema paw = KeypointSchema.of("dog",
 *     List.of("nose", "l_paw", "r_paw"), List.of(0.05, 0.08, 0.08));   // pairs l_paw/r_paw
 * }</pre>
 *
 * @param category the object class the keypoints belong to (e.g. {@code person})
 * @param names the K keypoint names, unique
 * @param sigmas the K per-keypoint standard deviations σ of COCO's OKS (k = 2σ), each {@code > 0}
 * @param pairs mirrored keypoints (left, right) as indices into {@code names}; each keypoint in at
 *     most one pair
 * @param skeleton the limbs joining keypoints, as indices into {@code names} (COCO's {@code
 *     skeleton} minus one); empty when unknown
 */
public record KeypointSchema(String category, List<String> names, List<Double> sigmas,
    List<Pair> pairs, List<Limb> skeleton) {

  /**
   * A pair of mirrored keypoints.
   *
   * @param left index of the left keypoint
   * @param right index of the right keypoint
   */
  public record Pair(int left, int right) {}

  /**
   * A limb of the skeleton.
   *
   * @param from index of one keypoint
   * @param to index of the other
   */
  public record Limb(int from, int to) {}

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
   *     differs from the name count, a sigma is not a finite number {@code > 0}, a pair index is
   *     out of range or reused, or a limb index is out of range
   */
  public KeypointSchema {
    Objects.requireNonNull(category, "category");
    names = List.copyOf(names);
    sigmas = List.copyOf(sigmas);
    pairs = List.copyOf(pairs);
    skeleton = List.copyOf(skeleton);
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
    for (Limb l : skeleton) {
      for (int j : new int[] {l.from(), l.to()}) {
        InvalidParameterException.check(j >= 0 && j < names.size(),
            "keypoint schema '%s': limb %s has index %d; expected 0..%d", category, l, j,
            names.size() - 1);
      }
    }
  }

  /** A schema without skeleton. */
  public KeypointSchema(String category, List<String> names, List<Double> sigmas,
      List<Pair> pairs) {
    this(category, names, sigmas, pairs, List.of());
  }

  /** A schema whose left/right pairs are found from the names (see the class documentation). */
  public static KeypointSchema of(String category, List<String> names, List<Double> sigmas) {
    return new KeypointSchema(category, names, sigmas, pairsFromNames(names));
  }

  /** The left/right pairs found from the names (see the class documentation), in name order. */
  static List<Pair> pairsFromNames(List<String> names) {
    List<Pair> pairs = new ArrayList<>();
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      for (String mirror : mirrorCandidates(names.get(i))) {
        int j = names.indexOf(mirror);
        if (j >= 0 && j != i && !used.contains(i) && !used.contains(j)) {
          pairs.add(new Pair(i, j));
          used.add(i);
          used.add(j);
        }
      }
    }
    return pairs;
  }

  private static final String[][] SIDES = {
    {"left", "right"}, {"Left", "Right"}, {"LEFT", "RIGHT"}, {"l", "r"}, {"L", "R"}
  };
  private static final String[] SEPARATORS = {"_", "-", ".", " "};

  /** The right-side names a left-side name would pair with (none if it has no left marker). */
  private static List<String> mirrorCandidates(String n) {
    List<String> out = new ArrayList<>();
    for (String[] side : SIDES) {
      String l = side[0];
      String r = side[1];
      for (String sep : SEPARATORS) {
        if (n.startsWith(l + sep)) {
          out.add(r + sep + n.substring(l.length() + sep.length()));
        }
        if (n.endsWith(sep + l)) {
          out.add(n.substring(0, n.length() - l.length() - sep.length()) + sep + r);
        }
      }
      if (n.length() > l.length() && n.startsWith(l)
          && Character.isUpperCase(n.charAt(l.length()))) {
        out.add(r + n.substring(l.length())); // leftEye, LeftEye, LShoulder
      }
      if (l.length() > 1 && n.length() > l.length() && n.endsWith(l)
          && Character.isLowerCase(n.charAt(n.length() - l.length() - 1))) {
        out.add(n.substring(0, n.length() - l.length()) + r); // eyeLeft
      }
    }
    return out;
  }

  /**
   * This schema with the left/right pairs given by name instead of found from the names.
   *
   * @param leftToRight each left keypoint's name mapped to its right counterpart's
   * @throws InvalidParameterException naming the keypoint if a name is not in the schema or is in
   *     more than one pair
   */
  public KeypointSchema withPairs(java.util.Map<String, String> leftToRight) {
    List<Pair> ps = new ArrayList<>();
    for (java.util.Map.Entry<String, String> e : new java.util.TreeMap<>(leftToRight).entrySet()) {
      ps.add(new Pair(index(e.getKey()), index(e.getValue())));
    }
    return new KeypointSchema(category, names, sigmas, ps, skeleton);
  }

  /** This schema with a skeleton. */
  public KeypointSchema withSkeleton(List<Limb> limbs) {
    return new KeypointSchema(category, names, sigmas, pairs, limbs);
  }

  private int index(String name) {
    int i = names.indexOf(name);
    InvalidParameterException.check(i >= 0, "keypoint schema '%s' has no keypoint '%s';"
        + " expected one of %s", category, name, names);
    return i;
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
