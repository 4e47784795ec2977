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
import dev.groundwork.core.data.Json;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.EarlyStopping;
import dev.groundwork.core.train.Fit;
import dev.groundwork.core.train.FitResult;
import dev.groundwork.core.train.Metric;
import dev.groundwork.djl.DjlModels;
import dev.groundwork.examples.results.Results;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Does mining the pool for examples like the failures beat collecting at random? Fashion-MNIST
 * (the Debian package's full set): per seed, from the shuffled 60,000 training images, 1,000
 * labelled images, 1,000 analysis images on which the failure analysis runs, 1,000 stopping
 * images that pick each training's epoch, a pool of 20,000 images whose labels the pool hides;
 * the 10,000 test images are only measured on. Three rounds of 500 labels: each round the strategy
 * picks 500 pool items, their labels are revealed (read from the hidden dataset, as an annotator
 * would supply them), the model is retrained from scratch with the fit loop, keeping the epoch
 * with the lowest loss on the stopping images (early stopping, patience 5), and the analysis is
 * re-run on the analysis images.
 *
 * <p>Measured per round on the test set: accuracy, and the error on the test images in the
 * starting failure scenarios — the scenarios the starting model's mixed strategy targets ({@link
 * PoolMiner#targets()}: the few narrow plan scenarios with the most errors beyond their class
 * mix), placed by the starting model, so the set is the same for every strategy and round.
 * Strategies: mixed (the default), uncertainty (margin), random; mean ± sample standard deviation
 * over the seeds, and each strategy's drop of that error paired per seed against random's.
 * Writes {@code docs/results/collect.json}.
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.Collect \
 *     -Dexec.args="3 3 500 30 mlp"
 * </pre>
 */
public final class Collect {

  private static final int LABELLED = 1000;
  private static final int VALIDATION = 1000;
  private static final int STOPPING = 1000;
  private static final int PATIENCE = 5;
  private static final int POOL = 20_000;
  private static final PoolMiner.Strategy[] STRATEGIES = {PoolMiner.Strategy.MIXED,
      PoolMiner.Strategy.MARGIN, PoolMiner.Strategy.RANDOM};

  private Collect() {}

  /**
   * Args: seeds (3), rounds (3), labels per round (500), most epochs per training (30), learner
   * ({@code mlp} or {@code cnn}), index of the first seed (0: seeds 1000, 1001, …). A run also
   * records each seed's figures ({@code _s1000} keys), so seeds run as separate processes (each
   * with its own results directory) can be combined: {@code merge DIR...} reads each directory's
   * {@code collect.json} and writes the combined one. A {@code cnn} run writes {@code
   * collect-cnn.json}.
   */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("merge")) {
      merge(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    String learner = args.length > 4 ? args[4] : "mlp";
    int firstSeed = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    // the strategies to run (all three by default; a subset to run them as separate processes)
    java.util.Set<String> run = java.util.Set.of((args.length > 6 ? args[6]
        : "mixed,margin,random").split(","));
    PrintStream out = System.out;
    Split fm = Datasets.fashionMnist();
    Dataset test = fm.test();
    float[] testPixels = pixels(test);
    // [strategy][round][seed]
    double[][][] acc = new double[STRATEGIES.length][rounds + 1][seeds];
    double[][][] scen = new double[STRATEGIES.length][rounds + 1][seeds];
    double[][][] epochsUsed = new double[STRATEGIES.length][rounds + 1][seeds];
    int[] scenarioSize = new int[seeds];
    List<String> targetsBySeed = new ArrayList<>();
    Map<String, Long> kindsMixed = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    for (int s = 0; s < seeds; s++) {
      long seed = 1000 + firstSeed + s;
      Dataset shuffled = fm.train().shuffle(seed);
      Dataset labelled0 = shuffled.subset(IntStream.range(0, LABELLED).toArray());
      Dataset validation = shuffled.subset(IntStream.range(LABELLED, LABELLED + VALIDATION)
          .toArray());
      int off = LABELLED + VALIDATION;
      Dataset stopping = shuffled.subset(IntStream.range(off, off + STOPPING).toArray());
      Dataset poolData = shuffled.subset(IntStream.range(off + STOPPING, off + STOPPING + POOL)
          .toArray());
      Trainer trainer = new Trainer(learner, stopping, seed, epochs);
      float[] valPixels = pixels(validation);
      float[] poolPixels = pixels(poolData);
      UnlabeledPool pool0 = UnlabeledPool.hidingLabels(poolData);
      UnlabeledPool testPool = UnlabeledPool.hidingLabels(test);
      boolean[] inScenario;
      ClassificationAnalysis analysis0;
      ClassificationPredictions val0;
      try (TrainableModel m0 = trainer.train(labelled0)) {
        val0 = ClassificationPredictions.fromDataset(validation,
            m0.predict(validation, 1000).values()).withEmbeddings(valPixels, 784);
        analysis0 = analyse(val0, seed);
        PoolMiner miner0 = PoolMiner.of(m0, analysis0, val0);
        PoolPredictions testPred = testPool.predict(m0, 1000).withEmbeddings(testPixels, 784);
        inScenario = miner0.scenarioMembership(testPred, EnumSet.allOf(CollectionPlan.Kind.class));
        scenarioSize[s] = count(inScenario);
        float[] tp = testPred.probabilities();
        for (int k = 0; k < STRATEGIES.length; k++) {
          acc[k][0][s] = accuracy(tp, test, null);
          scen[k][0][s] = errorIn(tp, test, inScenario);
          epochsUsed[k][0][s] = trainer.lastBestEpoch;
        }
        String targets = miner0.targets().stream().map(CollectionPlan.Item::label).collect(Collectors.joining("; "));
        targetsBySeed.add(seed + ": " + targets);
        out.printf(Locale.ROOT, "seed %d: start accuracy %.4f (epoch %d); plan %d scenarios, "
            + "targeted: %s; %d test images in them (error %.3f)%n", seed, acc[0][0][s],
            trainer.lastBestEpoch, analysis0.collectionPlan().items().size(), targets,
            scenarioSize[s], scen[0][0][s]);
        out.print(analysis0.collectionPlan());
        for (int k = 0; k < STRATEGIES.length; k++) {
          if (!run.contains(name(STRATEGIES[k]))) {
            continue;
          }
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
            model = trainer.train(labelled);
            epochsUsed[k][r][s] = trainer.lastBestEpoch;
            if (STRATEGIES[k] == PoolMiner.Strategy.MIXED && r < rounds) {
              // only the mixed strategy reads the analysis; margin and random need predictions
              val = ClassificationPredictions.fromDataset(validation,
                  model.predict(validation, 1000).values()).withEmbeddings(valPixels, 784);
              analysis = analyse(val, seed);
            }
            float[] p = model.predict(test, 1000).values();
            acc[k][r][s] = accuracy(p, test, null);
            scen[k][r][s] = errorIn(p, test, inScenario);
            out.printf(Locale.ROOT, "  seed %d %-6s round %d: %d labels, accuracy %.4f, "
                + "start-scenario error %.4f, epoch %d (%.0f s)%n", seed,
                name(STRATEGIES[k]), r, labelled.size(), acc[k][r][s], scen[k][r][s],
                trainer.lastBestEpoch, (System.nanoTime() - t0) / 1e9);
          }
          if (model != m0) {
            model.close();
          }
        }
      }
    }
    Results res = Results.start(learner.equals("mlp") ? "collect" : "collect-" + learner, args);
    res.note("setup", setup(rounds, perRound, learner, epochs, (1000 + firstSeed) + ".."
        + (1000 + firstSeed + seeds - 1)));
    res.note("targets", String.join(" | ", targetsBySeed));
    res.note("dataset", "Fashion-MNIST train " + fm.train().fingerprint() + ", test "
        + test.fingerprint());
    for (int s = 0; s < seeds; s++) {
      long seed = 1000 + firstSeed + s;
      res.put("start_scenario_test_images_s" + seed, scenarioSize[s], "images");
      for (int k = 0; k < STRATEGIES.length; k++) {
        for (int r = 0; r <= rounds; r++) {
          if (r > 0 && !run.contains(name(STRATEGIES[k]))) {
            continue;
          }
          String key = name(STRATEGIES[k]) + "_r" + r;
          res.put(key + "_acc_s" + seed, 100 * acc[k][r][s], "%");
          res.put(key + "_scen_err_s" + seed, 100 * scen[k][r][s], "%");
          res.put(key + "_epoch_s" + seed, epochsUsed[k][r][s], "");
        }
      }
    }
    res.put("seeds", seeds, "").put("rounds", rounds, "").put("labels_per_round", perRound, "")
        .put("max_epochs", epochs, "");
    res.put("start_scenario_test_images_mean", mean(toD(scenarioSize)), "images");
    res.put("start_scenario_test_images_min", IntStream.of(scenarioSize).min().orElse(0),
        "images");
    res.put("start_scenario_test_images_max", IntStream.of(scenarioSize).max().orElse(0),
        "images");
    if (run.size() == STRATEGIES.length) {
      table(out, res, STRATEGIES, acc, scen, epochsUsed, rounds, LABELLED, perRound);
    }
    res.note("strategies_run", String.join(",", new java.util.TreeSet<>(run)));
    res.note("mixed_kinds", kindsMixed.toString());
    res.put("wall_seconds", (System.nanoTime() - t0) / 1e9, "s");
    res.write();
  }

  /**
   * Prints the round-by-round table and puts its figures into {@code res}: per strategy and round,
   * accuracy and start-scenario error (mean and sd over seeds, %), the mean best epoch (if {@code
   * epochs} is given), and each non-random strategy's per-seed gain over random (the last
   * strategy) in start-scenario error, mean and sd (points).
   */
  static void table(PrintStream out, Results res, PoolMiner.Strategy[] strategies,
      double[][][] acc, double[][][] scen, double[][][] epochs, int rounds, int labelled,
      int perRound) {
    int seeds = acc[0][0].length;
    out.println();
    out.println("| strategy | round | labels | test accuracy (%) | start-scenario error (%) | "
        + "gain vs random (points) |" + (epochs == null ? "" : " epoch |"));
    out.println("|---|---|---|---|---|---|" + (epochs == null ? "" : "---|"));
    int rand = strategies.length - 1;
    for (int k = 0; k < strategies.length; k++) {
      for (int r = 0; r <= rounds; r++) {
        String key = name(strategies[k]) + "_r" + r;
        // the extra drop of the start-scenario error against random, paired per seed
        double[] gain = new double[seeds];
        for (int s = 0; s < seeds; s++) {
          gain[s] = 100 * (scen[rand][r][s] - scen[k][r][s]);
        }
        res.put(key + "_acc_mean", 100 * mean(acc[k][r]), "%");
        res.put(key + "_acc_sd", 100 * sd(acc[k][r]), "%");
        res.put(key + "_scen_err_mean", 100 * mean(scen[k][r]), "%");
        res.put(key + "_scen_err_sd", 100 * sd(scen[k][r]), "%");
        if (epochs != null) {
          res.put(key + "_epoch_mean", mean(epochs[k][r]), "");
        }
        if (k != rand && r > 0) {
          res.put(key + "_vs_random_mean", mean(gain), "points");
          res.put(key + "_vs_random_sd", sd(gain), "points");
        }
        out.printf(Locale.ROOT, "| %s | %d | %d | %.2f ± %.2f | %.2f ± %.2f | %s |%s%n",
            name(strategies[k]), r, labelled + r * perRound, 100 * mean(acc[k][r]),
            100 * sd(acc[k][r]), 100 * mean(scen[k][r]), 100 * sd(scen[k][r]),
            k != rand && r > 0 ? String.format(Locale.ROOT, "%+.2f ± %.2f", mean(gain),
                sd(gain)) : "", epochs == null ? ""
                : String.format(Locale.ROOT, " %.1f |", mean(epochs[k][r])));
      }
    }
  }

  static String setup(int rounds, int perRound, String learner, int epochs, String seeds) {
    return String.format(Locale.ROOT, "Fashion-MNIST (Debian dataset-fashion-mnist): "
        + "%d labelled, %d analysis (failure analysis), %d stopping (epoch selection), pool %d "
        + "with labels hidden, test 10000 measured only; %d rounds of %d labels; %s, retrained "
        + "from scratch each round with the fit loop, at most %d epochs, early stopping on the "
        + "stopping images' loss (patience %d, best epoch restored); mixed strategy targets: "
        + "PoolMiner defaults (at most %d scenarios, slices/clusters up to %.0f%% of the "
        + "analysed examples); embeddings for nearness and diversity: raw pixels; seeds %s;"
        + " mean and sample sd over seeds; 'vs random' = per-seed difference of the drop in "
        + "start-scenario error from round 0, strategy minus random", LABELLED, VALIDATION,
        STOPPING, POOL, rounds, perRound, Trainer.describe(learner), epochs, PATIENCE,
        PoolMiner.DEFAULT_MAX_SCENARIOS, 100 * PoolMiner.DEFAULT_MAX_SUPPORT_SHARE, seeds);
  }

  /** Combines the per-seed figures of runs written to these results directories. */
  @SuppressWarnings("unchecked")
  static void merge(String[] dirs) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (String d : dirs) {
      try {
        docs.add((Map<String, Object>) new Json(java.nio.file.Files.readString(
            java.nio.file.Path.of(d, "collect.json"))).document());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    Map<String, Double> fig = new java.util.TreeMap<>();
    java.util.SortedSet<Long> seedSet = new java.util.TreeSet<>();
    java.util.Set<String> targets = new java.util.LinkedHashSet<>();
    java.util.Set<String> kinds = new java.util.LinkedHashSet<>();
    List<String> logs = new ArrayList<>();
    for (Map<String, Object> doc : docs) {
      Map<String, Object> f = (Map<String, Object>) doc.get("figures");
      f.forEach((k, v) -> fig.put(k, ((Json.Num) ((Map<String, Object>) v).get("value"))
          .value()));
      f.keySet().stream().filter(k -> k.startsWith("start_scenario_test_images_s"))
          .map(k -> Long.parseLong(k.substring("start_scenario_test_images_s".length())))
          .forEach(seedSet::add);
      targets.add((String) ((Map<String, Object>) doc.get("notes")).get("targets"));
      Object fromLog = ((Map<String, Object>) doc.get("notes")).get("mixed_rounds_from_log");
      if (fromLog != null) {
        logs.add(fromLog.toString());
      }
      String mk = (String) ((Map<String, Object>) doc.get("notes")).get("mixed_kinds");
      if (mk != null && !mk.equals("{}")) {
        kinds.add(mk);
      }
    }
    List<Long> seedList = new ArrayList<>(seedSet);
    int seeds = seedList.size();
    int rounds = (int) Math.round(fig.get("rounds"));
    int perRound = (int) Math.round(fig.get("labels_per_round"));
    double[][][] acc = new double[STRATEGIES.length][rounds + 1][seeds];
    double[][][] scen = new double[STRATEGIES.length][rounds + 1][seeds];
    double[][][] ep = new double[STRATEGIES.length][rounds + 1][seeds];
    double[] size = new double[seeds];
    for (int s = 0; s < seeds; s++) {
      long seed = seedList.get(s);
      size[s] = fig.get("start_scenario_test_images_s" + seed);
      for (int k = 0; k < STRATEGIES.length; k++) {
        for (int r = 0; r <= rounds; r++) {
          String key = name(STRATEGIES[k]) + "_r" + r;
          acc[k][r][s] = fig.get(key + "_acc_s" + seed) / 100;
          scen[k][r][s] = fig.get(key + "_scen_err_s" + seed) / 100;
          ep[k][r][s] = fig.get(key + "_epoch_s" + seed);
        }
      }
    }
    String[] cmd = new String[dirs.length + 1];
    cmd[0] = "merge";
    System.arraycopy(dirs, 0, cmd, 1, dirs.length);
    Results res = Results.start("collect", cmd);
    res.note("setup", setup(rounds, perRound, "mlp", (int) Math.round(fig.get("max_epochs")),
        seedList.stream().map(String::valueOf).collect(Collectors.joining(", ")))
        + "; seeds and strategies run as separate processes, combined by 'Collect merge'");
    res.note("targets", String.join(" | ", targets));
    res.note("mixed_kinds", String.join(" | ", kinds));
    if (!logs.isEmpty()) {
      res.note("from_logs", "some parts' per-round figures were read from a process's printed "
          + "log (accuracy and start-scenario error as fractions with 4 decimals, a start's "
          + "scenario error with 3) instead of its results file: "
          + String.join(", ", new java.util.LinkedHashSet<>(logs)));
    }
    Split fm = Datasets.fashionMnist();
    res.note("dataset", "Fashion-MNIST train " + fm.train().fingerprint() + ", test "
        + fm.test().fingerprint());
    res.put("seeds", seeds, "").put("rounds", rounds, "").put("labels_per_round", perRound, "")
        .put("max_epochs", fig.get("max_epochs"), "");
    res.put("start_scenario_test_images_mean", mean(size), "images");
    res.put("start_scenario_test_images_min", java.util.Arrays.stream(size).min().orElse(0),
        "images");
    res.put("start_scenario_test_images_max", java.util.Arrays.stream(size).max().orElse(0),
        "images");
    fig.forEach((k, v) -> {
      if (k.matches(".*_s\\d+")) {
        res.put(k, v, k.startsWith("start") ? "images" : k.contains("_epoch_") ? "" : "%");
      }
    });
    table(System.out, res, STRATEGIES, acc, scen, ep, rounds, LABELLED, perRound);
    res.put("wall_seconds_max", docs.stream().mapToDouble(d -> ((Json.Num) ((Map<String, Object>)
        ((Map<String, Object>) d.get("figures")).get("wall_seconds")).get("value")).value())
        .max().orElse(0), "s");
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

  /** Trains a fresh model per call, keeping the epoch with the lowest stopping-set loss. */
  static final class Trainer {
    final String learner;
    final Dataset stopping;
    final long seed;
    final int epochs;
    int lastBestEpoch;

    Trainer(String learner, Dataset stopping, long seed, int epochs) {
      if (!learner.equals("mlp") && !learner.equals("cnn")) {
        throw new IllegalArgumentException("learner must be mlp or cnn, got " + learner);
      }
      this.learner = learner;
      this.stopping = stopping;
      this.seed = seed;
      this.epochs = epochs;
    }

    static String describe(String learner) {
      return learner.equals("mlp") ? "MLP 784-256-10 (Adam 1e-3, batch 64)"
          : "small CNN (conv 32, conv 64, linear 128; Adam 1e-3, batch 64)";
    }

    TrainableModel train(Dataset labelled) {
      TrainConfig config = TrainConfig.builder().batchSize(64).seed(seed).build();
      TrainableModel m = learner.equals("mlp") ? DjlModels.mlp(labelled.spec(), config, 256)
          : DjlModels.smallCnn(labelled.spec(), config);
      try {
        FitResult r = Fit.of(m).on(labelled).validation(stopping).epochs(epochs)
            .earlyStopping(EarlyStopping.on(Metric.VALIDATION_LOSS).patience(PATIENCE)).quiet()
            .run();
        lastBestEpoch = r.bestEpoch();
        return m;
      } catch (RuntimeException e) {
        m.close();
        throw e;
      }
    }
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
