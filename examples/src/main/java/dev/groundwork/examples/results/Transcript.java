package dev.groundwork.examples.results;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Printed output as the docs quote it: recorded by the run that printed it (a note of its results
 * file, quoted through a block marker, see {@link DocFigures}), with the wall times, latencies,
 * throughputs and memory figures replaced by {@code …} unless the run declared a quiet machine
 * ({@code -Dgroundwork.quiet=true}): timings from a loaded machine never reach the docs.
 *
 * <pre>{@code
 * Transcript t = Transcript.capture(System.out);   // prints as before, and keeps a copy
 * Workflow.run(t.out());
 * results.note("step3", Transcript.forDocs(Transcript.section(t.text(), "-- step 3:")));
 * }</pre>
 *
 * <p>What is always shortened: a provenance line's settings map and what follows it ({@code {…}
 * · …}), progress lines written while a task ran ({@code … elapsed, ETA …}), whose number
 * depends on the machine's speed, trailing spaces, and runs of blank lines (to one). Elided with
 * the timings: the scorecard's timing columns, its recommendation and budget misses, the runtime
 * profile after its first line.
 */
public final class Transcript {

  /** The system property that declares the machine quiet, so that timings are kept. */
  public static final String QUIET_PROPERTY = "groundwork.quiet";

  private static final Pattern DONE_IN = Pattern.compile("done in [0-9:]+");
  private static final Pattern CHECK_SECONDS = Pattern.compile(
      "^(OverfitCheck .* · )[0-9.]+ s$");
  private static final Pattern THROUGHPUT = Pattern.compile(
      "throughput [0-9,.]+ examples/s · [0-9.]+ ms/step");
  private static final Pattern EPOCH_TIME = Pattern.compile(
      "·  [0-9.]+ s \\([0-9,.]+ ex/s\\)");

  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
  private final PrintStream out;

  private Transcript(PrintStream target) {
    OutputStream both = new OutputStream() {
      @Override
      public void write(int b) {
        target.write(b);
        copy.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        target.write(b, off, len);
        copy.write(b, off, len);
      }

      @Override
      public void flush() {
        target.flush();
      }
    };
    this.out = new PrintStream(both, true, StandardCharsets.UTF_8);
  }

  /** A stream that prints to {@code target} and keeps a copy of everything printed. */
  public static Transcript capture(PrintStream target) {
    return new Transcript(target);
  }

  /** The stream to print to. */
  public PrintStream out() {
    return out;
  }

  /** Everything printed so far. */
  public String text() {
    out.flush();
    return copy.toString(StandardCharsets.UTF_8);
  }

  /** Whether this run declared the machine quiet ({@code -Dgroundwork.quiet=true}). */
  public static boolean quiet() {
    return Boolean.getBoolean(QUIET_PROPERTY);
  }

  /**
   * The lines of {@code text} from the first line starting with {@code from} up to (not
   * including) the next heading, a line starting with {@code "-- "} but not with {@code from}
   * (or the end), without trailing blank lines; empty when no line starts with {@code from}.
   * {@code section(run, "-- step 3:")} is step 3 with both its headings.
   */
  public static String section(String text, String from) {
    List<String> lines = List.of(text.replace("\r\n", "\n").split("\n", -1));
    int start = -1;
    for (int i = 0; i < lines.size() && start < 0; i++) {
      if (lines.get(i).startsWith(from)) {
        start = i;
      }
    }
    if (start < 0) {
      return "";
    }
    int end = start + 1;
    while (end < lines.size()
        && !(lines.get(end).startsWith("-- ") && !lines.get(end).startsWith(from))) {
      end++;
    }
    while (end > start && lines.get(end - 1).isBlank()) {
      end--;
    }
    return String.join("\n", lines.subList(start, end));
  }

  /** {@code text} as the docs quote it: shortened, and timings elided unless {@link #quiet()}. */
  public static String forDocs(String text) {
    return forDocs(text, !quiet());
  }

  /**
   * {@code text} as the docs quote it: the settings map of provenance lines and in-flight progress
   * lines dropped, carriage-return redraws reduced to their last state, and, if {@code elide},
   * every timing figure replaced by {@code …} (see the class comment).
   */
  public static String forDocs(String text, boolean elide) {
    List<String> out = new ArrayList<>();
    List<String> lines = List.of(text.replace("\r\n", "\n").split("\n", -1));
    int scorecardCut = -1;
    boolean inProfile = false;
    for (String raw : lines) {
      String line = raw.substring(raw.lastIndexOf('\r') + 1).stripTrailing();
      if (line.contains(" elapsed, ETA ")) {
        continue;
      }
      int settings = line.indexOf(" · {");
      if (settings >= 0 && line.contains("seed ")) {
        line = line.substring(0, settings) + " · {…} · …";
      }
      if (!elide) {
        out.add(line);
        continue;
      }
      if (inProfile) {
        if (!line.isBlank()) {
          continue;
        }
        inProfile = false;
      }
      if (line.startsWith("RuntimeProfile  ")) {
        String[] words = line.split("  ");
        out.add("RuntimeProfile  " + words[1] + "  …");
        out.add("  (latencies, throughputs, memory and the budget verdict elided: the run shared "
            + "its cores with other jobs)");
        inProfile = true;
        continue;
      }
      if (scorecardCut > 0) {
        if (line.length() > scorecardCut && line.substring(scorecardCut - 3, scorecardCut).isBlank()
            && !line.isBlank()) {
          out.add(line.substring(0, scorecardCut).stripTrailing() + "   …");
          continue;
        }
        scorecardCut = -1;
      }
      int trainColumn = line.indexOf("   train s ");
      if (line.startsWith("  candidate ") && trainColumn > 0) {
        scorecardCut = trainColumn + 3;
        out.add(line.substring(0, scorecardCut)
            + "(train time, latency, throughput, budget: …)");
        continue;
      }
      if (line.startsWith("  over budget  ")) {
        continue;   // which candidates miss the budget depends on the machine's speed
      }
      if (line.startsWith("  recommend ")) {
        out.add("  recommend …  (the recommendation rests on the runtime budget, so it is elided "
            + "here)");
        continue;
      }
      line = DONE_IN.matcher(line).replaceAll("done in …");
      line = THROUGHPUT.matcher(line).replaceAll("throughput … examples/s · … ms/step");
      line = EPOCH_TIME.matcher(line).replaceAll(Matcher.quoteReplacement("·  … s (… ex/s)"));
      Matcher m = CHECK_SECONDS.matcher(line);
      if (m.matches()) {
        line = m.group(1) + "… s";
      }
      out.add(line);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
      out.remove(out.size() - 1);
    }
    List<String> single = new ArrayList<>();
    for (String line : out) {
      if (!(line.isEmpty() && !single.isEmpty() && single.get(single.size() - 1).isEmpty())) {
        single.add(line);
      }
    }
    return String.join("\n", single);
  }

  /**
   * The sections of a printed run that start with {@code "-- step N"}, as the docs quote them:
   * {@code step1} … {@code stepN}, each from its first heading to the next step's (see
   * {@link #section}); a step that printed nothing is left out.
   */
  public static Map<String, String> steps(String text, int count) {
    Map<String, String> steps = new LinkedHashMap<>();
    for (int n = 1; n <= count; n++) {
      String s = section(text, "-- step " + n + ":");
      if (!s.isEmpty()) {
        steps.put("step" + n, forDocs(s));
      }
    }
    return steps;
  }
}
