package dev.groundwork.core.data;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/** Test fixture: a copy of a dataset with a seeded share of its labels flipped to another class. */
public final class LabelNoise {

  /**
   * The noisy dataset and the positions whose label was flipped.
   *
   * @param noisy the relabeled dataset (same ids, same order)
   * @param flipped positions of the flipped examples
   */
  public record Flipped(Dataset noisy, Set<Integer> flipped) {}

  private LabelNoise() {}

  /**
   * Flips {@code n / 10} labels (for {@code fraction} 0.1): a seeded Fisher–Yates order picks the
   * examples, each moves to a uniformly drawn other class.
   */
  public static Flipped flip(Dataset clean, double fraction, long seed) {
    int n = clean.size();
    int c = clean.classes().size();
    Random rng = new Random(seed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    Map<String, String> flips = new HashMap<>();
    Set<Integer> flipped = new TreeSet<>();
    for (int k = 0; k < (int) (n * fraction); k++) {
      int i = order[k];
      flips.put(clean.id(i), clean.classes().get((clean.label(i) + 1 + rng.nextInt(c - 1)) % c));
      flipped.add(i);
    }
    return new Flipped(clean.relabel(flips), Set.copyOf(flipped));
  }
}
