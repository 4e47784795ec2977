package dev.groundwork.core.data;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The batches of a dataset for one pass: a size, an optional shuffle seed and whether to drop a
 * short last batch. Each {@link #iterator()} is a fresh pass in the same order; {@link #epoch(int)}
 * gives pass {@code e} its own order, still fixed by the seed.
 *
 * <p>Inputs are decoded straight into each batch's contiguous array, one batch at a time. That
 * array may take at most {@link #MAX_BATCH_BYTES}; a batch size (or input shape) that would need
 * more is refused when the batches are made, before anything is decoded or allocated.
 */
public final class Batches implements Iterable<Batch> {

  /**
   * The most bytes one batch's input array may take: 1 GiB, i.e. 268,435,456 floats (a batch of
   * 256 RGB images of 512 × 512 takes 0.8 GB). The backends copy each batch again into engine
   * memory, so a batch near this size already needs several gigabytes.
   */
  public static final long MAX_BATCH_BYTES = 1L << 30;

  private final Dataset dataset;
  private final int batchSize;
  private final Long seed;
  private final boolean dropLast;

  Batches(Dataset dataset, int batchSize, Long seed, boolean dropLast) {
    InvalidParameterException.check(batchSize >= 1, "batch size must be at least 1, got %d",
        batchSize);
    dataset.requireNonEmpty("batching");
    InvalidParameterException.check(!dropLast || dataset.size() >= batchSize,
        "dropping the last short batch of %s (size %d) at batch size %d leaves no batch",
        dataset.name(), dataset.size(), batchSize);
    checkBytes(dataset, batchSize);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  /** Refuses a batch whose input array would take more than {@link #MAX_BATCH_BYTES}. */
  private static void checkBytes(Dataset dataset, int batchSize) {
    DatasetSpec spec = dataset.spec();
    if (spec.inputKind() != InputKind.TENSOR) {
      return;
    }
    long perExample = DatasetSpec.elementCount(spec.inputShape());
    long largest = Math.min(batchSize, dataset.size());
    long bytes = largest * perExample * Float.BYTES;
    if (bytes <= MAX_BATCH_BYTES) {
      return;
    }
    long fits = MAX_BATCH_BYTES / (perExample * Float.BYTES);
    throw new InvalidParameterException(String.format(java.util.Locale.ROOT, "a batch of %d "
        + "examples of %s from %s is %,d floats = %,d bytes, more than the %,d bytes one batch may"
        + " take (Batches.MAX_BATCH_BYTES); %s", largest, Arrays.toString(spec.inputShape()),
        dataset.name(), largest * perExample, bytes, MAX_BATCH_BYTES, fits >= 1
            ? "use a batch size of at most " + fits
            : "one example alone is too large: load smaller inputs (for image folders, "
                + "ImageFolderOptions.builder().size(h, w))"));
  }

  /** The number of batches in one pass. */
  public int count() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** The batch size. */
  public int batchSize() {
    return batchSize;
  }

  /** The first pass (epoch 0). */
  @Override
  public Iterator<Batch> iterator() {
    return epoch(0);
  }

  /** Pass number {@code epoch}: shuffled with a generator derived from the seed and the epoch. */
  public Iterator<Batch> epoch(int epoch) {
    int[] order = IntStream.range(0, dataset.size()).toArray();
    if (seed != null) {
      Dataset.shuffleInPlace(order, new Random(seed + 0x9E3779B97F4A7C15L * epoch));
    }
    int batches = count();
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < batches;
      }

      @Override
      public Batch next() {
        if (next >= batches) {
          throw new NoSuchElementException();
        }
        int from = next * batchSize;
        int to = Math.min(from + batchSize, order.length);
        next++;
        return build(order, from, to);
      }
    };
  }

  private Batch build(int[] order, int from, int to) {
    int n = to - from;
    DatasetSpec spec = dataset.spec();
    int[] labels = new int[n];
    List<String> ids = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      labels[k] = dataset.label(order[from + k]);
      ids.add(dataset.id(order[from + k]));
    }
    if (spec.inputKind() == InputKind.TEXT) {
      List<String> texts = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        Input in = dataset.input(order[from + k]);
        if (!(in instanceof TextInput t)) {
          throw new DataFormatException(dataset.name() + ": example " + ids.get(k)
              + " is not a text but the spec says text", dataset.origin(), order[from + k], null);
        }
        texts.add(t.text());
      }
      return new Batch(new int[] {n}, new float[0], texts, labels, ids);
    }
    int[] inputShape = spec.inputShape();
    int size = spec.inputSize();
    float[] values = new float[n * size];
    for (int k = 0; k < n; k++) {
      dataset.decodeInto(order[from + k], values, k * size);
    }
    int[] shape = new int[inputShape.length + 1];
    shape[0] = n;
    System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
    return new Batch(shape, values, List.of(), labels, ids);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%d batches of %d from %s%s%s", count(), batchSize,
        dataset.name(), seed == null ? "" : ", shuffled (seed " + seed + ")",
        dropLast ? ", last short batch dropped" : "");
  }
}
