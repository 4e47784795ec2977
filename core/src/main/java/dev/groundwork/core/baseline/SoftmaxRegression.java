package dev.groundwork.core.baseline;

import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Batches;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Optimizer;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.weights.Tensor;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Logistic (softmax) regression on the raw input values — for images, on the pixels: the classical
 * baseline a neural network must beat. Trained in plain Java by mini-batch SGD with momentum, L2
 * weight decay and a cosine learning-rate decay to zero (so the last steps do not leave the
 * weights wherever the noise of one batch put them) on the cross-entropy, visiting the data in
 * the order {@link
 * Dataset#batches(int, long, boolean)} fixes for the seed, so the same seed gives the same weights.
 *
 * <pre>{@code
 * SoftmaxRegression lr = SoftmaxRegression.train(split.train(), 7);
 * double acc = lr.predict(split.test(), 256).accuracy(split.test().labels());
 * }</pre>
 */
public final class SoftmaxRegression implements ClassicalModel {

  /**
   * How the regression is trained.
   *
   * @param epochs passes over the training set, ≥ 1
   * @param batchSize examples per step, ≥ 1
   * @param learningRate SGD step size, > 0
   * @param momentum SGD momentum in [0, 1)
   * @param weightDecay L2 penalty on the weights (not the biases), ≥ 0
   */
  public record Settings(int epochs, int batchSize, double learningRate, double momentum,
      double weightDecay) {

    /** Checks every value (the optimizer's values as {@code TrainConfig} checks them). */
    public Settings {
      InvalidParameterException.check(epochs >= 1, "epochs must be ≥ 1, got %d", epochs);
      TrainConfig.builder().optimizer(Optimizer.SGD).batchSize(batchSize)
          .learningRate(learningRate).momentum(momentum).weightDecay(weightDecay).build();
    }

    /** 10 epochs, batch 64, learning rate 0.05, momentum 0.9, weight decay 1e-4. */
    public static Settings defaults() {
      return new Settings(10, 64, 0.05, 0.9, 1e-4);
    }

    /** These settings with another number of epochs. */
    public Settings withEpochs(int n) {
      return new Settings(n, batchSize, learningRate, momentum, weightDecay);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "SGD %d epochs, batch %d, lr %s, momentum %s, wd %s",
          epochs, batchSize, learningRate, momentum, weightDecay);
    }
  }

  private final DatasetSpec spec;
  private final int classes;
  private final int features;
  private final float[] weights; // classes × features
  private final float[] biases;

  private SoftmaxRegression(DatasetSpec spec, float[] weights, float[] biases) {
    this.spec = spec;
    this.classes = spec.numClasses();
    this.features = spec.inputSize();
    this.weights = weights;
    this.biases = biases;
  }

  /** Trains with {@link Settings#defaults()}. */
  public static SoftmaxRegression train(Dataset train, long seed) {
    return train(train, Settings.defaults(), seed);
  }

  /**
   * Trains on every example of {@code train}; the weights start at zero.
   *
   * @throws InvalidParameterException if the dataset's inputs are texts
   * @throws GroundworkException if training diverges (a weight becomes NaN or infinite)
   */
  public static SoftmaxRegression train(Dataset train, Settings settings, long seed) {
    InvalidParameterException.check(train.spec().inputKind() == InputKind.TENSOR,
        "softmax regression reads tensor inputs, but %s holds texts; use BagOfWords for text",
        train.name());
    train.requireNonEmpty("softmax regression");
    DatasetSpec spec = train.spec();
    int k = spec.numClasses();
    int d = spec.inputSize();
    float[] w = new float[k * d];
    float[] b = new float[k];
    float[] vw = new float[k * d];
    float[] vb = new float[k];
    float[] gw = new float[k * d];
    float[] gb = new float[k];
    SoftmaxRegression model = new SoftmaxRegression(spec, w, b);
    Batches batches = train.batches(settings.batchSize(), seed, false);
    long totalSteps = (long) settings.epochs() * batches.count();
    long step = 0;
    float mu = (float) settings.momentum();
    float wd = (float) settings.weightDecay();
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      for (Iterator<Batch> it = batches.epoch(epoch); it.hasNext(); ) {
        Batch batch = it.next();
        float lr = (float) (settings.learningRate() * 0.5
            * (1 + Math.cos(Math.PI * step++ / totalSteps)));
        float[] p = model.predict(batch).values();
        java.util.Arrays.fill(gw, 0);
        java.util.Arrays.fill(gb, 0);
        int n = batch.size();
        float[] x = batch.inputs();
        for (int r = 0; r < n; r++) {
          int label = batch.labels()[r];
          for (int c = 0; c < k; c++) {
            float delta = (p[r * k + c] - (c == label ? 1 : 0)) / n;
            if (delta == 0) {
              continue;
            }
            gb[c] += delta;
            int row = c * d;
            int xr = r * d;
            for (int j = 0; j < d; j++) {
              gw[row + j] += delta * x[xr + j];
            }
          }
        }
        for (int i = 0; i < w.length; i++) {
          vw[i] = mu * vw[i] - lr * (gw[i] + wd * w[i]);
          w[i] += vw[i];
        }
        for (int c = 0; c < k; c++) {
          vb[c] = mu * vb[c] - lr * gb[c];
          b[c] += vb[c];
        }
      }
      for (float v : w) {
        if (!Float.isFinite(v)) {
          throw new GroundworkException(String.format(Locale.ROOT, "softmax regression on %s "
              + "diverged in epoch %d (a weight is %s) with %s; lower the learning rate",
              train.name(), epoch + 1, v, settings));
        }
      }
    }
    return model;
  }

  @Override
  public String name() {
    return "softmax-regression";
  }

  @Override
  public DatasetSpec spec() {
    return spec;
  }

  /**
   * Class probabilities for a batch of tensor inputs.
   *
   * @throws InvalidParameterException if the batch's input shape is not the spec's
   */
  @Override
  public ClassProbabilities predict(Batch batch) {
    int[] shape = batch.shape();
    InvalidParameterException.check(batch.texts().isEmpty() && spec.matchesShape(
        java.util.Arrays.copyOfRange(shape, 1, shape.length)),
        "%s expects inputs of shape %s, got a batch of shape %s", name(),
        java.util.Arrays.toString(spec.inputShape()), java.util.Arrays.toString(shape));
    int n = batch.size();
    float[] x = batch.inputs();
    float[] out = new float[n * classes];
    for (int r = 0; r < n; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double z = biases[c];
        int row = c * features;
        int xr = r * features;
        for (int j = 0; j < features; j++) {
          z += weights[row + j] * x[xr + j];
        }
        out[r * classes + c] = (float) z;
        max = Math.max(max, z);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        double e = Math.exp(out[r * classes + c] - max);
        out[r * classes + c] = (float) e;
        sum += e;
      }
      for (int c = 0; c < classes; c++) {
        out[r * classes + c] /= (float) sum;
      }
    }
    return new ClassProbabilities(n, classes, out);
  }

  @Override
  public List<Tensor> parameterValues() {
    return List.of(Tensor.of("weight", new int[] {classes, features}, weights.clone()),
        Tensor.of("bias", new int[] {classes}, biases.clone()));
  }
}
