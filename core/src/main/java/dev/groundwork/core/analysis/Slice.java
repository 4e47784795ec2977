package dev.groundwork.core.analysis;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A subgroup of examples defined by a conjunction of attribute conditions, with its error rate
 * against the rest of the data and the test behind it.
 *
 * @param conditions the conditions, all of which hold for the slice's examples
 * @param support the number of examples in the slice
 * @param errors the number of them predicted wrongly
 * @param errorRate {@code errors / support}
 * @param restErrorRate the error rate of all other examples
 * @param errorGap {@code errorRate − restErrorRate}
 * @param riskRatio {@code errorRate / restErrorRate} (infinite when the rest has no error)
 * @param pValue two-sided Fisher exact p-value of slice vs rest
 * @param qValue the Benjamini–Hochberg adjusted p-value across every tested slice
 * @param folded slices folded under this one: mostly inside it and not significantly worse
 */
public record Slice(List<Condition> conditions, int support, int errors, double errorRate,
    double restErrorRate, double errorGap, double riskRatio, double pValue, double qValue,
    List<Slice> folded) {

  /**
   * One condition: {@code attribute operator value}, e.g. {@code city = Oslo} or {@code
   * brightness ≤ 0.31} or {@code brightness in (0.31, 0.52]}.
   */
  public record Condition(String attribute, String operator, String value) {
    @Override
    public String toString() {
      return attribute + " " + operator + " " + value;
    }
  }

  /** Copies the lists. */
  public Slice {
    conditions = List.copyOf(conditions);
    folded = List.copyOf(folded);
  }

  /** The number of conditions (1 to 3). */
  public int order() {
    return conditions.size();
  }

  /** The ranking score: error gap × support, the errors in excess of the rest's rate. */
  public double score() {
    return errorGap * support;
  }

  /** The conditions joined with ∧. */
  public String description() {
    return conditions.stream().map(Condition::toString).collect(Collectors.joining(" ∧ "));
  }

  /** The slice with other folded slices. */
  Slice withFolded(List<Slice> children) {
    return new Slice(conditions, support, errors, errorRate, restErrorRate, errorGap, riskRatio,
        pValue, qValue, children);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%s: n=%d, error %s vs %s (gap %+.3f, ×%s), "
        + "q=%s", description(), support, ClassificationTable.pct(errorRate),
        ClassificationTable.pct(restErrorRate), errorGap, ClassificationTable.num(riskRatio),
        ClassificationTable.pValue(qValue))
        + (folded.isEmpty() ? "" : " (+" + folded.size() + " folded)");
  }
}
