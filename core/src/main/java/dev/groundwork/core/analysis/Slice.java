package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A subgroup of examples defined by a conjunction of conditions, with its errors beside the errors
 * its class composition explains, the confirmation of both on held-out examples, a verdict, and its
 * members.
 *
 * <p>The figures {@code support}, {@code errors}, {@code expectedErrors} are on all examples
 * (descriptive). The tests are in {@link #confirmation()}: they use only the half of the examples
 * the search did not see (see {@link SliceReport}).
 *
 * @param conditions the conditions, all of which hold for the slice's examples
 * @param support the number of examples in the slice
 * @param errors the number of them predicted wrongly
 * @param expectedErrors the errors its class composition explains: Σ over its examples of their
 *     true class's error rate (on all examples)
 * @param restErrorRate the error rate of all other examples
 * @param confirmation the tests on the held-out half
 * @param verdict beyond class mix, explained by class mix, or not confirmed
 * @param memberIds the ids of the slice's examples (both halves), in data order; empty when the
 *     search ran on counts ({@link SliceCounts}, e.g. on Spark) and did not list them
 */
public record Slice(List<Condition> conditions, int support, int errors, double expectedErrors,
    double restErrorRate, Confirmation confirmation, Verdict verdict, List<String> memberIds) {

  /**
   * One condition: {@code attribute operator value}, e.g. {@code city = Oslo}, {@code
   * image.contrast ≤ 0.2131} or {@code class in {Shirt, Coat}}.
   */
  public record Condition(String attribute, String operator, String value) {
    @Override
    public String toString() {
      return attribute + " " + operator + " " + value;
    }
  }

  /**
   * The tests of a slice on the confirmation half.
   *
   * @param support the slice's examples in the confirmation half
   * @param errors their errors
   * @param expectedErrors the errors their classes explain (class error rates of the half)
   * @param adjustedPValue class-stratified (Cochran–Mantel–Haenszel), one-sided: more errors than
   *     the class composition explains
   * @param adjustedQValue Benjamini–Hochberg over every confirmed slice's adjusted p
   * @param rawPValue the raw test, not adjusted for the class mix: Fisher exact, two-sided, slice
   *     vs the rest of the half
   * @param rawQValue Benjamini–Hochberg over every confirmed slice's raw p
   */
  public record Confirmation(int support, int errors, double expectedErrors,
      double adjustedPValue, double adjustedQValue, double rawPValue, double rawQValue) {}

  /** What the confirmation says about a slice. */
  public enum Verdict {
    /** Class-adjusted q ≤ fdr with more errors than expected: a failure the class mix does not explain. */
    BEYOND_CLASS_MIX("beyond class mix"),
    /** Raw q ≤ fdr and worse than the rest, but not beyond its class composition. */
    EXPLAINED_BY_CLASS_MIX("explained by class mix"),
    /** Neither test significant on the held-out half. */
    NOT_CONFIRMED("not confirmed");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    /** The verdict as printed. */
    public String label() {
      return label;
    }
  }

  /** Checks the counts and copies the lists. */
  public Slice {
    conditions = List.copyOf(conditions);
    memberIds = List.copyOf(memberIds);
    Objects.requireNonNull(confirmation, "confirmation");
    Objects.requireNonNull(verdict, "verdict");
    InvalidParameterException.check(support > 0 && errors >= 0 && errors <= support
        && (memberIds.size() == support || memberIds.isEmpty()),
        "a slice needs 0 ≤ errors %s ≤ support %s = members %s (or no members listed)",
        errors, support, memberIds.size());
  }

  /** The number of conditions. */
  public int order() {
    return conditions.size();
  }

  /** {@code errors / support}. */
  public double errorRate() {
    return (double) errors / support;
  }

  /** {@code expectedErrors / support}: the error rate its class composition explains. */
  public double expectedErrorRate() {
    return expectedErrors / support;
  }

  /** {@code errors − expectedErrors}: the errors beyond the class mix. */
  public double excessErrors() {
    return errors - expectedErrors;
  }

  /** The raw gap {@code errorRate − restErrorRate}, not adjusted for the class mix. */
  public double errorGap() {
    return errorRate() - restErrorRate;
  }

  /** The raw ratio {@code errorRate / restErrorRate} (infinite when the rest has no error). */
  public double riskRatio() {
    return restErrorRate == 0 ? Double.POSITIVE_INFINITY : errorRate() / restErrorRate;
  }

  /** The confirmation's class-adjusted q-value. */
  public double qValue() {
    return confirmation.adjustedQValue();
  }

  /** The conditions joined with ∧. */
  public String description() {
    return conditions.stream().map(Condition::toString).collect(Collectors.joining(" ∧ "));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s: n=%d, error %s vs %s expected from its classes "
        + "(rest %s), adjusted q=%s, raw q=%s, %s", description(), support,
        ClassificationTable.pct(errorRate()), ClassificationTable.pct(expectedErrorRate()),
        ClassificationTable.pct(restErrorRate), ClassificationTable.pValue(qValue()),
        ClassificationTable.pValue(confirmation.rawQValue()), verdict.label());
  }
}
