package dev.groundwork.onnx;

import java.util.Objects;
import java.util.Optional;

/**
 * How an adapter feeds a batch to an ONNX model and reads its output: which input takes the batch's
 * tensor (or which take the token ids, attention mask and token types of a text batch), which output
 * is decoded, and how.
 *
 * <pre>{@code
 * OnnxOptions o = OnnxOptions.builder().tensorInput("pixels").output("logits")
 *     .scores(Scores.LOGITS).build();
 * OnnxOptions text = OnnxOptions.builder().tokenizer(tok).pooling(Pooling.MEAN).normalize(true)
 *     .build();                                   // each text embedded alone (Batching.PER_EXAMPLE)
 * OnnxOptions fast = text.toBuilder().batching(Batching.WHOLE_BATCH).build();
 * }</pre>
 *
 * <p>Names left unset are resolved against the model when an adapter is made: a model with one input
 * (or one output) needs no name; a text model's inputs default to {@code input_ids}, {@code
 * attention_mask} and {@code token_type_ids} where the model has them. Every model input must be
 * fed, or the adapter is refused with an {@link OnnxInputException} listing the ones left over.
 */
public final class OnnxOptions {

  /** What a classifier's output holds. */
  public enum Scores {
    /** Probabilities if every row is non-negative and sums to 1 (± 1e-3), else logits. */
    AUTO,
    /** Unnormalized scores: a softmax turns them into probabilities. */
    LOGITS,
    /** Probabilities: used as they are. */
    PROBABILITIES
  }

  /** How an embedder turns a {@code [batch, tokens, features]} output into one vector per example. */
  public enum Pooling {
    /** The mean over tokens, counting only tokens the attention mask keeps (all for tensors). */
    MEAN,
    /** The first token's vector ({@code [CLS]} for BERT-like models). */
    CLS,
    /** Every value of the example's output, flattened. */
    FLATTEN
  }

  /**
   * How an embedder runs a batch of several examples (and so how a {@link FrozenBackboneClassifier}
   * computes its features).
   *
   * <p>A dynamically quantized model such as the quantized MiniLM computes one quantization scale
   * per activation tensor, over the whole batch: an example's vector then depends on the other
   * examples of its batch and on the padding added to fit them (measured in docs/onnx.md: cosine
   * down to 0.980 between a text alone and among other texts of its length, 0.990 in a padded
   * batch of 32; a batch of copies of the text changes nothing).
   */
  public enum Batching {
    /**
     * Each example runs as its own batch of one (the default): its vector is the one it gets when
     * served alone, whatever else is in the batch and however the data is batched. Exact; slower
     * than {@link #WHOLE_BATCH} (docs/onnx.md gives both throughputs).
     */
    PER_EXAMPLE,
    /**
     * The whole batch in one run, texts padded to the longest: faster, but with a dynamically
     * quantized model an example's vector changes with its batch-mates and the batch's length.
     */
    WHOLE_BATCH
  }

  private final String tensorInput;
  private final TextTokenizer tokenizer;
  private final String idsInput;
  private final String maskInput;
  private final String typeIdsInput;
  private final String output;
  private final Scores scores;
  private final Pooling pooling;
  private final boolean normalize;
  private final Batching batching;

  private OnnxOptions(Builder b) {
    this.tensorInput = b.tensorInput;
    this.tokenizer = b.tokenizer;
    this.idsInput = b.idsInput;
    this.maskInput = b.maskInput;
    this.typeIdsInput = b.typeIdsInput;
    this.output = b.output;
    this.scores = b.scores;
    this.pooling = b.pooling;
    this.normalize = b.normalize;
    this.batching = b.batching;
  }

  /** The defaults: one-input tensor models, the model's only output, scores detected. */
  public static OnnxOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.tensorInput = tensorInput;
    b.tokenizer = tokenizer;
    b.idsInput = idsInput;
    b.maskInput = maskInput;
    b.typeIdsInput = typeIdsInput;
    b.output = output;
    b.scores = scores;
    b.pooling = pooling;
    b.normalize = normalize;
    b.batching = batching;
    return b;
  }

  /** The input that takes a tensor batch, when named. */
  public Optional<String> tensorInput() {
    return Optional.ofNullable(tensorInput);
  }

  /** The tokenizer for text batches, when the model reads text. */
  public Optional<TextTokenizer> tokenizer() {
    return Optional.ofNullable(tokenizer);
  }

  /** The input that takes token ids, when named. */
  public Optional<String> idsInput() {
    return Optional.ofNullable(idsInput);
  }

  /** The input that takes the attention mask, when named. */
  public Optional<String> maskInput() {
    return Optional.ofNullable(maskInput);
  }

  /** The input that takes token type ids, when named. */
  public Optional<String> typeIdsInput() {
    return Optional.ofNullable(typeIdsInput);
  }

  /** The output to decode, when named. */
  public Optional<String> output() {
    return Optional.ofNullable(output);
  }

  /** What a classifier's output holds. */
  public Scores scores() {
    return scores;
  }

  /** How an embedder pools a per-token output. */
  public Pooling pooling() {
    return pooling;
  }

  /** Whether an embedder scales each vector to unit length. */
  public boolean normalize() {
    return normalize;
  }

  /** How an embedder runs a batch of several examples. */
  public Batching batching() {
    return batching;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("OnnxOptions[");
    if (tokenizer != null) {
      sb.append("text via ").append(tokenizer).append(", ");
    } else if (tensorInput != null) {
      sb.append("tensor → ").append(tensorInput).append(", ");
    }
    sb.append("output ").append(output == null ? "(only)" : output).append(", scores ")
        .append(scores).append(", pooling ").append(pooling);
    return sb.append(normalize ? ", normalized" : "").append(", batching ").append(batching)
        .append(']').toString();
  }

  /** Builds {@link OnnxOptions}. */
  public static final class Builder {
    private String tensorInput;
    private TextTokenizer tokenizer;
    private String idsInput;
    private String maskInput;
    private String typeIdsInput;
    private String output;
    private Scores scores = Scores.AUTO;
    private Pooling pooling = Pooling.MEAN;
    private boolean normalize;
    private Batching batching = Batching.PER_EXAMPLE;

    private Builder() {}

    /** The model input that takes the batch's float tensor (needed when the model has several). */
    public Builder tensorInput(String name) {
      this.tensorInput = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The tokenizer that turns a text batch into token ids; makes the adapter read text. */
    public Builder tokenizer(TextTokenizer value) {
      this.tokenizer = Objects.requireNonNull(value, "tokenizer");
      return this;
    }

    /**
     * The model inputs for token ids, attention mask and token types; {@code null} for the mask or
     * types means the model has no such input.
     */
    public Builder textInputs(String ids, String mask, String typeIds) {
      this.idsInput = Objects.requireNonNull(ids, "ids");
      this.maskInput = mask == null ? "" : mask;
      this.typeIdsInput = typeIds == null ? "" : typeIds;
      return this;
    }

    /** The model output to decode (needed when the model has several). */
    public Builder output(String name) {
      this.output = Objects.requireNonNull(name, "name");
      return this;
    }

    /** What a classifier's output holds (default {@link Scores#AUTO}). */
    public Builder scores(Scores value) {
      this.scores = Objects.requireNonNull(value, "scores");
      return this;
    }

    /** How an embedder pools a per-token output (default {@link Pooling#MEAN}). */
    public Builder pooling(Pooling value) {
      this.pooling = Objects.requireNonNull(value, "pooling");
      return this;
    }

    /** Whether an embedder scales each vector to unit length (default false). */
    public Builder normalize(boolean value) {
      this.normalize = value;
      return this;
    }

    /**
     * How an embedder runs a batch of several examples (default {@link Batching#PER_EXAMPLE}: each
     * example alone, so its vector never depends on its batch).
     */
    public Builder batching(Batching value) {
      this.batching = Objects.requireNonNull(value, "batching");
      return this;
    }

    /**
     * The options.
     *
     * @throws dev.groundwork.core.InvalidParameterException if both a tensor input and a tokenizer
     *     are given, or text inputs without a tokenizer
     */
    public OnnxOptions build() {
      dev.groundwork.core.InvalidParameterException.check(tensorInput == null || tokenizer == null,
          "give either tensorInput(%s) for tensor data or a tokenizer for text, not both",
          tensorInput);
      dev.groundwork.core.InvalidParameterException.check(idsInput == null || tokenizer != null,
          "textInputs(%s, ...) needs a tokenizer(...) to produce the token ids", idsInput);
      return new OnnxOptions(this);
    }
  }
}
