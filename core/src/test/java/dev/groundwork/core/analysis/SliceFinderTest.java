package dev.groundwork.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SliceFinderTest {

  /** 8 categorical attributes with 3–6 values each; camera = cam-2 has 40% errors, the rest 10%. */
  static ClassificationPredictions planted(int n, long seed) {
    Random rng = new Random(seed);
    String[] names = {"camera", "site", "device", "shift", "lens", "operator", "weather", "batch"};
    int[] cards = {4, 5, 3, 6, 4, 5, 3, 6};
    int[][] codes = new int[names.length][n];
    boolean[] wrong = new boolean[n];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < names.length; a++) {
        codes[a][i] = rng.nextInt(cards[a]);
      }
      wrong[i] = rng.nextDouble() < (codes[0][i] == 2 ? 0.4 : 0.1);
    }
    ClassificationPredictions p = Synthetic.predictions(wrong, 5, rng);
    for (int a = 0; a < names.length; a++) {
      List<String> values = new ArrayList<>();
      for (int v = 0; v < cards[a]; v++) {
        values.add((a == 0 ? "cam-" : names[a] + "-") + v);
      }
      p = p.withAttribute(names[a], codes[a], values);
    }
    return p;
  }

  @Test
  void thePlantedSliceRanksFirstAndIsBeyondTheClassMix() {
    ClassificationPredictions p = planted(3000, 1);
    SliceReport r = SliceReport.find(p, SliceOptions.builder().maxOrder(2).build(), 7);
    System.out.println(r);
    Slice top = r.top(1).get(0);
    assertThat(top.description()).isEqualTo("camera = cam-2");
    assertThat(top.verdict()).isEqualTo(Slice.Verdict.BEYOND_CLASS_MIX);
    // the figures, counted here from the predictions themselves (java.util.Random is the same on
    // every JVM, so they are exact): 744 cam-2 examples, 282 wrong; the class mix explains ≈ 17 %
    Counted c = Counted.of(p, "camera", "cam-2");
    assertThat(top.support()).isEqualTo(c.support).isEqualTo(744);
    assertThat(top.errors()).isEqualTo(c.errors).isEqualTo(282);
    assertThat(top.errorRate()).isCloseTo(c.errors / (double) c.support, within(1e-12));
    assertThat(top.restErrorRate()).isCloseTo(c.restErrors / (double) (p.size() - c.support),
        within(1e-12));
    assertThat(top.expectedErrors()).isCloseTo(c.expectedErrors, within(1e-9));
    assertThat(top.expectedErrorRate()).isBetween(0.16, 0.18);
    assertThat(top.confirmation().adjustedQValue()).isLessThan(1e-10);
    // the confirmation uses the half the search did not see: about half the slice
    assertThat(top.confirmation().support()).isBetween(c.support / 2 - 40, c.support / 2 + 40);
    // the members are exactly the cam-2 examples
    long cam2 = p.ids().stream().filter(id -> "cam-2".equals(
        p.metadata(p.ids().indexOf(id)).get("camera"))).count();
    assertThat(top.memberIds()).hasSize(top.support()).allSatisfy(id -> assertThat(
        p.metadata(p.ids().indexOf(id)).get("camera")).isEqualTo("cam-2"));
    assertThat((long) top.support()).isEqualTo(cam2);
    // 8 attributes with 36 values (Σk² = 172) and the class (5 values): 36 + 5 one-way, (36² −
    // 172)/2 = 562 two-way among the attributes and 36·5 = 180 with the class
    assertThat(r.candidates()).isEqualTo(36 + 5 + 562 + 180);
    // conjunctions inside cam-2 are not listed beside it
    assertThat(r.beyondClassMix()).filteredOn(s -> s.description().contains("cam-2"))
        .hasSize(1);
    assertThat(r.toString()).contains("camera = cam-2").contains("783 candidates")
        .contains("beyond class mix");
  }

  @Test
  void thirdOrderSlicesAreSearchedToo() {
    ClassificationPredictions p = planted(3000, 2);
    SliceReport r = SliceReport.find(p, SliceOptions.builder().maxOrder(3).minSupport(20)
        .build(), 7);
    assertThat(r.top(1).get(0).description()).isEqualTo("camera = cam-2");
    assertThat(r.candidates()).isGreaterThan(783);
  }

  @Test
  void noSliceIsReportedWhenErrorsAreIndependentOfMetadata() {
    int seedsWithFalseSlices = 0;
    int tests = 0;
    for (long seed = 100; seed < 120; seed++) {
      Random rng = new Random(seed);
      int n = 2000;
      boolean[] wrong = new boolean[n];
      for (int i = 0; i < n; i++) {
        wrong[i] = rng.nextDouble() < 0.2;
      }
      ClassificationPredictions p = Synthetic.predictions(wrong, 4, rng);
      for (int a = 0; a < 10; a++) {
        int card = 2 + a % 6;
        int[] codes = new int[n];
        List<String> values = new ArrayList<>();
        for (int v = 0; v < card; v++) {
          values.add("v" + v);
        }
        for (int i = 0; i < n; i++) {
          codes[i] = rng.nextInt(card);
        }
        p = p.withAttribute("attr" + a, codes, values);
      }
      double[] age = new double[n];
      for (int i = 0; i < n; i++) {
        age[i] = 20 + 50 * rng.nextDouble();
      }
      p = p.withNumericAttribute("age", age);
      SliceReport r = SliceReport.find(p, SliceOptions.defaults(), seed);
      tests = (int) r.candidates();
      if (!r.isEmpty()) {
        seedsWithFalseSlices++;
      }
    }
    System.out.printf("null data: %d of 20 seeds with a significant slice, %d tests each%n",
        seedsWithFalseSlices, tests);
    assertThat(tests).isGreaterThan(800);
    assertThat(seedsWithFalseSlices).isLessThanOrEqualTo(1);
  }

  @Test
  void numericAttributesAreBinnedByQuantiles() {
    Random rng = new Random(5);
    int n = 4000;
    double[] x = new double[n];
    boolean[] wrong = new boolean[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextDouble() * 100;
      wrong[i] = rng.nextDouble() < (x[i] > 75 ? 0.35 : 0.1);
    }
    ClassificationPredictions p = Synthetic.predictions(wrong, 3, rng);
    List<String> asText = new ArrayList<>();
    for (double v : x) {
      asText.add(Double.toString(v));
    }
    // given as text, detected numeric because every value parses
    p = p.withAttribute("distance", asText);
    SliceReport r = SliceReport.find(p, SliceOptions.builder().maxOrder(1).quantileBins(4)
        .build());
    // 3 cut points on the grid, each as ≤ and >, and the 3 classes
    assertThat(r.candidates()).isEqualTo(6 + 3);
    assertThat(r.attributes()).containsExactly("distance: numeric, 4 quantile bins (3 "
        + "thresholds, refined)", "class: 3 values, the true label (alone, a slice of it is pure "
        + "class mix)");
    Slice top = r.top(1).get(0);
    System.out.println(r);
    assertThat(top.conditions().get(0).operator()).isEqualTo(">");
    assertThat(Double.parseDouble(top.conditions().get(0).value())).isBetween(72.0, 78.0);
    long above = java.util.Arrays.stream(x).filter(v -> v > Double.parseDouble(
        top.conditions().get(0).value())).count();
    // the printed threshold has 4 significant digits: at most one value lies between
    assertThat((long) top.support()).isBetween(above - 1, above + 1);
    assertThat(top.support()).isBetween(900, 1150);
  }

  @Test
  void theFullAnalysisPutsThePlantedSliceFirstInTheCollectionPlan() {
    ClassificationPredictions p = planted(3000, 1);
    ClassificationAnalysis a = FailureAnalysis.classification(p)
        .options(ClassificationOptions.builder().seed(3).targetHalfWidth(0.02).build()).run();
    CollectionPlan.Item first = a.collectionPlan().items().get(0);
    Slice top = a.slices().top(1).get(0);
    assertThat(first.kind()).isEqualTo(CollectionPlan.Kind.SLICE);
    assertThat(first.scenario()).isEqualTo("camera = cam-2");
    assertThat(first.support()).isEqualTo(top.support());
    assertThat(first.wilson().low()).isLessThan(top.errorRate());
    assertThat(first.wilson().high()).isGreaterThan(top.errorRate());
    // n for a ±0.02 Wilson interval at the slice's rate (282 of 744), minus what it has; the
    // smallest n whose Wilson half-width z/(1 + z²/n)·√(p(1−p)/n + z²/4n²) is at most 0.02
    double rate = 282 / 744.0;
    double z = 1.959963984540054;
    long needed = 1;
    while (z / (1 + z * z / needed) * Math.sqrt(rate * (1 - rate) / needed
        + z * z / (4.0 * needed * needed)) > 0.02) {
      needed++;
    }
    assertThat(needed).isEqualTo(FailureStatistics.wilsonSampleSize(top.errorRate(), 0.02));
    assertThat(first.additional()).isEqualTo(needed - top.support());
    // class-adjusted figures: the slice's expected errors and its members travel to the plan
    assertThat(first.expectedErrors()).isEqualTo(top.expectedErrors());
    assertThat(first.excessErrors()).isEqualTo(top.errors() - top.expectedErrors());
    assertThat(first.memberIds()).isEqualTo(top.memberIds());
    // confusions are in the plan too, and the overview names the parts
    assertThat(a.collectionPlan().items()).extracting(CollectionPlan.Item::kind)
        .contains(CollectionPlan.Kind.CONFUSION);
    assertThat(a.toString()).contains("camera = cam-2").contains("collection plan")
        .contains("label issues").contains("provenance").contains("seed 3");
    assertThat(a.provenance().options()).contains("maxOrder=2");
  }

  /** A slice's figures counted directly from predictions (arg-max ≠ label), for comparison. */
  private record Counted(int support, int errors, int restErrors, double expectedErrors) {
    static Counted of(ClassificationPredictions p, String attribute, String value) {
      int n = p.size();
      int c = p.numClasses();
      boolean[] wrong = new boolean[n];
      int[] classErrors = new int[c];
      int[] classCount = new int[c];
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int k = 1; k < c; k++) {
          if (p.probabilities()[i * c + k] > p.probabilities()[i * c + best]) {
            best = k;
          }
        }
        wrong[i] = best != p.label(i);
        classCount[p.label(i)]++;
        classErrors[p.label(i)] += wrong[i] ? 1 : 0;
      }
      int support = 0;
      int errors = 0;
      int rest = 0;
      double expected = 0;
      for (int i = 0; i < n; i++) {
        if (value.equals(p.metadata(i).get(attribute))) {
          support++;
          errors += wrong[i] ? 1 : 0;
          expected += classErrors[p.label(i)] / (double) classCount[p.label(i)];
        } else {
          rest += wrong[i] ? 1 : 0;
        }
      }
      return new Counted(support, errors, rest, expected);
    }
  }
}
