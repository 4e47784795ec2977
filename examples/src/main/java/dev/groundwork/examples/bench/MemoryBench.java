package dev.groundwork.examples.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.djl.DjlModels;
import dev.groundwork.djl.DjlRuntime;
import dev.groundwork.examples.results.Results;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark — native memory over 1,000 batch-64 predictions and 1,000 training steps of the small
 * CNN on Fashion-MNIST (the model and batch size of {@code NativeMemoryTest}), each side in its own JVM whose heap is fixed and touched up front, so that the
 * resident size moves only with native memory:
 *
 * <ul>
 *   <li>Groundwork's {@code TrainableModel.predict} / {@code trainStep};
 *   <li>the baseline a skilled user writes: plain DJL with every batch already an {@code NDArray}
 *       in native memory, created once;
 *   <li>the convenient plain-DJL path: {@code manager.create(float[])} per call, which copies each
 *       batch into a direct buffer that only the garbage collector frees (Groundwork did this
 *       before it owned its buffers).
 * </ul>
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests
 * mvn -B -q -ntp -pl examples exec:exec@bench -Dbench=MemoryBench
 * </pre>
 */
public final class MemoryBench {

  private static final int CALLS = 1000;
  private static final int WARM_UP = 300;

  private MemoryBench() {}

  /** Runs the three sides in child JVMs and prints their growth after warm-up. */
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("child")) {
      child(args[1]);
      return;
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    System.out.printf(Locale.ROOT, "MemoryBench: small CNN, batch 64, %,d predictions then %,d "
        + "training steps after %,d warm-up calls of each; child JVMs -Xms512m -Xmx512m "
        + "-XX:+AlwaysPreTouch%n", CALLS, CALLS, WARM_UP);
    System.out.printf(Locale.ROOT, "%-34s %14s %16s %16s%n", "side", "RSS after warm-up",
        "+ predictions", "+ training");
    Results results = Results.start("memory-bench", args);
    for (String side : List.of("groundwork", "djl-preloaded", "djl-create-per-call")) {
      Process p = new ProcessBuilder(java, "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch",
          "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-cp",
          System.getProperty("java.class.path"), MemoryBench.class.getName(), "child", side)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(10, TimeUnit.MINUTES);
      String line = out.lines().filter(l -> l.startsWith("RSS ")).findFirst()
          .orElse("RSS failed: " + out);
      String[] kb = line.replaceAll("[^0-9 ]", "").trim().split(" +");
      if (kb.length < 3) {
        System.out.println(side + ": " + line);
        continue;
      }
      long base = Long.parseLong(kb[0]);
      System.out.printf(Locale.ROOT, "%-34s %,11d kB %+,13d kB %+,13d kB%n", side, base,
          Long.parseLong(kb[1]) - base, Long.parseLong(kb[2]) - base);
      String key = side.replace('-', '_');
      results.put(key + "_rss_after_warm_up_mb", base / 1024.0, "MB")
          .put(key + "_predict_growth_mb", (Long.parseLong(kb[1]) - base) / 1024.0, "MB")
          .put(key + "_train_growth_mb", (Long.parseLong(kb[2]) - base) / 1024.0, "MB");
      if (kb.length >= 5) {
        // the peak above can be a swing that is given back: the growth still there at the end
        results.put(key + "_predict_end_growth_mb", (Long.parseLong(kb[3]) - base) / 1024.0, "MB")
            .put(key + "_train_end_growth_mb", (Long.parseLong(kb[4]) - base) / 1024.0, "MB");
      }
    }
    results.write();
  }

  private static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS");
  }

  /** A step of one side: {@code train} false predicts, true trains. */
  private interface Side extends AutoCloseable {
    void call(int i, boolean train);

    @Override
    void close();
  }

  private static void child(String side) throws Exception {
    DjlRuntime.engine();
    Dataset data = Datasets.fashionMnistSubset().train().stratifiedSample(512, 1);
    List<Batch> batches = new ArrayList<>();
    data.batches(64, 3, true).forEach(batches::add);
    try (Side s = side.equals("groundwork") ? groundwork(data, batches)
        : plain(data, batches, side.equals("djl-preloaded"))) {
      for (int i = 0; i < WARM_UP; i++) {
        s.call(i, false);
        s.call(i, true);
      }
      long base = residentKb();
      long predictions = base;
      for (int i = 0; i < CALLS; i++) {
        s.call(i, false);
        if (i % 50 == 0) {
          predictions = Math.max(predictions, residentKb());
        }
      }
      long predictEnd = residentKb();
      long training = Math.max(base, predictEnd);
      for (int i = 0; i < CALLS; i++) {
        s.call(i, true);
        if (i % 50 == 0) {
          training = Math.max(training, residentKb());
        }
      }
      long trainEnd = residentKb();
      training = Math.max(training, trainEnd);
      System.out.printf("RSS %d %d %d %d %d%n", base, predictions, training, predictEnd, trainEnd);
    }
  }

  private static Side groundwork(Dataset data, List<Batch> batches) {
    TrainableModel m = DjlModels.smallCnn(data.spec(), TrainConfig.defaults());
    return new Side() {
      @Override
      public void call(int i, boolean train) {
        Batch b = batches.get(i % batches.size());
        if (train) {
          m.trainStep(b, false);
        } else {
          m.predict(b);
        }
      }

      @Override
      public void close() {
        m.close();
      }
    };
  }

  private static Side plain(Dataset data, List<Batch> batches, boolean preloaded) {
    Model model = Model.newInstance("plain-small-cnn", Device.cpu(), DjlRuntime.ENGINE);
    model.setBlock(DjlModels.smallCnnBlock(data.spec()));
    Trainer trainer = PlainDjl.adamTrainer(model);
    NDManager keep = model.getNDManager().newSubManager();
    List<NDArray> xs = new ArrayList<>();
    List<NDArray> ys = new ArrayList<>();
    for (Batch b : batches) {
      xs.add(keep.create(FloatBuffer.wrap(b.inputs()), new Shape(b.size(), 1, 28, 28)));
      ys.add(keep.create(b.labels()));
    }
    return new Side() {
      @Override
      public void call(int i, boolean train) {
        int k = i % batches.size();
        try (NDManager m = keep.newSubManager()) {
          NDArray x = preloaded ? xs.get(k) : m.create(batches.get(k).inputs(),
              new Shape(batches.get(k).size(), 1, 28, 28));
          NDArray y = preloaded ? ys.get(k) : m.create(batches.get(k).labels());
          if (preloaded) {
            m.tempAttachAll(x, y); // results of ops on x attach to m, freed with it
          }
          if (train) {
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
              NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
              gc.backward(loss);
              logits.close();
              loss.close();
            }
            trainer.step();
          } else {
            model.getBlock().forward(new ParameterStore(m, false), new NDList(x), false)
                .singletonOrThrow().softmax(1).toFloatArray();
          }
        }
      }

      @Override
      public void close() {
        keep.close();
        trainer.close();
        model.close();
      }
    };
  }
}
