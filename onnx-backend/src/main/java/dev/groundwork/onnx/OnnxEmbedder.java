package dev.groundwork.onnx;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.model.Embeddings;
import dev.groundwork.core.progress.Progress;
import dev.groundwork.core.progress.ProgressTask;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Any float output of an ONNX model as one vector per example: a sentence encoder's pooled token
 * states, an image backbone's features. The frozen backbone of a {@link FrozenBackboneClassifier}.
 *
 * <pre>{@code
 * OnnxEmbedder minilm = OnnxModels.fromClasspath("all-minilm-l6-v2-q.onnx").embedder(
 *     OnnxOptions.builder().tokenizer(TextTokenizer.fromClasspath("all-minilm-l6-v2-q-tokenizer.json"))
 *         .pooling(Pooling.MEAN).normalize(true).build());
 * Embeddings e = minilm.embed(batch);          // rows × 384
 * }</pre>
 *
 * <p>A {@code [batch, tokens, features]} output is pooled ({@link OnnxOptions.Pooling}: mean over
 * the attention mask, first token, or flattened); any other output is flattened per example. By
 * default each example of a batch runs as its own batch of one ({@link OnnxOptions.Batching}), so
 * an example's vector is the one it gets when served alone, whatever it is batched with. Safe to
 * call from several threads at once.
 */
public final class OnnxEmbedder implements AutoCloseable {

  private final OnnxModel model;
  private final OnnxOptions options;
  private final InputPlan plan;
  private final OnnxTensorInfo output;
  private final Set<String> outputs;

  OnnxEmbedder(OnnxModel model, OnnxOptions options) {
    this.model = model;
    try {
      this.options = Objects.requireNonNull(options, "options");
      this.plan = InputPlan.resolve(model, options);
      long fixed = plan.fixedBatch();
      if (fixed > 1 && options.batching() == OnnxOptions.Batching.PER_EXAMPLE) {
        throw new OnnxInputException(model.name(), "model " + model.name() + " takes batches of "
            + "exactly " + fixed + ", so it cannot run one example at a time (the default "
            + "Batching.PER_EXAMPLE); make the embedder with OnnxOptions.builder()...batching("
            + "Batching.WHOLE_BATCH) and give it batches of " + fixed);
      }
      this.output = Decoding.output(model, options, "features");
      this.outputs = Set.of(output.name());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Another embedder on the same session and options (the session lives until both close). */
  OnnxEmbedder share() {
    return new OnnxEmbedder(model.share(), options);
  }

  /** The model's name. */
  public String name() {
    return model.name();
  }

  /** The underlying model's inputs/outputs. */
  public OnnxModel model() {
    return model;
  }

  /** The options the embedder was made with. */
  public OnnxOptions options() {
    return options;
  }

  /** Whether the embedder reads text (has a tokenizer). */
  public boolean readsText() {
    return plan.text();
  }

  /** The length of a vector when the model's output declares it, else empty. */
  public OptionalInt dimension() {
    long[] s = output.shape();
    if (s.length == 3 && options.pooling() != OnnxOptions.Pooling.FLATTEN) {
      return s[2] > 0 ? OptionalInt.of((int) s[2]) : OptionalInt.empty();
    }
    long n = Decoding.staticRowSize(output);
    return n > 0 ? OptionalInt.of((int) n) : s.length == 1 ? OptionalInt.of(1)
        : OptionalInt.empty();
  }

  /** The tokenizer's counts (texts, truncated), for text models. */
  public Optional<TokenizationReport> tokenization() {
    return plan.text() ? Optional.of(plan.tokenizer().report()) : Optional.empty();
  }

  /** How a batch of several examples is run ({@link OnnxOptions#batching()}). */
  public OnnxOptions.Batching batching() {
    return options.batching();
  }

  /**
   * The vectors of a batch: with the default {@link OnnxOptions.Batching#PER_EXAMPLE} each example
   * runs alone, so its vector is the same in any batch; with {@link
   * OnnxOptions.Batching#WHOLE_BATCH} the batch runs at once.
   *
   * @throws OnnxInputException if the batch does not fit the model's inputs, or a text is empty
   */
  public Embeddings embed(Batch batch) {
    int n = batch.size();
    if (n <= 1 || options.batching() == OnnxOptions.Batching.WHOLE_BATCH) {
      OnnxModel.Outputs out = model.run(plan, batch, outputs);
      return pool(out.get(output.name()), out.tokens(), n);
    }
    // the whole batch's checks first, so an error names the same examples as in one run
    dev.groundwork.core.data.NonFiniteInputException.check(batch, "ONNX model " + name());
    plan.check(batch);
    float[] values = null;
    int dim = 0;
    for (int i = 0; i < n; i++) {
      Batch one = row(batch, i);
      OnnxModel.Outputs out = model.run(plan, one, outputs);
      Embeddings e = pool(out.get(output.name()), out.tokens(), 1);
      if (values == null) {
        dim = e.dimension();
        values = new float[n * dim];
      } else if (e.dimension() != dim) {
        throw new OnnxInputException(name(), "output '" + output.name() + "' of " + name()
            + " gave " + e.dimension() + " values for example " + batch.ids().get(i) + " but "
            + dim + " for example " + batch.ids().get(0) + "; flatten only outputs whose size "
            + "per example is fixed, or use Batching.WHOLE_BATCH", batch.ids().get(i));
      }
      System.arraycopy(e.values(), 0, values, i * dim, dim);
    }
    return new Embeddings(n, dim, values);
  }

  /** Example {@code i} of a batch as a batch of one. */
  private static Batch row(Batch b, int i) {
    int[] shape = b.shape().clone();
    shape[0] = 1;
    String id = b.ids().get(i);
    int[] label = {b.labels()[i]};
    if (!b.texts().isEmpty()) {
      return new Batch(shape, new float[0], List.of(b.texts().get(i)), label, List.of(id));
    }
    int size = b.inputs().length / b.size();
    return new Batch(shape, Arrays.copyOfRange(b.inputs(), i * size, (i + 1) * size), List.of(),
        label, List.of(id));
  }

  /**
   * The vectors of every example of a dataset, in dataset order; progress goes to {@link
   * Progress#auto()} (a bar on an interactive terminal, else nothing).
   */
  public Embeddings embed(Dataset data, int batchSize) {
    return embed(data, batchSize, Progress.auto());
  }

  /**
   * The vectors of every example of a dataset, in dataset order, reporting progress to {@code
   * progress} (task {@code "embedding <dataset>"}, one step per example).
   *
   * <pre>{@code
   * Embeddings e = minilm.embed(texts, 64, Progress.console(System.out));
   * }</pre>
   */
  public Embeddings embed(Dataset data, int batchSize, Progress progress) {
    Objects.requireNonNull(progress, "progress");
    float[] values = null;
    int rows = 0;
    int dim = 0;
    ProgressTask task = ProgressTask.start(progress, "embedding " + data.name(),
        Math.max(1, data.size()));
    try {
      // one array for the whole dataset, sized at the first batch (appending would copy it)
      for (Batch b : data.batches(batchSize)) {
        Embeddings e = embed(b);
        if (values == null) {
          dim = e.dimension();
          values = new float[Math.multiplyExact(data.size(), dim)];
        }
        System.arraycopy(e.values(), 0, values, rows * dim, e.rows() * dim);
        rows += e.rows();
        if (rows < data.size()) {
          task.step(rows, name());
        }
      }
    } catch (RuntimeException e) {
      task.finish("failed");
      throw e;
    }
    task.finish(rows + " vectors of " + dim);
    return values == null ? new Embeddings(0, dimension().orElse(1), new float[0])
        : new Embeddings(rows, dim, values);
  }

  private Embeddings pool(OnnxModel.OutputArray out, TextTokenizer.Tokens tokens, int n) {
    long[] s = out.shape();
    if (s.length == 0 || s[0] != n) {
      throw new OnnxInputException(name(), "output '" + output.name() + "' of " + name()
          + " came back with shape " + out.shapeText() + " for a batch of " + n
          + "; an embedding output must have the batch first");
    }
    float[] v = out.values();
    float[] result;
    int dim;
    if (s.length == 3 && options.pooling() != OnnxOptions.Pooling.FLATTEN) {
      int t = (int) s[1];
      dim = (int) s[2];
      result = new float[n * dim];
      for (int r = 0; r < n; r++) {
        if (options.pooling() == OnnxOptions.Pooling.CLS) {
          System.arraycopy(v, r * t * dim, result, r * dim, dim);
          continue;
        }
        double[] sum = new double[dim];
        double weight = 0;
        for (int k = 0; k < t; k++) {
          long m = tokens == null ? 1 : k < tokens.length() ? tokens.mask()[r * tokens.length() + k]
              : 0;
          if (m == 0) {
            continue;
          }
          weight += m;
          int base = (r * t + k) * dim;
          for (int d = 0; d < dim; d++) {
            sum[d] += m * v[base + d];
          }
        }
        double w = Math.max(weight, 1e-9);
        for (int d = 0; d < dim; d++) {
          result[r * dim + d] = (float) (sum[d] / w);
        }
      }
    } else {
      dim = Math.max(1, out.rowSize());
      result = v;
    }
    if (options.normalize()) {
      for (int r = 0; r < n; r++) {
        double norm = 0;
        for (int d = 0; d < dim; d++) {
          norm += (double) result[r * dim + d] * result[r * dim + d];
        }
        float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < dim; d++) {
          result[r * dim + d] *= scale;
        }
      }
    }
    return new Embeddings(n, dim, result);
  }

  /** The model's inputs/outputs table, with how the batch is fed and the output pooled. */
  public String describe() {
    return model.describe() + System.lineSeparator() + "  feed: " + plan + System.lineSeparator()
        + "  embed: " + output.name() + ", " + options.pooling() + " pooling"
        + (options.normalize() ? ", unit length" : "")
        + (options.batching() == OnnxOptions.Batching.PER_EXAMPLE ? ", one example per run"
            : ", whole batch per run") + dimension().stream()
            .mapToObj(d -> " → " + d + " features").findFirst().orElse("");
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Releases this embedder's hold on the session. */
  @Override
  public void close() {
    model.close();
  }
}
