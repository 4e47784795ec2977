package dev.groundwork.core.analysis;

import dev.groundwork.core.analysis.FailureStatistics.Interval;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Where to collect data next: the failure scenarios found (slices and clusters beyond the class
 * mix, most-confused class pairs), ranked by the errors they account for beyond their class mix,
 * each with its support, error rate, the errors its classes explain, the excess, Wilson 95%
 * interval, how many more examples it needs and its members.
 *
 * <p><b>How many more.</b> For each scenario, the smallest n whose Wilson 95% interval around the
 * scenario's observed error rate has a half-width of at most {@link #targetHalfWidth()} (default
 * 0.02, i.e. ±2 points), minus the examples it already has (never below 0). This is the data needed
 * to <i>measure</i> the scenario's error rate precisely enough to tell whether a fix worked; it
 * needs no model of learning, so it is a floor for the evaluation set of that scenario, not a
 * promise of how much training data removes the failure. (A learning-curve extrapolation would need
 * several training runs at different sizes, which an analysis of one model's predictions does not
 * have.)
 *
 * <p><b>Ranking.</b> By class-adjusted excess errors: {@code errors − expectedErrors} for slices
 * and clusters, where {@code expectedErrors} is the sum over the scenario's examples of their
 * class's error rate (what its class composition explains), and for a confused pair the number of
 * examples of the true class predicted as the other one (a confusion lies within one class, so
 * nothing of it is explained by a class mix: its expected errors are 0).
 *
 * @param items the scenarios, most excess errors first
 * @param targetHalfWidth the half-width the sample sizes aim for
 * @param provenance where the numbers come from
 */
public record CollectionPlan(List<Item> items, double targetHalfWidth,
    ClassificationProvenance provenance) {

  /** The kind of a failure scenario. */
  public enum Kind {
    /** A metadata slice. */
    SLICE,
    /** A cluster of similar inputs. */
    CLUSTER,
    /** A class often predicted as another one. */
    CONFUSION
  }

  /**
   * One failure scenario.
   *
   * @param kind slice, cluster or confusion
   * @param scenario what it is ({@code city = Oslo ∧ device = phone}, {@code cluster 3 (near
   *     img-17, img-4)}, {@code Shirt → T-shirt/top})
   * @param support examples in the scenario (for a confusion: of the true class)
   * @param errors errors in it (for a confusion: of that kind)
   * @param errorRate {@code errors / support}
   * @param errorGap the rate minus the rest's rate, raw (for a confusion: minus 0)
   * @param expectedErrors the errors its class composition explains (0 for a confusion)
   * @param wilson the Wilson 95% interval of the error rate
   * @param needed the examples needed for the target half-width
   * @param additional {@code max(0, needed − support)}: how many more to collect
   * @param memberIds the scenario's examples (empty for a confusion: see the confusion matrix)
   */
  public record Item(Kind kind, String scenario, int support, int errors, double errorRate,
      double errorGap, double expectedErrors, Interval wilson, long needed, long additional,
      List<String> memberIds) {
    /** Copies the list. */
    public Item {
      memberIds = List.copyOf(memberIds);
    }

    /** {@code errors − expectedErrors}: the errors beyond the class mix. */
    public double excessErrors() {
      return errors - expectedErrors;
    }

    /** The ranking score: the class-adjusted excess errors. */
    public double score() {
      return excessErrors();
    }

    /**
     * The scenario named with its kind, once: {@code "confusion net → admin"}, {@code "slice
     * brightness < 0.2"}, {@code "cluster 3 (near …)"} (a cluster's scenario already starts with
     * the word).
     */
    public String label() {
      String kind = kind().name().toLowerCase(java.util.Locale.ROOT);
      return scenario.startsWith(kind + " ") ? scenario : kind + " " + scenario;
    }
  }

  /** Copies the list. */
  public CollectionPlan {
    items = List.copyOf(items);
    Objects.requireNonNull(provenance, "provenance");
  }

  static CollectionPlan of(SliceReport slices, FailureClusters clusters, ConfusionMatrix cm,
      int size, double halfWidth, ClassificationProvenance provenance) {
    List<Item> items = new ArrayList<>();
    for (Slice s : slices.beyondClassMix()) {
      items.add(item(Kind.SLICE, s.description(), s.support(), s.errors(), s.errorGap(),
          s.expectedErrors(), halfWidth, s.memberIds()));
    }
    for (FailureClusters.FailureCluster f : clusters.significant()) {
      items.add(item(Kind.CLUSTER, "cluster " + f.index() + (f.representativeIds().isEmpty()
          ? "" : " (near " + String.join(", ", f.representativeIds().subList(0,
          Math.min(2, f.representativeIds().size()))) + ")"), f.size(), f.errors(), f.errorGap(),
          f.expectedErrors(), halfWidth, f.memberIds()));
    }
    long[][] counts = cm.counts();
    for (ConfusionMatrix.ConfusedPair pair : cm.mostConfused(5)) {
      long support = 0;
      for (long v : counts[pair.trueIndex()]) {
        support += v;
      }
      items.add(item(Kind.CONFUSION, pair.trueClass() + " → " + pair.predictedClass(),
          (int) support, (int) pair.count(), pair.rate(), 0, halfWidth, List.of()));
    }
    items.sort(Comparator.comparingDouble((Item i) -> -i.score())
        .thenComparing(Item::kind).thenComparing(Item::scenario));
    return new CollectionPlan(items.subList(0, Math.min(size, items.size())), halfWidth,
        provenance);
  }

  private static Item item(Kind kind, String scenario, int support, int errors, double gap,
      double expected, double halfWidth, List<String> members) {
    double rate = support == 0 ? 0 : (double) errors / support;
    long needed = FailureStatistics.wilsonSampleSize(rate, halfWidth);
    return new Item(kind, scenario, support, errors, rate, gap, expected,
        FailureStatistics.wilson(errors, Math.max(1, support)), needed,
        Math.max(0, needed - support), members);
  }

  /** The first {@code k} items. */
  public List<Item> top(int k) {
    return items.subList(0, Math.min(Math.max(k, 0), items.size()));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
        "collection plan: %d scenarios by errors beyond their class mix; 'collect' = more "
            + "examples for a Wilson 95%% half-width ≤ %.3f%n", items.size(), targetHalfWidth));
    ClassificationTable t = new ClassificationTable("#", "kind", "scenario", "n", "error",
        "95% CI", "expected", "excess", "collect");
    int r = 1;
    for (Item i : items) {
      t.row(r++, i.kind().name().toLowerCase(java.util.Locale.ROOT), i.scenario(), i.support(),
          ClassificationTable.pct(i.errorRate()), i.wilson().toString(),
          ClassificationTable.pct(i.support() == 0 ? 0 : i.expectedErrors() / i.support()),
          String.format(java.util.Locale.ROOT, "%.1f", i.excessErrors()), i.additional());
    }
    return b.append(t.render("  ")).toString();
  }
}
