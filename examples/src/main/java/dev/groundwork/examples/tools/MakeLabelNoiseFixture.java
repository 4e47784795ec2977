package dev.groundwork.examples.tools;

import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.CrossValidation;
import dev.groundwork.core.train.CrossValidationResult;
import dev.groundwork.djl.DjlModels;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the label-issue study's data: Fashion-MNIST images with <b>class-conditional</b> label
 * noise, out-of-sample probabilities from cross-validated DJL models, and a feature per image.
 *
 * <p>How: a stratified sample of {@code n} images of the published training file (seed 11); for
 * each noise rate r (10 % and 20 %) class i keeps its label except for {@code round(r·m_i·n_i)}
 * of its images (chosen by a seeded shuffle), {@code m_i} the class's multiplier in {@link #MULT}
 * (the tops are noisier than trousers and bags; the multipliers average 1, so the overall rate is
 * r); 70 % of a class's flips go to its first confusable class in {@link #TARGETS}, the rest to
 * the second. Then 5-fold cross-validation (seed 7) of a weak model (logistic regression, {@code
 * mlp} with no hidden layer, 2 epochs) and a good one ({@code smallCnn}, 5 epochs), batch 64.
 * The feature of an image is its 2×2 mean-pooled pixels (14×14 = 196 values, one byte each).
 *
 * <p>Files, gzipped big-endian ({@code DataOutputStream}): {@code features.bin.gz} = int n, int d,
 * int c, n true labels (byte), n×d features (unsigned byte), n published indices (int); {@code
 * probs-MODEL-RATE.bin.gz} = int n, int c, n noisy labels (byte), n×c probabilities (float). The
 * first {@code testN} rows are written again to the test directory, the committed fixture.
 *
 * <pre>
 * java -cp ... dev.groundwork.examples.tools.MakeLabelNoiseFixture /tmp/labelnoise 10000 \
 *     core/src/test/resources/dev/groundwork/core/analysis/labelnoise 3000 [0.10,0.20]
 * </pre>
 */
public final class MakeLabelNoiseFixture {

  /** Per class: the noise multiplier (mean 1). */
  static final double[] MULT = {1.4, 0.6, 1.4, 1.0, 1.4, 0.8, 1.4, 0.8, 0.6, 0.6};

  /**
   * Per class: the two classes its flips go to (T-shirt→shirt/dress, trouser→dress/T-shirt,
   * pullover→coat/shirt, dress→T-shirt/coat, coat→pullover/shirt, sandal→sneaker/ankle boot,
   * shirt→T-shirt/pullover, sneaker→ankle boot/sandal, bag→pullover/shirt, ankle boot→sneaker/sandal).
   */
  static final int[][] TARGETS = {{6, 3}, {3, 0}, {4, 6}, {0, 4}, {2, 6}, {7, 9}, {0, 2},
      {9, 5}, {2, 6}, {7, 5}};

  private MakeLabelNoiseFixture() {}

  /** Arguments: output directory, n, test directory, test n. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "/tmp/labelnoise");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path testOut = args.length > 2 ? Path.of(args[2]) : null;
    int testN = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
    double[] rates = args.length > 4 ? java.util.Arrays.stream(args[4].split(","))
        .mapToDouble(Double::parseDouble).toArray() : new double[] {0.10, 0.20};
    Files.createDirectories(out);
    if (testOut != null) {
      Files.createDirectories(testOut);
    }
    Dataset data = Datasets.fashionMnist(Datasets.DEBIAN_FASHION_MNIST).train()
        .stratifiedSample(n, 11).shuffle(11);
    int c = data.classes().size();
    writeFeatures(out, data, n);
    if (testOut != null) {
      writeFeatures(testOut, data, testN);
    }
    for (double rate : rates) {
      int[] noisy = noisyLabels(data.labels(), c, rate, 2024);
      Map<String, String> relabel = new HashMap<>();
      int flips = 0;
      for (int i = 0; i < n; i++) {
        if (noisy[i] != data.label(i)) {
          relabel.put(data.id(i), data.classes().get(noisy[i]));
          flips++;
        }
      }
      Dataset noisyData = data.relabel(relabel);
      System.out.printf(Locale.ROOT, "rate %.2f: %d of %d labels flipped%n", rate, flips, n);
      for (String model : List.of("logreg", "cnn")) {
        TrainConfig cfg = TrainConfig.builder().batchSize(64).seed(7).build();
        long t0 = System.nanoTime();
        CrossValidationResult cv;
        try (TrainableModel m = model.equals("cnn") ? DjlModels.smallCnn(noisyData.spec(), cfg)
            : DjlModels.mlp(noisyData.spec(), cfg)) {
          cv = CrossValidation.of(m).on(noisyData).folds(5).epochs(model.equals("cnn") ? 5 : 2)
              .seed(7).run();
        }
        ClassificationPredictions p = cv.predictions();
        int clean = 0;
        for (int i = 0; i < n; i++) {
          clean += p.predicted(i) == data.label(i) ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "  %s: out-of-fold accuracy %.4f (given), %.4f (clean), "
            + "%.0f s%n", model, cv.accuracy(), (double) clean / n, (System.nanoTime() - t0) / 1e9);
        String name = String.format(Locale.ROOT, "probs-%s-%02d.bin.gz", model,
            Math.round(rate * 100));
        writeProbs(out.resolve(name), p, n);
        if (testOut != null) {
          writeProbs(testOut.resolve(name), p, testN);
        }
      }
    }
  }

  /** Class-conditional flips, see the class comment. */
  static int[] noisyLabels(int[] labels, int c, double rate, long seed) {
    int[] noisy = labels.clone();
    Random rng = new Random(seed);
    for (int k = 0; k < c; k++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == k) {
          members.add(i);
        }
      }
      java.util.Collections.shuffle(members, rng);
      int flips = (int) Math.round(rate * MULT[k] * members.size());
      int first = (int) Math.round(0.7 * flips);
      for (int j = 0; j < flips; j++) {
        noisy[members.get(j)] = TARGETS[k][j < first ? 0 : 1];
      }
    }
    return noisy;
  }

  private static void writeFeatures(Path dir, Dataset data, int n) throws IOException {
    try (DataOutputStream o = gz(dir.resolve("features.bin.gz"))) {
      int c = data.classes().size();
      o.writeInt(n);
      o.writeInt(196);
      o.writeInt(c);
      for (int i = 0; i < n; i++) {
        o.writeByte(data.label(i));
      }
      for (int i = 0; i < n; i++) {
        float[] px = ((TensorInput) data.input(i)).values();
        for (int r = 0; r < 14; r++) {
          for (int q = 0; q < 14; q++) {
            int a = 2 * r * 28 + 2 * q;
            double v = (px[a] + px[a + 1] + px[a + 28] + px[a + 29]) / 4;
            o.writeByte((int) Math.round(v * 255));
          }
        }
      }
      for (int i = 0; i < n; i++) {
        o.writeInt(Integer.parseInt(data.id(i).replaceAll("\\D", "")));
      }
    }
  }

  private static void writeProbs(Path file, ClassificationPredictions p, int n)
      throws IOException {
    try (DataOutputStream o = gz(file)) {
      int c = p.numClasses();
      o.writeInt(n);
      o.writeInt(c);
      for (int i = 0; i < n; i++) {
        o.writeByte(p.label(i));
      }
      float[] probs = p.probabilities();
      for (int i = 0; i < n * c; i++) {
        o.writeFloat(probs[i]);
      }
    }
  }

  private static DataOutputStream gz(Path file) throws IOException {
    OutputStream os = Files.newOutputStream(file);
    return new DataOutputStream(new GZIPOutputStream(os, 1 << 16));
  }
}
