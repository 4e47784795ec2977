package dev.groundwork.examples.tools;

import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.CrossValidation;
import dev.groundwork.core.weights.Tensor;
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
 * mlp} with no hidden layer, 2 epochs) and a good one ({@code smallCnn}, 5 epochs unless given),
 * batch 64. The feature of an image is its 2×2 mean-pooled pixels (14×14 = 196 values, one byte
 * each); for the CNN the run also keeps each image's out-of-fold penultimate features (128
 * values, from the fold model that did not train on it).
 *
 * <p>Files, gzipped big-endian ({@code DataOutputStream}): {@code features.bin.gz} = int n, int d,
 * int c, n true labels (byte), n×d features (unsigned byte), n published indices (int); {@code
 * probs-MODEL-RATE.bin.gz} = int n, int c, n noisy labels (byte), n×c probabilities (float);
 * {@code emb-cnn-RATE.bin.gz} = int n, int d, n×d floats. The first {@code testN} rows are written
 * again to the test directory, the committed fixture.
 *
 * <pre>
 * java -cp ... dev.groundwork.examples.tools.MakeLabelNoiseFixture /tmp/labelnoise 10000 \
 *     core/src/test/resources/dev/groundwork/core/analysis/labelnoise 3000 [0.10,0.20 [logreg,cnn [5]]]
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

  /** Arguments: output directory, n, test directory, test n, rates, models, CNN epochs. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "/tmp/labelnoise");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path testOut = args.length > 2 ? Path.of(args[2]) : null;
    int testN = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
    double[] rates = args.length > 4 ? java.util.Arrays.stream(args[4].split(","))
        .mapToDouble(Double::parseDouble).toArray() : new double[] {0.10, 0.20};
    List<String> models = args.length > 5 ? List.of(args[5].split(",")) : List.of("logreg", "cnn");
    int cnnEpochs = args.length > 6 ? Integer.parseInt(args[6]) : 5;
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
      for (String model : models) {
        TrainConfig cfg = TrainConfig.builder().batchSize(64).seed(7).build();
        long t0 = System.nanoTime();
        String name = String.format(Locale.ROOT, "%s-%02d.bin.gz", model, Math.round(rate * 100));
        ClassificationPredictions p;
        if (model.equals("cnn")) {
          OutOfFold oof = cnnOutOfFold(noisyData, cfg, cnnEpochs);
          p = ClassificationPredictions.fromDataset(noisyData, oof.probs());
          writeEmbeddings(out.resolve("emb-" + name), oof.embeddings(), n);
          if (testOut != null) {
            writeEmbeddings(testOut.resolve("emb-" + name), oof.embeddings(), testN);
          }
        } else {
          try (TrainableModel m = DjlModels.mlp(noisyData.spec(), cfg)) {
            p = CrossValidation.of(m).on(noisyData).folds(5).epochs(2).seed(7).run()
                .predictions();
          }
        }
        int clean = 0;
        int given = 0;
        for (int i = 0; i < n; i++) {
          clean += p.predicted(i) == data.label(i) ? 1 : 0;
          given += p.predicted(i) == noisy[i] ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "  %s: out-of-fold accuracy %.4f (given), %.4f (clean), "
            + "%.0f s%n", model, (double) given / n, (double) clean / n,
            (System.nanoTime() - t0) / 1e9);
        writeProbs(out.resolve("probs-" + name), p, n);
        if (testOut != null) {
          writeProbs(testOut.resolve("probs-" + name), p, testN);
        }
      }
    }
  }

  /** Out-of-fold probabilities and penultimate-layer features, row-major, in dataset order. */
  record OutOfFold(float[] probs, float[] embeddings) {}

  /** The small CNN's penultimate width (its {@code fc1} layer). */
  static final int CNN_EMBEDDING = 128;

  /**
   * Cross-validates the small CNN as {@link CrossValidation} does (the same stratified folds,
   * seed 7, batches and epochs, so the probabilities are the ones it gives) and also keeps, for
   * every held-out image, the fold model's penultimate features: the 128 outputs of {@code fc1}
   * after its ReLU, computed here from the trained parameters. Checked: the head applied to them
   * reproduces the model's probabilities.
   */
  static OutOfFold cnnOutOfFold(Dataset data, TrainConfig cfg, int epochs) {
    int n = data.size();
    int c = data.classes().size();
    int folds = 5;
    long seed = 7;
    int[] foldOf = assignFolds(data.labels(), c, folds, seed);
    float[] probs = new float[n * c];
    float[] emb = new float[n * CNN_EMBEDDING];
    double worst = 0;
    try (TrainableModel prototype = DjlModels.smallCnn(data.spec(), cfg)) {
      for (int f = 0; f < folds; f++) {
        int fold = f;
        int[] train = java.util.stream.IntStream.range(0, n).filter(i -> foldOf[i] != fold)
            .toArray();
        int[] held = java.util.stream.IntStream.range(0, n).filter(i -> foldOf[i] == fold)
            .toArray();
        Dataset trainSet = data.subset(train);
        Dataset heldSet = data.subset(held);
        long t0 = System.nanoTime();
        try (TrainableModel m = prototype.newInstance(prototype.config())) {
          var batches = trainSet.batches(Math.min(cfg.batchSize(), trainSet.size()), seed, false);
          for (int e = 0; e < epochs; e++) {
            for (var it = batches.epoch(e); it.hasNext(); ) {
              m.trainStep(it.next(), false);
            }
          }
          ClassProbabilities p = m.predict(heldSet, 256);
          Map<String, Tensor> w = new HashMap<>();
          for (Tensor t : m.parameterValues()) {
            w.put(t.name(), t);
          }
          for (int r = 0; r < held.length; r++) {
            float[] px = ((TensorInput) heldSet.input(r)).values();
            float[] z = cnnFeatures(px, w);
            System.arraycopy(z, 0, emb, held[r] * CNN_EMBEDDING, CNN_EMBEDDING);
            System.arraycopy(p.values(), r * c, probs, held[r] * c, c);
            worst = Math.max(worst, headGap(z, w, p.values(), r * c, c));
          }
        }
        System.out.printf(Locale.ROOT, "    fold %d: %d epochs, %.0f s%n", f, epochs,
            (System.nanoTime() - t0) / 1e9);
      }
    }
    System.out.printf(Locale.ROOT, "    head on the features vs the model's probabilities: "
        + "largest difference %.2e%n", worst);
    if (worst > 1e-3) {
      throw new IllegalStateException("the penultimate features do not reproduce the model's "
          + "probabilities (largest difference " + worst + "); the small CNN's layout changed");
    }
    return new OutOfFold(probs, emb);
  }

  /** CrossValidation's stratified folds, dealt the same way (see its Javadoc). */
  static int[] assignFolds(int[] labels, int classes, int folds, long seed) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i]).add(i);
    }
    Random rng = new Random(seed);
    int[] foldOf = new int[labels.length];
    int next = 0;
    for (List<Integer> members : byClass) {
      int[] a = members.stream().mapToInt(Integer::intValue).toArray();
      for (int i = a.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
      for (int position : a) {
        foldOf[position] = next;
        next = (next + 1) % folds;
      }
    }
    return foldOf;
  }

  /**
   * The small CNN's backbone on one 28×28 image: conv 3×3 (32, padding 1, no bias) – ReLU –
   * max-pool 2, conv 3×3 (64) – ReLU – max-pool 2, flatten, fc1 (128) – ReLU.
   */
  static float[] cnnFeatures(float[] img, Map<String, Tensor> w) {
    float[] a = pool(relu(conv(img, 1, 28, w.get("backbone_conv1_weight"))), 32, 28);
    float[] b = pool(relu(conv(a, 32, 14, w.get("backbone_conv2_weight"))), 64, 14);
    Tensor fw = w.get("backbone_fc1_weight");
    Tensor fb = w.get("backbone_fc1_bias");
    int out = fw.shape()[0];
    int in = fw.shape()[1];
    float[] z = new float[out];
    for (int o = 0; o < out; o++) {
      double s = fb.values()[o];
      for (int i = 0; i < in; i++) {
        s += fw.values()[o * in + i] * b[i];
      }
      z[o] = (float) Math.max(0, s);
    }
    return z;
  }

  private static float[] conv(float[] x, int cin, int size, Tensor weight) {
    int cout = weight.shape()[0];
    float[] k = weight.values();
    float[] y = new float[cout * size * size];
    for (int o = 0; o < cout; o++) {
      for (int i = 0; i < cin; i++) {
        for (int dy = 0; dy < 3; dy++) {
          for (int dx = 0; dx < 3; dx++) {
            float kv = k[((o * cin + i) * 3 + dy) * 3 + dx];
            for (int r = 0; r < size; r++) {
              int sr = r + dy - 1;
              if (sr < 0 || sr >= size) {
                continue;
              }
              int yo = (o * size + r) * size;
              int xo = (i * size + sr) * size;
              for (int q = Math.max(0, 1 - dx); q < Math.min(size, size + 1 - dx); q++) {
                y[yo + q] += kv * x[xo + q + dx - 1];
              }
            }
          }
        }
      }
    }
    return y;
  }

  private static float[] relu(float[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.max(0, x[i]);
    }
    return x;
  }

  private static float[] pool(float[] x, int ch, int size) {
    int h = size / 2;
    float[] y = new float[ch * h * h];
    for (int k = 0; k < ch; k++) {
      for (int r = 0; r < h; r++) {
        for (int q = 0; q < h; q++) {
          int a = (k * size + 2 * r) * size + 2 * q;
          y[(k * h + r) * h + q] = Math.max(Math.max(x[a], x[a + 1]),
              Math.max(x[a + size], x[a + size + 1]));
        }
      }
    }
    return y;
  }

  /** The largest |softmax(head(z)) − p| over the classes. */
  private static double headGap(float[] z, Map<String, Tensor> w, float[] p, int off, int c) {
    Tensor hw = w.get("head_weight");
    Tensor hb = w.get("head_bias");
    double[] logit = new double[c];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < c; j++) {
      double s = hb.values()[j];
      for (int i = 0; i < z.length; i++) {
        s += hw.values()[j * z.length + i] * z[i];
      }
      logit[j] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int j = 0; j < c; j++) {
      logit[j] = Math.exp(logit[j] - max);
      sum += logit[j];
    }
    double gap = 0;
    for (int j = 0; j < c; j++) {
      gap = Math.max(gap, Math.abs(logit[j] / sum - p[off + j]));
    }
    return gap;
  }

  /** {@code emb-MODEL-RATE.bin.gz}: int n, int d, n×d floats. */
  private static void writeEmbeddings(Path file, float[] emb, int n) throws IOException {
    try (DataOutputStream o = gz(file)) {
      o.writeInt(n);
      o.writeInt(CNN_EMBEDDING);
      for (int i = 0; i < n * CNN_EMBEDDING; i++) {
        o.writeFloat(emb[i]);
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
