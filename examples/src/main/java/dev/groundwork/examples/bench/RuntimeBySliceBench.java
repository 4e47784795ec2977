package dev.groundwork.examples.bench;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.data.TableOptions;
import dev.groundwork.core.data.Tables;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import dev.groundwork.core.model.ModelSummary;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.runtime.RuntimeBySlice;
import dev.groundwork.core.runtime.RuntimeBySliceResult;
import dev.groundwork.examples.TextClassification;
import dev.groundwork.examples.results.Results;
import dev.groundwork.onnx.FrozenBackboneClassifier;
import dev.groundwork.onnx.Head;
import dev.groundwork.onnx.OnnxEmbedder;
import dev.groundwork.onnx.OnnxModel;
import dev.groundwork.onnx.OnnxModels;
import dev.groundwork.onnx.OnnxOptions;
import dev.groundwork.onnx.TextTokenizer;

/**
 * Runtime by slice of a real text classifier: the frozen quantized MiniLM-L6 with an MLP head
 * (the text-classification example's model, trained the same way) on the 240 test descriptions,
 * sliced by text length. Each timed call clears the feature cache first, so every call tokenizes
 * and runs MiniLM. Run:
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:exec@bench -Dbench=RuntimeBySliceBench -Dbench.heap=1g
 * </pre>
 */
public final class RuntimeBySliceBench {

  private RuntimeBySliceBench() {}

  /** Trains the head, then times every test text by slice; optional arg: warm-up calls. */
  public static void main(String[] args) {
    int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Results results = Results.start("runtime-by-slice-bench", args);
    Dataset data = Tables.jsonl(TextClassification.resourceFile(TextClassification.DATA),
        TableOptions.builder().label("label").text("text").id("id").build());
    Split split = data.split(0.8, 42);
    try (TextTokenizer tokenizer = TextTokenizer.fromClasspath(TextClassification.TOKENIZER);
        OnnxModel minilm = OnnxModels.fromClasspath(TextClassification.MODEL);
        OnnxEmbedder encoder = minilm.embedder(OnnxOptions.builder().tokenizer(tokenizer)
            .pooling(OnnxOptions.Pooling.MEAN).normalize(true).build());
        FrozenBackboneClassifier clf = FrozenBackboneClassifier.create(encoder, data.spec(),
            Head.mlp(128), TrainConfig.builder().learningRate(3e-3).weightDecay(1e-4).seed(7)
                .build())) {
      clf.precompute(split.train(), 32);
      var batches = split.train().batches(32, 7, false);
      for (int epoch = 0; epoch < 40; epoch++) {
        for (var it = batches.epoch(epoch); it.hasNext(); ) {
          clf.trainStep(it.next(), false);
        }
      }
      RuntimeBySliceResult r = RuntimeBySlice.of(new Uncached(clf)).on(split.test())
          .warmUp(warmUp).run();
      System.out.println(r);
      record(results, r).write();
    }
  }

  /**
   * The figures the docs quote: per slice of the overall row and the {@code text.chars} and
   * {@code text.words} quartile bins (in bin order, keys {@code chars_1}..{@code chars_4}).
   */
  static Results record(Results results, RuntimeBySliceResult r) {
    results.put("warm_up_calls", r.warmUpCalls(), "").put("repeats", r.repeats(), "")
        .put("slow_slices", r.slow().size(), "");
    put(results, "all", r.overall());
    int chars = 0;
    int words = 0;
    for (RuntimeBySliceResult.SliceRuntime s : r.slices()) {
      if (s.slice().startsWith("text.chars")) {
        put(results, "chars_" + (++chars), s);
      } else if (s.slice().startsWith("text.words")) {
        put(results, "words_" + (++words), s);
      }
    }
    return results;
  }

  private static void put(Results results, String key, RuntimeBySliceResult.SliceRuntime s) {
    results.note(key + "_slice", s.slice())
        .put(key + "_n", s.n(), "")
        .put(key + "_p50_ms", s.latency().p50(), "ms")
        .put(key + "_p99_ms", s.latency().p99(), "ms")
        .put(key + "_ratio", s.ratioToOverall(), "")
        .put(key + "_error_pct", 100.0 * s.errorRate(), "%")
        .put(key + "_slow", s.slow() ? 1 : 0, "");
    if (!"all".equals(key)) {
      results.put(key + "_q", s.qValue(), "");
    }
  }

  /** The classifier with its feature cache cleared before each call: every call runs MiniLM. */
  private record Uncached(FrozenBackboneClassifier clf) implements Model {
    @Override
    public String name() {
      return "minilm-l6-q+mlp (uncached)";
    }

    @Override
    public DatasetSpec spec() {
      return clf.spec();
    }

    @Override
    public ClassProbabilities predict(Batch batch) {
      clf.featureCache().clear();
      return clf.predict(batch);
    }

    @Override
    public ModelSummary summary() {
      return clf.summary();
    }

    @Override
    public void close() {}
  }
}
