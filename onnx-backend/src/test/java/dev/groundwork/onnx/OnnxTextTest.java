package dev.groundwork.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.model.Embeddings;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokenizer, text input mapping and pooling, on a stand-in graph and on the real MiniLM. */
class OnnxTextTest {

  static final String MINILM = "all-minilm-l6-v2-q.onnx";
  static final String MINILM_TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

  static TextTokenizer tokenizer;
  static HuggingFaceTokenizer reference;

  @BeforeAll
  static void load() throws Exception {
    tokenizer = TextTokenizer.fromClasspath(MINILM_TOKENIZER);
    try (InputStream in = OnnxTextTest.class.getClassLoader()
        .getResourceAsStream(MINILM_TOKENIZER)) {
      reference = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false"));
    }
  }

  @AfterAll
  static void close() {
    tokenizer.close();
    reference.close();
  }

  static Batch texts(String... texts) {
    int n = texts.length;
    return new Batch(new int[] {n}, new float[0], List.of(texts), new int[n],
        IntStream.range(0, n).mapToObj(i -> "t" + i).toList());
  }

  @Test
  void meanPoolingCountsOnlyUnmaskedTokens() {
    String short1 = "hello world";
    String long1 = "the quick brown fox jumps over the lazy dog";
    try (OnnxModel m = OnnxModels.fromBytes("tokens", OnnxGraphs.tokens());
        OnnxEmbedder mean = m.embedder(OnnxOptions.builder().tokenizer(tokenizer).build());
        OnnxEmbedder cls = m.embedder(OnnxOptions.builder().tokenizer(tokenizer)
            .pooling(OnnxOptions.Pooling.CLS).build())) {
      assertThat(mean.describe()).contains("feed: text → input_ids, attention_mask");
      Embeddings e = mean.embed(texts(short1, long1));
      assertThat(e.dimension()).isEqualTo(1);
      for (int r = 0; r < 2; r++) {
        long[] ids = reference.encode(r == 0 ? short1 : long1).getIds();
        double want = Arrays.stream(ids).average().orElseThrow();
        assertThat((double) e.row(r)[0]).isCloseTo(want, within(1e-3));
      }
      assertThat(cls.embed(texts(short1, long1)).row(1)[0]).isEqualTo(101f); // [CLS]
    }
  }

  @Test
  void longTextsAreTruncatedAndCountedNeverAnError() {
    try (TextTokenizer eight = TextTokenizer.fromClasspath(MINILM_TOKENIZER, 8);
        OnnxModel m = OnnxModels.fromBytes("tokens", OnnxGraphs.tokens());
        OnnxEmbedder e = m.embedder(OnnxOptions.builder().tokenizer(eight).build())) {
      assertThat(eight.maxLength()).isEqualTo(8);
      String longText = "one two three four five six seven eight nine ten eleven";
      Embeddings v = e.embed(texts("short text", longText, "also short"));
      TokenizationReport report = e.tokenization().orElseThrow();
      assertThat(report.texts()).isEqualTo(3);
      assertThat(report.truncated()).isEqualTo(1);
      assertThat(report.tokens()).isEqualTo(4 + 8 + 4);
      assertThat(report.toString()).contains("1 truncated to 8 tokens");
      long[] kept = reference.encode(longText).getIds();
      long[] first = Arrays.copyOf(kept, 7);
      double want = (Arrays.stream(first).sum() + 102) / 8.0; // 7 tokens, then [SEP]
      assertThat((double) v.row(1)[0]).isCloseTo(want, within(1e-3));
    }
    assertThat(tokenizer.maxLength()).isEqualTo(128);
  }

  @Test
  void emptyTextIsATypedErrorNamingTheExample() {
    try (OnnxModel m = OnnxModels.fromBytes("tokens", OnnxGraphs.tokens());
        OnnxEmbedder e = m.embedder(OnnxOptions.builder().tokenizer(tokenizer).build())) {
      assertThatThrownBy(() -> e.embed(texts("fine", "  ", "fine too")))
          .isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("example t1 has an empty text").hasMessageContaining("tokens")
          .satisfies(ex -> assertThat(((OnnxInputException) ex).exampleId()).hasValue("t1"));
    }
  }

  @Test
  void missingTokenizerIsATypedErrorNamingTheModel() {
    try (OnnxModel m = OnnxModels.fromBytes("tokens", OnnxGraphs.tokens())) {
      assertThatThrownBy(() -> m.classifier(DatasetSpec.text(List.of("a")), OnnxOptions.defaults()))
          .isInstanceOf(OnnxInputException.class).hasMessageContaining("tokens has 2 inputs")
          .hasMessageContaining("tokenizer");
    }
    try (OnnxModel m = OnnxModels.fromBytes("linear", OnnxGraphs.linear(false));
        OnnxEmbedder e = m.embedder(OnnxOptions.defaults())) {
      assertThatThrownBy(() -> e.embed(texts("a text")))
          .isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("linear was given a text batch but has no tokenizer");
      assertThatThrownBy(() -> m.classifier(DatasetSpec.text(List.of("a", "b", "c")),
          OnnxOptions.defaults())).isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("no tokenizer is given for model linear");
    }
    assertThatThrownBy(() -> TextTokenizer.fromClasspath("models/none-tokenizer.json"))
        .isInstanceOf(OnnxModelException.class)
        .hasMessageContaining("models/none-tokenizer.json is not on the classpath");
    assertThatThrownBy(() -> TextTokenizer.fromFile(Path.of("no/such/tokenizer.json")))
        .isInstanceOf(OnnxModelException.class).hasMessageContaining("does not exist");
  }

  @Test
  void miniLmFromTheJarMatchesARawSessionAndRanksParaphrasesFirst() throws Exception {
    String[] s = {"A man is playing a guitar.", "Someone plays an instrument.",
        "The stock market fell sharply today.", "Shares dropped on the exchange."};
    try (OnnxModel m = OnnxModels.fromClasspath(MINILM);
        OnnxEmbedder e = m.embedder(OnnxOptions.builder().tokenizer(tokenizer).normalize(true)
            .batching(OnnxOptions.Batching.WHOLE_BATCH).build());
        OnnxEmbedder perExample = m.embedder(OnnxOptions.builder().tokenizer(tokenizer)
            .normalize(true).build())) {
      assertThat(m.describe()).contains("input_ids", "attention_mask", "token_type_ids",
          "last_hidden_state", "[batch_size, sequence_length, 384]");
      assertThat(m.initializers()).hasSizeGreaterThan(50);
      assertThat(e.dimension()).hasValue(384);
      Embeddings v = e.embed(texts(s));
      assertThat(v.cosine(0, 1)).isGreaterThan(v.cosine(0, 2) + 0.2);
      assertThat(v.cosine(2, 3)).isGreaterThan(v.cosine(1, 3) + 0.2);

      // the same numbers from a raw ONNX Runtime session on the same padded batch (the quantized
      // model scales activations per tensor, so batch composition matters), pooled here
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      byte[] bytes;
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(MINILM)) {
        bytes = in.readAllBytes();
      }
      var enc = reference.batchEncode(s);
      int len = Arrays.stream(enc).mapToInt(x -> x.getIds().length).max().orElseThrow();
      long[] ids = new long[s.length * len];
      long[] mask = new long[s.length * len];
      for (int r = 0; r < s.length; r++) {
        System.arraycopy(enc[r].getIds(), 0, ids, r * len, enc[r].getIds().length);
        Arrays.fill(mask, r * len, r * len + enc[r].getIds().length, 1L);
      }
      long[] shape = {s.length, len};
      try (OrtSession raw = env.createSession(bytes, new OrtSession.SessionOptions());
          OnnxTensor tIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
          OnnxTensor tMask = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
          OnnxTensor tTypes = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]),
              shape);
          OrtSession.Result res = raw.run(Map.of("input_ids", tIds, "attention_mask", tMask,
              "token_type_ids", tTypes))) {
        float[][][] h = (float[][][]) res.get(0).getValue();
        for (int r = 0; r < s.length; r++) {
          int n = enc[r].getIds().length;
          double[] mean = new double[384];
          for (int t = 0; t < n; t++) {
            for (int d = 0; d < 384; d++) {
              mean[d] += h[r][t][d] / n;
            }
          }
          double norm = Math.sqrt(Arrays.stream(mean).map(x -> x * x).sum());
          float[] got = v.row(r);
          for (int d = 0; d < 384; d++) {
            assertThat((double) got[d]).isCloseTo(mean[d] / norm, within(1e-5));
          }
        }
      }
      // alone, a sentence gets nearly the same vector as in the whole batch, and exactly the
      // same as with the default per-example batching
      Embeddings alone = e.embed(texts(s[1]));
      double dot = 0;
      for (int d = 0; d < 384; d++) {
        dot += alone.row(0)[d] * v.row(1)[d];
      }
      assertThat(dot).isGreaterThan(0.98);
      assertThat(perExample.embed(texts(s)).row(1)).containsExactly(alone.row(0));
    }
  }
}
