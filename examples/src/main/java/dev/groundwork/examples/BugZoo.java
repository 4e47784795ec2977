package dev.groundwork.examples;

import dev.groundwork.core.train.OverfitReport;
import dev.groundwork.djl.DjlRuntime;
import dev.groundwork.djl.OverfitZoo;
import dev.groundwork.examples.results.Results;
import dev.groundwork.examples.results.Transcript;
import java.util.List;
import java.util.Locale;

/**
 * Runs the overfit check's bug zoo (the DJL backend's {@code OverfitZoo}: broken set-ups and
 * healthy controls on 50 Fashion-MNIST images, the set-ups {@code OverfitZooTest} asserts) and
 * records what docs/training.md quotes in {@code docs/results/overfit-zoo.json}: the table of
 * verdicts, diagnoses and causes, the healthy MLP's report and the report of labels shuffled
 * apart from their inputs, and the counts of right causes.
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.BugZoo
 * </pre>
 *
 * <p>Like {@code OverfitZooTest} it runs PyTorch on one intra-op thread. The time-budget set-up's
 * cause depends on the machine's speed (how many steps fit into 5 ms), so its figures are elided
 * in the table; the reports' timings are elided unless {@code -Dgroundwork.quiet=true}.
 */
public final class BugZoo {

  /** The set-up whose full report training.md shows as a PASS. */
  static final String HEALTHY = "healthy MLP";

  /** The set-up whose full report training.md shows as a FAIL. */
  static final String SHUFFLED = "inputs and labels shuffled apart each epoch";

  /** Causes longer than this are cut with {@code …} in the table. */
  static final int CAUSE_WIDTH = 160;

  private BugZoo() {}

  /** Runs every set-up, prints its row, and writes the results file. */
  public static void main(String[] args) {
    DjlRuntime.intraOpThreads(1);
    Results results = Results.start("overfit-zoo", args).version("pytorch", "2.7.1")
        .version("djl", "0.36.0").version("dataset", "fashion-mnist-subset, 50 images (seed 42)");
    StringBuilder table = new StringBuilder(
        "| set-up | verdict · diagnosis | cause |\n|---|---|---|\n");
    List<OverfitZoo.SetUp> all = OverfitZoo.all();
    int broken = 0;
    int right = 0;
    int controls = 0;
    int controlsPassed = 0;
    for (OverfitZoo.SetUp s : all) {
      OverfitReport r = s.run().get();
      boolean asExpected = r.verdict() == s.verdict() && r.diagnosis().name().equals(s.diagnosis())
          && r.cause().contains(s.cause());
      if (s.control()) {
        controls++;
        controlsPassed += asExpected ? 1 : 0;
      } else {
        broken++;
        right += asExpected ? 1 : 0;
      }
      String row = String.format(Locale.ROOT, "| %s%s | %s · %s | %s |", s.name(),
          s.control() ? " (control)" : "", r.verdict(), r.diagnosis(), cell(r));
      System.out.println(row + (asExpected ? "" : "  ← not the expected " + s.verdict() + " · "
          + s.diagnosis()));
      table.append(row).append('\n');
      if (s.name().equals(HEALTHY)) {
        results.note("report_healthy", Transcript.forDocs(r.toString()));
      } else if (s.name().equals(SHUFFLED)) {
        results.note("report_shuffled", Transcript.forDocs(r.toString()));
      }
    }
    results.put("broken_setups", broken, "").put("right_causes", right, "")
        .put("controls", controls, "").put("controls_passed", controlsPassed, "")
        .note("table", table.toString().strip())
        .note("report_timings", Transcript.quiet() ? "kept (quiet machine)" : "elided");
    System.out.printf(Locale.ROOT, "right causes: %d of %d broken set-ups; controls passed: %d of "
        + "%d%n", right, broken, controlsPassed, controls);
    results.write();
  }

  /**
   * The report's cause for the table: pipes escaped, cut at {@link #CAUSE_WIDTH}, and for the
   * time budget the machine-dependent part (how many steps, how far they got) elided.
   */
  static String cell(OverfitReport r) {
    String cause = r.cause().replace("|", "/");
    if (r.diagnosis().name().equals("TIME_BUDGET")) {
      cause = cause.replaceFirst("after [0-9]+ steps?\\b.*$",
          "after … steps (how many depends on the machine's speed)");
    }
    return cause.length() <= CAUSE_WIDTH ? cause : cause.substring(0, CAUSE_WIDTH - 1) + "…";
  }
}
