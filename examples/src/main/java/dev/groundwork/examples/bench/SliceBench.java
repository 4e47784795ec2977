package dev.groundwork.examples.bench;

import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.ImageAttributes;
import dev.groundwork.core.analysis.SliceOptions;
import dev.groundwork.core.analysis.SlicePlants;
import dev.groundwork.core.analysis.SliceReport;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.examples.results.Results;
import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark — the slice search on Fashion-MNIST: the 10,000 test images and the 60,000 training
 * images (the full set from Debian's {@code dataset-fashion-mnist}; the embedded subset when it is
 * absent), with their five image attributes and the predictions of a nearest-class-centroid model
 * on raw pixels (centroids fitted on the training images; the model of core's slice test fixture
 * {@code SlicePlants}). Times {@link SliceReport#find} alone
 * (the image attributes are computed once beforehand and timed apart), at maxOrder 2 and 3, median
 * of 3 rounds after one warm-up, wall-clock and the thread's CPU time (the search is
 * single-threaded, so CPU time is the figure that does not depend on what else the machine runs),
 * and prints the report of the test set. Writes {@code docs/results/slice-bench.json} (the report
 * of the test set at maxOrder 2 is the block docs/analysis.md quotes).
 *
 * <p>Run the compiled classes directly:
 *
 * <pre>
 * java -Xmx2g -cp core/target/classes:examples/target/classes:$GUAVA:$COMMONS_MATH \
 *     dev.groundwork.examples.bench.SliceBench
 * </pre>
 */
public final class SliceBench {

  private static final int ROUNDS = 3;

  private SliceBench() {}

  /** Runs on the test and the training split. */
  public static void main(String[] args) {
    Split fm = Datasets.fashionMnist();
    Results results = Results.start("slice-bench", args)
        .version("dataset", fm.train().origin())
        .note("model", "nearest class centroid on raw pixels, softmax(-|x - mu_k|^2 / 4)")
        .note("timing", "SliceReport.find alone, median of " + ROUNDS + " rounds after a warm-up");
    double[][] mu = SlicePlants.centroids(fm.train());
    System.out.printf(Locale.ROOT, "slice search on %s; %d cores, max heap %d MB%n",
        fm.train().origin(), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf("%-8s %8s %10s %6s %10s %10s %14s %8s%n", "split", "n", "attrs s",
        "order", "search s", "search cpu", "candidates", "beyond");
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (Dataset d : new Dataset[] {fm.test(), fm.train()}) {
      ClassificationPredictions p = ClassificationPredictions.fromDataset(d,
          SlicePlants.centroidProbabilities(d, mu));
      long t0 = System.nanoTime();
      p = ImageAttributes.addTo(p);
      double attrs = (System.nanoTime() - t0) / 1e9;
      for (int order = 2; order <= 3; order++) {
        SliceOptions o = SliceOptions.builder().maxOrder(order).build();
        SliceReport r = SliceReport.find(p, o, 42);
        double[] times = new double[ROUNDS];
        double[] cpu = new double[ROUNDS];
        for (int k = 0; k < ROUNDS; k++) {
          long s = System.nanoTime();
          long c0 = mx.getCurrentThreadCpuTime();
          r = SliceReport.find(p, o, 42);
          cpu[k] = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
          times[k] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(times);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%-8s %8d %10.2f %6d %10.2f %10.2f %,14d %8d%n",
            d == fm.test() ? "test" : "train", p.size(), attrs, order, times[ROUNDS / 2],
            cpu[ROUNDS / 2], r.candidates(), r.significant());
        String key = (d == fm.test() ? "test" : "train") + "_order" + order;
        results.put(key + "_seconds", times[ROUNDS / 2], "s")
            .put(key + "_cpu_seconds", cpu[ROUNDS / 2], "s")
            .put(key + "_candidates", r.candidates(), "")
            .put(key + "_beyond_class_mix", r.beyondClassMix().size(), "");
        if (d == fm.test() && order == 2) {
          System.out.println(r);
          results.note("report_test_order2", r.toString());
        }
      }
    }
    results.write();
  }
}
