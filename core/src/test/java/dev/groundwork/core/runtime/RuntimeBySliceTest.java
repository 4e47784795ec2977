package dev.groundwork.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.ImageAttributes;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.RecordSource;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.data.TextInput;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import dev.groundwork.core.model.ModelSummary;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Runtime by slice against models whose cost depends on the input: a text model that spends
 * 0.1 ms + 2.5 µs per character, and an image model that spends 0.1 ms + 1 ms × the foreground
 * fraction of the image. The costs stay near a millisecond so that a call seldom straddles a
 * scheduler time slice on a loaded machine.
 */
class RuntimeBySliceTest {

  /**
   * Measured latency may exceed the injected cost (pre-emption on a shared machine), never fall
   * short of it: at most 25 % + 0.1 ms above it; each example's latency is the fastest of 9 calls.
   */
  static final double TOLERANCE = 1.25;
  static final double SLACK = 0.1;

  /** Text lengths of the four groups of 50 examples, and their labels' share of class 1. */
  static final int[] LENGTHS = {20, 80, 200, 400};
  static final int[] CLASS_ONE = {5, 10, 20, 30};

  /** 200 texts of words, 50 per length; within a group the first k are class 1. */
  static Dataset texts() {
    DatasetSpec spec = DatasetSpec.text(List.of("short-ish", "long-ish"));
    return Dataset.of("lengths", spec, new RecordSource() {
      @Override
      public int size() {
        return 200;
      }

      @Override
      public String id(int i) {
        return "t" + i;
      }

      @Override
      public int label(int i) {
        return i % 50 < CLASS_ONE[i / 50] ? 1 : 0;
      }

      @Override
      public Input decode(int i) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < LENGTHS[i / 50]) {
          sb.append(sb.length() == 0 ? "" : " ").append("word").append(i % 10);
        }
        return new TextInput(sb.substring(0, LENGTHS[i / 50]));
      }
    });
  }

  /**
   * A model that really computes on its input (a checksum over characters or pixels) and then
   * spins until its cost, a known function of the input, has passed; it always predicts class 0.
   */
  static final class InputCost implements Model {
    final DatasetSpec spec;
    final ToDoubleFunction<Input> millis;
    volatile long sink;

    InputCost(DatasetSpec spec, ToDoubleFunction<Input> millis) {
      this.spec = spec;
      this.millis = millis;
    }

    @Override
    public String name() {
      return "input-cost";
    }

    @Override
    public DatasetSpec spec() {
      return spec;
    }

    @Override
    public ClassProbabilities predict(Batch batch) {
      long start = System.nanoTime();
      double cost = 0;
      for (int r = 0; r < batch.size(); r++) {
        Input in;
        if (batch.texts() != null && !batch.texts().isEmpty()) {
          in = new TextInput(batch.texts().get(r));
          sink += batch.texts().get(r).hashCode();
        } else {
          int size = batch.inputs().length / batch.size();
          float[] v = Arrays.copyOfRange(batch.inputs(), r * size, (r + 1) * size);
          in = new TensorInput(v, Arrays.copyOfRange(batch.shape(), 1, batch.shape().length));
        }
        cost += millis.applyAsDouble(in);
      }
      long until = start + (long) (cost * 1e6);
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      float[] p = new float[batch.size() * spec.numClasses()];
      for (int r = 0; r < batch.size(); r++) {
        p[r * spec.numClasses()] = 1;
      }
      return new ClassProbabilities(batch.size(), spec.numClasses(), p);
    }

    @Override
    public ModelSummary summary() {
      return new ModelSummary(name(), "test (spin-wait)", List.of());
    }

    @Override
    public void close() {}
  }

  static double textCost(Input in) {
    return 0.1 + 0.0025 * ((TextInput) in).text().length();
  }

  @Test
  void longerTextsAreFlaggedWithTheirInjectedLatencyAndErrorRate() {
    Dataset data = texts();
    RuntimeBySliceResult r = RuntimeBySlice.of(new InputCost(data.spec(),
        RuntimeBySliceTest::textCost)).on(data).warmUp(200).repeats(9).run();
    // quantile bins of text.chars fall on the four groups: 0.15, 0.3, 0.6, 1.1 ms
    RuntimeBySliceResult.SliceRuntime longest = r.slice("text.chars > 200").orElseThrow();
    RuntimeBySliceResult.SliceRuntime shortest = r.slice("text.chars ≤ 20").orElseThrow();
    assertThat(longest.n()).isEqualTo(50);
    assertThat(longest.latency().p50()).isBetween(1.1, 1.1 * TOLERANCE + SLACK);
    assertThat(shortest.latency().p50()).isBetween(0.15, 0.15 * TOLERANCE + SLACK);
    assertThat(r.slice("text.chars in (80, 200]").orElseThrow().latency().p50())
        .isBetween(0.6, 0.6 * TOLERANCE + SLACK);
    assertThat(longest.slow()).isTrue();
    assertThat(longest.qValue()).isLessThan(1e-6);
    assertThat(shortest.slow()).isFalse();
    assertThat(r.slice("text.chars in (20, 80]").orElseThrow().slow()).isFalse();
    assertThat(r.slow()).extracting(RuntimeBySliceResult.SliceRuntime::slice)
        .containsExactlyInAnyOrder("text.chars > 200", "text.words > 34",
            "text.chars in (80, 200]", "text.words in (14, 34]");
    // the overall median (nearest rank 100 of 200) is the 2nd group's 0.3 ms
    assertThat(longest.ratioToOverall()).isBetween(1.1 / 0.3 / 1.3, 1.1 / 0.3 * 1.3);
    // errors: the model always says class 0, so a group's errors are its class-1 examples
    assertThat(longest.errors()).isEqualTo(30);
    assertThat(longest.errorRate()).isEqualTo(0.6);
    assertThat(longest.errorInterval().low()).isCloseTo(0.461814, within(1e-5));
    assertThat(longest.errorInterval().high()).isCloseTo(0.723916, within(1e-5));
    assertThat(shortest.errors()).isEqualTo(5);
    assertThat(shortest.errorInterval().low()).isCloseTo(0.043476, within(1e-5));
    assertThat(shortest.errorInterval().high()).isCloseTo(0.213602, within(1e-5));
    assertThat(r.overall().n()).isEqualTo(200);
    assertThat(r.overall().ratioToOverall()).isEqualTo(1.0);
    assertThat(r.overall().latency().p50()).isBetween(0.3, 0.3 * TOLERANCE + SLACK);
    assertThat(r.overall().errors()).isEqualTo(65);
    assertThat(r.toString()).contains("text.chars > 200", "SLOW", "Mann–Whitney", "60.0% [46.2–72.4]");
  }

  @Test
  void largerForegroundImagesAreTheSlowSlice() {
    Dataset data = Datasets.fashionMnistSubset().test().stratifiedSample(200, 3);
    ToDoubleFunction<Input> cost =
        in -> 0.1 + 1.0 * ImageAttributes.measure((TensorInput) in).foreground();
    RuntimeBySliceResult r = RuntimeBySlice.of(new InputCost(data.spec(), cost)).on(data)
        .warmUp(200).repeats(9).run();
    // the top foreground bin is flagged (other attributes correlated with it may be, too)
    RuntimeBySliceResult.SliceRuntime slowest = r.slow().stream()
        .filter(s -> s.slice().startsWith("image.foreground >")).findFirst().orElseThrow();
    // the injected cost of the same examples: those whose foreground exceeds the bin's cut
    double cut = Double.parseDouble(slowest.slice().substring("image.foreground > ".length()));
    double[] injected = java.util.stream.IntStream.range(0, data.size())
        .mapToObj(i -> (TensorInput) data.input(i))
        .filter(t -> ImageAttributes.measure(t).foreground() > cut)
        .mapToDouble(cost::applyAsDouble).sorted().toArray();
    assertThat(injected.length).isEqualTo(slowest.n());
    double median = LatencyStats.quantile(injected, 0.5);
    assertThat(slowest.latency().p50()).isBetween(median, median * TOLERANCE + SLACK);
    assertThat(r.slice("image.foreground ≤ " + r.slices().stream()
        .filter(s -> s.slice().startsWith("image.foreground ≤")).findFirst().orElseThrow()
        .slice().substring("image.foreground ≤ ".length())).orElseThrow().slow()).isFalse();
  }

  @Test
  void mannWhitneyAndNormalTailMatchHandComputedValues() {
    // members {3,4,5} vs rest {1,2}: U = 6, mean 3, var 3, z = 2.5/√3
    double p = RuntimeBySlice.mannWhitneyGreater(new int[] {2, 3, 4},
        new double[] {1, 2, 3, 4, 5});
    assertThat(p).isCloseTo(0.0744573, within(1e-6));
    assertThat(RuntimeBySlice.upperTail(1.959963984540054)).isCloseTo(0.025, within(1e-7));
    assertThat(RuntimeBySlice.mannWhitneyGreater(new int[] {0, 1}, new double[] {1, 2}))
        .isEqualTo(1.0);
  }

  static float[] half(int n) {
    float[] p = new float[n * 2];
    Arrays.fill(p, 0.5f);
    return p;
  }

  @Test
  void badInputIsATypedError() {
    Dataset data = texts();
    InputCost m = new InputCost(data.spec(), RuntimeBySliceTest::textCost);
    assertThatThrownBy(() -> RuntimeBySlice.of(m).run())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("on(dataset)");
    assertThatThrownBy(() -> RuntimeBySlice.of(m).repeats(0))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("repeats");
    assertThatThrownBy(() -> RuntimeBySlice.of(m).minRatio(0.9))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("minRatio");
    ClassificationPredictions shifted = ClassificationPredictions.fromDataset(
        data.subset(java.util.stream.IntStream.range(1, 200).toArray()), half(199));
    assertThatThrownBy(() -> RuntimeBySlice.of(m).on(data).predictions(shifted).run())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("199");
  }
}
