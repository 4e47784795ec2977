package dev.groundwork.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The counts mode of the slice search (the mode the Spark analysis matches). */
class SliceCountsTest {

  @Test
  void theCountsModeFindsThePlantedSliceOnTheSameGrid() {
    ClassificationPredictions p = SliceFinderTest.planted(3000, 1);
    SliceReport r = SliceCounts.find(p, SliceOptions.builder().maxOrder(2).build(), 7);
    System.out.println(r);
    Slice top = r.top(1).get(0);
    assertThat(top.description()).isEqualTo("camera = cam-2");
    assertThat(top.verdict()).isEqualTo(Slice.Verdict.BEYOND_CLASS_MIX);
    assertThat(top.confirmation().adjustedQValue()).isLessThan(1e-10);
    long cam2 = java.util.stream.IntStream.range(0, p.size())
        .filter(i -> "cam-2".equals(p.metadata(i).get("camera"))).count();
    assertThat((long) top.support()).isEqualTo(cam2);
    // members are not listed in the counts mode
    assertThat(top.memberIds()).isEmpty();
    // the same grid as the default search: 36 + 5 one-way, 562 + 180 two-way
    assertThat(r.candidates()).isEqualTo(36 + 5 + 562 + 180);
    // the confirmation half is the ids' hash half
    long confirmation = p.ids().stream().filter(id -> !SliceCounts.inDiscovery(id, 7)).count();
    assertThat(r.method()).contains("n=" + confirmation + ")").contains("counts mode");
    assertThat(r.beyondClassMix()).filteredOn(s -> s.description().contains("cam-2"))
        .hasSize(1);
  }

  @Test
  void numericThresholdsStayAtTheExactQuantileCuts() {
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
    p = p.withAttribute("distance", asText);
    SliceReport r = SliceCounts.find(p, SliceOptions.builder().maxOrder(1).quantileBins(4)
        .build(), 0);
    assertThat(r.candidates()).isEqualTo(6 + 3);
    assertThat(r.attributes()).containsExactly("distance: numeric, 4 quantile bins (3 "
        + "thresholds, fixed)", "class: 3 values, the true label (alone, a slice of it is pure "
        + "class mix)");
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    Slice top = r.top(1).get(0);
    assertThat(top.description()).isEqualTo("distance > " + SliceFinder.fmt(sorted[2999]));
    assertThat(top.support()).isEqualTo(1000);
    assertThat(top.verdict()).isEqualTo(Slice.Verdict.BEYOND_CLASS_MIX);
  }

  @Test
  void theHalvesAreASeededHashOfTheId() {
    int disc = 0;
    int same = 0;
    for (int i = 0; i < 20_000; i++) {
      boolean a = SliceCounts.inDiscovery("ex-" + i, 3);
      disc += a ? 1 : 0;
      same += a == SliceCounts.inDiscovery("ex-" + i, 4) ? 1 : 0;
    }
    assertThat(disc).isBetween(9_800, 10_200);
    // another seed gives another split
    assertThat(same).isBetween(9_700, 10_300);
    assertThat(SliceCounts.inDiscovery("ex-17", 3)).isEqualTo(SliceCounts.inDiscovery("ex-17", 3));
  }

  @Test
  void moreThanTwoConditionsAreRefused() {
    ClassificationPredictions p = SliceFinderTest.planted(200, 1);
    assertThatThrownBy(() -> SliceCounts.find(p, SliceOptions.builder().maxOrder(3).build(), 0))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("maxOrder(2)");
  }
}
