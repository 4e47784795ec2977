package dev.groundwork.examples.bench;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.examples.results.Results;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Benchmark 1 — loading and batching the full Fashion-MNIST training set.
 *
 * <p>Baseline (same run): gunzip the two published files and read every raw byte. Groundwork: load
 * the same files with {@link Datasets#fashionMnist(Path)} and iterate all batches of 128 once
 * (decoded to floats). Prints images/s, the ratio to the baseline and the peak heap of each.
 *
 * <p>Run (needs Debian's {@code dataset-fashion-mnist}; the JVM is forked with a fixed 300 MB heap, {@code -Xms300m -Xmx300m}):
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests &amp;&amp; mvn -B -q -ntp -pl examples exec:exec@bench -Dbench=DatasetBench
 * </pre>
 */
public final class DatasetBench {

  private static final int ROUNDS = 5;

  private DatasetBench() {}

  /** Runs the benchmark on the directory in {@code args[0]} or Debian's location. */
  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : Datasets.DEBIAN_FASHION_MNIST;
    if (!Files.isDirectory(dir)) {
      System.out.println("DatasetBench needs the full Fashion-MNIST: apt-get install -y "
          + "dataset-fashion-mnist (or pass its directory)");
      return;
    }
    System.out.printf(Locale.ROOT, "DatasetBench: Fashion-MNIST train (60,000 × 28×28) from %s, "
        + "max heap %d MB, %d rounds (median), %d cores%n", dir,
        Runtime.getRuntime().maxMemory() >> 20, ROUNDS, Runtime.getRuntime().availableProcessors());
    double[] raw = new double[ROUNDS];
    double[] gw = new double[ROUNDS];
    long rawPeak = 0;
    long gwPeak = 0;
    rawRead(dir);
    groundwork(dir);
    for (int r = 0; r < ROUNDS; r++) {
      System.gc();
      HeapPeaks.reset();
      long t0 = System.nanoTime();
      long check = rawRead(dir);
      raw[r] = (System.nanoTime() - t0) / 1e9;
      rawPeak = Math.max(rawPeak, HeapPeaks.bytes());
      System.gc();
      HeapPeaks.reset();
      t0 = System.nanoTime();
      long seen = groundwork(dir);
      gw[r] = (System.nanoTime() - t0) / 1e9;
      gwPeak = Math.max(gwPeak, HeapPeaks.bytes());
      if (seen != 60_000 || check == 0) {
        throw new IllegalStateException("saw " + seen + " images");
      }
    }
    double rawS = median(raw);
    double gwS = median(gw);
    System.out.printf(Locale.ROOT, "%-44s %8s %12s %10s%n", "", "seconds", "images/s", "peak heap");
    System.out.printf(Locale.ROOT, "%-44s %8.3f %12.0f %7d MB%n",
        "raw: gunzip + read bytes (baseline)", rawS, 60_000 / rawS, rawPeak >> 20);
    System.out.printf(Locale.ROOT, "%-44s %8.3f %12.0f %7d MB%n",
        "groundwork: load + all batches of 128", gwS, 60_000 / gwS, gwPeak >> 20);
    System.out.printf(Locale.ROOT, "ratio groundwork / raw: %.2f× (target ≤ 2×); peak heap "
        + "target < 300 MB%n", gwS / rawS);
    Results.start("dataset-bench-" + (Runtime.getRuntime().maxMemory() >> 20 <= 200 ? "small-heap"
        : "default-heap"), args)
        .put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20, "MB")
        .put("raw_seconds", rawS, "s").put("raw_images_per_second", 60_000 / rawS, "images/s")
        .put("groundwork_seconds", gwS, "s")
        .put("groundwork_images_per_second", 60_000 / gwS, "images/s")
        .put("ratio", gwS / rawS, "").put("groundwork_peak_heap_mb", gwPeak >> 20, "MB")
        .put("raw_peak_heap_mb", rawPeak >> 20, "MB").write();
  }

  /** Gunzips both files and touches every byte; returns a checksum so nothing is skipped. */
  private static long rawRead(Path dir) throws IOException {
    long sum = 0;
    for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"}) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(f)), 1 << 16)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
          for (int i = 0; i < n; i++) {
            sum += buffer[i] & 0xff;
          }
        }
      }
    }
    return sum;
  }

  /** Loads with Groundwork and iterates every batch of 128; returns the number of images seen. */
  private static long groundwork(Path dir) {
    Dataset train = Datasets.fashionMnist(dir).train();
    long seen = 0;
    double sink = 0;
    for (Batch b : train.batches(128)) {
      seen += b.size();
      sink += b.inputs()[b.inputs().length - 1];
    }
    if (sink < 0) {
      throw new IllegalStateException();
    }
    return seen;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
