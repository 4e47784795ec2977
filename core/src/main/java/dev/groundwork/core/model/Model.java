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
    ClassProbabilities all = new ClassProbabilities(0, spec().numClasses(), new float[0]);
    for (Batch b : data.batches(batchSize)) {
      all = all.append(predict(b));
    }
    return all;
  }

  /** Parameters with shapes and counts, and the backend. */
  ModelSummary summary();

  /** Releases the model's native memory; the model cannot be used afterwards. */
  @Override
  void close();
}
