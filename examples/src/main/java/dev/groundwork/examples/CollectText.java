package dev.groundwork.examples;

import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.CollectionPlan;
import dev.groundwork.core.collect.PoolMiner;
import dev.groundwork.core.collect.PoolPredictions;
import dev.groundwork.core.collect.Selection;
import dev.groundwork.core.collect.UnlabeledPool;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.data.TableOptions;
import dev.groundwork.core.data.Tables;
import dev.groundwork.core.model.Embeddings;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.train.EarlyStopping;
import dev.groundwork.core.train.Fit;
import dev.groundwork.core.train.FitResult;
import dev.groundwork.core.train.Metric;
import dev.groundwork.examples.results.Results;
import dev.groundwork.onnx.FrozenBackboneClassifier;
import dev.groundwork.onnx.Head;
import dev.groundwork.onnx.OnnxEmbedder;
import dev.groundwork.onnx.OnnxModel;
import dev.groundwork.onnx.OnnxModels;
import dev.groundwork.onnx.OnnxOptions;
import dev.groundwork.onnx.TextTokenizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The {@link Collect} experiment on text: the 1,200 Debian package descriptions (8 archive
 * sections) through the frozen MiniLM-L6 encoder (quantized ONNX, mean-pooled, normalized) and an
 * MLP head (128 hidden). The data is 1/50 of Fashion-MNIST's, so the protocol is scaled to it: the
 * test set is {@link TextClassification}'s 240 texts (stratified 20 %, seed 42), measured only;
 * per seed, the other 960 are shuffled into 120 labelled, 200 analysed (failure analysis), 120
 * stopping (the head keeps the epoch with the lowest loss on them, patience 5) and a pool of 520
 * with labels hidden; three rounds of 60 labels (half the starting labelled set per round, as 500
 * is for 1,000 images). Embeddings for nearness, clusters and diversity: the MiniLM features.
 * Strategies mixed, margin and random; writes {@code docs/results/collect-text.json}.
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.CollectText \
 *     -Dexec.args="5 3 60"
 * </pre>
 */
public final class CollectText {

  private static final int LABELLED = 120;
  private static final int ANALYSED = 200;
  private static final int STOPPING = 120;
  private static final int POOL = 520;
  private static final int MAX_EPOCHS = 100;
  private static final int PATIENCE = 5;
  private static final PoolMiner.Strategy[] STRATEGIES = {PoolMiner.Strategy.MIXED,
      PoolMiner.Strategy.MARGIN, PoolMiner.Strategy.RANDOM};

  private CollectText() {}

  /** Args: seeds (5), rounds (3), labels per round (60). */
  public static void main(String[] args) {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    PrintStream out = System.out;
    Dataset data = Tables.jsonl(TextClassification.resourceFile(TextClassification.DATA),
        TableOptions.builder().label("label").text("text").id("id").build());
    Split split = data.split(0.8, 42);
    Dataset test = split.test();
    double[][][] acc = new double[STRATEGIES.length][rounds + 1][seeds];
    double[][][] scen = new double[STRATEGIES.length][rounds + 1][seeds];
    int[] scenarioSize = new int[seeds];
    List<String> targetsBySeed = new ArrayList<>();
    long t0 = System.nanoTime();
    try (TextTokenizer tokenizer = TextTokenizer.fromClasspath(TextClassification.TOKENIZER);
        OnnxModel minilm = OnnxModels.fromClasspath(TextClassification.MODEL);
        OnnxEmbedder encoder = minilm.embedder(OnnxOptions.builder().tokenizer(tokenizer)
            .pooling(OnnxOptions.Pooling.MEAN).normalize(true).build());
        FrozenBackboneClassifier base = FrozenBackboneClassifier.create(encoder, data.spec(),
            Head.mlp(128), config(0))) {
      // the encoder's features, once: the head's cache and the miner's embedding space
      base.precompute(data, 32);
      Embeddings all = encoder.embed(data, 32);
      int dim = all.dimension();
      Map<String, Integer> row = new HashMap<>();
      for (int i = 0; i < data.size(); i++) {
        row.put(data.id(i), i);
      }
      float[] testEmb = rows(all.values(), dim, row, test.ids());
      out.printf(Locale.ROOT, "embedded %d texts (%d dimensions) in %.0f s%n", data.size(), dim,
          (System.nanoTime() - t0) / 1e9);
      for (int s = 0; s < seeds; s++) {
        long seed = 2000 + s;
        Dataset shuffled = split.train().shuffle(seed);
        Dataset labelled0 = shuffled.subset(IntStream.range(0, LABELLED).toArray());
        int off = LABELLED;
        Dataset analysed = shuffled.subset(IntStream.range(off, off + ANALYSED).toArray());
        off += ANALYSED;
        Dataset stopping = shuffled.subset(IntStream.range(off, off + STOPPING).toArray());
        off += STOPPING;
        Dataset poolData = shuffled.subset(IntStream.range(off, off + POOL).toArray());
        float[] valEmb = rows(all.values(), dim, row, analysed.ids());
        UnlabeledPool pool0 = UnlabeledPool.hidingLabels(poolData);
        boolean[] inScenario;
        try (FrozenBackboneClassifier m0 = train(base, labelled0, stopping, seed)) {
          ClassificationPredictions val0 = ClassificationPredictions.fromDataset(analysed,
              m0.predict(analysed, 256).values()).withEmbeddings(valEmb, dim);
          ClassificationAnalysis analysis0 = Collect.analyse(val0, seed);
          PoolMiner miner0 = PoolMiner.of(m0, analysis0, val0);
          PoolPredictions testPred = UnlabeledPool.hidingLabels(test).predict(m0, 256)
              .withEmbeddings(testEmb, dim);
          inScenario = miner0.scenarioMembership(testPred,
              EnumSet.allOf(CollectionPlan.Kind.class));
          scenarioSize[s] = Collect.count(inScenario);
          float[] tp = testPred.probabilities();
          for (int k = 0; k < STRATEGIES.length; k++) {
            acc[k][0][s] = Collect.accuracy(tp, test, null);
            scen[k][0][s] = Collect.errorIn(tp, test, inScenario);
          }
          String targets = miner0.targets().stream().map(CollectionPlan.Item::label).collect(Collectors.joining("; "));
          targetsBySeed.add(seed + ": " + targets);
          out.printf(Locale.ROOT, "seed %d: start accuracy %.4f; targeted: %s; %d test texts "
              + "in them (error %.3f)%n", seed, acc[0][0][s], targets, scenarioSize[s],
              scen[0][0][s]);
          for (int k = 0; k < STRATEGIES.length; k++) {
            Dataset labelled = labelled0;
            UnlabeledPool pool = pool0;
            ClassificationAnalysis analysis = analysis0;
            ClassificationPredictions val = val0;
            FrozenBackboneClassifier model = m0;
            for (int r = 1; r <= rounds; r++) {
              PoolPredictions pp = pool.predict(model, 256)
                  .withEmbeddings(rows(all.values(), dim, row, pool.ids()), dim);
              Selection sel = (STRATEGIES[k] == PoolMiner.Strategy.MIXED
                  ? PoolMiner.of(analysis, val) : PoolMiner.of(analysis0, val0))
                  .select(pp, perRound, STRATEGIES[k], seed * 100 + r);
              if (s == 0 && r == 1) {
                out.print(sel);
              }
              labelled = labelled.concat(poolData.subsetByIds(sel.ids()));
              pool = pool.without(sel.ids());
              if (model != m0) {
                model.close();
              }
              model = train(base, labelled, stopping, seed);
              if (STRATEGIES[k] == PoolMiner.Strategy.MIXED && r < rounds) {
                val = ClassificationPredictions.fromDataset(analysed,
                    model.predict(analysed, 256).values()).withEmbeddings(valEmb, dim);
                analysis = Collect.analyse(val, seed);
              }
              float[] p = model.predict(test, 256).values();
              acc[k][r][s] = Collect.accuracy(p, test, null);
              scen[k][r][s] = Collect.errorIn(p, test, inScenario);
              out.printf(Locale.ROOT, "  seed %d %-6s round %d: %d labels, accuracy %.4f, "
                  + "start-scenario error %.4f (%.0f s)%n", seed, Collect.name(STRATEGIES[k]),
                  r, labelled.size(), acc[k][r][s], scen[k][r][s],
                  (System.nanoTime() - t0) / 1e9);
            }
            if (model != m0) {
              model.close();
            }
          }
        }
      }
    }
    Results res = Results.start("collect-text", args).version("model", TextClassification.MODEL);
    res.note("setup", String.format(Locale.ROOT, "Debian package descriptions (1,200, 8 "
        + "sections): test = TextClassification's 240 (stratified 20%%, seed 42), measured only; "
        + "per seed the other 960 shuffled into %d labelled, %d analysed (failure analysis), %d "
        + "stopping (epoch selection), pool %d with labels hidden; %d rounds of %d labels; "
        + "frozen MiniLM-L6 (quantized ONNX, mean pooling, normalized) + MLP head 128 (Adam "
        + "3e-3, weight decay 1e-4, batch 32), a new head each round, at most %d epochs, early "
        + "stopping on the stopping texts' loss (patience %d, best epoch restored); mixed "
        + "targets: PoolMiner defaults (at most %d scenarios, slices/clusters up to %.0f%% of "
        + "the analysed examples); embeddings: the MiniLM features; seeds 2000..%d; mean and "
        + "sample sd over seeds; 'vs random' = per-seed difference of the start-scenario "
        + "error, random minus strategy", LABELLED, ANALYSED, STOPPING, POOL, rounds, perRound,
        MAX_EPOCHS, PATIENCE, PoolMiner.DEFAULT_MAX_SCENARIOS,
        100 * PoolMiner.DEFAULT_MAX_SUPPORT_SHARE, 2000 + seeds - 1));
    res.note("targets", String.join(" | ", targetsBySeed));
    res.note("dataset", "debian-descriptions.jsonl " + data.fingerprint());
    res.put("seeds", seeds, "").put("rounds", rounds, "").put("labels_per_round", perRound, "");
    res.put("start_scenario_test_texts_mean", Collect.mean(Collect.toD(scenarioSize)), "texts");
    res.put("start_scenario_test_texts_min", IntStream.of(scenarioSize).min().orElse(0), "texts");
    res.put("start_scenario_test_texts_max", IntStream.of(scenarioSize).max().orElse(0), "texts");
    Collect.table(out, res, STRATEGIES, acc, scen, null, rounds, LABELLED, perRound);
    res.put("wall_seconds", (System.nanoTime() - t0) / 1e9, "s");
    res.write();
  }

  static TrainConfig config(long seed) {
    return TrainConfig.builder().learningRate(3e-3).weightDecay(1e-4).batchSize(32).seed(seed)
        .build();
  }

  /** A new head on the shared encoder and feature cache, trained to the best stopping epoch. */
  static FrozenBackboneClassifier train(FrozenBackboneClassifier base, Dataset labelled,
      Dataset stopping, long seed) {
    FrozenBackboneClassifier m = base.newInstance(config(seed));
    try {
      FitResult r = Fit.of(m).on(labelled).validation(stopping).epochs(MAX_EPOCHS)
          .earlyStopping(EarlyStopping.on(Metric.VALIDATION_LOSS).patience(PATIENCE)).quiet()
          .run();
      if (r.bestEpoch() == 0) {
        throw new IllegalStateException("no best epoch for " + labelled.size() + " labels");
      }
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** The embedding rows of {@code ids}, in order. */
  static float[] rows(float[] all, int dim, Map<String, Integer> row, List<String> ids) {
    float[] out = new float[ids.size() * dim];
    for (int i = 0; i < ids.size(); i++) {
      System.arraycopy(all, row.get(ids.get(i)) * dim, out, i * dim, dim);
    }
    return out;
  }
}
