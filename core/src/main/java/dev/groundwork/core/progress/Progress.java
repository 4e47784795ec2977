package dev.groundwork.core.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;

/**
 * Receives the progress of a long step: the overfit check, the LR finder, cross-validation,
 * embedding a dataset, the fit loop. Each of them takes one through {@code progress(Progress)}.
 *
 * <pre>{@code
 * OverfitCheck.of(model).on(hundred).progress(Progress.console(System.out)).run();
 * LrFinder.of(model).on(train).progress(Progress.quiet()).run();
 * LrFinder.of(model).on(train).progress(u -> log.debug("{} {}/{}", u.task(), u.step(), u.total()))
 *     .run();
 * }</pre>
 *
 * <p><b>Default.</b> Every long step defaults to {@link #auto()}: a redrawn bar on standard error
 * when the JVM runs on an interactive terminal, and nothing otherwise — a service or a CI log gets
 * no progress unless it asks for it, with {@link #console(PrintStream)} (sparse lines, at most one
 * per task every {@link #DEFAULT_INTERVAL}) or a listener of its own.
 *
 * <p>Updates arrive on the thread doing the work, once per unit of work (a training step, a
 * batch): a listener should be quick, and renders as sparsely as it likes. For one task the steps
 * never decrease and the last update has {@code step == total}.
 */
@FunctionalInterface
public interface Progress {

  /** The least time between two lines of one task in {@link #console(PrintStream)}'s line mode. */
  Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  /** Receives one update. */
  void update(ProgressUpdate update);

  /** Also sends every update to {@code other}. */
  default Progress and(Progress other) {
    Objects.requireNonNull(other, "other");
    return u -> {
      update(u);
      other.update(u);
    };
  }

  /** Nothing. */
  static Progress quiet() {
    return u -> { };
  }

  /**
   * The default of every long step: {@link #bar(PrintStream) a bar} on standard error when the
   * JVM runs on an interactive terminal, else {@link #quiet()}.
   */
  static Progress auto() {
    return ConsoleProgress.interactive() ? bar(System.err) : quiet();
  }

  /**
   * For programs that print their results: on an interactive terminal (with {@code out} standard
   * output or standard error) a redrawn bar, else {@link #lines(PrintStream, Duration) lines} at
   * most every {@link #DEFAULT_INTERVAL} per task and one when it ends.
   */
  static Progress console(PrintStream out) {
    Objects.requireNonNull(out, "out");
    boolean terminal = ConsoleProgress.interactive() && (out == System.out || out == System.err);
    return terminal ? bar(out) : lines(out, DEFAULT_INTERVAL);
  }

  /**
   * Sparse lines, for logs: one when a task has run for {@code every} and one every {@code every}
   * after that ({@code "  LR finder  40/100 (40%) · lr 2.5e-04 · loss 2.231 · 0:10 elapsed, ETA
   * 0:15"}), and one when it ends ({@code "  LR finder  done in 0:21 · loss diverged at lr
   * 0.52"}). A task shorter than {@code every} prints only its last line. No carriage returns.
   */
  static Progress lines(PrintStream out, Duration every) {
    return new ConsoleProgress(out, false, every);
  }

  /**
   * A line redrawn in place with carriage returns at most four times a second ({@code "  LR finder
   * [=========               ] 40% 40/100 · lr 2.5e-04 · loss 2.231 · ETA 0:15"}), replaced by
   * the task's last line when it ends.
   */
  static Progress bar(PrintStream out) {
    return new ConsoleProgress(out, true, Duration.ofMillis(250));
  }
}
