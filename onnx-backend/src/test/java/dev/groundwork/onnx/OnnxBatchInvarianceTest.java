package dev.groundwork.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.model.Embeddings;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where the quantized MiniLM's batch dependence comes from, and the embedder's batch-invariant
 * default (issue 13, §6). Each hypothesis is measured on a raw ONNX Runtime session, where the
 * padding is under the test's control; the cosines are printed (the full measurement over the 1,200
 * Debian texts is {@code OnnxBatchingBench} in examples, quoted in docs/onnx.md).
 */
class OnnxBatchInvarianceTest {

  static final String[] TEXTS = {
      "A man is playing a guitar.",
      "The stock market fell sharply today after the central bank raised interest rates again.",
      "Someone plays an instrument.",
      "utilities to create and check file systems, with support for journaling and resizing",
      "A small game where you steer a snake around the screen and eat apples.",
      "Shares dropped.",
      "library for reading and writing image files in many formats, with bindings for Python and a "
          + "command-line tool to convert between them",
      "The weather is nice."};

  static TextTokenizer tokenizer;
  static HuggingFaceTokenizer reference;
  static OrtEnvironment env;
  static OrtSession raw;

  @BeforeAll
  static void load() throws Exception {
    tokenizer = TextTokenizer.fromClasspath(OnnxTextTest.MINILM_TOKENIZER);
    ClassLoader cl = OnnxBatchInvarianceTest.class.getClassLoader();
    try (InputStream in = cl.getResourceAsStream(OnnxTextTest.MINILM_TOKENIZER)) {
      reference = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false"));
    }
    env = OrtEnvironment.getEnvironment();
    try (InputStream in = cl.getResourceAsStream(OnnxTextTest.MINILM)) {
      raw = env.createSession(in.readAllBytes(), new OrtSession.SessionOptions());
    }
  }

  @AfterAll
  static void close() throws Exception {
    raw.close();
    tokenizer.close();
    reference.close();
  }

  /** Mean-pooled unit vectors of token rows, each padded with id 0 and mask 0 to {@code len}. */
  static float[][] runRaw(List<long[]> rows, int len) throws Exception {
    int n = rows.size();
    long[] ids = new long[n * len];
    long[] mask = new long[n * len];
    for (int r = 0; r < n; r++) {
      System.arraycopy(rows.get(r), 0, ids, r * len, rows.get(r).length);
      Arrays.fill(mask, r * len, r * len + rows.get(r).length, 1L);
    }
    long[] shape = {n, len};
    try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor b = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor c = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * len]), shape);
        OrtSession.Result res = raw.run(Map.of("input_ids", a, "attention_mask", b,
            "token_type_ids", c))) {
      float[][][] h = (float[][][]) res.get(0).getValue();
      float[][] out = new float[n][];
      for (int r = 0; r < n; r++) {
        double[] mean = new double[h[r][0].length];
        for (int t = 0; t < rows.get(r).length; t++) {
          for (int d = 0; d < mean.length; d++) {
            mean[d] += h[r][t][d];
          }
        }
        double norm = Math.sqrt(Arrays.stream(mean).map(x -> x * x).sum());
        out[r] = new float[mean.length];
        for (int d = 0; d < mean.length; d++) {
          out[r][d] = (float) (mean[d] / norm);
        }
      }
      return out;
    }
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  static long[] ids(String text) {
    return reference.encode(text).getIds();
  }

  @Test
  void paddingAloneAndOtherTextsAloneEachMoveTheQuantizedVectorsButCopiesOfItselfDoNot()
      throws Exception {
    List<long[]> rows = new ArrayList<>();
    for (String t : TEXTS) {
      rows.add(ids(t));
    }
    int longest = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
    double padding = 1;
    double copies = 1;
    for (long[] r : rows) {
      float[] alone = runRaw(List.of(r), r.length)[0];
      // H1: the same text alone, padded to the batch's length (pad tokens masked out)
      padding = Math.min(padding, cosine(alone, runRaw(List.of(r), longest)[0]));
      // control: a batch of 8 copies of the text, no padding — batch size by itself
      copies = Math.min(copies, cosine(alone, runRaw(Collections.nCopies(8, r), r.length)[3]));
    }
    // H2: other texts of exactly the same token length, no padding at all
    String[] candidates = {"the cat sat on the mat", "the dog ran to the car",
        "the man read in the house", "the girl sang at the school", "the bird flew over the sea",
        "the boy ate by the river"};
    int length = ids(candidates[0]).length;
    List<long[]> same = Arrays.stream(candidates).map(OnnxBatchInvarianceTest::ids)
        .filter(r -> r.length == length).toList();
    assertThat(same).hasSizeGreaterThanOrEqualTo(3);
    float[][] together = runRaw(same, same.get(0).length);
    double others = 1;
    for (int i = 0; i < same.size(); i++) {
      others = Math.min(others, cosine(runRaw(List.of(same.get(i)), same.get(i).length)[0],
          together[i]));
    }
    System.out.printf(Locale.ROOT, "quantized MiniLM, lowest cosine to the text alone: padded to %d "
        + "tokens %.6f; with %d other texts of its length %.6f; with 7 copies of itself %.9f%n",
        longest, padding, same.size() - 1, others, copies);
    assertThat(copies).as("batch size alone changes nothing").isEqualTo(1.0, within(1e-7));
    assertThat(padding).as("padding alone").isLessThan(0.9999);
    assertThat(others).as("other texts alone, no padding").isLessThan(0.9999);
  }

  static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  static Batch batch(String... texts) {
    return OnnxTextTest.texts(texts);
  }

  /** The lowest cosine between each text embedded alone and the same text in one batch of all. */
  static double lowestCosineAloneVsInBatch(OnnxEmbedder e) {
    Embeddings together = e.embed(batch(TEXTS));
    double lowest = 1;
    for (int i = 0; i < TEXTS.length; i++) {
      lowest = Math.min(lowest, cosine(e.embed(batch(TEXTS[i])).row(0), together.row(i)));
    }
    return lowest;
  }

  @Test
  void byDefaultATextGetsTheVectorItGetsAloneInAnyBatchAndTheWholeBatchModeReallyDiffers() {
    OnnxOptions defaults = OnnxOptions.builder().tokenizer(tokenizer).normalize(true).build();
    assertThat(defaults.batching()).isEqualTo(OnnxOptions.Batching.PER_EXAMPLE);
    try (OnnxModel m = OnnxModels.fromClasspath(OnnxTextTest.MINILM);
        OnnxEmbedder perExample = m.embedder(defaults);
        OnnxEmbedder whole = m.embedder(defaults.toBuilder()
            .batching(OnnxOptions.Batching.WHOLE_BATCH).build())) {
      double invariant = lowestCosineAloneVsInBatch(perExample);
      double batched = lowestCosineAloneVsInBatch(whole);
      System.out.printf(Locale.ROOT, "lowest cosine alone vs in a batch of %d: PER_EXAMPLE %.9f, "
          + "WHOLE_BATCH %.6f%n", TEXTS.length, invariant, batched);
      assertThat(invariant).isCloseTo(1.0, within(1e-6));
      assertThat(batched).isLessThan(0.999).isGreaterThan(0.95);
      // and the same vectors whatever the batch: reversed, split in two
      List<String> reversed = new ArrayList<>(Arrays.asList(TEXTS));
      Collections.reverse(reversed);
      Embeddings a = perExample.embed(batch(TEXTS));
      Embeddings b = perExample.embed(batch(reversed.toArray(String[]::new)));
      for (int i = 0; i < TEXTS.length; i++) {
        assertThat(b.row(TEXTS.length - 1 - i)).containsExactly(a.row(i));
      }
      assertThat(perExample.describe()).contains("one example per run");
      assertThat(whole.describe()).contains("whole batch per run");
      // a blank text is still refused before anything runs, naming the example
      assertThatThrownBy(() -> perExample.embed(batch("fine", " ", "fine too")))
          .isInstanceOf(OnnxInputException.class).hasMessageContaining("example t1");
    }
  }

  @Test
  void aModelWithAFixedBatchSizeNeedsWholeBatchesSaidSoWhenTheEmbedderIsMade() {
    byte[] fixed = OnnxGraphs.model(List.of(
            OnnxGraphs.node("MatMul", List.of("x", "W"), List.of("xw")),
            OnnxGraphs.node("Add", List.of("xw", "B"), List.of("scores"))),
        List.of(OnnxGraphs.tensor("W", new long[] {4, 3}, OnnxGraphs.W),
            OnnxGraphs.tensor("B", new long[] {3}, OnnxGraphs.B)),
        List.of(OnnxGraphs.value("x", OnnxGraphs.FLOAT, 2L, 4L)),
        List.of(OnnxGraphs.value("scores", OnnxGraphs.FLOAT, 2L, 3L)));
    try (OnnxModel m = OnnxModels.fromBytes("fixed-two", fixed)) {
      assertThatThrownBy(() -> m.embedder(OnnxOptions.defaults()))
          .isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("fixed-two takes batches of exactly 2")
          .hasMessageContaining("Batching.WHOLE_BATCH");
      try (OnnxEmbedder e = m.embedder(OnnxOptions.builder()
          .batching(OnnxOptions.Batching.WHOLE_BATCH).build())) {
        Batch two = new Batch(new int[] {2, 4}, new float[] {1, 0, 0, 0, 0, 1, 0, 0}, List.of(),
            new int[2], List.of("a", "b"));
        assertThat(e.embed(two).row(0)).containsExactly(OnnxGraphs.W[0] + OnnxGraphs.B[0],
            OnnxGraphs.W[1] + OnnxGraphs.B[1], OnnxGraphs.W[2] + OnnxGraphs.B[2]);
      }
    }
  }
}
