package dev.groundwork.core.progress;

import dev.groundwork.core.InvalidParameterException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The console renderer behind {@link Progress#lines} and {@link Progress#bar}. */
final class ConsoleProgress implements Progress {

  private static final int WIDTH = 24;

  private final PrintStream out;
  private final boolean bar;
  private final long everyNanos;
  /** Per task: when it last printed (elapsed nanos). */
  private final Map<String, Long> printed = new HashMap<>();
  private int drawnLength;

  ConsoleProgress(PrintStream out, boolean bar, Duration every) {
    this.out = Objects.requireNonNull(out, "out");
    Objects.requireNonNull(every, "every");
    InvalidParameterException.check(!every.isNegative(), "every must be ≥ 0, got %s", every);
    this.bar = bar;
    this.everyNanos = every.toNanos();
  }

  /** Whether the JVM has an interactive terminal (on JDK 22+, also {@code Console.isTerminal}). */
  static boolean interactive() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      Method m = c.getClass().getMethod("isTerminal");
      return (Boolean) m.invoke(c);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // before JDK 22 a console exists only on a terminal
    }
  }

  @Override
  public synchronized void update(ProgressUpdate u) {
    long now = u.elapsed().toNanos();
    if (u.done()) {
      printed.remove(u.task());
      clear();
      out.println(doneLine(u));
      out.flush();
      return;
    }
    Long last = printed.get(u.task());
    if (last == null) {
      printed.put(u.task(), 0L);
      if (!bar) {
        return; // first line after `every`
      }
      last = Long.MIN_VALUE / 2;
    }
    if (now - last < everyNanos) {
      return;
    }
    printed.put(u.task(), now);
    if (bar) {
      String line = barLine(u);
      out.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
      drawnLength = line.length();
    } else {
      out.println(progressLine(u));
    }
    out.flush();
  }

  private void clear() {
    if (drawnLength > 0) {
      out.print("\r" + " ".repeat(drawnLength) + "\r");
      drawnLength = 0;
    }
  }

  static String progressLine(ProgressUpdate u) {
    return String.format(Locale.ROOT, "  %s  %d/%d (%d%%)%s · %s elapsed%s", u.task(), u.step(),
        u.total(), (int) (100 * u.fraction()), message(u), clock(u.elapsed()),
        u.eta().map(d -> ", ETA " + clock(d)).orElse(""));
  }

  static String barLine(ProgressUpdate u) {
    int filled = (int) (WIDTH * u.fraction());
    return String.format(Locale.ROOT, "  %s [%s%s] %3d%% %d/%d%s%s", u.task(), "=".repeat(filled),
        " ".repeat(WIDTH - filled), (int) (100 * u.fraction()), u.step(), u.total(), message(u),
        u.eta().map(d -> " · ETA " + clock(d)).orElse(""));
  }

  static String doneLine(ProgressUpdate u) {
    return "  " + u.task() + "  done in " + clock(u.elapsed()) + message(u);
  }

  private static String message(ProgressUpdate u) {
    return u.message().isEmpty() ? "" : " · " + u.message();
  }

  /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
  static String clock(Duration d) {
    long s = d.toSeconds();
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
