package dev.groundwork.examples.bench;

import ai.djl.huggingface.tokenizers.Encoding;
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
import dev.groundwork.onnx.TextTokenizer;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Groundwork's ONNX adapter against a raw ONNX Runtime loop, same model (quantized MiniLM-L6 from
 * its jar), same texts, same JVM: single-sentence latency p50/p99 and batch-32 throughput.
 *
 * <p>Adapter: {@code OnnxEmbedder.embed(batch)} with {@code Batching.WHOLE_BATCH} (tokenize, pad,
 * three tensors, run, mean-pool over the mask, normalize). Raw: the same steps written directly on
 * {@code HuggingFaceTokenizer} and {@code OrtSession}, each on its own session with default
 * options. Rounds alternate adapter/raw so both see the same machine load. Run:
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests
 * mvn -B -q -ntp -pl examples exec:exec@bench -Dbench=OnnxBench -Dbench.heap=1g
 * </pre>
 */
public final class OnnxBench {

  private OnnxBench() {}

  /** Runs the benchmark; optional args: single-item count, batch-32 count, rounds. */
  public static void main(String[] args) throws Exception {
    int singles = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Dataset data = Tables.jsonl(resource(), TableOptions.builder().label("label").text("text")
        .id("id").build()).shuffle(1);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      texts.add(((TextInput) data.input(i)).text());
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] bytes;
    try (InputStream in = OnnxBench.class.getClassLoader()
        .getResourceAsStream(TextClassification.MODEL)) {
      bytes = in.readAllBytes();
    }
    try (TextTokenizer tok = TextTokenizer.fromClasspath(TextClassification.TOKENIZER);
        OnnxModel model = OnnxModels.fromClasspath(TextClassification.MODEL);
        // WHOLE_BATCH: the same padded batch as the raw loop (the default runs each text alone;
        // OnnxBatchingBench compares the two modes)
        OnnxEmbedder adapter = model.embedder(OnnxOptions.builder().tokenizer(tok)
            .normalize(true).batching(OnnxOptions.Batching.WHOLE_BATCH).build());
        InputStream tin = OnnxBench.class.getClassLoader()
            .getResourceAsStream(TextClassification.TOKENIZER);
        HuggingFaceTokenizer rawTok = HuggingFaceTokenizer.newInstance(tin,
            Map.of("padding", "false", "truncation", "true"));
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession raw = env.createSession(bytes, so)) {
      Consumer<List<String>> viaAdapter = t -> adapter.embed(batch(t));
      Consumer<List<String>> viaRaw = t -> rawEmbed(env, raw, rawTok, t);

      // correctness first: both give the same vectors
      float[] a = adapter.embed(batch(texts.subList(0, 4))).values();
      float[] b = rawEmbed(env, raw, rawTok, texts.subList(0, 4));
      double maxDiff = 0;
      for (int i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      }
      System.out.printf(Locale.ROOT, "ONNX adapter vs raw OrtSession — %s, %d cores, max |Δ| "
          + "between their vectors %.2g%n", TextClassification.MODEL,
          Runtime.getRuntime().availableProcessors(), maxDiff);

      for (int i = 0; i < 20; i++) {
        viaAdapter.accept(texts.subList(i, i + 1));
        viaRaw.accept(texts.subList(i, i + 1));
      }
      List<Long> adapterNs = new ArrayList<>();
      List<Long> rawNs = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < singles; i++) {
          List<String> one = texts.subList(i, i + 1);
          boolean adapterFirst = (i + r) % 2 == 0;
          long[] ta = new long[1];
          long[] tr = new long[1];
          for (int k = 0; k < 2; k++) {
            boolean runAdapter = (k == 0) == adapterFirst;
            long t0 = System.nanoTime();
            (runAdapter ? viaAdapter : viaRaw).accept(one);
            long dt = System.nanoTime() - t0;
            if (runAdapter) {
              ta[0] = dt;
            } else {
              tr[0] = dt;
            }
          }
          adapterNs.add(ta[0]);
          rawNs.add(tr[0]);
        }
      }
      double a50 = pct(adapterNs, 0.50);
      double r50 = pct(rawNs, 0.50);
      double a99 = pct(adapterNs, 0.99);
      double r99 = pct(rawNs, 0.99);
      List<Long> ratios = new ArrayList<>();
      for (int i = 0; i < adapterNs.size(); i++) {
        ratios.add(Math.round(1e6 * adapterNs.get(i) / (double) rawNs.get(i)));
      }
      System.out.printf(Locale.ROOT, "single sentence: median of paired adapter/raw ratios %.3f%n",
          pct(ratios, 0.5) / 1e6);
      System.out.printf(Locale.ROOT, "single sentence (%d × %d): p50 adapter %.2f ms, raw %.2f ms "
          + "(ratio %.3f); p99 adapter %.2f ms, raw %.2f ms (ratio %.3f)%n", rounds, singles,
          a50 / 1e6, r50 / 1e6, a50 / r50, a99 / 1e6, r99 / 1e6, a99 / r99);

      double adapterTotal = 0;
      double rawTotal = 0;
      int n = 0;
      viaAdapter.accept(texts.subList(0, 32));
      viaRaw.accept(texts.subList(0, 32));
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < batches; i++) {
          List<String> b32 = texts.subList(32 * i, 32 * i + 32);
          boolean adapterFirst = (i + r) % 2 == 0;
          for (int k = 0; k < 2; k++) {
            boolean runAdapter = (k == 0) == adapterFirst;
            long t0 = System.nanoTime();
            (runAdapter ? viaAdapter : viaRaw).accept(b32);
            double dt = (System.nanoTime() - t0) / 1e9;
            if (runAdapter) {
              adapterTotal += dt;
            } else {
              rawTotal += dt;
            }
          }
          n += 32;
        }
      }
      System.out.printf(Locale.ROOT, "batch 32 (%d × %d batches): adapter %.1f sentences/s, raw %.1f"
          + " sentences/s (ratio %.3f)%n", rounds, batches, n / adapterTotal, n / rawTotal,
          (n / adapterTotal) / (n / rawTotal));
      System.out.println("MiniLM throughput at batch 32 through Groundwork: "
          + String.format(Locale.ROOT, "%.1f", n / adapterTotal) + " sentences/s; tokenizer: "
          + tok.report());
      Results.start("onnx-bench", args)
          .version("onnxruntime", ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion())
          .version("model", TextClassification.MODEL)
          .put("max_abs_difference", maxDiff, "")
          .put("single_paired_ratio_median", pct(ratios, 0.5) / 1e6, "")
          .put("single_p50_adapter_ms", a50 / 1e6, "ms").put("single_p50_raw_ms", r50 / 1e6, "ms")
          .put("single_p50_ratio", a50 / r50, "")
          .put("single_p99_adapter_ms", a99 / 1e6, "ms").put("single_p99_raw_ms", r99 / 1e6, "ms")
          .put("single_p99_ratio", a99 / r99, "")
          .put("batch32_adapter_per_second", n / adapterTotal, "sentences/s")
          .put("batch32_raw_per_second", n / rawTotal, "sentences/s")
          .put("batch32_ratio", (n / adapterTotal) / (n / rawTotal), "").write();
    }
  }

  private static Batch batch(List<String> texts) {
    int n = texts.size();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("b" + i);
    }
    return new Batch(new int[] {n}, new float[0], texts, new int[n], ids);
  }

  /** The raw loop: tokenize, pad, three tensors, run, mean-pool over the mask, normalize. */
  static float[] rawEmbed(OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tok,
      List<String> texts) {
    Encoding[] enc = tok.batchEncode(texts);
    int n = enc.length;
    int len = 0;
    for (Encoding e : enc) {
      len = Math.max(len, e.getIds().length);
    }
    long[] ids = new long[n * len];
    long[] mask = new long[n * len];
    long[] types = new long[n * len];
    for (int r = 0; r < n; r++) {
      System.arraycopy(enc[r].getIds(), 0, ids, r * len, enc[r].getIds().length);
      System.arraycopy(enc[r].getAttentionMask(), 0, mask, r * len, enc[r].getIds().length);
      System.arraycopy(enc[r].getTypeIds(), 0, types, r * len, enc[r].getIds().length);
    }
    long[] shape = {n, len};
    try (OnnxTensor tIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor tMask = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor tTypes = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
        OrtSession.Result res = session.run(Map.of("input_ids", tIds, "attention_mask", tMask,
            "token_type_ids", tTypes))) {
      OnnxTensor out = (OnnxTensor) res.get(0);
      float[] h = new float[(int) out.getInfo().getNumElements()];
      out.getFloatBuffer().get(h);
      int dim = 384;
      float[] v = new float[n * dim];
      for (int r = 0; r < n; r++) {
        double count = 0;
        for (int t = 0; t < len; t++) {
          if (mask[r * len + t] != 0) {
            count++;
            for (int d = 0; d < dim; d++) {
              v[r * dim + d] += h[(r * len + t) * dim + d];
            }
          }
        }
        double norm = 0;
        for (int d = 0; d < dim; d++) {
          v[r * dim + d] /= (float) count;
          norm += v[r * dim + d] * v[r * dim + d];
        }
        for (int d = 0; d < dim; d++) {
          v[r * dim + d] /= (float) Math.sqrt(norm);
        }
      }
      return v;
    } catch (ai.onnxruntime.OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double pct(List<Long> ns, double q) {
    long[] s = ns.stream().mapToLong(Long::longValue).sorted().toArray();
    return s[(int) Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
  }

  private static java.nio.file.Path resource() throws Exception {
    var url = OnnxBench.class.getClassLoader().getResource(TextClassification.DATA);
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
