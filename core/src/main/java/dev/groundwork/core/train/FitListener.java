package dev.groundwork.core.train;

import dev.groundwork.core.model.StepResult;

/**
 * Hears a {@link Fit} as it runs, e.g. to log to your own system or to stop it; every method has
 * an empty default. Listeners run on the fitting thread, between steps.
 */
public interface FitListener {

  /** Before the first step of {@code epoch} (from 1). */
  default void epochStarted(int epoch) {}

  /** After each step; {@code step} counts from 0 over the whole fit. */
  default void stepFinished(int epoch, long step, StepResult result) {}

  /** After the epoch's validation and checkpoint; call {@code control.stop(...)} to end the fit. */
  default void epochFinished(EpochRecord record, Control control) {}

  /** Lets a listener end the fit after the current epoch. */
  interface Control {
    /** Ends the fit after this epoch, with a reason recorded in the result. */
    void stop(String reason);
  }
}
