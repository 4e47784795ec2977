package dev.groundwork.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/** The profiler against a model whose latency is injected: 1 ms + 0.05 ms per example, +5 ms on every 50th call. */
class RuntimeProfileTest {
  static final Dataset DATA = Datasets.fashionMnistSubset().test().stratifiedSample(200, 1);

  /** A real model (uniform probabilities) that spins for a known time per call. */
  static final class InjectedLatency implements Model {
    final AtomicLong calls = new AtomicLong();
    final DatasetSpec spec;

    InjectedLatency(DatasetSpec spec) {
      this.spec = spec;
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
      double millis = 1.0 + 0.05 * batch.size() + (n % 50 == 0 ? 5.0 : 0);
      long until = System.nanoTime() + (long) (millis * 1e6);
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
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
  void percentilesAndThroughputMatchTheInjectedLatency() {
    InjectedLatency m = new InjectedLatency(DATA.spec());
    RuntimeProfileResult r = RuntimeProfile.of(m).on(DATA).warmUp(200).calls(1000)
        .batchSizes(1, 32).callers(1, 2).run();
    // batch 1: 1.05 ms; 2 % of calls 6.05 ms, so the p99 is a slow call
    assertThat(r.inference().p50()).isBetween(1.04, 1.20);
    assertThat(r.endToEnd().p50()).isBetween(1.04, 1.30);
    assertThat(r.endToEnd().p90()).isBetween(1.04, 1.60);
    assertThat(r.endToEnd().p99()).isBetween(6.0, 8.0);
    assertThat(r.endToEnd().max()).isGreaterThanOrEqualTo(6.0);
    assertThat(r.endToEnd().p50Low()).isLessThanOrEqualTo(r.endToEnd().p50());
    assertThat(r.endToEnd().p50High()).isGreaterThanOrEqualTo(r.endToEnd().p50());
    assertThat(r.preprocessing().p50()).isLessThan(0.5);
    // batch 32: 1 + 1.6 ms per call, +5 ms every 50th → 32 / 2.7 ms ≈ 11,850 examples/s
    RuntimeProfileResult.Throughput b32 = r.throughput().stream()
        .filter(t -> t.batchSize() == 32 && t.callers() == 1).findFirst().orElseThrow();
    assertThat(b32.examplesPerSecond()).isBetween(9_000.0, 12_500.0);
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
    RuntimeProfileResult easy = RuntimeProfile.of(new InjectedLatency(DATA.spec())).on(DATA)
        .warmUp(0).calls(100).batchSizes(8)
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
