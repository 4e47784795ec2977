package dev.groundwork.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.junit.jupiter.api.Test;

class FailureStatisticsTest {

  @Test
  void fisherOnTheTeaTastingTable() {
    // Fisher's lady tasting tea: [[3, 1], [1, 3]]; P(3) = P(1) = 16/70, P(0) = P(4) = 1/70,
    // two-sided p = (16 + 16 + 1 + 1) / 70 = 0.4857
    assertThat(FailureStatistics.fisherTwoSided(3, 1, 1, 3)).isCloseTo(34.0 / 70, within(1e-4));
    assertThat(FailureStatistics.fisherTwoSided(3, 1, 1, 3)).isCloseTo(0.485714, within(1e-6));
    assertThat(FailureStatistics.fisherTwoSided(4, 0, 0, 4)).isCloseTo(2.0 / 70, within(1e-9));
  }

  @Test
  void fisherOnATextbookTable() {
    // [[1, 9], [11, 3]] (men/women studying): two-sided p = 0.002759
    assertThat(FailureStatistics.fisherTwoSided(1, 9, 11, 3)).isCloseTo(0.002759, within(1e-6));
    assertThat(FailureStatistics.fisherTwoSided(0, 10, 0, 10)).isEqualTo(1.0);
  }

  @Test
  void fisherAgreesWithTheFullSumOnLargerTables() {
    int[][] tables = {{40, 60, 300, 600}, {120, 380, 900, 8600}, {7, 93, 40, 860},
        {500, 500, 500, 500}, {30, 5, 2000, 9000}};
    for (int[] t : tables) {
      int n = t[0] + t[1] + t[2] + t[3];
      HypergeometricDistribution h = new HypergeometricDistribution(null, n, t[0] + t[2],
          t[0] + t[1]);
      double obs = h.probability(t[0]);
      double sum = 0;
      for (int x = 0; x <= Math.min(t[0] + t[1], t[0] + t[2]); x++) {
        double px = h.probability(x);
        if (px <= obs * (1 + 1e-7)) {
          sum += px;
        }
      }
      assertThat(FailureStatistics.fisherTwoSided(t[0], t[1], t[2], t[3]))
          .as("table %s", java.util.Arrays.toString(t))
          .isCloseTo(Math.min(1, sum), within(1e-9 + 1e-6 * sum));
    }
  }

  @Test
  void benjaminiHochbergAdjustsAndKeepsOrder() {
    // sorted p .005 .01 .03 .04 → p·m/rank .02 .02 .04 .04, then running minimum from the top
    assertThat(FailureStatistics.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.005}))
        .containsExactly(new double[] {0.02, 0.04, 0.04, 0.02}, within(1e-12));
  }

  @Test
  void wilsonIntervalAndSampleSize() {
    // 5/10: centre .5, half-width z/(1+z²/n)·sqrt(.025 + z²/400) = .2634
    FailureStatistics.Interval i = FailureStatistics.wilson(5, 10);
    assertThat(i.low()).isCloseTo(0.2366, within(1e-4));
    assertThat(i.high()).isCloseTo(0.7634, within(1e-4));
    // 0/10: upper bound z²/(n + z²) = 3.8415/13.8415
    assertThat(FailureStatistics.wilson(0, 10).high()).isCloseTo(0.27753, within(1e-5));
    // at p = .5 the half-width is (z/2)/sqrt(n + z²) ≤ .05 ⇔ n ≥ 19.6² − z² = 380.3
    assertThat(FailureStatistics.wilsonSampleSize(0.5, 0.05)).isEqualTo(381);
  }

  @Test
  void theStratifiedTestIsExactAndCountsEachMemberAtItsClassRate() {
    // class 0: 10 of 100 wrong, class 1: 50 of 100 wrong; the group holds 20 of each, 14 wrong.
    // Expected 20·0.1 + 20·0.5 = 12; variance Σ s(n−s)e(n−e)/(n²(n−1)) = 5.49495; z = 1.5/√V;
    // exact P(X ≥ 14) = 0.258702, the convolution of the two hypergeometrics summed by hand in
    // Python (math.comb).
    FailureStatistics.Stratified st = FailureStatistics.stratifiedExcess(new int[] {20, 20},
        new int[] {4, 10}, new int[] {100, 100}, new int[] {10, 50});
    assertThat(st.expected()).isCloseTo(12.0, within(1e-12));
    assertThat(st.variance()).isCloseTo(5.494949, within(1e-6));
    assertThat(st.z()).isCloseTo(0.639896, within(1e-6));
    assertThat(st.pValue()).isCloseTo(0.258702, within(1e-6));
    // a group that is one whole class: observed = expected whatever its error rate, p = 1
    FailureStatistics.Stratified whole = FailureStatistics.stratifiedExcess(new int[] {0, 100},
        new int[] {0, 50}, new int[] {100, 100}, new int[] {10, 50});
    assertThat(whole.expected()).isEqualTo(50.0);
    assertThat(whole.pValue()).isEqualTo(1.0);
    // all of a class but 5 correct ones: the exact p is P(all 100 errors among 150 of 155) =
    // C(55, 50) / C(155, 150) = 0.004980
    FailureStatistics.Stratified nearly = FailureStatistics.stratifiedExcess(new int[] {150},
        new int[] {100}, new int[] {155}, new int[] {100});
    assertThat(nearly.pValue()).isCloseTo(0.004980, within(1e-6));
  }
}
