package dev.groundwork.core.model;

import java.util.List;

/**
 * The detections of a batch: for each example, its objects, highest score first.
 *
 * @param perExample one list per example of the batch, in batch order
 */
public record Detections(List<List<Detection>> perExample) {

  /** Copies the lists. */
  public Detections {
    perExample = perExample.stream().map(List::copyOf).toList();
  }

  /** The number of examples. */
  public int rows() {
    return perExample.size();
  }

  /** The objects detected in example {@code row}. */
  public List<Detection> get(int row) {
    return perExample.get(row);
  }

  /** The number of objects over all examples. */
  public int total() {
    return perExample.stream().mapToInt(List::size).sum();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Detections[" + rows() + " examples, " + total()
        + " objects]");
    for (int i = 0; i < Math.min(rows(), 5); i++) {
      sb.append(System.lineSeparator()).append("  ").append(i).append(": ").append(get(i));
    }
    return sb.toString();
  }
}
