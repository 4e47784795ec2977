package dev.groundwork.core.model;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;

/**
 * A classification model behind a backend: predicts class probabilities for batches.
 *
 * <p>{@link #predict(Batch)} is safe to call from several threads at once and gives each caller
 * the same output a single caller would get. A model owns native memory: close it.
 */
public interface Model extends AutoCloseable {

  /** The model's name, e.g. {@code small-cnn}. */
  String name();

  /** The input spec and classes the model was built for. */
  DatasetSpec spec();

  /**
   * Class probabilities for a batch.
   *
   * @throws dev.groundwork.core.InvalidParameterException if the batch's shape does not match
   *     {@link #spec()}
   */
  ClassProbabilities predict(Batch batch);

  /** Class probabilities for every example of a dataset, in dataset order. */
  default ClassProbabilities predict(Dataset data, int batchSize) {
    int classes = spec().numClasses();
    // one array for the whole dataset, filled batch by batch (appending would copy it each time)
    float[] values = new float[Math.multiplyExact(data.size(), classes)];
    int rows = 0;
    for (Batch b : data.batches(batchSize)) {
      ClassProbabilities p = predict(b);
      System.arraycopy(p.values(), 0, values, rows * classes, p.rows() * classes);
      rows += p.rows();
    }
    return new ClassProbabilities(rows, classes, values);
  }

  /** Parameters with shapes and counts, and the backend. */
  ModelSummary summary();

  /**
   * How the model's engine uses threads when predicting, e.g. {@code intra-op threads 2 (1 for
   * batches ≤ 8)}; recorded with runtime profiles. The default says the backend does not report it.
   */
  default String threading() {
    return "threads not reported by the backend";
  }

  /** Releases the model's native memory; the model cannot be used afterwards. */
  @Override
  void close();
}
