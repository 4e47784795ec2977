package dev.groundwork.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The examples with the highest cross-entropy loss {@code −ln p(true label)}, highest first: the
 * confident mistakes to look at first (and the likeliest label errors).
 *
 * @param losses the highest-loss examples, highest first (ties: lower index first)
 * @param meanLoss the mean cross-entropy over all examples
 * @param provenance where the numbers come from
 */
public record TopLosses(List<Loss> losses, double meanLoss, ClassificationProvenance provenance) {

  /** The smallest probability used in the log, so a zero probability gives a finite loss. */
  public static final double EPSILON = 1e-15;

  /**
   * One example's loss.
   *
   * @param id the example id
   * @param index its position in the predictions
   * @param label its true class name
   * @param predicted its predicted class name
   * @param probability the predicted probability of the true class
   * @param loss {@code −ln max(probability, 1e-15)}
   */
  public record Loss(String id, int index, String label, String predicted, double probability,
      double loss) {}

  /** Copies the list. */
  public TopLosses {
    losses = List.copyOf(losses);
    Objects.requireNonNull(provenance, "provenance");
  }

  static TopLosses of(ClassificationPredictions p, int k, ClassificationProvenance provenance) {
    int c = p.numClasses();
    int n = p.size();
    int[] y = p.labelsView();
    float[] probs = p.probs;
    int cap = Math.min(Math.max(k, 0), n);
    // a min-heap of the k largest (loss, -index) pairs
    double[] heapLoss = new double[cap];
    int[] heapIdx = new int[cap];
    int size = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double loss = -Math.log(Math.max(probs[i * c + y[i]], EPSILON));
      sum += loss;
      if (cap == 0) {
        continue;
      }
      if (size < cap) {
        heapLoss[size] = loss;
        heapIdx[size] = i;
        siftUp(heapLoss, heapIdx, size++);
      } else if (loss > heapLoss[0]) {
        heapLoss[0] = loss;
        heapIdx[0] = i;
        siftDown(heapLoss, heapIdx, size);
      }
    }
    List<Loss> out = new ArrayList<>(size);
    Integer[] order = new Integer[size];
    for (int j = 0; j < size; j++) {
      order[j] = j;
    }
    java.util.Arrays.sort(order, (a, b) -> heapLoss[a] != heapLoss[b]
        ? Double.compare(heapLoss[b], heapLoss[a]) : Integer.compare(heapIdx[a], heapIdx[b]));
    for (int j : order) {
      int i = heapIdx[j];
      int pred = ClassificationPredictions.argmax(probs, i * c, c);
      out.add(new Loss(p.id(i), i, p.classes().get(y[i]), p.classes().get(pred),
          probs[i * c + y[i]], heapLoss[j]));
    }
    return new TopLosses(out, n == 0 ? 0 : sum / n, provenance);
  }

  /** "Smaller" = lower loss, or the same loss and a higher index (so lower indices win ties). */
  private static boolean less(double[] l, int[] idx, int a, int b) {
    return l[a] < l[b] || (l[a] == l[b] && idx[a] > idx[b]);
  }

  private static void siftUp(double[] l, int[] idx, int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!less(l, idx, i, parent)) {
        return;
      }
      swap(l, idx, i, parent);
      i = parent;
    }
  }

  private static void siftDown(double[] l, int[] idx, int size) {
    int i = 0;
    while (true) {
      int left = 2 * i + 1;
      int right = left + 1;
      int smallest = i;
      if (left < size && less(l, idx, left, smallest)) {
        smallest = left;
      }
      if (right < size && less(l, idx, right, smallest)) {
        smallest = right;
      }
      if (smallest == i) {
        return;
      }
      swap(l, idx, i, smallest);
      i = smallest;
    }
  }

  private static void swap(double[] l, int[] idx, int a, int b) {
    double t = l[a];
    l[a] = l[b];
    l[b] = t;
    int u = idx[a];
    idx[a] = idx[b];
    idx[b] = u;
  }

  /** The first {@code k} (at most as many as were kept). */
  public List<Loss> top(int k) {
    return losses.subList(0, Math.min(Math.max(k, 0), losses.size()));
  }

  /** The ids of the kept examples, highest loss first. */
  public List<String> ids() {
    return losses.stream().map(Loss::id).toList();
  }

  @Override
  public String toString() {
    ClassificationTable t = new ClassificationTable("id", "label", "predicted", "p(label)",
        "loss");
    for (Loss l : top(10)) {
      t.row(l.id(), l.label(), l.predicted(), l.probability(), l.loss());
    }
    return String.format(java.util.Locale.ROOT, "top losses (mean loss %.4f, %d kept)%n",
        meanLoss, losses.size()) + t;
  }
}
