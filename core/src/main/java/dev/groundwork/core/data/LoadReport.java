package dev.groundwork.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What a loader did: how many records it loaded and, when asked to skip bad records, how many it
 * skipped and why; plus warnings about what it loaded as asked but deserves a look.
 *
 * <p>A warning is not an error: the data is read as documented, but something may be missing.
 * Each class that ends up with no examples is one (an empty class folder, a class the explicit
 * list names that no record has, an IDX label value below the largest that no record has), and so
 * is content of an image folder that is not read because of where it is (a nested folder, images
 * directly in the root). {@link Dataset#summary()} prints them under {@code load:}.
 *
 * @param loaded records loaded
 * @param skipped records skipped because they were bad (only when skipping was asked for)
 * @param problems the first problems found, one line each, naming file and record
 * @param warnings the first warnings, one line each, naming the class, folder or file
 */
public record LoadReport(int loaded, int skipped, List<String> problems, List<String> warnings) {

  /** How many problem lines (and warning lines) a report keeps. */
  public static final int MAX_PROBLEMS = 20;

  /** Copies the lists. */
  public LoadReport {
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
  }

  /** A report without warnings. */
  public LoadReport(int loaded, int skipped, List<String> problems) {
    this(loaded, skipped, problems, List.of());
  }

  /** A report for a load with no bad records. */
  public static LoadReport clean(int loaded) {
    return new LoadReport(loaded, 0, List.of());
  }

  /** This report with {@code more} warnings after its own, at most {@link #MAX_PROBLEMS} kept. */
  public LoadReport withWarnings(List<String> more) {
    return new LoadReport(loaded, skipped, problems, capped(warnings, more));
  }

  /** The first {@link #MAX_PROBLEMS} lines of both lists, the last saying how many were left. */
  static List<String> capped(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    if (all.size() <= MAX_PROBLEMS) {
      return all;
    }
    List<String> kept = new ArrayList<>(all.subList(0, MAX_PROBLEMS - 1));
    kept.add("… and " + (all.size() - MAX_PROBLEMS + 1) + " more");
    return kept;
  }

  /**
   * One warning per class without examples, e.g. {@code class 'bird' has no examples: <reason>}.
   *
   * @param classes the class names, in label order
   * @param counts examples per class, indexed by label
   * @param reason what to say about class {@code c}
   */
  static List<String> emptyClasses(List<String> classes, int[] counts,
      java.util.function.IntFunction<String> reason) {
    List<String> out = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      if (counts[c] == 0) {
        out.add("class '" + classes.get(c) + "' has no examples: " + reason.apply(c));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(loaded + " loaded, ");
    if (skipped == 0) {
      sb.append("none skipped");
    } else {
      sb.append(skipped).append(" skipped:");
      for (String p : problems) {
        sb.append("\n  ").append(p);
      }
      if (problems.size() < skipped) {
        sb.append("\n  … and ").append(skipped - problems.size()).append(" more");
      }
    }
    for (String w : warnings) {
      sb.append("\n  warning: ").append(w);
    }
    return sb.toString();
  }
}
