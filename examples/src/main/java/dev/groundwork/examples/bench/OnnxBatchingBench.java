package dev.groundwork.examples.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.TableOptions;
import dev.groundwork.core.data.Tables;
import dev.groundwork.core.data.TextInput;
import dev.groundwork.examples.TextClassification;
import dev.groundwork.examples.results.Results;
import dev.groundwork.onnx.OnnxEmbedder;
import dev.groundwork.onnx.OnnxModel;
import dev.groundwork.onnx.OnnxModels;
import dev.groundwork.onnx.OnnxOptions;
import dev.groundwork.onnx.OnnxOptions.Batching;
import dev.groundwork.onnx.TextTokenizer;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why the quantized MiniLM's vectors depend on the batch, and what each {@link Batching} mode
 * costs: cosines per cause on the 1,200 Debian descriptions, then texts/s of each mode at batch 32.
 *
 * <p>Causes, on a raw {@code OrtSession} where the padding is under control, each compared with the
 * text run alone: (1) the text alone padded to its batch's length (pad tokens masked out) —
 * padding only; (2) the text among other texts of exactly its token length — other texts only, no
 * padding; (3) the text in 32 copies of itself — batch size only; (4) the text in its mixed batch
 * of 32 — both. Then {@code OnnxEmbedder} in each mode against the text alone, and the throughput
 * of both modes over the same batches of 32, alternating so both see the same machine load. Run:
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests
 * mvn -B -q -ntp -pl examples exec:exec@bench -Dbench=OnnxBatchingBench -Dbench.heap=1g
 * </pre>
 */
public final class OnnxBatchingBench {

  private OnnxBatchingBench() {}

  /** Runs the benchmark; optional args: batches of 32 for the cosines, for the timing, rounds. */
  public static void main(String[] args) throws Exception {
    int cosineBatches = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int timedBatches = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int b = 32;
    Dataset data = Tables.jsonl(resource(),
        TableOptions.builder().label("label").text("text").id("id").build()).shuffle(1);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      texts.add(((TextInput) data.input(i)).text());
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] bytes;
    try (InputStream in = OnnxBatchingBench.class.getClassLoader()
        .getResourceAsStream(TextClassification.MODEL)) {
      bytes = in.readAllBytes();
    }
    try (TextTokenizer tok = TextTokenizer.fromClasspath(TextClassification.TOKENIZER);
        InputStream tin = OnnxBatchingBench.class.getClassLoader()
            .getResourceAsStream(TextClassification.TOKENIZER);
        HuggingFaceTokenizer rawTok = HuggingFaceTokenizer.newInstance(tin,
            Map.of("padding", "false", "truncation", "true"));
        OrtSession raw = env.createSession(bytes, new OrtSession.SessionOptions());
        OnnxModel model = OnnxModels.fromClasspath(TextClassification.MODEL);
        OnnxEmbedder perExample = model.embedder(OnnxOptions.builder().tokenizer(tok)
            .normalize(true).build());
        OnnxEmbedder whole = model.embedder(OnnxOptions.builder().tokenizer(tok).normalize(true)
            .batching(Batching.WHOLE_BATCH).build())) {
      System.out.printf(Locale.ROOT, "Batch dependence of %s, %d cores; cosine to the text run "
          + "alone (min / p5 / median / mean 1 − cos)%n", TextClassification.MODEL,
          Runtime.getRuntime().availableProcessors());
      Results results = Results.start("onnx-batching-bench", args)
          .version("onnxruntime", env.getVersion()).version("model", TextClassification.MODEL);
      if (cosineBatches > 0) {
        cosines(env, raw, rawTok, texts, perExample, whole, cosineBatches, b, results);
      }
      List<String> shortTexts = new ArrayList<>();
      for (String t : texts) {
        String[] words = t.split("\\s+");
        shortTexts.add(String.join(" ", Arrays.asList(words).subList(0,
            Math.min(12, words.length))));
      }
      throughput("whole descriptions", "long", texts, perExample, whole,
          timedBatches, rounds, b, results);
      throughput("their first 12 words", "short", shortTexts, perExample, whole, timedBatches,
          rounds, b, results);
      results.write();
      System.out.println("tokenizer: " + tok.report());
    }
  }

  private static void cosines(OrtEnvironment env, OrtSession raw, HuggingFaceTokenizer rawTok,
      List<String> texts, OnnxEmbedder perExample, OnnxEmbedder whole, int cosineBatches, int b,
      Results results)
      throws Exception {
    List<long[]> tokens = new ArrayList<>();
    for (String t : texts) {
      tokens.add(rawTok.encode(t).getIds());
    }
    List<Double> padded = new ArrayList<>();
    List<Double> copies = new ArrayList<>();
    List<Double> mixed = new ArrayList<>();
    List<Double> modePer = new ArrayList<>();
    List<Double> modeWhole = new ArrayList<>();
    for (int k = 0; k < cosineBatches; k++) {
      List<long[]> batch = tokens.subList(k * b, k * b + b);
      int len = batch.stream().mapToInt(x -> x.length).max().orElseThrow();
      float[][] inBatch = run(env, raw, batch, len);
      float[][] per = rows(perExample.embed(batch(texts.subList(k * b, k * b + b))).values());
      float[][] all = rows(whole.embed(batch(texts.subList(k * b, k * b + b))).values());
      for (int r = 0; r < b; r++) {
        long[] t = batch.get(r);
        float[] alone = run(env, raw, List.of(t), t.length)[0];
        padded.add(cosine(alone, run(env, raw, List.of(t), len)[0]));
        mixed.add(cosine(alone, inBatch[r]));
        modePer.add(cosine(alone, per[r]));
        modeWhole.add(cosine(alone, all[r]));
        if (r < 4) {
          copies.add(cosine(alone, run(env, raw, Collections.nCopies(b, t), t.length)[b - 1]));
        }
      }
    }
    List<Double> sameLength = new ArrayList<>();
    TreeMap<Integer, List<long[]>> byLength = new TreeMap<>();
    for (long[] t : tokens) {
      byLength.computeIfAbsent(t.length, x -> new ArrayList<>()).add(t);
    }
    for (Map.Entry<Integer, List<long[]>> e : byLength.entrySet()) {
      if (e.getValue().size() >= 4) {
        List<long[]> group = e.getValue().subList(0, Math.min(b, e.getValue().size()));
        float[][] v = run(env, raw, group, e.getKey());
        for (int r = 0; r < group.size(); r++) {
          sameLength.add(cosine(run(env, raw, List.of(group.get(r)), e.getKey())[0], v[r]));
        }
      }
    }
    report("(1) padding only: alone, padded to its batch's length", padded, "padded", results);
    report("(2) other texts only: in a group of its exact token length", sameLength,
        "same_length", results);
    report("(3) batch size only: in a batch of 32 copies of itself", copies, "copies", results);
    report("(4) both: in its mixed batch of 32", mixed, "mixed", results);
    report("OnnxEmbedder PER_EXAMPLE (default), batch of 32", modePer, "per_example", results);
    report("OnnxEmbedder WHOLE_BATCH, batch of 32", modeWhole, "whole_batch", results);
  }

  /** Texts/s of both modes over the same batches of {@code b}, modes alternating. */
  private static void throughput(String what, String key, List<String> texts,
      OnnxEmbedder perExample, OnnxEmbedder whole, int timedBatches, int rounds, int b,
      Results results) {
    double[] seconds = new double[2];
    OnnxEmbedder[] modes = {perExample, whole};
    for (OnnxEmbedder m : modes) {
      m.embed(batch(texts.subList(0, b)));
    }
    int n = 0;
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < timedBatches; i++) {
        Batch next = batch(texts.subList(b * i, b * i + b));
        for (int k = 0; k < 2; k++) {
          int mode = (i + r + k) % 2;
          long t0 = System.nanoTime();
          modes[mode].embed(next);
          seconds[mode] += (System.nanoTime() - t0) / 1e9;
        }
        n += b;
      }
    }
    System.out.printf(Locale.ROOT, "throughput at batch %d, %s (%d × %d batches): PER_EXAMPLE "
        + "%.1f texts/s, WHOLE_BATCH %.1f texts/s (PER_EXAMPLE takes %.2f× the time)%n", b, what,
        rounds, timedBatches, n / seconds[0], n / seconds[1], seconds[0] / seconds[1]);
    results.put(key + "_per_example_per_second", n / seconds[0], "texts/s")
        .put(key + "_whole_batch_per_second", n / seconds[1], "texts/s")
        .put(key + "_time_ratio", seconds[0] / seconds[1], "");
  }

  private static Batch batch(List<String> texts) {
    int n = texts.size();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("b" + i);
    }
    return new Batch(new int[] {n}, new float[0], texts, new int[n], ids);
  }

  private static float[][] rows(float[] v) {
    float[][] out = new float[v.length / 384][];
    for (int r = 0; r < out.length; r++) {
      out[r] = Arrays.copyOfRange(v, r * 384, r * 384 + 384);
    }
    return out;
  }

  /** Mean-pooled unit vectors of token rows, each padded with id 0 and mask 0 to {@code len}. */
  private static float[][] run(OrtEnvironment env, OrtSession session, List<long[]> rows, int len)
      throws Exception {
    int n = rows.size();
    long[] ids = new long[n * len];
    long[] mask = new long[n * len];
    for (int r = 0; r < n; r++) {
      System.arraycopy(rows.get(r), 0, ids, r * len, rows.get(r).length);
      Arrays.fill(mask, r * len, r * len + rows.get(r).length, 1L);
    }
    long[] shape = {n, len};
    try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * len]), shape);
        OrtSession.Result res = session.run(Map.of("input_ids", a, "attention_mask", m,
            "token_type_ids", t))) {
      float[][][] h = (float[][][]) res.get(0).getValue();
      float[][] out = new float[n][384];
      for (int r = 0; r < n; r++) {
        double[] mean = new double[384];
        for (int k = 0; k < rows.get(r).length; k++) {
          for (int d = 0; d < 384; d++) {
            mean[d] += h[r][k][d];
          }
        }
        double norm = Math.sqrt(Arrays.stream(mean).map(x -> x * x).sum());
        for (int d = 0; d < 384; d++) {
          out[r][d] = (float) (mean[d] / norm);
        }
      }
      return out;
    }
  }

  private static double cosine(float[] a, float[] b) {
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

  private static void report(String what, List<Double> cosines, String key, Results results) {
    List<Double> s = new ArrayList<>(cosines);
    Collections.sort(s);
    results.put(key + "_min_cosine", s.get(0), "");
    double mean = s.stream().mapToDouble(c -> 1 - c).average().orElse(Double.NaN);
    System.out.printf(Locale.ROOT, "  %-60s n=%4d  %.6f / %.6f / %.6f / %.1e%n", what, s.size(),
        s.get(0), s.get((int) (0.05 * (s.size() - 1))), s.get(s.size() / 2), mean);
  }

  private static java.nio.file.Path resource() throws Exception {
    var url = OnnxBatchingBench.class.getClassLoader().getResource(TextClassification.DATA);
    if (url.getProtocol().equals("file")) {
      return java.nio.file.Path.of(url.toURI());
    }
    java.nio.file.Path tmp = java.nio.file.Files.createTempFile("debian", ".jsonl");
    try (InputStream in = url.openStream()) {
      java.nio.file.Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return tmp;
  }
}
