package dev.groundwork.core.compare;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.train.LrSchedule;
import java.util.Objects;

/**
 * How a trained candidate is trained: the number of epochs and the learning-rate schedule of the
 * fit loop ({@link dev.groundwork.core.train.Fit}); batch size, optimizer and seed come from the
 * model's {@code TrainConfig}.
 *
 * <pre>{@code
 * Recipe r = Recipe.epochs(5).schedule(LrSchedule.cosine());
 * }</pre>
 *
 * @param epochs passes over the training set, ≥ 1
 * @param schedule the learning-rate schedule
 */
public record Recipe(int epochs, LrSchedule schedule) {

  /** Checks the values. */
  public Recipe {
    InvalidParameterException.check(epochs >= 1, "a recipe needs epochs ≥ 1, got %d", epochs);
    Objects.requireNonNull(schedule, "schedule");
  }

  /** {@code n} epochs at a constant learning rate. */
  public static Recipe epochs(int n) {
    return new Recipe(n, LrSchedule.constant());
  }

  /** This recipe with another schedule. */
  public Recipe schedule(LrSchedule s) {
    return new Recipe(epochs, s);
  }

  @Override
  public String toString() {
    return epochs + " epoch" + (epochs == 1 ? "" : "s") + ", " + schedule;
  }
}
