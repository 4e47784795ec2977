package dev.groundwork.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic predictions for tests: labels, a per-example error decision, confident scores. */
final class Synthetic {
  private Synthetic() {}

  static List<String> classes(int c) {
    List<String> names = new ArrayList<>();
    for (int k = 0; k < c; k++) {
      names.add("class" + k);
    }
    return names;
  }

  /** Predictions whose example i is wrong exactly when {@code wrong[i]}. */
  static ClassificationPredictions predictions(boolean[] wrong, int c, Random rng) {
    int n = wrong.length;
    List<String> ids = new ArrayList<>(n);
    int[] labels = new int[n];
    float[] probs = new float[n * c];
    for (int i = 0; i < n; i++) {
      ids.add(String.format("ex-%05d", i));
      labels[i] = rng.nextInt(c);
      int pred = wrong[i] ? (labels[i] + 1 + rng.nextInt(c - 1)) % c : labels[i];
      float top = 0.5f + 0.45f * rng.nextFloat();
      for (int k = 0; k < c; k++) {
        probs[i * c + k] = k == pred ? top : (1 - top) / (c - 1);
      }
    }
    return ClassificationPredictions.of(ids, labels, probs, classes(c));
  }
}
