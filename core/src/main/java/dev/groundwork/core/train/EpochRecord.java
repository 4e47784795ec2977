package dev.groundwork.core.train;

import java.util.Locale;

/**
 * One epoch of a {@link Fit}: the training loss and accuracy (averaged over the epoch's steps),
 * the validation loss and accuracy after it ({@code NaN} without a validation set), the learning
 * rate of its last step, and its wall time.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss mean cross-entropy of the training examples, as seen by each step
 * @param trainAccuracy share of training examples predicted right during their step
 * @param validationLoss mean cross-entropy on the validation set, or {@code NaN}
 * @param validationAccuracy accuracy on the validation set, or {@code NaN}
 * @param learningRate the learning rate of the epoch's last step
 * @param trainSeconds wall time of the training steps
 * @param validationSeconds wall time of the validation pass
 * @param examplesPerSecond training examples per second of {@code trainSeconds}
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy,
    double validationLoss, double validationAccuracy, double learningRate, double trainSeconds,
    double validationSeconds, double examplesPerSecond) {

  /** The CSV header matching {@link #toCsv()}. */
  public static final String CSV_HEADER = "epoch,train_loss,train_accuracy,validation_loss,"
      + "validation_accuracy,learning_rate,train_seconds,validation_seconds,examples_per_second";

  /** Whether a validation pass ran. */
  public boolean validated() {
    return !Double.isNaN(validationLoss);
  }

  /** The value of a metric in this epoch. */
  public double value(Metric metric) {
    return switch (metric) {
      case TRAIN_LOSS -> trainLoss;
      case TRAIN_ACCURACY -> trainAccuracy;
      case VALIDATION_LOSS -> validationLoss;
      case VALIDATION_ACCURACY -> validationAccuracy;
    };
  }

  /** This record as one CSV line (empty fields for missing validation). */
  public String toCsv() {
    return String.join(",", Integer.toString(epoch), num(trainLoss), num(trainAccuracy),
        num(validationLoss), num(validationAccuracy), num(learningRate), num(trainSeconds),
        num(validationSeconds), num(examplesPerSecond));
  }

  /** This record as a JSON object ({@code null} for missing validation). */
  public String toJson() {
    return String.format(Locale.ROOT, "{\"epoch\":%d,\"train_loss\":%s,\"train_accuracy\":%s,"
        + "\"validation_loss\":%s,\"validation_accuracy\":%s,\"learning_rate\":%s,"
        + "\"train_seconds\":%s,\"validation_seconds\":%s,\"examples_per_second\":%s}", epoch,
        json(trainLoss), json(trainAccuracy), json(validationLoss), json(validationAccuracy),
        json(learningRate), json(trainSeconds), json(validationSeconds),
        json(examplesPerSecond));
  }

  /** Whether two records agree on everything but wall time, within {@code tolerance}. */
  public boolean sameNumbers(EpochRecord o, double tolerance) {
    return epoch == o.epoch && close(trainLoss, o.trainLoss, tolerance)
        && close(trainAccuracy, o.trainAccuracy, tolerance)
        && close(validationLoss, o.validationLoss, tolerance)
        && close(validationAccuracy, o.validationAccuracy, tolerance)
        && close(learningRate, o.learningRate, tolerance * Math.max(1e-12, learningRate));
  }

  private static boolean close(double a, double b, double tolerance) {
    return Double.isNaN(a) ? Double.isNaN(b) : Math.abs(a - b) <= tolerance;
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  private static String json(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }

  /** {@code epoch  3  train 0.412 / 85.1%  ·  val 0.398 / 86.0%  ·  lr 1.0e-03  ·  21.4 s}. */
  @Override
  public String toString() {
    String val = validated() ? String.format(Locale.ROOT, "  ·  val loss %.4f acc %5.1f%%",
        validationLoss, 100 * validationAccuracy) : "";
    return String.format(Locale.ROOT, "epoch %3d  train loss %.4f acc %5.1f%%%s  ·  lr %.2e  ·  "
        + "%.1f s (%,.0f ex/s)", epoch, trainLoss, 100 * trainAccuracy, val, learningRate,
        trainSeconds + validationSeconds, examplesPerSecond);
  }
}
