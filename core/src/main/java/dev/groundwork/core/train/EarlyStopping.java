package dev.groundwork.core.train;

import dev.groundwork.core.InvalidParameterException;
import java.util.Locale;
import java.util.Objects;

/**
 * Stop a {@link Fit} when a metric has not improved by more than {@code minDelta} for {@code
 * patience} epochs, and optionally restore the best epoch's parameters.
 *
 * <pre>{@code
 * Fit.of(model).on(train).validation(val).epochs(50)
 *     .earlyStopping(EarlyStopping.on(Metric.VALIDATION_LOSS).patience(3)).run();
 * }</pre>
 *
 * @param metric the metric watched
 * @param patience epochs without improvement before stopping, ≥ 1
 * @param minDelta the smallest change that counts as an improvement, ≥ 0
 * @param restoreBest restore the parameters of the best epoch when the fit ends
 */
public record EarlyStopping(Metric metric, int patience, double minDelta, boolean restoreBest) {

  /** Checks the values. */
  public EarlyStopping {
    Objects.requireNonNull(metric, "metric");
    InvalidParameterException.check(patience >= 1, "patience must be ≥ 1, got %d", patience);
    InvalidParameterException.check(minDelta >= 0 && Double.isFinite(minDelta),
        "minDelta must be ≥ 0, got %s", minDelta);
  }

  /** Watches {@code metric} with patience 3, no minimum change, restoring the best epoch. */
  public static EarlyStopping on(Metric metric) {
    return new EarlyStopping(metric, 3, 0, true);
  }

  /** This rule with another patience. */
  public EarlyStopping patience(int epochs) {
    return new EarlyStopping(metric, epochs, minDelta, restoreBest);
  }

  /** This rule with another minimum change. */
  public EarlyStopping minDelta(double delta) {
    return new EarlyStopping(metric, patience, delta, restoreBest);
  }

  /** This rule, restoring the best epoch's parameters at the end or not. */
  public EarlyStopping restoreBest(boolean restore) {
    return new EarlyStopping(metric, patience, minDelta, restore);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "early stopping on %s (patience %d, min Δ %s%s)", metric,
        patience, minDelta, restoreBest ? ", restore best" : "");
  }
}
