package dev.groundwork.core.runtime;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.concurrent.Future;

/**
 * Profiles any {@link Model} end to end — decoding a record into a batch, {@code predict}, taking
 * the predicted class — after a warm-up: batch-1 latency (p50 with a 95 % interval, p90, p99, max)
 * per stage, throughput for a list of batch sizes and numbers of concurrent callers, memory, and a
 * {@link RuntimeBudget}'s verdict.
 *
 * <pre>{@code
 * RuntimeProfileResult p = RuntimeProfile.of(model).on(split.test()).batchSizes(1, 8, 32)
 *     .budget(RuntimeBudget.none().p99AtBatch1(20).throughput(32, 200)).run();
 * }</pre>
 *
 * <p><b>Repetitions.</b> By default 5,000 warm-up calls (measured on 2 cores: with 500 the JIT's
 * compilations still compete with the timed calls and inflate the p99 about 2×) and 1,000 timed
 * batch-1 calls — enough for a p99 resting on 10 calls, and MLPerf's single-stream minimum of 1,024
 * queries is the same order. Each throughput row times, per caller, at least 20 batches and at
 * least 1 s of work, whichever is more, at most 10,000 batches ({@link ThroughputRule}; the rule
 * is printed with the result).
 */
public final class RuntimeProfile {

  private final Model model;
  private Dataset data;
  private int warmUp = 5000;
  private int calls = 1000;
  private int[] batchSizes = {1, 8, 32};
  private int[] callers = {1};
  private RuntimeBudget budget = RuntimeBudget.none();
  private ThroughputRule throughputRule = ThroughputRule.defaults();
  private LongSupplier clock = System::nanoTime;

  private RuntimeProfile(Model model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /** A profile of {@code model}. */
  public static RuntimeProfile of(Model model) {
    return new RuntimeProfile(model);
  }

  /** The examples fed to the model, cycled (required). */
  public RuntimeProfile on(Dataset examples) {
    this.data = Objects.requireNonNull(examples, "examples");
    return this;
  }

  /** The clock the profile reads, in nanoseconds (tests inject one; default System.nanoTime). */
  RuntimeProfile clock(LongSupplier nanoTime) {
    this.clock = Objects.requireNonNull(nanoTime, "nanoTime");
    return this;
  }

  /** Untimed calls before timing (default 5,000). */
  public RuntimeProfile warmUp(int n) {
    InvalidParameterException.check(n >= 0, "warmUp must be ≥ 0, got %d", n);
    this.warmUp = n;
    return this;
  }

  /** Timed batch-1 calls (default 1,000; at least 100 for a p99 worth reading). */
  public RuntimeProfile calls(int n) {
    InvalidParameterException.check(n >= 100, "calls must be ≥ 100 for a p99, got %d", n);
    this.calls = n;
    return this;
  }

  /** Batch sizes for throughput (default 1, 8, 32). */
  public RuntimeProfile batchSizes(int... sizes) {
    InvalidParameterException.check(sizes.length > 0, "give at least one batch size");
    for (int s : sizes) {
      InvalidParameterException.check(s >= 1, "batch sizes must be ≥ 1, got %d", s);
    }
    this.batchSizes = sizes.clone();
    return this;
  }

  /** Numbers of concurrent callers for throughput (default 1). */
  public RuntimeProfile callers(int... counts) {
    InvalidParameterException.check(counts.length > 0, "give at least one caller count");
    for (int c : counts) {
      InvalidParameterException.check(c >= 1, "caller counts must be ≥ 1, got %d", c);
    }
    this.callers = counts.clone();
    return this;
  }

  /** How many batches each throughput row times (default {@link ThroughputRule#defaults()}). */
  public RuntimeProfile throughput(ThroughputRule rule) {
    this.throughputRule = Objects.requireNonNull(rule, "rule");
    return this;
  }

  /** The budget to check (default none). */
  public RuntimeProfile budget(RuntimeBudget b) {
    this.budget = Objects.requireNonNull(b, "budget");
    return this;
  }

  /**
   * Runs the profile.
   *
   * @throws InvalidParameterException without data, or when the budget's batch size is not
   *     among the profiled ones
   */
  public RuntimeProfileResult run() {
    InvalidParameterException.check(data != null, "no examples: call on(dataset) first");
    data.requireNonEmpty("a runtime profile");
    for (int b : batchSizes) {
      InvalidParameterException.check(b <= data.size(), "batch size %d is larger than the %d "
          + "examples of %s; give more examples or a smaller batch size", b, data.size(),
          data.name());
    }
    budget.throughputBatch().ifPresent(b -> InvalidParameterException.check(
        java.util.Arrays.stream(batchSizes).anyMatch(s -> s == b),
        "the budget asks for throughput at batch %d, which is not among the batch sizes %s", b,
        java.util.Arrays.toString(batchSizes)));
    Iterator<Batch> ones = cycle(1);
    for (int i = 0; i < warmUp; i++) {
      argmax(model.predict(ones.next()));
    }
    double[] pre = new double[calls];
    double[] inf = new double[calls];
    double[] post = new double[calls];
    double[] all = new double[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = clock.getAsLong();
      Batch b = ones.next();
      long t1 = clock.getAsLong();
      ClassProbabilities p = model.predict(b);
      long t2 = clock.getAsLong();
      argmax(p);
      long t3 = clock.getAsLong();
      pre[i] = (t1 - t0) / 1e6;
      inf[i] = (t2 - t1) / 1e6;
      post[i] = (t3 - t2) / 1e6;
      all[i] = (t3 - t0) / 1e6;
    }
    List<RuntimeProfileResult.Throughput> rows = new ArrayList<>();
    for (int b : batchSizes) {
      for (int c : callers) {
        rows.add(throughput(b, c));
      }
    }
    LatencyStats endToEnd = LatencyStats.of(all);
    List<RuntimeProfileResult.BudgetCheck> checks = new ArrayList<>();
    budget.p99Millis().ifPresent(limit -> {
      double p99 = endToEnd.p99();
      boolean met = p99 <= limit;
      checks.add(new RuntimeProfileResult.BudgetCheck("p99 ≤ " + limit + " ms at batch 1", limit,
          p99, met, String.format(Locale.ROOT, "%.3f ms%s", p99, met ? ""
              : String.format(Locale.ROOT, ", missed by %.3f ms (%.0f%% over)", p99 - limit,
                  100 * (p99 / limit - 1)))));
    });
    budget.throughputBatch().ifPresent(b -> {
      double limit = budget.minExamplesPerSecond().getAsDouble();
      double best = rows.stream().filter(r -> r.batchSize() == b)
          .mapToDouble(RuntimeProfileResult.Throughput::examplesPerSecond).max().orElse(0);
      boolean met = best >= limit;
      checks.add(new RuntimeProfileResult.BudgetCheck("≥ " + limit + " examples/s at batch " + b,
          limit, best, met, String.format(Locale.ROOT, "%,.1f examples/s%s", best, met ? ""
              : String.format(Locale.ROOT, ", missed by %,.1f (%.0f%% short)", limit - best,
                  100 * (1 - best / limit)))));
    });
    Runtime rt = Runtime.getRuntime();
    return new RuntimeProfileResult(model.name(), model.summary().backend(), endToEnd,
        LatencyStats.of(pre), LatencyStats.of(inf), LatencyStats.of(post), rows,
        rt.totalMemory() - rt.freeMemory(), residentBytes(), machine() + " · " + model.threading(),
        warmUp, throughputRule,
        budget, checks);
  }

  private RuntimeProfileResult.Throughput throughput(int batchSize, int callerCount) {
    // the rule (ThroughputRule): warm the shape up, calibrate on one caller, fix the count
    Iterator<Batch> warm = cycle(batchSize);
    for (int i = 0; i < ThroughputRule.WARM_UP; i++) {
      argmax(model.predict(warm.next()));
    }
    long c0 = clock.getAsLong();
    for (int i = 0; i < throughputRule.minBatches(); i++) {
      argmax(model.predict(warm.next()));
    }
    int perCaller = throughputRule.batches(clock.getAsLong() - c0);
    ExecutorService pool = Executors.newFixedThreadPool(callerCount);
    try {
      List<Future<Long>> futures = new ArrayList<>();
      long t0 = clock.getAsLong();
      for (int c = 0; c < callerCount; c++) {
        futures.add(pool.submit(() -> {
          Iterator<Batch> it = cycle(batchSize);
          long examples = 0;
          for (int i = 0; i < perCaller; i++) {
            Batch b = it.next();
            argmax(model.predict(b));
            examples += b.size();
          }
          return examples;
        }));
      }
      long examples = 0;
      for (Future<Long> f : futures) {
        examples += f.get();
      }
      return new RuntimeProfileResult.Throughput(batchSize, callerCount, examples,
          (clock.getAsLong() - t0) / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while profiling " + model.name(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Full batches of {@code size}, cycling forever. */
  private Iterator<Batch> cycle(int size) {
    dev.groundwork.core.data.Batches batches = data.batches(size, 0L, true);
    return new Iterator<>() {
      private int pass;
      private Iterator<Batch> it = batches.epoch(pass);

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Batch next() {
        if (!it.hasNext()) {
          it = batches.epoch(++pass);
        }
        return it.next();
      }
    };
  }

  static int argmax(ClassProbabilities p) {
    int last = 0;
    for (int r = 0; r < p.rows(); r++) {
      last = p.argmax(r);
    }
    return last;
  }

  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: unknown
    }
    return 0;
  }

  /** {@code 2 cores · Intel(R) Xeon(R) … · Java 17.0.15 · Linux amd64}. */
  static String machine() {
    return Machine.current().toString();
  }

}
