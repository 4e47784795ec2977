package dev.groundwork.core.analysis;

import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.data.TensorInput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The planted slice defects on real images that {@code SliceFashionTest} asserts and the
 * examples' {@code SliceStudy} prints for docs/analysis.md: the embedded Fashion-MNIST subset
 * (2,000 train + 1,000 test images, all 3,000 analysed), a nearest-class-centroid model on raw
 * pixels, its probability rows shuffled within each class (errors depend on the class alone: the
 * no-plant control), and two plants — the T-shirts/tops, pullovers and shirts at or below the 13th
 * contrast percentile of those classes, and the coats and bags brighter than the 55th and less
 * sharp than the 45th percentile of those two classes — where a correct prediction is made wrong
 * with probability 0.8. Nothing here calls the slice search: plants and members are counted here.
 */
public final class SlicePlants {

  /** The classes of the contrast plant: T-shirt/top, pullover, shirt. */
  public static final List<Integer> PLANT_CLASSES = List.of(0, 2, 6);
  /** The contrast plant's quantile within its classes. */
  public static final double PLANT_QUANTILE = 0.13;
  /** The chance that a correct prediction inside a plant is made wrong. */
  public static final double PLANT_RATE = 0.8;

  private static SlicePlants instance;

  /** The fixture, built once (centroids, probabilities and attributes of 3,000 images). */
  public static synchronized SlicePlants get() {
    if (instance == null) {
      instance = new SlicePlants();
    }
    return instance;
  }

  /** The indices of {@code s}'s members in {@code p}. */
  public static Set<Integer> members(Slice s, ClassificationPredictions p) {
    Set<String> ids = new HashSet<>(s.memberIds());
    Set<Integer> out = new HashSet<>();
    for (int i = 0; i < p.size(); i++) {
      if (ids.contains(p.id(i))) {
        out.add(i);
      }
    }
    return out;
  }


  final Dataset data;
  final float[] probs;
  final int c;
  final double[] contrast;
  final double[] brightness;
  final double[] sharpness;

  private SlicePlants() {
    Split s = Datasets.fashionMnistSubset();
    data = s.train().concat(s.test());
    c = data.spec().numClasses();
    probs = centroidProbabilities(data, centroids(s.train()));
    int n = data.size();
    contrast = new double[n];
    brightness = new double[n];
    sharpness = new double[n];
    for (int i = 0; i < n; i++) {
      ImageAttributes.Measures ms = ImageAttributes.measure((TensorInput) data.input(i));
      contrast[i] = ms.contrast();
      brightness[i] = ms.brightness();
      sharpness[i] = ms.sharpness();
    }
  }

  /** The mean image of each class of {@code train}: the nearest-centroid model's parameters. */
  public static double[][] centroids(Dataset train) {
    int c = train.spec().numClasses();
    int d = train.spec().inputSize();
    double[][] mu = new double[c][d];
    int[] count = new int[c];
    for (int i = 0; i < train.size(); i++) {
      float[] v = ((TensorInput) train.input(i)).values();
      int y = train.label(i);
      count[y]++;
      for (int t = 0; t < d; t++) {
        mu[y][t] += v[t];
      }
    }
    for (int k = 0; k < c; k++) {
      for (int t = 0; t < d; t++) {
        mu[k][t] /= count[k];
      }
    }
    return mu;
  }

  /**
   * The nearest-centroid model's probabilities, {@code softmax(−‖x − μ_k‖² / 4)} per example of
   * {@code d}, row-major (example × class).
   */
  public static float[] centroidProbabilities(Dataset d, double[][] mu) {
    int c = mu.length;
    int dim = mu[0].length;
    float[] probs = new float[d.size() * c];
    double[] logit = new double[c];
    for (int i = 0; i < d.size(); i++) {
      float[] v = ((TensorInput) d.input(i)).values();
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < c; k++) {
        double s2 = 0;
        for (int t = 0; t < dim; t++) {
          double diff = v[t] - mu[k][t];
          s2 += diff * diff;
        }
        logit[k] = -s2 / 4;
        max = Math.max(max, logit[k]);
      }
      double z = 0;
      for (int k = 0; k < c; k++) {
        logit[k] = Math.exp(logit[k] - max);
        z += logit[k];
      }
      for (int k = 0; k < c; k++) {
        probs[i * c + k] = (float) (logit[k] / z);
      }
    }
    return probs;
  }

  /** The number of analysed images. */
  public int n() {
    return data.size();
  }

  /** The plant's members: the three classes' images at or below the contrast quantile. */
  public Set<Integer> plantRegion() {
    List<Double> v = new ArrayList<>();
    for (int i = 0; i < n(); i++) {
      if (PLANT_CLASSES.contains(data.label(i))) {
        v.add(contrast[i]);
      }
    }
    double[] sorted = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double t = sorted[(int) Math.floor(PLANT_QUANTILE * sorted.length)];
    Set<Integer> region = new HashSet<>();
    for (int i = 0; i < n(); i++) {
      if (PLANT_CLASSES.contains(data.label(i)) && contrast[i] <= t) {
        region.add(i);
      }
    }
    return region;
  }

  /**
   * The model's probability rows shuffled among the examples of each class (seeded): the class
   * error rates and confusions stay the model's own, their link to pixels within a class goes.
   */
  float[] shuffledWithinClass(long seed) {
    Random rng = new Random(seed);
    float[] q = new float[probs.length];
    for (int k = 0; k < c; k++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < n(); i++) {
        if (data.label(i) == k) {
          members.add(i);
        }
      }
      List<Integer> from = new ArrayList<>(members);
      java.util.Collections.shuffle(from, rng);
      for (int j = 0; j < members.size(); j++) {
        System.arraycopy(probs, from.get(j) * c, q, members.get(j) * c, c);
      }
    }
    return q;
  }

  /**
   * The within-class shuffled predictions, with extra errors in {@code region} at {@link
   * #PLANT_RATE}.
   */
  public ClassificationPredictions predictions(Set<Integer> region, long seed) {
    float[] q = shuffledWithinClass(seed);
    Random rng = new Random(seed);
    for (int i = 0; i < n(); i++) {
      int y = data.label(i);
      int pred = argmax(q, i);
      double u = rng.nextDouble();
      if (region.contains(i) && pred == y && u < PLANT_RATE) {
        int second = -1;
        for (int k = 0; k < c; k++) {
          if (k != y && (second < 0 || q[i * c + k] > q[i * c + second])) {
            second = k;
          }
        }
        float t = q[i * c + y];
        q[i * c + y] = q[i * c + second];
        q[i * c + second] = t;
      }
    }
    return ImageAttributes.addTo(ClassificationPredictions.fromDataset(data, q));
  }

  int argmax(float[] q, int i) {
    int best = 0;
    for (int k = 1; k < c; k++) {
      if (q[i * c + k] > q[i * c + best]) {
        best = k;
      }
    }
    return best;
  }

  /** The q-quantile of {@code v} over the images of {@code classes}. */
  double quantile(double[] v, List<Integer> classes, double q) {
    double[] sorted = java.util.stream.IntStream.range(0, n())
        .filter(i -> classes.contains(data.label(i))).mapToDouble(i -> v[i]).sorted().toArray();
    return sorted[(int) Math.floor(q * sorted.length)];
  }

  /**
   * The conjunction plant's members: coats and bags brighter than the 55th percentile and less
   * sharp than the 45th percentile of those two classes.
   */
  public Set<Integer> conjunctionPlant() {
    List<Integer> classes = List.of(4, 8);
    double b = quantile(brightness, classes, 0.55);
    double g = quantile(sharpness, classes, 0.45);
    Set<Integer> plant = new HashSet<>();
    for (int i = 0; i < n(); i++) {
      if (classes.contains(data.label(i)) && brightness[i] > b && sharpness[i] <= g) {
        plant.add(i);
      }
    }
    return plant;
  }
}
