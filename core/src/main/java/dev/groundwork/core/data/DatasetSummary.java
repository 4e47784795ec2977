package dev.groundwork.core.data;

import java.util.Locale;
import java.util.Objects;

/**
 * A dataset at a glance: name, where it came from, size, spec and examples per class.
 *
 * @param name the dataset's name
 * @param origin where the records come from and which variant was loaded
 * @param size number of examples
 * @param spec input kind/shape and classes
 * @param classCounts examples per class, indexed by label
 * @param loadReport what the loader loaded and skipped, and its warnings
 */
public record DatasetSummary(String name, String origin, int size, DatasetSpec spec,
    int[] classCounts, LoadReport loadReport) {

  /** Copies the counts. */
  public DatasetSummary {
    Objects.requireNonNull(name, "name");
    classCounts = classCounts.clone();
  }

  /** Examples per class, indexed by label (a copy). */
  @Override
  public int[] classCounts() {
    return classCounts.clone();
  }

  /** A table: a header line, the origin, then one row per class with count and share. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Dataset %s  %d examples · %s%n", name, size,
        spec.inputKind() == InputKind.TEXT ? "text" : shape()));
    sb.append("origin: ").append(origin).append('\n');
    if (loadReport.skipped() > 0 || !loadReport.warnings().isEmpty()) {
      sb.append("load: ").append(loadReport).append('\n');
    }
    int width = Math.max(5, spec.classes().stream().mapToInt(String::length).max().orElse(5));
    sb.append(String.format(Locale.ROOT, "  %-" + width + "s %7s %6s%n", "class", "count", "share"));
    for (int c = 0; c < classCounts.length; c++) {
      sb.append(String.format(Locale.ROOT, "  %-" + width + "s %7d %5.1f%%%n", spec.classes().get(c),
          classCounts[c], size == 0 ? 0.0 : 100.0 * classCounts[c] / size));
    }
    return sb.toString().stripTrailing();
  }

  private String shape() {
    StringBuilder sb = new StringBuilder();
    for (int d : spec.inputShape()) {
      sb.append(sb.length() == 0 ? "" : "×").append(d);
    }
    return sb.toString();
  }
}
