package dev.groundwork.core.progress;

import dev.groundwork.core.InvalidParameterException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One report of a long step's progress: {@code step} of {@code total} units of {@code task} done,
 * after {@code elapsed}, with a short {@code message} (the running loss, the current fold).
 *
 * <p>For one task a listener sees steps that never decrease, the first at 0 and the last equal to
 * {@code total} ({@link #done()}), also when the step ends early (a target reached, a loss that
 * diverged): the final message says why.
 *
 * @param task what is running, e.g. {@code "LR finder"}
 * @param step units done, in {@code [0, total]}
 * @param total units in the task, ≥ 1
 * @param message the state in a few words; may be empty
 * @param elapsed time since the task started
 */
public record ProgressUpdate(String task, long step, long total, String message,
    Duration elapsed) {

  /** Checks the fields. */
  public ProgressUpdate {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(elapsed, "elapsed");
    InvalidParameterException.check(total >= 1, "total must be ≥ 1, got %d", total);
    InvalidParameterException.check(step >= 0 && step <= total,
        "step must be in [0, %d], got %d", total, step);
  }

  /** Whether the task has ended ({@code step == total}). */
  public boolean done() {
    return step == total;
  }

  /** The fraction done, in [0, 1]. */
  public double fraction() {
    return (double) step / total;
  }

  /** The time left at the rate so far, once at least one step is done and the task is not. */
  public Optional<Duration> eta() {
    if (step == 0 || done()) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos((long) (elapsed.toNanos() / (double) step
        * (total - step))));
  }
}
