package dev.groundwork.core.model;

import dev.groundwork.core.data.Batch;

/**
 * An optional ability of a trainable model: a forward pass in training mode (dropout, noise
 * layers and batch statistics active) that changes nothing. The overfit check compares its loss
 * with the inference-mode loss of {@link Model#predict(Batch)} on the same examples: a large gap
 * names regularisation or batch norm as what keeps the model from fitting. Backends that can run
 * it implement it; the comparison is skipped for the others.
 */
public interface TrainingModeProbe {

  /**
   * The class probabilities of {@code batch} from a forward pass in training mode, without
   * gradients; parameters and running statistics (batch norm) are left as they were.
   *
   * @throws dev.groundwork.core.InvalidParameterException if the batch does not fit the model
   */
  ClassProbabilities predictInTrainingMode(Batch batch);
}
