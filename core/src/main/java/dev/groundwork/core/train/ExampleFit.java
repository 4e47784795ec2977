package dev.groundwork.core.train;

/**
 * How one example fared in an overfit check.
 *
 * @param id the example's id
 * @param label its class name
 * @param fitStep the step from which it stayed predicted right, or -1 if it never fit
 * @param finalLoss its loss at the last evaluation
 * @param predicted the class it was predicted as at the last evaluation
 * @param meanMargin the probability of its label minus the largest other probability, averaged
 *     over every evaluation during training (the area under the margin, in probabilities); low or
 *     negative for examples the model fits late or never, which are often mislabeled
 */
public record ExampleFit(String id, String label, int fitStep, double finalLoss, String predicted,
    double meanMargin) {

  /** Whether it was predicted right at the end. */
  public boolean fit() {
    return fitStep >= 0;
  }

  @Override
  public String toString() {
    return id + " (" + label + (fit() ? ", fit at step " + fitStep
        : ", never fit, predicted " + predicted) + String.format(java.util.Locale.ROOT,
        ", loss %.3g, margin %+.2f)", finalLoss, meanMargin);
  }
}
