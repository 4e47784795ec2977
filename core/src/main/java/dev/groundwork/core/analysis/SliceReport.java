package dev.groundwork.core.analysis;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Failure slices found by a search on one half of the examples and confirmed on the other, each
 * with its errors beside the errors its class composition explains.
 *
 * <p><b>Procedure.</b> The examples are split in two halves, class by class, with a seeded
 * shuffle. On the <i>discovery</i> half every condition ({@code attr = v}; {@code x ≤ t}, {@code
 * x > t} at the cut points of {@code quantileBins} quantile bins; {@code x is missing}) and every
 * conjunction of up to {@code maxOrder} conditions on different attributes is scored by the
 * class-stratified z of its excess errors ({@link FailureStatistics#stratifiedExcess}). The best
 * {@code confirm} are refined on the same half — each threshold moved to the best value in the
 * data, the slice restricted to the classes that carry its excess ({@code class in {…}}) when that
 * raises z, a condition dropped when it raises z by less than 1 — and near-duplicates skipped;
 * the best {@code rawCandidates} by raw (unstratified) z join them, with only the parsimony step
 * (by raw z). Every selected slice
 * is then tested on the <i>confirmation</i> half, which the search never saw: class-adjusted
 * (Cochran–Mantel–Haenszel, one-sided) and raw (Fisher, two-sided), each with Benjamini–Hochberg
 * over the selected slices. So the search's multiplicity is controlled by the split: the q-values
 * are valid however many conjunctions were scored.
 *
 * <pre>{@code
 * SliceReport s = FailureAnalysis.classification(p).run().slices();
 * s.beyondClassMix();        // confirmed failures the class mix does not explain
 * s.top(1).get(0).memberIds();
 * }</pre>
 *
 * @param slices the confirmed candidates: beyond class mix first, then explained by class mix,
 *     then not confirmed; within each by the class-adjusted p-value of the confirmation
 * @param candidates how many conditions and conjunctions were scored on the discovery half
 * @param significant how many slices are beyond class mix (adjusted q ≤ fdr)
 * @param overallErrorRate the error rate of all examples
 * @param method the procedure in words, with the halves' sizes and the seed
 * @param attributes how each attribute was used ({@code city: 5 values}, {@code age: numeric, 16
 *     quantile bins})
 * @param options the options used
 * @param provenance where the numbers come from
 */
public record SliceReport(List<Slice> slices, long candidates, int significant,
    double overallErrorRate, String method, List<String> attributes, SliceOptions options,
    ClassificationProvenance provenance) {

  /** Copies the lists. */
  public SliceReport {
    slices = List.copyOf(slices);
    attributes = List.copyOf(attributes);
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(provenance, "provenance");
  }

  /** Finds the slices of {@code predictions} with these options and seed 0 for the split. */
  public static SliceReport find(ClassificationPredictions predictions, SliceOptions options) {
    return find(predictions, options, 0);
  }

  /** Finds the slices of {@code predictions} with these options; {@code seed} splits the halves. */
  public static SliceReport find(ClassificationPredictions predictions, SliceOptions options,
      long seed) {
    return SliceFinder.find(predictions, SliceFinder.errors(predictions), predictions.attributes,
        options, seed, ClassificationProvenance.of(predictions, seed, options));
  }

  /** The {@code k} highest-ranked slices. */
  public List<Slice> top(int k) {
    return slices.subList(0, Math.min(Math.max(k, 0), slices.size()));
  }

  /** The slices whose errors the class mix does not explain (confirmed at the fdr). */
  public List<Slice> beyondClassMix() {
    return withVerdict(Slice.Verdict.BEYOND_CLASS_MIX);
  }

  /** The slices significantly worse than the rest only because of the classes they hold. */
  public List<Slice> explainedByClassMix() {
    return withVerdict(Slice.Verdict.EXPLAINED_BY_CLASS_MIX);
  }

  /** The confirmed candidates ranked by the raw test alone, as an unadjusted search would. */
  public List<Slice> byRawEvidence() {
    return slices.stream().sorted(Comparator.comparingDouble(
        (Slice s) -> s.confirmation().rawPValue()).thenComparing(Slice::description)).toList();
  }

  private List<Slice> withVerdict(Slice.Verdict v) {
    return slices.stream().filter(s -> s.verdict() == v).toList();
  }

  /** Whether no slice is beyond class mix. */
  public boolean isEmpty() {
    return significant == 0;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
        "slices: %d beyond class mix, %d explained by class mix, of %d confirmed (BH q ≤ %s); "
            + "%,d candidates searched; overall error %s%n  %s%n", significant,
        explainedByClassMix().size(), slices.size(), options.fdr(), candidates,
        ClassificationTable.pct(overallErrorRate), method));
    if (slices.isEmpty()) {
      return b.append("  no candidate slice").toString();
    }
    ClassificationTable t = new ClassificationTable("#", "slice", "n", "error", "expected",
        "rest", "adj. q", "raw q", "verdict");
    int rank = 1;
    for (Slice s : top(10)) {
      t.row(rank++, s.description(), s.support(), ClassificationTable.pct(s.errorRate()),
          ClassificationTable.pct(s.expectedErrorRate()),
          ClassificationTable.pct(s.restErrorRate()), ClassificationTable.pValue(s.qValue()),
          ClassificationTable.pValue(s.confirmation().rawQValue()), s.verdict().label());
    }
    return b.append(t.render("  ")).toString();
  }
}
