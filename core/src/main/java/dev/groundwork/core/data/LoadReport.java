package dev.groundwork.core.data;

import java.util.List;

/**
 * What a loader did: how many records it loaded and, when asked to skip bad records, how many it
 * skipped and why.
 *
 * @param loaded records loaded
 * @param skipped records skipped because they were bad (only when skipping was asked for)
 * @param problems the first problems found, one line each, naming file and record
 */
public record LoadReport(int loaded, int skipped, List<String> problems) {

  /** How many problem lines a report keeps. */
  public static final int MAX_PROBLEMS = 20;

  /** Copies the problem list. */
  public LoadReport {
    problems = List.copyOf(problems);
  }

  /** A report for a load with no bad records. */
  public static LoadReport clean(int loaded) {
    return new LoadReport(loaded, 0, List.of());
  }

  @Override
  public String toString() {
    if (skipped == 0) {
      return loaded + " loaded, none skipped";
    }
    StringBuilder sb = new StringBuilder(loaded + " loaded, " + skipped + " skipped:");
    for (String p : problems) {
      sb.append("\n  ").append(p);
    }
    if (problems.size() < skipped) {
      sb.append("\n  … and ").append(skipped - problems.size()).append(" more");
    }
    return sb.toString();
  }
}
