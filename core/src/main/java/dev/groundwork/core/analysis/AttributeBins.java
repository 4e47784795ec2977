package dev.groundwork.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The single-attribute slices of a set of predictions, binned exactly as the slice search bins
 * them — each categorical value, or each quantile bin of a numeric attribute, with at least {@link
 * SliceOptions#minSupport()} examples — together with the rows they hold. For analyses that put
 * another measure beside the error rate of a slice, such as the latency in {@code
 * dev.groundwork.core.runtime.RuntimeBySlice}.
 *
 * <pre>{@code
 * for (AttributeBins.Bin b : AttributeBins.of(predictions, SliceOptions.defaults())) { ... }
 * }</pre>
 */
public final class AttributeBins {

  private AttributeBins() {}

  /**
   * One bin: its condition and its rows (positions in the predictions).
   *
   * @param condition e.g. {@code text.chars > 120} or {@code source = camera-2}
   * @param rows the positions of its examples, ascending
   */
  public record Bin(Slice.Condition condition, List<Integer> rows) {
    /** Copies the rows. */
    public Bin {
      Objects.requireNonNull(condition, "condition");
      rows = List.copyOf(rows);
    }

    /** The rows as an array. */
    public int[] rowArray() {
      return rows.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /**
   * Every attribute's bins, attribute by attribute in the predictions' order: for a numeric
   * attribute the disjoint bins between the slice search's quantile thresholds ({@link
   * SliceOptions#quantileBins()} of them), for a categorical one each value the search keeps and
   * the rest together; a bin (or the examples with the attribute missing) with fewer than {@link
   * SliceOptions#minSupport()} examples is left out.
   */
  public static List<Bin> of(ClassificationPredictions p, SliceOptions options) {
    Objects.requireNonNull(p, "predictions");
    Objects.requireNonNull(options, "options");
    List<Bin> out = new ArrayList<>();
    for (AttributeColumn col : p.attributes) {
      SliceFinder.Axis a = SliceFinder.encode(col.name, col, options, new ArrayList<>());
      int[] counts = new int[a.k];
      for (int c : a.codes) {
        counts[c]++;
      }
      int[][] rows = new int[a.k][];
      for (int k = 0; k < a.k; k++) {
        rows[k] = new int[counts[k]];
      }
      int[] fill = new int[a.k];
      for (int i = 0; i < a.codes.length; i++) {
        rows[a.codes[i]][fill[a.codes[i]]++] = i;
      }
      for (int k = 0; k < a.k; k++) {
        Slice.Condition c = condition(col.name, a, k);
        if (c != null && counts[k] >= options.minSupport()) {
          out.add(new Bin(c, Arrays.stream(rows[k]).boxed().toList()));
        }
      }
    }
    return List.copyOf(out);
  }

  /** The condition of code {@code k} of an axis, or null for the categorical "other" code. */
  private static Slice.Condition condition(String name, SliceFinder.Axis a, int k) {
    if (a.values == null) {
      if (k >= a.conds.length) {
        return null; // the values below support, together: no single condition names them
      }
      SliceFinder.Cond c = a.conds[k];
      return c.kind() == SliceFinder.Kind.MISSING ? new Slice.Condition(name, "is", "missing")
          : new Slice.Condition(name, "=", a.valueNames[k]);
    }
    // numeric: the LE conditions hold the thresholds in order; code nb is "missing"
    List<Double> cuts = new ArrayList<>();
    for (SliceFinder.Cond c : a.conds) {
      if (c.kind() == SliceFinder.Kind.LE) {
        cuts.add(c.threshold());
      }
    }
    int nb = cuts.size() + 1;
    if (k == nb) {
      return new Slice.Condition(name, "is", "missing");
    } else if (nb == 1) {
      return new Slice.Condition(name, "is", "present");
    } else if (k == 0) {
      return new Slice.Condition(name, "≤", SliceFinder.fmt(cuts.get(0)));
    } else if (k == nb - 1) {
      return new Slice.Condition(name, ">", SliceFinder.fmt(cuts.get(k - 1)));
    }
    return new Slice.Condition(name, "in", "(" + SliceFinder.fmt(cuts.get(k - 1)) + ", "
        + SliceFinder.fmt(cuts.get(k)) + "]");
  }
}
