package dev.groundwork.core.model;

import java.util.List;
import java.util.Locale;

/**
 * A model at a glance: its name, backend, and parameters with shapes and counts.
 *
 * @param name the model's name
 * @param backend the backend and engine version
 * @param parameters every parameter, in model order
 */
public record ModelSummary(String name, String backend, List<ParameterInfo> parameters) {

  /** Copies the list. */
  public ModelSummary {
    parameters = List.copyOf(parameters);
  }

  /** Total number of parameter values. */
  public long totalCount() {
    return parameters.stream().mapToLong(ParameterInfo::count).sum();
  }

  /** Number of values that training updates. */
  public long trainableCount() {
    return parameters.stream().filter(ParameterInfo::trainable).mapToLong(ParameterInfo::count)
        .sum();
  }

  /** A table: one row per parameter, then the totals. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Model %s  (%s)%n", name,
        backend));
    int width = Math.max(9, parameters.stream().mapToInt(p -> p.name().length()).max().orElse(9));
    sb.append(String.format(Locale.ROOT, "  %-" + width + "s %-18s %10s  %s%n", "parameter",
        "shape", "count", ""));
    for (ParameterInfo p : parameters) {
      sb.append(String.format(Locale.ROOT, "  %-" + width + "s %-18s %,10d  %s%n", p.name(),
          java.util.Arrays.toString(p.shape()), p.count(), p.trainable() ? "" : "frozen"));
    }
    sb.append(String.format(Locale.ROOT, "  total %,d values, %,d trainable", totalCount(),
        trainableCount()));
    return sb.toString();
  }
}
