package dev.groundwork.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The console renderers print what docs/progress.md shows. */
class ConsoleProgressTest {

  private static ProgressUpdate at(String task, long step, long total, String message, int s) {
    return new ProgressUpdate(task, step, total, message, Duration.ofSeconds(s));
  }

  /** A 100-step task whose steps take 0.3 s each, rendered by {@code progress}. */
  private static String render(java.util.function.Function<PrintStream, Progress> progress) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Progress p = progress.apply(new PrintStream(buf, true, StandardCharsets.UTF_8));
    for (int s = 0; s < 100; s++) {
      p.update(new ProgressUpdate("LR finder", s, 100, s == 0 ? "" : "loss 2.231",
          Duration.ofMillis(300L * s)));
    }
    p.update(new ProgressUpdate("LR finder", 100, 100, "swept the whole range",
        Duration.ofSeconds(30)));
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void linesPrintOnePerIntervalAndOneAtTheEndWithoutCarriageReturns() {
    String out = render(s -> Progress.lines(s, Duration.ofSeconds(10)));
    assertThat(out).isEqualTo(String.join("\n",
        "  LR finder  34/100 (34%) · loss 2.231 · 0:10 elapsed, ETA 0:19",
        "  LR finder  68/100 (68%) · loss 2.231 · 0:20 elapsed, ETA 0:09",
        "  LR finder  done in 0:30 · swept the whole range", ""));
  }

  @Test
  void aTaskShorterThanTheIntervalPrintsOnlyItsLastLine() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Progress p = Progress.lines(new PrintStream(buf, true, StandardCharsets.UTF_8),
        Progress.DEFAULT_INTERVAL);
    p.update(at("fit", 0, 10, "", 0));
    p.update(at("fit", 5, 10, "epoch 1/2 · loss 0.4000", 4));
    p.update(at("fit", 10, 10, "2 epochs", 9));
    assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("  fit  done in 0:09 · 2 epochs\n");
  }

  @Test
  void tasksAreThrottledApart() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Progress p = Progress.lines(new PrintStream(buf, true, StandardCharsets.UTF_8),
        Duration.ofSeconds(10));
    p.update(at("a", 0, 4, "", 0));
    p.update(at("b", 0, 4, "", 0));
    p.update(at("a", 1, 4, "", 11));
    p.update(at("b", 1, 4, "", 5));
    p.update(at("b", 2, 4, "", 12));
    assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(
        "  a  1/4 (25%) · 0:11 elapsed, ETA 0:33\n  b  2/4 (50%) · 0:12 elapsed, ETA 0:12\n");
  }

  @Test
  void theBarRedrawsOneLineAtMostFourTimesASecondThenPrintsTheLastLine() {
    String out = render(Progress::bar);
    // 0.3 s per step: every step is drawn after at least 0.25 s, so 100 draws and one line
    assertThat(out.chars().filter(c -> c == '\r').count()).isEqualTo(100 + 2);
    assertThat(out.split("\n")).hasSize(1);
    assertThat(out).startsWith("\r  LR finder [                        ]   0% 0/100");
    assertThat(out).contains("\r  LR finder [============            ]  50% 50/100 · loss 2.231"
        + " · ETA 0:15");
    assertThat(out).endsWith("\r  LR finder  done in 0:30 · swept the whole range\n");
  }

  @Test
  void updatesAreChecked() {
    assertThatThrownBy(() -> at("x", 5, 4, "", 0)).isInstanceOf(
        InvalidParameterException.class).hasMessageContaining("step must be in [0, 4], got 5");
    assertThatThrownBy(() -> ProgressTask.start(Progress.quiet(), "x", 0)).isInstanceOf(
        InvalidParameterException.class).hasMessageContaining("total must be ≥ 1, got 0");
  }

  @Test
  void aTaskIgnoresStepsBackwardsAndFinishesOnce() {
    java.util.List<ProgressUpdate> seen = new java.util.ArrayList<>();
    ProgressTask t = ProgressTask.start(seen::add, "t", 10);
    t.step(3, "");
    t.step(2, "");
    t.step(3, "");
    t.finish("stopped early");
    t.step(4, "");
    t.finish("again");
    assertThat(seen).extracting(ProgressUpdate::step).containsExactly(0L, 3L, 10L);
    assertThat(seen.get(2).message()).isEqualTo("stopped early");
  }
}
