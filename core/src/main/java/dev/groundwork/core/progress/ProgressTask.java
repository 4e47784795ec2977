package dev.groundwork.core.progress;

import dev.groundwork.core.InvalidParameterException;
import java.time.Duration;
import java.util.Objects;

/**
 * The producer's side of a {@link Progress}: one running task that reports steps in order and
 * ends at its total exactly once. Long steps in Groundwork use it; so can your own code.
 *
 * <pre>{@code
 * ProgressTask t = ProgressTask.start(progress, "my step", items.size());
 * for (int i = 0; i < items.size(); i++) { work(items.get(i)); t.step(i + 1, ""); }
 * t.finish("all done");
 * }</pre>
 *
 * <p>A listener that throws stops the task's work: the exception reaches the caller.
 */
public final class ProgressTask {

  private final Progress listener;
  private final String task;
  private final long total;
  private final long start = System.nanoTime();
  private long last;
  private boolean finished;

  private ProgressTask(Progress listener, String task, long total) {
    this.listener = Objects.requireNonNull(listener, "progress");
    this.task = Objects.requireNonNull(task, "task");
    InvalidParameterException.check(total >= 1, "total must be ≥ 1, got %d", total);
    this.total = total;
  }

  /** Starts a task of {@code total} units: {@code listener} gets step 0 now. */
  public static ProgressTask start(Progress listener, String task, long total) {
    ProgressTask t = new ProgressTask(listener, task, total);
    t.emit(0, "");
    return t;
  }

  /** The task's name. */
  public String task() {
    return task;
  }

  /** The task's total. */
  public long total() {
    return total;
  }

  /**
   * Reports {@code step} units done. Reports at or below the last step, and after {@link
   * #finish}, are ignored; a step at the total finishes the task.
   */
  public void step(long step, String message) {
    if (finished || step <= last) {
      return;
    }
    long s = Math.min(step, total);
    emit(s, message);
    if (s == total) {
      finished = true;
    }
  }

  /** Ends the task: reports the total with {@code message} (why it ended), once. */
  public void finish(String message) {
    if (finished) {
      return;
    }
    finished = true;
    emit(total, message);
  }

  private void emit(long step, String message) {
    last = step;
    listener.update(new ProgressUpdate(task, step, total, message == null ? "" : message,
        Duration.ofNanos(System.nanoTime() - start)));
  }
}
