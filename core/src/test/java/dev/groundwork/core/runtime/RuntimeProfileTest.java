package dev.groundwork.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import dev.groundwork.core.model.ModelSummary;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The profiler against a model whose latency is injected: 1 ms + 0.05 ms per example, +5 ms on
 * every 50th call at batch 1. On an injected clock the figures are exact; on the real clock
 * (spin-waits) only bounds that machine load cannot break are asserted.
 */
class RuntimeProfileTest {
  static final Dataset DATA = Datasets.fashionMnistSubset().test().stratifiedSample(200, 1);

  /**
   * A real model (uniform probabilities) that takes a known time per call: it spins on the real
   * clock, or advances the injected one.
   */
  static final class InjectedLatency implements Model {
    final AtomicLong calls = new AtomicLong();
    final DatasetSpec spec;
    final AtomicLong fakeClock;

    InjectedLatency(DatasetSpec spec) {
      this(spec, null);
    }

    InjectedLatency(DatasetSpec spec, AtomicLong fakeClock) {
      this.spec = spec;
      this.fakeClock = fakeClock;
    }

    @Override
    public String name() {
      return "injected-latency";
    }

    @Override
    public DatasetSpec spec() {
      return spec;
    }

    @Override
    public ClassProbabilities predict(Batch batch) {
      long n = calls.incrementAndGet();
      long nanos = 1_000_000 + 50_000L * batch.size()
          + (batch.size() == 1 && n % 50 == 0 ? 5_000_000 : 0);
      if (fakeClock != null) {
        fakeClock.addAndGet(nanos);
      } else {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }
      float[] p = new float[batch.size() * spec.numClasses()];
      java.util.Arrays.fill(p, 1f / spec.numClasses());
      return new ClassProbabilities(batch.size(), spec.numClasses(), p);
    }

    @Override
    public ModelSummary summary() {
      return new ModelSummary(name(), "test (spin-wait)", List.of());
    }

    @Override
    public void close() {}
  }

  @Test
  void onAnInjectedClockEveryFigureEqualsTheInjectedLatency() {
    AtomicLong clock = new AtomicLong();
    InjectedLatency m = new InjectedLatency(DATA.spec(), clock);
    RuntimeProfileResult r = RuntimeProfile.of(m).on(DATA).clock(clock::get).warmUp(200)
        .calls(1000).batchSizes(1, 32).callers(1, 2).run();
    // timed calls 201..1200: calls 250, 300, …, 1200 are slow, 20 of 1,000 (2 %)
    assertThat(r.inference().p50()).isEqualTo(1.05, within(1e-9));
    assertThat(r.endToEnd().p50()).isEqualTo(1.05, within(1e-9));
    assertThat(r.endToEnd().p90()).isEqualTo(1.05, within(1e-9));
    assertThat(r.endToEnd().p99()).isEqualTo(6.05, within(1e-9)); // the 990th of 1,000 is slow
    assertThat(r.endToEnd().max()).isEqualTo(6.05, within(1e-9));
    assertThat(r.endToEnd().p50Low()).isEqualTo(1.05, within(1e-9));
    assertThat(r.endToEnd().p50High()).isEqualTo(1.05, within(1e-9));
    assertThat(r.preprocessing().max()).isZero();
    // batch 32: 1 + 1.6 ms per call → 32 / 2.6 ms examples/s; two callers share the one clock,
    // so their summed time is the wall time and the figure is the same
    for (int callers : new int[] {1, 2}) {
      RuntimeProfileResult.Throughput t = r.throughput().stream()
          .filter(x -> x.batchSize() == 32 && x.callers() == callers).findFirst().orElseThrow();
      assertThat(t.examples()).isEqualTo(callers * 63L * 32);
      assertThat(t.examplesPerSecond()).isEqualTo(32 / 2.6e-3, within(1e-6));
    }
  }

  @Test
  void onTheRealClockTheFiguresRespectTheInjectedLatency() {
    InjectedLatency m = new InjectedLatency(DATA.spec());
    RuntimeProfileResult r = RuntimeProfile.of(m).on(DATA).warmUp(200).calls(1000)
        .batchSizes(1, 32).callers(1, 2).run();
    // a spin-wait lasts at least its time; machine load can only add to it
    assertThat(r.inference().p50()).isGreaterThanOrEqualTo(1.05);
    assertThat(r.endToEnd().p99()).isGreaterThanOrEqualTo(6.05);
    assertThat(r.endToEnd().p50Low()).isLessThanOrEqualTo(r.endToEnd().p50());
    assertThat(r.endToEnd().p50High()).isGreaterThanOrEqualTo(r.endToEnd().p50());
    RuntimeProfileResult.Throughput b32 = r.throughput().stream()
        .filter(t -> t.batchSize() == 32 && t.callers() == 1).findFirst().orElseThrow();
    assertThat(b32.examplesPerSecond()).isLessThanOrEqualTo(32 / 2.6e-3);
    RuntimeProfileResult.Throughput two = r.throughput().stream()
        .filter(t -> t.batchSize() == 32 && t.callers() == 2).findFirst().orElseThrow();
    assertThat(two.examples()).isEqualTo(2L * 63 * 32);
    assertThat(r.toString()).contains("RuntimeProfile  injected-latency  no budget")
        .contains("batch   32 × 2 callers").contains("cores");
  }

  @Test
  void aBudgetGivesAVerdictAndSaysByHowMuchItIsMissed() {
    RuntimeProfileResult r = RuntimeProfile.of(new InjectedLatency(DATA.spec())).on(DATA)
        .warmUp(50).calls(200).batchSizes(32)
        .budget(RuntimeBudget.none().p99AtBatch1(3).throughput(32, 20_000)).run();
    assertThat(r.withinBudget()).isFalse();
    assertThat(r.checks()).hasSize(2).noneMatch(RuntimeProfileResult.BudgetCheck::met);
    assertThat(r.checks().get(0).detail()).contains("missed by").contains("over");
    assertThat(r.checks().get(1).detail()).contains("missed by").contains("short");
    assertThat(r.toString()).contains("OVER BUDGET").contains("MISS");
    AtomicLong clock = new AtomicLong();
    RuntimeProfileResult easy = RuntimeProfile.of(new InjectedLatency(DATA.spec(), clock))
        .on(DATA).clock(clock::get).warmUp(0).calls(100).batchSizes(8)
        .budget(RuntimeBudget.none().p99AtBatch1(50).throughput(8, 100)).run();
    assertThat(easy.withinBudget()).isTrue();
    assertThat(easy.toString()).contains("WITHIN BUDGET");
  }

  @Test
  void badSettingsAreTypedErrors() {
    Model m = new InjectedLatency(DATA.spec());
    assertThatThrownBy(() -> RuntimeProfile.of(m).run())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("on(dataset)");
    assertThatThrownBy(() -> RuntimeProfile.of(m).batchSizes(0))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("≥ 1");
    assertThatThrownBy(() -> RuntimeProfile.of(m).calls(10))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("p99");
    assertThatThrownBy(() -> RuntimeProfile.of(m).on(DATA).batchSizes(8)
        .budget(RuntimeBudget.none().throughput(32, 10)).run())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("batch 32");
    assertThatThrownBy(() -> RuntimeProfile.of(m).on(DATA).batchSizes(500).run())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("batch size 500")
        .hasMessageContaining("200 examples");
    assertThatThrownBy(() -> RuntimeBudget.none().p99AtBatch1(-1))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void latencyStatsUseNearestRankPercentilesAndAnOrderStatisticInterval() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // 1..100, unsorted
    }
    LatencyStats s = LatencyStats.of(v);
    assertThat(s.p50()).isEqualTo(50);
    assertThat(s.p90()).isEqualTo(90);
    assertThat(s.p99()).isEqualTo(99);
    assertThat(s.max()).isEqualTo(100);
    // ranks 50 ± 1.96·√100/2 = 50 ± 9.8 → values 40 and 61
    assertThat(s.p50Low()).isEqualTo(40);
    assertThat(s.p50High()).isEqualTo(61);
    assertThat(v[0]).isEqualTo(100); // input not sorted in place
  }
}
