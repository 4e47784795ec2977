package dev.groundwork.core.train;

/** A quantity a {@link Fit} can watch for early stopping and the best checkpoint. */
public enum Metric {
  /** Mean training cross-entropy over the epoch (lower is better). */
  TRAIN_LOSS(false),
  /** Training accuracy over the epoch (higher is better). */
  TRAIN_ACCURACY(true),
  /** Mean cross-entropy on the validation set (lower is better). */
  VALIDATION_LOSS(false),
  /** Accuracy on the validation set (higher is better). */
  VALIDATION_ACCURACY(true);

  private final boolean higherIsBetter;

  Metric(boolean higherIsBetter) {
    this.higherIsBetter = higherIsBetter;
  }

  /** Whether a larger value is an improvement. */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** Whether this metric needs a validation set. */
  public boolean needsValidation() {
    return this == VALIDATION_LOSS || this == VALIDATION_ACCURACY;
  }

  /** Whether {@code value} improves on {@code best} by more than {@code minDelta}. */
  public boolean improves(double value, double best, double minDelta) {
    if (Double.isNaN(best)) {
      return !Double.isNaN(value);
    }
    return higherIsBetter ? value > best + minDelta : value < best - minDelta;
  }
}
