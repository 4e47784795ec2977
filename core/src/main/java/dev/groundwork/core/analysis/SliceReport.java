package dev.groundwork.core.analysis;

import java.util.List;
import java.util.Objects;

/**
 * The significant failure slices, ranked by error gap × support, with how many slices were tested.
 *
 * <pre>{@code
 * SliceReport s = FailureAnalysis.classification(p).run().slices();
 * s.top(5);    // the five worst subgroups, overlapping ones folded
 * }</pre>
 *
 * @param slices the reported significant slices with a positive gap, ranked (folded ones inside)
 * @param tests the number of slices tested (every value and conjunction with at least {@code
 *     minSupport} examples and a non-empty rest); the Benjamini–Hochberg correction is over all
 * @param significant how many tested slices had a q-value ≤ fdr and a positive gap (before
 *     folding)
 * @param overallErrorRate the error rate of all examples
 * @param attributes how each attribute was used ({@code city: 5 values}, {@code age: numeric, 4
 *     quantile bins})
 * @param options the options used
 * @param provenance where the numbers come from
 */
public record SliceReport(List<Slice> slices, int tests, int significant,
    double overallErrorRate, List<String> attributes, SliceOptions options,
    ClassificationProvenance provenance) {

  /** Copies the lists. */
  public SliceReport {
    slices = List.copyOf(slices);
    attributes = List.copyOf(attributes);
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(provenance, "provenance");
  }

  /** Finds the slices of {@code predictions} with these options. */
  public static SliceReport find(ClassificationPredictions predictions, SliceOptions options) {
    return SliceFinder.find(predictions, options,
        ClassificationProvenance.of(predictions, 0, options));
  }

  /** The {@code k} highest-ranked slices. */
  public List<Slice> top(int k) {
    return slices.subList(0, Math.min(Math.max(k, 0), slices.size()));
  }

  /** Whether no slice is significant. */
  public boolean isEmpty() {
    return slices.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
        "slices: %d significant of %d tested (BH q ≤ %s, support ≥ %d, order ≤ %d); overall "
            + "error %s%n", significant, tests, options.fdr(), options.minSupport(),
        options.maxOrder(), ClassificationTable.pct(overallErrorRate)));
    if (slices.isEmpty()) {
      return b.append("  no slice has a significantly higher error rate than the rest").toString();
    }
    ClassificationTable t = new ClassificationTable("#", "slice", "n", "error", "rest", "gap",
        "ratio", "q", "folded");
    int rank = 1;
    for (Slice s : top(10)) {
      t.row(rank++, s.description(), s.support(), ClassificationTable.pct(s.errorRate()),
          ClassificationTable.pct(s.restErrorRate()), s.errorGap(), s.riskRatio(),
          ClassificationTable.pValue(s.qValue()), s.folded().size());
    }
    return b.append(t.render("  ")).toString();
  }
}
