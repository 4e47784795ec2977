package dev.groundwork.core.model;

import java.util.Map;

/**
 * What one training step did: the batch's mean loss, each example's loss and prediction before the
 * update, and (when asked for) each parameter's gradient norm.
 *
 * @param loss the mean cross-entropy of the batch (NaN or infinite when training diverged)
 * @param exampleLoss the loss of each example of the batch
 * @param predicted the class each example was predicted as in the forward pass
 * @param gradientNorms L2 norm of each trainable parameter's gradient, by name; empty unless
 *     gradients were collected
 * @param learningRate the learning rate the step used
 */
public record StepResult(double loss, float[] exampleLoss, int[] predicted,
    Map<String, Double> gradientNorms, double learningRate) {

  /** Copies the gradient map. */
  public StepResult {
    gradientNorms = Map.copyOf(gradientNorms);
  }

  /** How many examples of the batch were predicted right, given their labels. */
  public int correct(int[] labels) {
    int n = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] == labels[i]) {
        n++;
      }
    }
    return n;
  }
}
