package dev.groundwork.core.baseline;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.data.Example;
import dev.groundwork.core.data.TextInput;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.weights.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bag-of-words baseline: TF-IDF features (sublinear term frequency, smoothed IDF, unit length)
 * over the training texts' words, and softmax regression trained with Adam — in plain Java. The
 * classical baseline for text in a {@link dev.groundwork.core.compare.Scorecard}.
 *
 * <pre>{@code
 * BagOfWords bow = BagOfWords.train(split.train(), 30, 7);
 * double acc = bow.accuracy(split.test());
 * }</pre>
 */
public final class BagOfWords implements ClassicalModel {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}+#]+");

  private final DatasetSpec spec;
  private final Map<String, Integer> vocabulary;
  private final float[] idf;
  private final int classes;
  private final float[] weights; // classes × (vocabulary + 1 bias)

  private BagOfWords(DatasetSpec spec, Map<String, Integer> vocabulary, float[] idf, int classes,
      float[] weights) {
    this.spec = spec;
    this.vocabulary = vocabulary;
    this.idf = idf;
    this.classes = classes;
    this.weights = weights;
  }

  /**
   * Builds the vocabulary (words in at least 2 training texts) and trains the classifier.
   *
   * @param train the training texts
   * @param epochs passes over the training set (mini-batches of 32, shuffled by {@code seed})
   * @param seed shuffling seed
   * @throws InvalidParameterException if the dataset's inputs are not texts or {@code epochs < 1}
   */
  public static BagOfWords train(Dataset train, int epochs, long seed) {
    InvalidParameterException.check(train.spec().inputKind() == InputKind.TEXT,
        "the bag of words reads texts, but %s holds tensors; use SoftmaxRegression for those",
        train.name());
    InvalidParameterException.check(epochs >= 1, "epochs must be ≥ 1, got %d", epochs);
    train.requireNonEmpty("the bag-of-words baseline");
    List<List<String>> docs = new ArrayList<>();
    Map<String, Integer> df = new HashMap<>();
    for (Example e : train) {
      List<String> words = words(((TextInput) e.input()).text());
      docs.add(words);
      words.stream().distinct().forEach(w -> df.merge(w, 1, Integer::sum));
    }
    Map<String, Integer> vocab = new HashMap<>();
    df.entrySet().stream().filter(en -> en.getValue() >= 2).map(Map.Entry::getKey).sorted()
        .forEach(w -> vocab.put(w, vocab.size()));
    float[] idf = new float[vocab.size()];
    int n = docs.size();
    vocab.forEach((w, i) -> idf[i] = (float) (Math.log((1.0 + n) / (1.0 + df.get(w))) + 1));
    int classes = train.spec().numClasses();
    int width = vocab.size() + 1;
    BagOfWords bow = new BagOfWords(train.spec(), vocab, idf, classes, new float[classes * width]);
    List<Map<Integer, Float>> x = new ArrayList<>();
    for (List<String> d : docs) {
      x.add(bow.features(d));
    }
    bow.fit(x, train.labels(), epochs, seed);
    return bow;
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** Unit-length TF-IDF vector as index → value. */
  private Map<Integer, Float> features(List<String> words) {
    Map<Integer, Integer> tf = new HashMap<>();
    for (String w : words) {
      Integer i = vocabulary.get(w);
      if (i != null) {
        tf.merge(i, 1, Integer::sum);
      }
    }
    Map<Integer, Float> v = new HashMap<>();
    double norm = 0;
    for (Map.Entry<Integer, Integer> e : tf.entrySet()) {
      float val = (float) ((1 + Math.log(e.getValue())) * idf[e.getKey()]);
      v.put(e.getKey(), val);
      norm += val * val;
    }
    double s = norm == 0 ? 1 : Math.sqrt(norm);
    v.replaceAll((k, val) -> (float) (val / s));
    return v;
  }

  private void fit(List<Map<Integer, Float>> x, int[] y, int epochs, long seed) {
    int width = vocabulary.size() + 1;
    float[] m = new float[weights.length];
    float[] v = new float[weights.length];
    double lr = 0.02;
    long t = 0;
    int[] order = java.util.stream.IntStream.range(0, x.size()).toArray();
    Random rng = new Random(seed);
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      for (int from = 0; from < order.length; from += 32) {
        int to = Math.min(order.length, from + 32);
        float[] g = new float[weights.length];
        for (int k = from; k < to; k++) {
          int i = order[k];
          float[] p = probabilities(x.get(i));
          for (int c = 0; c < classes; c++) {
            float d = (p[c] - (c == y[i] ? 1 : 0)) / (to - from);
            for (Map.Entry<Integer, Float> e : x.get(i).entrySet()) {
              g[c * width + e.getKey()] += d * e.getValue();
            }
            g[c * width + width - 1] += d;
          }
        }
        t++;
        double c1 = 1 - Math.pow(0.9, t);
        double c2 = 1 - Math.pow(0.999, t);
        for (int q = 0; q < weights.length; q++) {
          m[q] = 0.9f * m[q] + 0.1f * g[q];
          v[q] = 0.999f * v[q] + 0.001f * g[q] * g[q];
          weights[q] -= (float) (lr * (m[q] / c1) / (Math.sqrt(v[q] / c2) + 1e-8));
        }
      }
    }
  }

  private float[] probabilities(Map<Integer, Float> x) {
    int width = vocabulary.size() + 1;
    float[] z = new float[classes];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      double s = weights[c * width + width - 1];
      for (Map.Entry<Integer, Float> e : x.entrySet()) {
        s += weights[c * width + e.getKey()] * e.getValue();
      }
      z[c] = (float) s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      z[c] = (float) Math.exp(z[c] - max);
      sum += z[c];
    }
    for (int c = 0; c < classes; c++) {
      z[c] /= (float) sum;
    }
    return z;
  }

  /** The most probable class of a text. */
  public int predict(String text) {
    float[] p = probabilities(features(words(text)));
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return best;
  }

  /** The fraction of a dataset's texts predicted right. */
  public double accuracy(Dataset data) {
    int right = 0;
    for (Example e : data) {
      if (predict(((TextInput) e.input()).text()) == e.label()) {
        right++;
      }
    }
    return (double) right / data.size();
  }

  /** The number of words in the vocabulary. */
  public int vocabularySize() {
    return vocabulary.size();
  }

  @Override
  public String name() {
    return "tf-idf-bag-of-words";
  }

  @Override
  public DatasetSpec spec() {
    return spec;
  }

  /**
   * Class probabilities for a batch of texts.
   *
   * @throws InvalidParameterException if the batch holds tensors
   */
  @Override
  public ClassProbabilities predict(Batch batch) {
    InvalidParameterException.check(batch.texts().size() == batch.size(),
        "%s reads texts, got a tensor batch of shape %s", name(),
        java.util.Arrays.toString(batch.shape()));
    float[] out = new float[batch.size() * classes];
    for (int r = 0; r < batch.size(); r++) {
      System.arraycopy(probabilities(features(words(batch.texts().get(r)))), 0, out, r * classes,
          classes);
    }
    return new ClassProbabilities(batch.size(), classes, out);
  }

  @Override
  public List<Tensor> parameterValues() {
    return List.of(Tensor.of("weight", new int[] {classes, vocabulary.size() + 1},
        weights.clone()), Tensor.of("idf", new int[] {vocabulary.size()}, idf.clone()));
  }

  /** The vocabulary, one word a line in index order, under {@code vocabulary}. */
  @Override
  public Map<String, String> metadata() {
    String[] words = new String[vocabulary.size()];
    vocabulary.forEach((w, i) -> words[i] = w);
    return Map.of("vocabulary", String.join("\n", words));
  }
}
