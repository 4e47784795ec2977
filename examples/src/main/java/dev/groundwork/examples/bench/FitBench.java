package dev.groundwork.examples.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.model.TrainingState;
import dev.groundwork.core.train.Checkpoint;
import dev.groundwork.core.train.Fit;
import dev.groundwork.core.train.FitListener;
import dev.groundwork.core.train.FitResult;
import dev.groundwork.core.train.LrSchedule;
import dev.groundwork.djl.DjlModels;
import dev.groundwork.djl.DjlRuntime;
import dev.groundwork.examples.results.Results;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark — the fit loop on the full Fashion-MNIST: the small CNN's test accuracy through {@link
 * Fit}, its epoch time against plain DJL training the same block in the same run, and the time
 * to save and load a checkpoint.
 *
 * <p>The plain side is what a skilled user writes by hand: every image already in native memory
 * (one {@code NDArray} in an {@code ArrayDataset}), {@code EasyTrain.trainBatch} + {@code
 * Trainer.step} with DJL's Adam, same batch size. During the first {@code ratioEpochs} epochs a
 * {@link FitListener} runs one plain step after each fit step, so both sides alternate step by
 * step and see the same machine; a fit step's time is the time between two listener calls, so it
 * includes everything the fit loop does (batch decoding, scheduling, bookkeeping) except the
 * validation pass, which the plain side does not have either.
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests
 * mvn -B -q -ntp -pl examples exec:exec@bench -Dbench=FitBench -Dbench.heap=2g -Dbench.args="10 2"
 * </pre>
 */
public final class FitBench {

  private FitBench() {}

  /** Args: epochs (default 10), epochs with the interleaved plain-DJL side (default 2). */
  public static void main(String[] args) throws Exception {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int ratioEpochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int batch = 64;
    DjlRuntime.engine();
    Split data = Datasets.fashionMnist();
    Dataset train = data.train();
    Dataset test = data.test();
    System.out.printf(Locale.ROOT, "FitBench: small CNN, %s: %,d train / %,d test images, batch "
        + "%d, %d epochs (cosine), %d cores, PyTorch intra-op threads %d%n", train.name(),
        train.size(), test.size(), batch, epochs, Runtime.getRuntime().availableProcessors(),
        JniUtils.getNumThreads());

    Batch all = train.batches(train.size()).iterator().next();
    float[] labels = new float[train.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = all.labels()[i];
    }
    TrainConfig config = TrainConfig.builder().batchSize(batch).seed(42).build();
    try (TrainableModel model = DjlModels.smallCnn(train.spec(), config);
        Model djl = Model.newInstance("plain-small-cnn", Device.cpu(), DjlRuntime.ENGINE)) {
      djl.setBlock(DjlModels.smallCnnBlock(train.spec()));
      try (Trainer trainer = PlainDjl.adamTrainer(djl);
          NDManager manager = djl.getNDManager().newSubManager()) {
        ArrayDataset ds = new ArrayDataset.Builder()
            .setData(manager.create(FloatBuffer.wrap(all.inputs()),
                new Shape(train.size(), 1, 28, 28)))
            .optLabels(manager.create(labels)).setSampling(batch, true).build();
        Interleave plain = new Interleave(trainer, ds, ratioEpochs);
        FitResult r = Fit.of(model).on(train).validation(test).epochs(epochs)
            .schedule(LrSchedule.cosine()).listener(plain).progress(Fit.Progress.LINES,
                System.out).run();
        System.out.println(r);
        double[] ratios = new double[ratioEpochs];
        for (int e = 0; e < ratioEpochs; e++) {
          ratios[e] = (double) plain.fitNanos[e] / plain.plainNanos[e];
          System.out.printf(Locale.ROOT, "epoch %d: fit loop %.1f s (%,.0f img/s), plain DJL "
              + "%.1f s (%,.0f img/s), ratio %.3f%n", e + 1, plain.fitNanos[e] / 1e9,
              train.size() / (plain.fitNanos[e] / 1e9), plain.plainNanos[e] / 1e9,
              plain.plainImages[e] / (plain.plainNanos[e] / 1e9), ratios[e]);
        }
        System.out.printf(Locale.ROOT, "(a) test accuracy after %d epochs through the fit loop: "
            + "%.2f%% (target ≥ 91%%)%n", epochs, 100 * r.last().validationAccuracy());
        System.out.printf(Locale.ROOT, "(b) epoch time, fit loop / plain DJL, steps interleaved: "
            + "%s → mean %+.1f%% (target within 5%%)%n", Arrays.toString(ratios),
            100 * (Arrays.stream(ratios).average().orElse(Double.NaN) - 1));
        Results results = Results.start("fit-bench", args)
            .version("pytorch", ai.djl.engine.Engine.getEngine(DjlRuntime.ENGINE).getVersion())
            .version("djl", ai.djl.engine.Engine.getDjlVersion())
            .version("dataset", train.name() + " " + train.fingerprint().shortHex())
            .put("epochs", epochs, "").put("batch", batch, "")
            .put("test_accuracy_pct", 100 * r.last().validationAccuracy(), "%")
            .put("best_epoch", r.bestEpoch(), "")
            .put("best_epoch_accuracy_pct", 100 * r.best().orElse(r.last())
                .validationAccuracy(), "%")
            .put("epoch_ratio_mean", Arrays.stream(ratios).average().orElse(Double.NaN), "")
            .put("epoch_overhead_pct",
                100 * (Arrays.stream(ratios).average().orElse(Double.NaN) - 1), "%");
        for (int e = 0; e < ratioEpochs; e++) {
          results.put("epoch" + (e + 1) + "_fit_seconds", plain.fitNanos[e] / 1e9, "s")
              .put("epoch" + (e + 1) + "_plain_seconds", plain.plainNanos[e] / 1e9, "s")
              .put("epoch" + (e + 1) + "_ratio", ratios[e], "");
        }
        checkpointTiming(model, results);
        results.write();
      }
    }
  }

  private static void checkpointTiming(TrainableModel model, Results results)
      throws Exception {
    Path dir = Files.createTempDirectory("fitbench");
    Path file = dir.resolve("last.safetensors");
    int n = 21;
    double[] save = new double[n];
    double[] load = new double[n];
    double[] both = new double[n];
    for (int i = 0; i < n + 5; i++) {
      long t0 = System.nanoTime();
      TrainingState state = model.trainingState();
      Checkpoint.write(file, new Checkpoint(state, 1, 1, 42, "x", "", 1e-3, "bench", List.of(),
          0, Double.NaN, 0, "bench"));
      long t1 = System.nanoTime();
      Checkpoint c = Checkpoint.read(file);
      model.restore(c.state());
      long t2 = System.nanoTime();
      if (i >= 5) {
        save[i - 5] = (t1 - t0) / 1e6;
        load[i - 5] = (t2 - t1) / 1e6;
        both[i - 5] = (t2 - t0) / 1e6;
      }
    }
    Arrays.sort(save);
    Arrays.sort(load);
    Arrays.sort(both);
    System.out.printf(Locale.ROOT, "(c) checkpoint of the small CNN (%,d bytes, parameters + Adam "
        + "state): save %.1f ms, load + restore %.1f ms, together %.1f ms (median of %d; max "
        + "%.1f ms; target < 100 ms)%n", Files.size(file), save[n / 2], load[n / 2], both[n / 2],
        n, both[n - 1]);
    results.put("checkpoint_bytes", Files.size(file), "bytes")
        .put("checkpoint_save_ms", save[n / 2], "ms").put("checkpoint_load_ms", load[n / 2], "ms")
        .put("checkpoint_total_ms", both[n / 2], "ms").put("checkpoint_max_ms", both[n - 1], "ms");
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  /** Runs one plain-DJL step after each fit step in the first epochs, timing both sides. */
  private static final class Interleave implements FitListener {
    final Trainer trainer;
    final ArrayDataset ds;
    final long[] fitNanos;
    final long[] plainNanos;
    final long[] plainImages;
    Iterator<ai.djl.training.dataset.Batch> plainBatches;
    long mark;

    Interleave(Trainer trainer, ArrayDataset ds, int epochs) {
      this.trainer = trainer;
      this.ds = ds;
      this.fitNanos = new long[epochs];
      this.plainNanos = new long[epochs];
      this.plainImages = new long[epochs];
    }

    @Override
    public void epochStarted(int epoch) {
      if (epoch <= fitNanos.length) {
        try {
          plainBatches = trainer.iterateDataset(ds).iterator();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      mark = System.nanoTime();
    }

    @Override
    public void stepFinished(int epoch, long step, StepResult result) {
      if (epoch > fitNanos.length) {
        return;
      }
      long now = System.nanoTime();
      fitNanos[epoch - 1] += now - mark;
      if (plainBatches.hasNext()) {
        try (ai.djl.training.dataset.Batch b = plainBatches.next()) {
          EasyTrain.trainBatch(trainer, b);
          trainer.step();
          plainImages[epoch - 1] += b.getSize();
        }
      }
      mark = System.nanoTime();
      plainNanos[epoch - 1] += mark - now;
    }
  }
}
