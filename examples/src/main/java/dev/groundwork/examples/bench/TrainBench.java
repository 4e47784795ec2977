package dev.groundwork.examples.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.translate.NoopTranslator;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Batches;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.OverfitCheck;
import dev.groundwork.core.train.OverfitReport;
import dev.groundwork.djl.DjlModels;
import dev.groundwork.djl.DjlRuntime;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 2 — training and prediction through Groundwork's DJL adapter against plain DJL, in
 * the same run, on the small CNN and the embedded Fashion-MNIST subset.
 *
 * <ol>
 *   <li>steps and wall time for {@link OverfitCheck} to PASS on 100 examples;
 *   <li>training throughput at batch 128: {@code TrainableModel.trainStep} over Groundwork
 *       batches vs DJL's {@code EasyTrain.trainBatch} + {@code Trainer.step} over an {@code
 *       ArrayDataset} of the same images, same block, same optimizer;
 *   <li>single-example prediction latency, median and p99: {@code Model.predict} vs a DJL {@code
 *       Predictor} with a {@code NoopTranslator}, interleaved in blocks.
 * </ol>
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests &amp;&amp; mvn -B -q -ntp -pl examples exec:exec -Dbench=TrainBench -Dbench.heap=1g
 * </pre>
 */
public final class TrainBench {

  private TrainBench() {}

  /** Runs the three measurements. Optional args: rounds (default 11), latency calls (2000). */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    DjlRuntime.engine();
    Dataset train = Datasets.fashionMnistSubset().train();
    System.out.printf(Locale.ROOT, "TrainBench: small CNN, Fashion-MNIST subset (%d images), "
        + "%d cores, PyTorch intra-op threads %d%n", train.size(),
        Runtime.getRuntime().availableProcessors(), JniUtils.getNumThreads());
    overfit(train);
    throughput(train, rounds);
    latency(train, calls);
  }

  private static void overfit(Dataset train) {
    Dataset hundred = train.stratifiedSample(100, 42);
    try (TrainableModel cnn = DjlModels.smallCnn(hundred.spec())) {
      OverfitReport r = OverfitCheck.of(cnn).on(hundred).run();
      System.out.printf(Locale.ROOT, "(a) overfit check, 100 examples: %s at step %s, %.2f s of "
          + "training (%.1f ms/step, %,.0f examples/s); baseline %.0f%%%n", r.verdict(),
          r.stepsToTarget().isPresent() ? r.stepsToTarget().getAsInt() : "-",
          r.wallTime().toMillis() / 1000.0, r.millisPerStep(), r.examplesPerSecond(),
          100 * r.baselineAccuracy().orElse(Double.NaN));
    }
  }

  private static void throughput(Dataset train, int rounds) throws Exception {
    int batch = 128;
    int epochs = 1;
    // each round is one epoch of each side, interleaved step by step
    float[] images = new float[train.size() * 784];
    Batch all = train.batches(train.size()).iterator().next();
    System.arraycopy(all.inputs(), 0, images, 0, images.length);
    float[] labels = new float[train.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = all.labels()[i];
    }
    double[] ours = new double[rounds];
    double[] plain = new double[rounds];
    try (TrainableModel model = DjlModels.smallCnn(train.spec());
        Model djl = Model.newInstance("plain-small-cnn", Device.cpu(), DjlRuntime.ENGINE)) {
      djl.setBlock(DjlModels.smallCnnBlock(train.spec()));
      try (Trainer trainer = PlainDjl.adamTrainer(djl);
          NDManager manager = djl.getNDManager().newSubManager()) {
        ArrayDataset ds = new ArrayDataset.Builder()
            .setData(manager.create(FloatBuffer.wrap(images), new Shape(train.size(), 1, 28, 28)))
            .optLabels(manager.create(labels)).setSampling(batch, true).build();
        Batches batches = train.batches(batch, 7, false);
        // warm-up, one epoch each
        runOurs(model, batches, 1, 0);
        runPlain(trainer, ds, 1);
        // Steps alternate one by one (which side goes first alternates too), so both see the
        // same machine: on a shared 2-core VM the speed drifts by ±40% within a minute.
        for (int r = 0; r < rounds; r++) {
          long oursNanos = 0;
          long plainNanos = 0;
          int oursImages = 0;
          int plainImages = 0;
          Iterator<Batch> mine = batches.epoch(r + 1);
          Iterator<ai.djl.training.dataset.Batch> theirs = trainer.iterateDataset(ds).iterator();
          boolean oursFirst = r % 2 == 0;
          while (mine.hasNext() || theirs.hasNext()) {
            for (int side = 0; side < 2; side++) {
              boolean doOurs = (side == 0) == oursFirst;
              long t0 = System.nanoTime();
              if (doOurs && mine.hasNext()) {
                Batch b = mine.next();
                model.trainStep(b, false);
                oursImages += b.size();
                oursNanos += System.nanoTime() - t0;
              } else if (!doOurs && theirs.hasNext()) {
                try (ai.djl.training.dataset.Batch b = theirs.next()) {
                  EasyTrain.trainBatch(trainer, b);
                  trainer.step();
                  plainImages += b.getSize();
                }
                plainNanos += System.nanoTime() - t0;
              }
            }
          }
          ours[r] = oursImages / (oursNanos / 1e9);
          plain[r] = plainImages / (plainNanos / 1e9);
        }
      }
    }
    double o = median(ours);
    double p = median(plain);
    double[] ratios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ratios[r] = plain[r] / ours[r];
    }
    System.out.printf(Locale.ROOT, "(b) training throughput, batch %d, %d rounds of %d "
        + "epoch(s), steps interleaved one by one:%n    groundwork adapter %,.0f images/s · plain DJL EasyTrain %,.0f images/s "
        + "(medians)%n    overhead, median of paired ratios: %+.1f%% (target < 5%%)%n"
        + "    rounds ours  %s%n    rounds plain %s%n", batch, rounds, epochs, o, p,
        100 * (median(ratios) - 1), fmt(ours), fmt(plain));
  }

  private static void runOurs(TrainableModel model, Batches batches, int epochs, int firstEpoch) {
    for (int e = 0; e < epochs; e++) {
      Iterator<Batch> it = batches.epoch(firstEpoch + e);
      while (it.hasNext()) {
        model.trainStep(it.next(), false);
      }
    }
  }

  private static void runPlain(Trainer trainer, ArrayDataset ds, int epochs) throws Exception {
    for (int e = 0; e < epochs; e++) {
      for (ai.djl.training.dataset.Batch b : trainer.iterateDataset(ds)) {
        try (b) {
          EasyTrain.trainBatch(trainer, b);
          trainer.step();
        }
      }
    }
  }

  private static void latency(Dataset train, int calls) throws Exception {
    List<Batch> singles = new ArrayList<>();
    train.subset(java.util.stream.IntStream.range(0, 200).toArray()).batches(1)
        .forEach(singles::add);
    double[] ours = new double[calls];
    double[] plain = new double[calls];
    try (TrainableModel model = DjlModels.smallCnn(train.spec());
        Model djl = Model.newInstance("plain-small-cnn", Device.cpu(), DjlRuntime.ENGINE)) {
      djl.setBlock(DjlModels.smallCnnBlock(train.spec()));
      djl.getBlock().initialize(djl.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
          new Shape(1, 1, 28, 28));
      try (Predictor<NDList, NDList> predictor = djl.newPredictor(new NoopTranslator())) {
        // warm-up to the JIT's steady state (C2 compiles the hot path after ~10k calls; with 500
        // calls the p99 still holds compilations competing for the 2 cores)
        for (int i = 0; i < 5000; i++) {
          model.predict(singles.get(i % singles.size()));
        }
        JniUtils.setNumThreads(DjlRuntime.intraOpThreads());
        for (int i = 0; i < 5000; i++) {
          plainPredict(djl, predictor, singles.get(i % singles.size()));
        }
        int block = 100;
        for (int start = 0; start < calls; start += block) {
          for (int i = start; i < Math.min(calls, start + block); i++) {
            Batch b = singles.get(i % singles.size());
            long t0 = System.nanoTime();
            model.predict(b);
            ours[i] = (System.nanoTime() - t0) / 1e6;
          }
          // plain DJL as it comes: PyTorch's default intra-op threads
          JniUtils.setNumThreads(DjlRuntime.intraOpThreads());
          for (int i = start; i < Math.min(calls, start + block); i++) {
            Batch b = singles.get(i % singles.size());
            long t0 = System.nanoTime();
            plainPredict(djl, predictor, b);
            plain[i] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "(c) single-example latency, %d calls each, interleaved in "
        + "blocks of 100:%n    groundwork adapter median %.3f ms p99 %.3f ms (p99/median %.2f)%n"
        + "    plain DJL Predictor (default %d intra-op threads) median %.3f ms p99 %.3f ms "
        + "(p99/median %.2f)%n", calls,
        pct(ours, 50), pct(ours, 99), pct(ours, 99) / pct(ours, 50),
        DjlRuntime.intraOpThreads(), pct(plain, 50),
        pct(plain, 99), pct(plain, 99) / pct(plain, 50));
  }

  private static float[] plainPredict(Model djl, Predictor<NDList, NDList> predictor, Batch b)
      throws Exception {
    try (NDManager m = djl.getNDManager().newSubManager()) {
      NDArray x = m.create(FloatBuffer.wrap(b.inputs()), new Shape(1, 1, 28, 28));
      NDList out = predictor.predict(new NDList(x));
      try (out) {
        return out.singletonOrThrow().softmax(1).toFloatArray();
      }
    }
  }

  static double pct(double[] xs, double p) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
  }

  private static double median(double[] xs) {
    return pct(xs, 50);
  }

  private static String fmt(double[] xs) {
    StringBuilder sb = new StringBuilder();
    for (double x : xs) {
      sb.append(String.format(Locale.ROOT, "%,.0f ", x));
    }
    return sb.toString().trim();
  }
}
