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
    // batch 1, one caller (calls 1201…): 5 warm-up calls, 20 calibration calls 1206–1225 (none
    // slow) take 21 ms, so the rule gives ⌈1 s × 20 / 21 ms⌉ = 953 batches: calls 1226–2178, of
    // which 19 are slow (1250, 1300, …, 2150) → 953 × 1.05 + 19 × 5 = 1,095.65 ms
    RuntimeProfileResult.Throughput one = row(r, 1, 1);
    assertThat(one.batchesPerCaller()).isEqualTo(953);
    assertThat(one.seconds()).isEqualTo(1.09565, within(1e-9));
    assertThat(one.examplesPerSecond()).isEqualTo(953 / 1.09565, within(1e-6));
    // batch 1, two callers: calibration 2184–2203 holds the slow call 2200 (26 ms → 770 batches
    // each); the 1,540 timed calls 2204–3743 hold 30 slow ones → 1,617 + 150 ms
    RuntimeProfileResult.Throughput two = row(r, 1, 2);
    assertThat(two.batchesPerCaller()).isEqualTo(770);
    assertThat(two.examples()).isEqualTo(1540);
    assertThat(two.seconds()).isEqualTo(1.767, within(1e-9));
    // batch 32: 1 + 1.6 ms per call; calibration 20 × 2.6 ms → ⌈1 s × 20 / 52 ms⌉ = 385 batches
    // per caller, 32 / 2.6 ms examples/s; two callers share the one clock, so their summed time
    // is the wall time and the figure is the same
    for (int callers : new int[] {1, 2}) {
      RuntimeProfileResult.Throughput t = row(r, 32, callers);
      assertThat(t.batchesPerCaller()).isEqualTo(385);
      assertThat(t.examples()).isEqualTo(callers * 385L * 32);
      assertThat(t.examplesPerSecond()).isEqualTo(32 / 2.6e-3, within(1e-6));
    }
    assertThat(r.throughputRule()).isEqualTo(ThroughputRule.defaults());
    assertThat(r.toString()).contains("(385 batches per caller in 1.00 s)")
        .contains("throughput repetitions: each row: 5 untimed batches, 20 timed calibration "
            + "batches, then per caller max(20 batches, 1 s ÷ the calibrated time per batch), "
            + "at most 10,000 batches");
  }

  @Test
  void theThroughputRuleTakesWhicheverIsMoreOfBatchesAndSecondsUpToItsCap() {
    ThroughputRule rule = ThroughputRule.defaults();
    assertThat(rule.batches(52_000_000)).isEqualTo(385);       // 2.6 ms a batch: time decides
    assertThat(rule.batches(20_000_000_000L)).isEqualTo(20);   // 1 s a batch: 20 batches decide
    assertThat(rule.batches(20_000)).isEqualTo(10_000);        // 1 µs a batch: the cap
    assertThat(rule.batches(0)).isEqualTo(10_000);             // faster than the clock
    assertThat(rule.batches(50_000_000)).isEqualTo(400);       // exactly 2.5 ms: no rounding up
    assertThat(rule.withMinSeconds(0).batches(1)).isEqualTo(20);
    assertThatThrownBy(() -> new ThroughputRule(0, 1, 10))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("minBatches");
    assertThatThrownBy(() -> new ThroughputRule(20, -1, 100))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("minSeconds");
    assertThatThrownBy(() -> new ThroughputRule(20, 1, 10))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("maxBatches");
  }

  private static RuntimeProfileResult.Throughput row(RuntimeProfileResult r, int batch,
      int callers) {
    return r.throughput().stream().filter(x -> x.batchSize() == batch && x.callers() == callers)
        .findFirst().orElseThrow();
  }

  @Test
  void onTheRealClockTheFiguresRespectTheInjectedLatency() {
    InjectedLatency m = new InjectedLatency(DATA.spec());
    RuntimeProfileResult r = RuntimeProfile.of(m).on(DATA).warmUp(200).calls(1000)
        .batchSizes(1, 32).callers(1, 2)
        .throughput(ThroughputRule.defaults().withMinSeconds(0.1)).run();
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
    // a batch takes at least 2.6 ms, so the calibration at least 52 ms: at most ⌈0.1 s × 20 /
    // 52 ms⌉ = 39 batches per caller, at least 20, and each caller spins for all of them
    assertThat(two.batchesPerCaller()).isBetween(20L, 39L);
    assertThat(two.examples()).isEqualTo(2 * two.batchesPerCaller() * 32);
    assertThat(two.seconds()).isGreaterThanOrEqualTo(two.batchesPerCaller() * 2.6e-3);
    assertThat(r.toString()).contains("RuntimeProfile  injected-latency  no budget")
        .contains("batch   32 × 2 callers").contains("cores")
        .contains(" · threads not reported by the backend · warm-up 200 calls");
  }

  @Test
  void aBudgetGivesAVerdictAndSaysByHowMuchItIsMissed() {
    RuntimeProfileResult r = RuntimeProfile.of(new InjectedLatency(DATA.spec())).on(DATA)
        .warmUp(50).calls(200).batchSizes(32).throughput(ThroughputRule.defaults()
            .withMinSeconds(0.1))
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
    // on the injected clock, by exactly how much: p99 6.05 ms against 3 ms, and 32 / 2.6 ms =
    // 12,307.7 examples/s against 20,000
    AtomicLong clock2 = new AtomicLong();
    RuntimeProfileResult missed = RuntimeProfile.of(new InjectedLatency(DATA.spec(), clock2))
        .on(DATA).clock(clock2::get).warmUp(200).calls(1000).batchSizes(32)
        .budget(RuntimeBudget.none().p99AtBatch1(3).throughput(32, 20_000)).run();
    assertThat(missed.checks()).extracting(RuntimeProfileResult.BudgetCheck::detail)
        .containsExactly("6.050 ms, missed by 3.050 ms (102% over)",
            "12,307.7 examples/s, missed by 7,692.3 (38% short)");
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
