package dev.groundwork.onnx;

import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Embeddings;
import dev.groundwork.core.model.ModelSummary;
import dev.groundwork.core.model.Optimizer;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.model.TrainingState;
import dev.groundwork.core.weights.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A frozen ONNX backbone with a classification head trained in plain Java, as a {@link
 * TrainableModel}: the overfit check, the LR finder and the fit loop drive it like any other.
 *
 * <pre>{@code
 * OnnxEmbedder minilm = ...;                                        // any float output
 * FrozenBackboneClassifier clf = FrozenBackboneClassifier.create(minilm, data.spec(),
 *     Head.mlp(128), TrainConfig.builder().learningRate(3e-3).seed(7).build());
 * clf.precompute(split.train(), 32);                                 // optional: backbone once
 * for (Batch b : split.train().batches(32, 7, false)) clf.trainStep(b, false);
 * }</pre>
 *
 * <p>Each input's features are computed by the backbone once and cached under a hash of the input's
 * content, not its id ({@link #featureCache()}, shared with every {@link #newInstance new
 * instance}); a training step computes the missing ones of its batch in one backbone call. With
 * the backbone's default {@link OnnxOptions.Batching#PER_EXAMPLE} batching an example's features
 * are the same whatever batch computes them, so precomputed features, training batches and
 * one-at-a-time prediction agree.
 * The head's parameters are named {@code head_...} and are the only trainable ones; the backbone's
 * initializers are listed as frozen {@code backbone_...} parameters. Adam or SGD with momentum and
 * L2 weight decay, as the {@link TrainConfig} says; the head's initial weights come from its seed.
 */
public final class FrozenBackboneClassifier implements TrainableModel {

  private static final int MAGIC = 0x47574844; // "GWHD"
  private static final int FORMAT = 1;

  private final OnnxEmbedder backbone;
  private final FeatureCache cache;
  private final DatasetSpec spec;
  private final Head head;
  private final TrainConfig config;
  private final int dim;
  private final String[] names;
  private final int[][] shapes;
  private final float[][] params;
  private final boolean[] trainable;
  private final float[][] moment1;
  private final float[][] moment2;
  private final float[] scale;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private double learningRate;
  private long steps;

  private FrozenBackboneClassifier(OnnxEmbedder backbone, FeatureCache cache, DatasetSpec spec,
      Head head, TrainConfig config) {
    this.backbone = backbone;
    this.cache = cache;
    this.spec = spec;
    this.head = head;
    this.config = config;
    this.learningRate = config.learningRate();
    this.dim = backbone.dimension().orElseThrow(() -> new OnnxInputException(backbone.name(),
        "the feature size of " + backbone.name() + " is not fixed by its output shape; a frozen "
            + "backbone needs an output whose per-example size is known"));
    int c = spec.numClasses();
    if (head.hidden() == 0) {
      names = new String[] {"head_weight", "head_bias"};
      shapes = new int[][] {{c, dim}, {c}};
    } else {
      int h = head.hidden();
      names = new String[] {"head_hidden_weight", "head_hidden_bias", "head_out_weight",
          "head_out_bias"};
      shapes = new int[][] {{h, dim}, {h}, {c, h}, {c}};
    }
    params = new float[names.length][];
    moment1 = new float[names.length][];
    moment2 = new float[names.length][];
    trainable = new boolean[names.length];
    scale = new float[names.length];
    Arrays.fill(scale, 1f);
    Random rng = new Random(config.seed());
    for (int p = 0; p < names.length; p++) {
      int size = Arrays.stream(shapes[p]).reduce(1, (a, b) -> a * b);
      params[p] = new float[size];
      moment1[p] = new float[size];
      moment2[p] = new float[size];
      trainable[p] = true;
      if (shapes[p].length == 2) {
        double limit = Math.sqrt(6.0 / (shapes[p][0] + shapes[p][1]));
        for (int i = 0; i < size; i++) {
          params[p][i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
      }
    }
  }

  /**
   * A head on a frozen backbone. The classifier takes its own hold on the backbone's session, so
   * the caller may close {@code backbone} when done with it.
   *
   * @param backbone the feature extractor; its kind (text or tensor) must match the spec's
   * @param spec the data's input kind and classes
   * @param head softmax regression or an MLP
   * @param config optimizer, learning rate, weight decay and the seed of the head's initial weights
   * @throws OnnxInputException if the backbone reads text and the data is tensors, or the reverse,
   *     or its feature size is not fixed
   */
  public static FrozenBackboneClassifier create(OnnxEmbedder backbone, DatasetSpec spec, Head head,
      TrainConfig config) {
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(config, "config");
    boolean text = spec.inputKind() == InputKind.TEXT;
    if (text != backbone.readsText()) {
      throw new OnnxInputException(backbone.name(), text
          ? "the data is text but backbone " + backbone.name() + " has no tokenizer; make the "
              + "embedder with OnnxOptions.builder().tokenizer(...)"
          : "the data is tensors but backbone " + backbone.name() + " reads text");
    }
    OnnxEmbedder own = backbone.share();
    try {
      return new FrozenBackboneClassifier(own, new FeatureCache(), spec, head, config);
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
  }

  @Override
  public String name() {
    String b = backbone.name();
    int slash = Math.max(b.lastIndexOf('/'), b.lastIndexOf(':'));
    return b.substring(slash + 1) + " + " + head;
  }

  @Override
  public DatasetSpec spec() {
    return spec;
  }

  @Override
  public TrainConfig config() {
    return config;
  }

  /** The head's architecture. */
  public Head head() {
    return head;
  }

  /** The length of the backbone's feature vectors. */
  public int featureDimension() {
    return dim;
  }

  /**
   * The cache of backbone features, shared with every {@link #newInstance new instance}; keyed by
   * content, so what one instance computes never changes what another reads.
   */
  public FeatureCache featureCache() {
    return cache;
  }

  /** The backbone tokenizer's counts (texts seen, truncated), for text backbones. */
  public java.util.Optional<TokenizationReport> tokenization() {
    return backbone.tokenization();
  }

  /**
   * Computes and caches the features of every example not yet cached, in batches; every head made
   * later with {@link #newInstance} reads them too.
   */
  public void precompute(Dataset data, int batchSize) {
    for (Batch b : data.batches(batchSize)) {
      features(b);
    }
  }

  // ------------------------------------------------------------------ features

  private float[] features(Batch batch) {
    int n = batch.size();
    float[] x = new float[n * dim];
    boolean text = !batch.texts().isEmpty();
    int exampleSize = text ? 0 : batch.inputs().length / Math.max(1, n);
    int[] exampleShape = Arrays.copyOfRange(batch.shape(), 1, batch.shape().length);
    // the rows of each uncached input, in first-seen order: one backbone row per distinct input
    Map<FeatureCache.Key, List<Integer>> missing = new java.util.LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      FeatureCache.Key key = text ? FeatureCache.Key.text(batch.texts().get(i))
          : FeatureCache.Key.tensor(exampleShape, batch.inputs(), i * exampleSize, exampleSize);
      List<Integer> rows = missing.get(key);
      float[] f = rows == null ? cache.get(key) : null;
      if (f != null) {
        System.arraycopy(f, 0, x, i * dim, dim);
      } else {
        missing.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      }
    }
    if (!missing.isEmpty()) {
      List<Integer> firsts = new ArrayList<>();
      missing.values().forEach(rows -> firsts.add(rows.get(0)));
      Batch sub = firsts.size() == n ? batch : subBatch(batch, firsts, exampleSize);
      Embeddings e = backbone.embed(sub);
      cache.countCall();
      if (e.dimension() != dim) {
        throw new OnnxInputException(backbone.name(), "backbone " + backbone.name() + " gave "
            + e.dimension() + " features per example, but its output shape promised " + dim);
      }
      int k = 0;
      for (Map.Entry<FeatureCache.Key, List<Integer>> m : missing.entrySet()) {
        float[] f = e.row(k++);
        cache.put(m.getKey(), f);
        for (int i : m.getValue()) {
          System.arraycopy(f, 0, x, i * dim, dim);
        }
      }
    }
    return x;
  }

  private static Batch subBatch(Batch b, List<Integer> rows, int exampleSize) {
    int m = rows.size();
    int[] labels = new int[m];
    List<String> ids = new ArrayList<>(m);
    List<String> texts = new ArrayList<>();
    float[] inputs = new float[m * exampleSize];
    for (int k = 0; k < m; k++) {
      int i = rows.get(k);
      labels[k] = b.labels()[i];
      ids.add(b.ids().get(i));
      if (!b.texts().isEmpty()) {
        texts.add(b.texts().get(i));
      } else {
        System.arraycopy(b.inputs(), i * exampleSize, inputs, k * exampleSize, exampleSize);
      }
    }
    int[] shape = b.shape().clone();
    shape[0] = m;
    return new Batch(shape, inputs, texts, labels, ids);
  }

  // ------------------------------------------------------------------ head

  /** Logits of each row, and the hidden activations (MLP) for the backward pass. */
  private float[][] forward(float[] x, int n) {
    int c = spec.numClasses();
    float[] logits = new float[n * c];
    if (head.hidden() == 0) {
      affine(params[0], params[1], x, n, dim, c, logits);
      return new float[][] {logits};
    }
    int h = head.hidden();
    float[] hidden = new float[n * h];
    affine(params[0], params[1], x, n, dim, h, hidden);
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = Math.max(0, hidden[i]);
    }
    affine(params[2], params[3], hidden, n, h, c, logits);
    return new float[][] {logits, hidden};
  }

  /** {@code out[r] = w · in[r] + b} for {@code w} of {@code outs × ins}. */
  private static void affine(float[] w, float[] b, float[] in, int n, int ins, int outs,
      float[] out) {
    for (int r = 0; r < n; r++) {
      for (int o = 0; o < outs; o++) {
        double s = b[o];
        int wb = o * ins;
        int ib = r * ins;
        for (int i = 0; i < ins; i++) {
          s += w[wb + i] * in[ib + i];
        }
        out[r * outs + o] = (float) s;
      }
    }
  }

  @Override
  public ClassProbabilities predict(Batch batch) {
    checkBatch(batch);
    float[] x = features(batch);
    int n = batch.size();
    int c = spec.numClasses();
    float[] logits;
    lock.readLock().lock();
    try {
      logits = forward(x, n)[0];
    } finally {
      lock.readLock().unlock();
    }
    float[] p = new float[n * c];
    for (int r = 0; r < n; r++) {
      Decoding.softmax(logits, r * c, c, p);
    }
    return new ClassProbabilities(n, c, p);
  }

  private void checkBatch(Batch batch) {
    boolean text = !batch.texts().isEmpty() || batch.inputs().length == 0;
    if (text != (spec.inputKind() == InputKind.TEXT)) {
      throw new InvalidParameterException("model " + name() + " reads " + spec.inputKind()
          + " but was given a " + (text ? "text" : "tensor") + " batch " + batch);
    }
    for (int y : batch.labels()) {
      InvalidParameterException.check(y >= 0 && y < spec.numClasses(),
          "label %d outside the %d classes of model %s", y, spec.numClasses(), name());
    }
    dev.groundwork.core.data.NonFiniteInputException.check(batch, "model " + name());
  }

  @Override
  public StepResult trainStep(Batch batch, boolean collectGradients) {
    checkBatch(batch);
    boolean any = false;
    for (boolean t : trainable) {
      any |= t;
    }
    if (!any) {
      throw new GroundworkException("every head parameter of " + name() + " is frozen and the "
          + "backbone cannot be trained; unfreeze(\"head_\") before training");
    }
    float[] x = features(batch);
    int n = batch.size();
    int c = spec.numClasses();
    int[] y = batch.labels();
    lock.writeLock().lock();
    try {
      float[][] fw = forward(x, n);
      float[] logits = fw[0];
      float[] p = new float[n * c];
      float[] exampleLoss = new float[n];
      int[] predicted = new int[n];
      double total = 0;
      float[] dz = new float[n * c];
      for (int r = 0; r < n; r++) {
        Decoding.softmax(logits, r * c, c, p);
        int best = 0;
        for (int k = 1; k < c; k++) {
          if (p[r * c + k] > p[r * c + best]) {
            best = k;
          }
        }
        predicted[r] = best;
        double l = -Math.log(Math.max(1e-12, p[r * c + y[r]]));
        exampleLoss[r] = (float) l;
        total += l;
        for (int k = 0; k < c; k++) {
          dz[r * c + k] = (p[r * c + k] - (k == y[r] ? 1 : 0)) / n;
        }
      }
      float[][] grads = new float[names.length][];
      if (head.hidden() == 0) {
        grads[0] = new float[params[0].length];
        grads[1] = new float[params[1].length];
        backAffine(dz, x, n, dim, c, grads[0], grads[1], null, null);
      } else {
        int h = head.hidden();
        float[] hidden = fw[1];
        for (int p2 = 0; p2 < names.length; p2++) {
          grads[p2] = new float[params[p2].length];
        }
        float[] dh = new float[n * h];
        backAffine(dz, hidden, n, h, c, grads[2], grads[3], params[2], dh);
        for (int i = 0; i < dh.length; i++) {
          if (hidden[i] <= 0) {
            dh[i] = 0;
          }
        }
        backAffine(dh, x, n, dim, h, grads[0], grads[1], null, null);
      }
      if (!Double.isFinite(total) || !finite(grads)) {
        throw new dev.groundwork.core.model.NonFiniteLossException("a training step of " + name()
            + " gave " + (Double.isFinite(total) ? "non-finite gradients" : "loss " + total / n)
            + " on a batch of " + n + " examples "
            + dev.groundwork.core.model.NonFiniteLossException.preview(batch.ids())
            + "; the head was not updated — lower the learning rate (now " + learningRate
            + ") or check these examples", batch.ids());
      }
      Map<String, Double> norms = new HashMap<>();
      steps++;
      for (int q = 0; q < names.length; q++) {
        if (!trainable[q]) {
          continue;
        }
        float[] g = grads[q];
        float[] w = params[q];
        double wd = config.weightDecay();
        if (wd > 0) {
          for (int i = 0; i < g.length; i++) {
            g[i] += (float) (wd * w[i]);
          }
        }
        if (collectGradients) {
          double s = 0;
          for (float v : g) {
            s += (double) v * v;
          }
          norms.put(names[q], Math.sqrt(s));
        }
        update(q, g);
      }
      return new StepResult(total / n, exampleLoss, predicted, norms, learningRate);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static boolean finite(float[][] grads) {
    for (float[] g : grads) {
      if (g != null) {
        for (float v : g) {
          if (!Float.isFinite(v)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Gradients of {@code out = w · in + b} given {@code dOut}; also {@code dIn} when asked. */
  private static void backAffine(float[] dOut, float[] in, int n, int ins, int outs, float[] dw,
      float[] db, float[] w, float[] dIn) {
    for (int r = 0; r < n; r++) {
      for (int o = 0; o < outs; o++) {
        float g = dOut[r * outs + o];
        if (g == 0) {
          continue;
        }
        db[o] += g;
        int wb = o * ins;
        int ib = r * ins;
        for (int i = 0; i < ins; i++) {
          dw[wb + i] += g * in[ib + i];
        }
        if (dIn != null) {
          for (int i = 0; i < ins; i++) {
            dIn[ib + i] += g * w[wb + i];
          }
        }
      }
    }
  }

  private void update(int q, float[] g) {
    float[] w = params[q];
    float lr = (float) learningRate * scale[q];
    if (config.optimizer() == Optimizer.ADAM) {
      double b1 = 0.9;
      double b2 = 0.999;
      double c1 = 1 - Math.pow(b1, steps);
      double c2 = 1 - Math.pow(b2, steps);
      float[] m = moment1[q];
      float[] v = moment2[q];
      for (int i = 0; i < w.length; i++) {
        m[i] = (float) (b1 * m[i] + (1 - b1) * g[i]);
        v[i] = (float) (b2 * v[i] + (1 - b2) * g[i] * g[i]);
        double mh = m[i] / c1;
        double vh = v[i] / c2;
        w[i] -= (float) (lr * mh / (Math.sqrt(vh) + 1e-8));
      }
    } else {
      float mu = (float) config.momentum();
      float[] vel = moment1[q];
      for (int i = 0; i < w.length; i++) {
        vel[i] = mu * vel[i] + g[i];
        w[i] -= lr * vel[i];
      }
    }
  }

  /** The live values of a head parameter, for tests. */
  float[] parameterValues(String name) {
    return params[Arrays.asList(names).indexOf(name)];
  }

  @Override
  public void learningRate(double value) {
    InvalidParameterException.check(value > 0 && Double.isFinite(value),
        "learning rate must be a positive finite number, got %s", value);
    this.learningRate = value;
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public List<ParameterInfo> parameters() {
    List<ParameterInfo> out = new ArrayList<>(backbone.model().initializers());
    for (int p = 0; p < names.length; p++) {
      out.add(new ParameterInfo(names[p], shapes[p], params[p].length, trainable[p]));
    }
    return List.copyOf(out);
  }

  @Override
  public int freeze(String prefix) {
    int backboneMatches = (int) backbone.model().initializers().stream()
        .filter(p -> p.name().startsWith(prefix)).count();
    int n = 0;
    for (int p = 0; p < names.length; p++) {
      if (names[p].startsWith(prefix)) {
        trainable[p] = false;
        n++;
      }
    }
    if (n + backboneMatches == 0) {
      throw noMatch(prefix);
    }
    return n + backboneMatches;
  }

  @Override
  public int unfreeze(String prefix) {
    int n = 0;
    for (int p = 0; p < names.length; p++) {
      if (names[p].startsWith(prefix)) {
        trainable[p] = true;
        n++;
      }
    }
    if (n == 0) {
      boolean backboneMatches = backbone.model().initializers().stream()
          .anyMatch(p -> p.name().startsWith(prefix)) || "backbone_".startsWith(prefix);
      if (backboneMatches) {
        throw new InvalidParameterException("'" + prefix + "' names parameters of the ONNX backbone "
            + backbone.name() + ", which stays frozen (ONNX Runtime runs it, it does not train "
            + "it); only head_ parameters can be unfrozen");
      }
      throw noMatch(prefix);
    }
    return n;
  }

  private InvalidParameterException noMatch(String prefix) {
    return new InvalidParameterException("no parameter of " + name() + " starts with '" + prefix
        + "'; the head's are " + Arrays.toString(names) + " and the backbone's start with "
        + "backbone_");
  }

  @Override
  public void save(Path file) {
    lock.readLock().lock();
    try {
      AtomicFiles.write(file, "the head of " + name(), out -> {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(dim);
        out.writeInt(head.hidden());
        out.writeInt(spec.numClasses());
        out.writeInt(names.length);
        for (int p = 0; p < names.length; p++) {
          out.writeUTF(names[p]);
          out.writeInt(params[p].length);
          for (float v : params[p]) {
            out.writeFloat(v);
          }
        }
      });
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void load(Path file) {
    String source = file.toAbsolutePath().toString();
    if (!Files.isRegularFile(file)) {
      throw new dev.groundwork.core.data.DataNotFoundException("head file " + source
          + " does not exist; give a file written by save()", source, null);
    }
    float[][] loaded = new float[names.length][];
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        throw new dev.groundwork.core.data.DataFormatException(file + " is not a Groundwork head "
            + "file (written by FrozenBackboneClassifier.save)", source);
      }
      int d = in.readInt();
      int h = in.readInt();
      int c = in.readInt();
      int count = in.readInt();
      if (d != dim || h != head.hidden() || c != spec.numClasses() || count != names.length) {
        throw new dev.groundwork.core.data.DataFormatException(String.format(Locale.ROOT,
            "%s holds a head for %d features, %d hidden units and %d classes, but model %s has "
                + "%d, %d and %d", file, d, h, c, name(), dim, head.hidden(), spec.numClasses()),
            source);
      }
      for (int p = 0; p < names.length; p++) {
        String n = in.readUTF();
        int len = in.readInt();
        if (!n.equals(names[p]) || len != params[p].length) {
          throw new dev.groundwork.core.data.DataFormatException(file + ": parameter " + n + " ("
              + len + " values) where " + names[p] + " (" + params[p].length
              + " values) was expected", source);
        }
        loaded[p] = new float[len];
        for (int i = 0; i < len; i++) {
          loaded[p][i] = in.readFloat();
        }
      }
    } catch (IOException e) {
      throw new dev.groundwork.core.data.DataFormatException("cannot load a head from " + file
          + ": " + e + "; give a file written by save()", source, -1, e);
    }
    lock.writeLock().lock();
    try {
      for (int p = 0; p < names.length; p++) {
        params[p] = loaded[p];
        Arrays.fill(moment1[p], 0);
        Arrays.fill(moment2[p], 0);
      }
      steps = 0;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public int scaleLearningRate(String prefix, double factor) {
    InvalidParameterException.check(factor > 0 && Double.isFinite(factor),
        "learning-rate factor must be a positive finite number, got %s", factor);
    lock.writeLock().lock();
    try {
      int n = 0;
      for (int p = 0; p < names.length; p++) {
        if (names[p].startsWith(prefix)) {
          scale[p] = (float) factor;
          n++;
        }
      }
      if (n == 0) {
        throw noMatch(prefix);
      }
      return n;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The head's parameters; the ONNX backbone's initializers are not part of the values. */
  @Override
  public List<Tensor> parameterValues() {
    lock.readLock().lock();
    try {
      List<Tensor> out = new ArrayList<>();
      for (int p = 0; p < names.length; p++) {
        out.add(Tensor.of(names[p], shapes[p].clone(), params[p].clone()));
      }
      return List.copyOf(out);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void assignParameters(java.util.Collection<Tensor> values) {
    List<String> problems = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Tensor t : values) {
      int p = Arrays.asList(names).indexOf(t.name());
      if (!seen.add(t.name())) {
        problems.add(t.name() + " given twice");
      } else if (p < 0) {
        problems.add(t.name() + (t.name().startsWith("backbone") ? " belongs to the ONNX backbone, "
            + "which ONNX Runtime runs as it is" : " is not a parameter"));
      } else if (!Arrays.equals(shapes[p], t.shape())) {
        problems.add(t.name() + " is " + Arrays.toString(t.shape()) + ", the model's is "
            + Arrays.toString(shapes[p]));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidParameterException("cannot assign these values to " + name() + ": "
          + problems + "; the model is unchanged (its head parameters are "
          + Arrays.toString(names) + ")");
    }
    lock.writeLock().lock();
    try {
      for (Tensor t : values) {
        params[Arrays.asList(names).indexOf(t.name())] = t.values().clone();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private String slot(boolean first) {
    return config.optimizer() == Optimizer.ADAM ? (first ? "adam.m" : "adam.v") : "sgd.velocity";
  }

  @Override
  public TrainingState trainingState() {
    lock.readLock().lock();
    try {
      List<Tensor> slots = new ArrayList<>();
      Map<String, Long> updates = new java.util.LinkedHashMap<>();
      Map<String, Double> scales = new java.util.LinkedHashMap<>();
      java.util.Set<String> frozen = new java.util.LinkedHashSet<>();
      for (int p = 0; p < names.length; p++) {
        slots.add(Tensor.of(slot(true) + "/" + names[p], shapes[p].clone(), moment1[p].clone()));
        if (config.optimizer() == Optimizer.ADAM) {
          slots.add(Tensor.of(slot(false) + "/" + names[p], shapes[p].clone(),
              moment2[p].clone()));
        }
        updates.put(names[p], steps);
        if (scale[p] != 1f) {
          scales.put(names[p], (double) scale[p]);
        }
        if (!trainable[p]) {
          frozen.add(names[p]);
        }
      }
      return new TrainingState(name(), parameterValues(), slots, updates, frozen, learningRate,
          scales);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void restore(TrainingState state) {
    List<String> problems = new ArrayList<>();
    Map<String, Tensor> slots = new HashMap<>();
    for (Tensor t : state.optimizer()) {
      slots.put(t.name(), t);
    }
    for (int p = 0; p < names.length; p++) {
      final int q = p;
      if (state.parameters().stream().noneMatch(t -> t.name().equals(names[q]))) {
        problems.add(names[p] + " missing");
      }
      for (boolean first : config.optimizer() == Optimizer.ADAM ? new boolean[] {true, false}
          : new boolean[] {true}) {
        Tensor t = slots.remove(slot(first) + "/" + names[p]);
        if (t != null && !Arrays.equals(t.shape(), shapes[p])) {
          problems.add(t.name() + " is " + Arrays.toString(t.shape()));
        }
      }
    }
    slots.keySet().forEach(k -> problems.add("optimizer state " + k + " does not belong to this "
        + config.optimizer() + " head"));
    if (!problems.isEmpty()) {
      throw new InvalidParameterException("the training state of '" + state.model()
          + "' does not fit " + name() + ": " + problems + "; the model is unchanged");
    }
    assignParameters(state.parameters());
    lock.writeLock().lock();
    try {
      Map<String, Tensor> byName = new HashMap<>();
      state.optimizer().forEach(t -> byName.put(t.name(), t));
      for (int p = 0; p < names.length; p++) {
        Tensor m = byName.get(slot(true) + "/" + names[p]);
        Tensor v = byName.get(slot(false) + "/" + names[p]);
        moment1[p] = m == null ? new float[params[p].length] : m.values().clone();
        moment2[p] = v == null || config.optimizer() != Optimizer.ADAM
            ? new float[params[p].length] : v.values().clone();
        trainable[p] = !state.frozen().contains(names[p]);
        scale[p] = state.learningRateScales().getOrDefault(names[p], 1.0).floatValue();
      }
      steps = state.updates().values().stream().mapToLong(Long::longValue).max().orElse(0);
      learningRate = state.learningRate();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * A new head (initialised from {@code config}'s seed) on the same backbone and feature cache.
   * The cache is keyed by each input's content, so whatever the new instance computes (the zero
   * inputs of the overfit check's baseline, say) adds entries and leaves this model's predictions
   * unchanged.
   */
  @Override
  public FrozenBackboneClassifier newInstance(TrainConfig newConfig) {
    OnnxEmbedder own = backbone.share();
    try {
      return new FrozenBackboneClassifier(own, cache, spec, head, newConfig);
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
  }

  @Override
  public ModelSummary summary() {
    return new ModelSummary(name(), OnnxClassifier.engine(), parameters());
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s: %d features → %s → %d classes; %s; %s", name(), dim,
        head, spec.numClasses(), config, cache);
  }

  /** Releases this model's hold on the backbone's session. */
  @Override
  public void close() {
    backbone.close();
  }
}
