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

  /** Every attribute's bins, attribute by attribute in the predictions' order. */
  public static List<Bin> of(ClassificationPredictions p, SliceOptions options) {
    Objects.requireNonNull(p, "predictions");
    Objects.requireNonNull(options, "options");
    List<Bin> out = new ArrayList<>();
    for (AttributeColumn col : p.attributes) {
      SliceFinder.Encoded e = SliceFinder.encode(col, options);
      int[] counts = new int[e.k()];
      for (int c : e.codes) {
        if (c >= 0) {
          counts[c]++;
        }
      }
      int[][] rows = new int[e.k()][];
      for (int k = 0; k < e.k(); k++) {
        rows[k] = new int[counts[k]];
      }
      int[] fill = new int[e.k()];
      for (int i = 0; i < e.codes.length; i++) {
        int c = e.codes[i];
        if (c >= 0) {
          rows[c][fill[c]++] = i;
        }
      }
      for (int k = 0; k < e.k(); k++) {
        out.add(new Bin(e.conditions[k], Arrays.stream(rows[k]).boxed().toList()));
      }
    }
    return List.copyOf(out);
  }
}
