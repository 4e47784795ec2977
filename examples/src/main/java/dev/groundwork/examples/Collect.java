package dev.groundwork.examples;

import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationOptions;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.CollectionPlan;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.collect.PoolMiner;
import dev.groundwork.core.collect.PoolPredictions;
import dev.groundwork.core.collect.Selection;
import dev.groundwork.core.collect.UnlabeledPool;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.Fit;
import dev.groundwork.djl.DjlModels;
import dev.groundwork.examples.results.Results;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Does mining the pool for examples like the failures beat collecting at random? Fashion-MNIST
 * (the Debian package's full set): per seed, 1,000 labelled training images, 1,000 labelled
 * validation images on which the failure analysis runs, a pool of 20,000 training images whose
 * labels the pool hides, and the 10,000 test images untouched. Three rounds of 500 labels: each
 * round the strategy picks 500 pool items, their labels are revealed (read from the hidden
 * dataset, as an annotator would supply them), the MLP is retrained from scratch with the fit loop
 * and the analysis re-run on the validation set.
 *
 * <p>Measured per round on the test set: accuracy, and the error on the test images in the
 * starting failure scenarios — the starting analysis' plan scenarios with errors beyond their
 * class mix (slices, clusters, confused pairs), placed by the starting model, so the set is the
 * same for every strategy and round. Also the same for the slices alone, when there are any.
 * Strategies: mixed (the default), uncertainty (margin), random; mean ± sample standard deviation
 * over the seeds. Writes {@code docs/results/collect.json}.
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.Collect \
 *     -Dexec.args="3 3 500 5"
 * </pre>
 */
public final class Collect {

  private static final int LABELLED = 1000;
  private static final int VALIDATION = 1000;
  private static final int POOL = 20_000;
  private static final PoolMiner.Strategy[] STRATEGIES = {PoolMiner.Strategy.MIXED,
      PoolMiner.Strategy.MARGIN, PoolMiner.Strategy.RANDOM};

  private Collect() {}

  /** Args: seeds (3), rounds (3), labels per round (500), epochs per training (5). */
  public static void main(String[] args) {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    PrintStream out = System.out;
    Split fm = Datasets.fashionMnist();
    Dataset test = fm.test();
    float[] testPixels = pixels(test);
    // [strategy][round][seed]
    double[][][] acc = new double[STRATEGIES.length][rounds + 1][seeds];
    double[][][] scen = new double[STRATEGIES.length][rounds + 1][seeds];
    double[][][] slic = new double[STRATEGIES.length][rounds + 1][seeds];
    int[] scenarioSize = new int[seeds];
    int[] sliceSize = new int[seeds];
    Map<String, Long> kindsMixed = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    for (int s = 0; s < seeds; s++) {
      long seed = 1000 + s;
      Dataset shuffled = fm.train().shuffle(seed);
      Dataset labelled0 = shuffled.subset(IntStream.range(0, LABELLED).toArray());
      Dataset validation = shuffled.subset(IntStream.range(LABELLED, LABELLED + VALIDATION)
          .toArray());
      Dataset poolData = shuffled.subset(IntStream.range(LABELLED + VALIDATION,
          LABELLED + VALIDATION + POOL).toArray());
      float[] valPixels = pixels(validation);
      float[] poolPixels = pixels(poolData);
      UnlabeledPool pool0 = UnlabeledPool.hidingLabels(poolData);
      UnlabeledPool testPool = UnlabeledPool.hidingLabels(test);
      boolean[] inScenario;
      boolean[] inSlice;
      ClassificationAnalysis analysis0;
      ClassificationPredictions val0;
      try (TrainableModel m0 = train(labelled0, seed, epochs)) {
        val0 = ClassificationPredictions.fromDataset(validation,
            m0.predict(validation, 1000).values()).withEmbeddings(valPixels, 784);
        analysis0 = analyse(val0, seed);
        PoolMiner miner0 = PoolMiner.of(m0, analysis0, val0);
        PoolPredictions testPred = testPool.predict(m0, 1000).withEmbeddings(testPixels, 784);
        inScenario = miner0.scenarioMembership(testPred, EnumSet.allOf(CollectionPlan.Kind.class));
        inSlice = miner0.scenarioMembership(testPred, EnumSet.of(CollectionPlan.Kind.SLICE));
        scenarioSize[s] = count(inScenario);
        sliceSize[s] = count(inSlice);
        float[] tp = testPred.probabilities();
        for (int k = 0; k < STRATEGIES.length; k++) {
          acc[k][0][s] = accuracy(tp, test, null);
          scen[k][0][s] = errorIn(tp, test, inScenario);
          slic[k][0][s] = errorIn(tp, test, inSlice);
        }
        out.printf(Locale.ROOT, "seed %d: start accuracy %.4f; plan %d scenarios, %d test images "
            + "in them (error %.3f), %d in failing slices%n", seed, acc[0][0][s],
            analysis0.collectionPlan().items().size(), scenarioSize[s], scen[0][0][s],
            sliceSize[s]);
        out.print(analysis0.collectionPlan());
        for (int k = 0; k < STRATEGIES.length; k++) {
          Dataset labelled = labelled0;
          UnlabeledPool pool = pool0;
          ClassificationAnalysis analysis = analysis0;
          ClassificationPredictions val = val0;
          TrainableModel model = m0;
          for (int r = 1; r <= rounds; r++) {
            PoolPredictions pp = pool.predict(model, 1000);
            if (STRATEGIES[k] == PoolMiner.Strategy.MIXED) {
              pp = pp.withEmbeddings(rows(poolPixels, poolData, pool), 784);
            }
            Selection sel = (STRATEGIES[k] == PoolMiner.Strategy.MIXED
                ? PoolMiner.of(analysis, val) : PoolMiner.of(analysis0, val0))
                .select(pp, perRound, STRATEGIES[k], seed * 100 + r);
            if (s == 0 && r == 1) {
              out.print(sel);
            }
            if (STRATEGIES[k] == PoolMiner.Strategy.MIXED) {
              sel.countsByKind().forEach((kind, n) -> kindsMixed.merge(kind, n, Long::sum));
            }
            labelled = labelled.concat(poolData.subsetByIds(sel.ids()));
            pool = pool.without(sel.ids());
            if (model != m0) {
              model.close();
            }
            model = train(labelled, seed, epochs);
            if (STRATEGIES[k] == PoolMiner.Strategy.MIXED && r < rounds) {
              // only the mixed strategy reads the analysis; margin and random need predictions
              val = ClassificationPredictions.fromDataset(validation,
                  model.predict(validation, 1000).values()).withEmbeddings(valPixels, 784);
              analysis = analyse(val, seed);
            }
            float[] p = model.predict(test, 1000).values();
            acc[k][r][s] = accuracy(p, test, null);
            scen[k][r][s] = errorIn(p, test, inScenario);
            slic[k][r][s] = errorIn(p, test, inSlice);
            out.printf(Locale.ROOT, "  seed %d %-6s round %d: %d labels, accuracy %.4f, "
                + "start-scenario error %.4f, start-slice error %.4f (%.0f s)%n", seed,
                name(STRATEGIES[k]), r, labelled.size(), acc[k][r][s], scen[k][r][s],
                slic[k][r][s], (System.nanoTime() - t0) / 1e9);
          }
          if (model != m0) {
            model.close();
          }
        }
      }
    }
    Results res = Results.start("collect", args);
    res.note("setup", String.format(Locale.ROOT, "Fashion-MNIST (Debian dataset-fashion-mnist): "
        + "%d labelled, %d validation (failure analysis), pool %d with labels hidden, test "
        + "10000 untouched; %d rounds of %d labels; MLP 784-256-10 (Adam 1e-3, batch 64), %d "
        + "epochs per training with the fit loop, retrained from scratch each round; embeddings "
        + "for nearness and diversity: raw pixels; seeds 1000..%d; mean and sample sd over "
        + "seeds", LABELLED, VALIDATION, POOL, rounds, perRound, epochs, 1000 + seeds - 1));
    res.put("seeds", seeds, "").put("rounds", rounds, "").put("labels_per_round", perRound, "")
        .put("epochs", epochs, "");
    res.put("start_scenario_test_images_mean", mean(toD(scenarioSize)), "images");
    res.put("start_slice_test_images_mean", mean(toD(sliceSize)), "images");
    out.println();
    out.println("| strategy | round | labels | test accuracy (%) | start-scenario error (%) | "
        + "start-slice error (%) |");
    out.println("|---|---|---|---|---|---|");
    for (int k = 0; k < STRATEGIES.length; k++) {
      for (int r = 0; r <= rounds; r++) {
        String key = name(STRATEGIES[k]) + "_r" + r;
        res.put(key + "_acc_mean", 100 * mean(acc[k][r]), "%");
        res.put(key + "_acc_sd", 100 * sd(acc[k][r]), "%");
        res.put(key + "_scen_err_mean", 100 * mean(scen[k][r]), "%");
        res.put(key + "_scen_err_sd", 100 * sd(scen[k][r]), "%");
        res.put(key + "_slice_err_mean", 100 * mean(slic[k][r]), "%");
        res.put(key + "_slice_err_sd", 100 * sd(slic[k][r]), "%");
        out.printf(Locale.ROOT, "| %s | %d | %d | %.2f ± %.2f | %.2f ± %.2f | %.2f ± %.2f |%n",
            name(STRATEGIES[k]), r, LABELLED + r * perRound, 100 * mean(acc[k][r]),
            100 * sd(acc[k][r]), 100 * mean(scen[k][r]), 100 * sd(scen[k][r]),
            100 * mean(slic[k][r]), 100 * sd(slic[k][r]));
      }
    }
    res.note("mixed_kinds", kindsMixed.toString());
    res.put("wall_seconds", (System.nanoTime() - t0) / 1e9, "s");
    res.write();
  }

  static String name(PoolMiner.Strategy s) {
    return switch (s) {
      case MIXED -> "mixed";
      case MARGIN -> "margin";
      case RANDOM -> "random";
      default -> s.name().toLowerCase(Locale.ROOT);
    };
  }

  static TrainableModel train(Dataset labelled, long seed, int epochs) {
    TrainableModel m = DjlModels.mlp(labelled.spec(),
        TrainConfig.builder().batchSize(64).seed(seed).build(), 256);
    Fit.of(m).on(labelled).epochs(epochs).quiet().run();
    return m;
  }

  static ClassificationAnalysis analyse(ClassificationPredictions p, long seed) {
    return FailureAnalysis.classification(p)
        .options(ClassificationOptions.builder().seed(seed).build()).run();
  }

  /** The images as rows of 784 floats, in dataset order. */
  static float[] pixels(Dataset d) {
    float[] out = new float[d.size() * 784];
    int row = 0;
    for (Batch b : d.batches(1000)) {
      System.arraycopy(b.inputs(), 0, out, row * 784, b.size() * 784);
      row += b.size();
    }
    return out;
  }

  /** The rows of {@code all} (rows of {@code data}) for the items of {@code pool}, pool order. */
  static float[] rows(float[] all, Dataset data, UnlabeledPool pool) {
    float[] out = new float[pool.size() * 784];
    for (int i = 0; i < pool.size(); i++) {
      int p = data.indexOf(pool.id(i)).orElseThrow();
      System.arraycopy(all, p * 784, out, i * 784, 784);
    }
    return out;
  }

  static int argmax(float[] p, int row, int c) {
    int best = 0;
    for (int k = 1; k < c; k++) {
      if (p[row * c + k] > p[row * c + best]) {
        best = k;
      }
    }
    return best;
  }

  static double accuracy(float[] p, Dataset d, boolean[] mask) {
    return 1 - errorIn(p, d, mask);
  }

  /** The error rate over the examples in {@code mask} (all if null); NaN-free: 0 if empty. */
  static double errorIn(float[] p, Dataset d, boolean[] mask) {
    int c = d.classes().size();
    int n = 0;
    int wrong = 0;
    for (int i = 0; i < d.size(); i++) {
      if (mask == null || mask[i]) {
        n++;
        if (argmax(p, i, c) != d.label(i)) {
          wrong++;
        }
      }
    }
    return n == 0 ? 0 : (double) wrong / n;
  }

  static int count(boolean[] b) {
    int n = 0;
    for (boolean v : b) {
      n += v ? 1 : 0;
    }
    return n;
  }

  static double[] toD(int[] a) {
    return IntStream.of(a).asDoubleStream().toArray();
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double sd(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }

}
