package dev.groundwork.core.train;

import dev.groundwork.core.InvalidParameterException;
import java.util.Locale;

/**
 * How the learning rate moves over a {@link Fit}: a function of the step, the total number of
 * steps and the base rate (the model's learning rate when the fit starts).
 *
 * <pre>{@code
 * Fit.of(model).on(train).epochs(10).schedule(LrSchedule.oneCycle(0.3)).run();
 * }</pre>
 *
 * <p>Each schedule is a value; its {@code toString()} is recorded in the result and in every
 * checkpoint, and a resume refuses a checkpoint written under another schedule.
 */
public interface LrSchedule {

  /**
   * The learning rate of a step.
   *
   * @param base the base learning rate
   * @param step the zero-based step over the whole fit
   * @param totalSteps the steps of the whole fit
   * @param stepsPerEpoch the steps of one epoch
   */
  double rate(double base, long step, long totalSteps, int stepsPerEpoch);

  /** The base rate throughout. */
  static LrSchedule constant() {
    return new Constant();
  }

  /**
   * The base rate multiplied by {@code gamma} every {@code everyEpochs} epochs (PyTorch's
   * {@code StepLR}).
   */
  static LrSchedule step(int everyEpochs, double gamma) {
    return new Step(everyEpochs, gamma);
  }

  /**
   * Cosine annealing from the base rate towards {@code minFactor × base}, reached one step after
   * the last (PyTorch's {@code CosineAnnealingLR} with {@code T_max} = the fit's steps), so every
   * step has a positive rate.
   */
  static LrSchedule cosine(double minFactor) {
    return new Cosine(minFactor);
  }

  /** Cosine annealing to zero; see {@link #cosine(double)}. */
  static LrSchedule cosine() {
    return new Cosine(0);
  }

  /**
   * The one-cycle policy with warm-up: from {@code base / 25} up to the base rate over the first
   * {@code warmupFraction} of the steps, then cosine annealing towards {@code base / 25 / 10⁴}
   * (the defaults of PyTorch's {@code OneCycleLR}, with the base rate as its maximum).
   */
  static LrSchedule oneCycle(double warmupFraction) {
    return new OneCycle(warmupFraction, 25, 1e4);
  }

  /** The base rate throughout. */
  record Constant() implements LrSchedule {
    @Override
    public double rate(double base, long step, long totalSteps, int stepsPerEpoch) {
      return base;
    }

    @Override
    public String toString() {
      return "constant";
    }
  }

  /**
   * Step decay.
   *
   * @param everyEpochs epochs between decays, ≥ 1
   * @param gamma the factor at each decay, in (0, 1]
   */
  record Step(int everyEpochs, double gamma) implements LrSchedule {
    /** Checks the values. */
    public Step {
      InvalidParameterException.check(everyEpochs >= 1, "everyEpochs must be ≥ 1, got %d",
          everyEpochs);
      InvalidParameterException.check(gamma > 0 && gamma <= 1, "gamma must be in (0, 1], got %s",
          gamma);
    }

    @Override
    public double rate(double base, long step, long totalSteps, int stepsPerEpoch) {
      long epoch = step / stepsPerEpoch;
      return base * Math.pow(gamma, epoch / everyEpochs);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "step(every %d epochs, ×%s)", everyEpochs, gamma);
    }
  }

  /**
   * Cosine annealing.
   *
   * @param minFactor the final rate as a fraction of the base, in [0, 1)
   */
  record Cosine(double minFactor) implements LrSchedule {
    /** Checks the value. */
    public Cosine {
      InvalidParameterException.check(minFactor >= 0 && minFactor < 1,
          "minFactor must be in [0, 1), got %s", minFactor);
    }

    @Override
    public double rate(double base, long step, long totalSteps, int stepsPerEpoch) {
      double t = (double) step / Math.max(1, totalSteps);
      return base * (minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * t)));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "cosine(to %s×)", minFactor);
    }
  }

  /**
   * One cycle: cosine warm-up, then cosine annealing.
   *
   * @param warmupFraction the share of steps spent warming up, in (0, 1)
   * @param divFactor the start rate is {@code base / divFactor}
   * @param finalDivFactor the final rate is {@code base / divFactor / finalDivFactor}
   */
  record OneCycle(double warmupFraction, double divFactor, double finalDivFactor)
      implements LrSchedule {
    /** Checks the values. */
    public OneCycle {
      InvalidParameterException.check(warmupFraction > 0 && warmupFraction < 1,
          "warmupFraction must be in (0, 1), got %s", warmupFraction);
      InvalidParameterException.check(divFactor >= 1 && finalDivFactor >= 1,
          "divFactor and finalDivFactor must be ≥ 1, got %s and %s", divFactor, finalDivFactor);
    }

    @Override
    public double rate(double base, long step, long totalSteps, int stepsPerEpoch) {
      double start = base / divFactor;
      double end = start / finalDivFactor;
      double warm = Math.max(1, Math.round(warmupFraction * totalSteps));
      if (step < warm) {
        return anneal(start, base, step / warm);
      }
      double rest = Math.max(1, totalSteps - warm);
      return anneal(base, end, Math.min(1, (step - warm) / rest));
    }

    private static double anneal(double from, double to, double t) {
      return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * t));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "one-cycle(warm-up %s, ÷%s, ÷%s)", warmupFraction,
          divFactor, finalDivFactor);
    }
  }
}
