package dev.groundwork.examples;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.compare.Candidate;
import dev.groundwork.core.compare.CandidateResult;
import dev.groundwork.core.compare.ProfileSettings;
import dev.groundwork.core.compare.Recipe;
import dev.groundwork.core.compare.RuntimeSummary;
import dev.groundwork.core.compare.Scorecard;
import dev.groundwork.core.compare.ScorecardResult;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.look.Gallery;
import dev.groundwork.core.look.Look;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.runtime.Machine;
import dev.groundwork.core.runtime.RuntimeBudget;
import dev.groundwork.core.train.LrSchedule;
import dev.groundwork.djl.DjlModels;
import dev.groundwork.examples.results.Results;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * Steps 1 and 2 of the loop, choose and look: a quality × runtime scorecard on Fashion-MNIST — the
 * baselines (majority class, softmax regression on the pixels), an MLP, the small CNN and the
 * ResNet-style CNN (DJL, PyTorch CPU), each trained with 3 seeds (accuracy: mean ± standard
 * deviation) and profiled against a budget, the catalog's reported figures beside the measured
 * ones, the recommendation with its rule — and a gallery of the recommended model's outputs on
 * the test images (its most confident mistakes, its least confident right answers, the first
 * examples of each class), written as PNG and printed as tables.
 *
 * <p>With Debian's {@code dataset-fashion-mnist} installed it samples (stratified, seed 42) the
 * training images from the 60,000 (by default {@value #DEFAULT_TRAIN_IMAGES}: 80 % train, 20 %
 * validation) and tests on the full 10,000; otherwise on the embedded subset (1,600 train, 400
 * validation, 1,000 test). Run:
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.Choose
 * </pre>
 *
 * <p>The defaults on the full set ({@code --train 15000 --seeds 3 --epochs 8,5,2}) were chosen to
 * finish well within 15 minutes on a quiet 2-core machine: from the measured training speeds
 * (the small CNN trains about 1,600 images/s there, docs/benchmarks.md; per image and epoch the
 * ResNet costs about 3–4 times as much and the MLP a sixth to two fifths, by two runs under
 * different loads), training the three models takes about 0.02–0.03 s per sampled image for the
 * three seeds: 5–8 minutes for 15,000, plus 1–2 minutes of evaluation on the 10,000 test images
 * and profiling; all 60,000 would take 20–30 minutes.
 *
 * <p>Options: {@code --train N} training images sampled from the training part (0: all of it),
 * {@code --seeds K} seeds 42, 43, …, {@code --epochs E} or {@code --epochs MLP,CNN,RESNET},
 * {@code --report DIR} where the gallery PNGs go (default {@code report}), {@code --embedded}
 * the embedded subset even when the full set is installed, {@code --json FILE} the scorecard as
 * JSON. With {@code -Dgroundwork.results=DIR} (e.g. {@code $PWD/docs/results}; without it
 * nothing is written) the figures are written to {@code DIR/choose.json}.
 */
public final class Choose {

  /** The runtime budget: p99 ≤ 5 ms at batch 1 and ≥ 1,000 images/s at batch 32. */
  public static final RuntimeBudget BUDGET = RuntimeBudget.none().p99AtBatch1(5)
      .throughput(32, 1000);

  /** The recommendation's margin: one accuracy point. */
  public static final double MARGIN = 0.01;

  /** The first seed; seed {@code k} of a run is {@code SEED + k}. */
  public static final long SEED = Workflow.SEED;

  /** Training images sampled from the full set's 60,000 when {@code --train} is not given. */
  public static final int DEFAULT_TRAIN_IMAGES = 15_000;

  /** Examples shown per gallery (mistakes; half as many unsure right answers; 2 per class). */
  public static final int GALLERY = 16;

  /**
   * The settings of one run.
   *
   * @param trainImages training images taken (stratified) from the training part, 0 for all
   * @param mlpEpochs epochs of the MLP
   * @param cnnEpochs epochs of the small CNN
   * @param resnetEpochs epochs of the ResNet
   * @param seeds the seeds every baseline and trained candidate runs with
   * @param profile the runtime profile of each candidate
   */
  public record Settings(int trainImages, int mlpEpochs, int cnnEpochs, int resnetEpochs,
      List<Long> seeds, ProfileSettings profile) {

    /** Checks the values and copies the list. */
    public Settings {
      InvalidParameterException.check(trainImages >= 0, "--train must be ≥ 0 (0: every "
          + "training image), got %d", trainImages);
      InvalidParameterException.check(mlpEpochs >= 1 && cnnEpochs >= 1 && resnetEpochs >= 1,
          "--epochs must be ≥ 1 each, got %d,%d,%d", mlpEpochs, cnnEpochs, resnetEpochs);
      seeds = List.copyOf(seeds);
      InvalidParameterException.check(!seeds.isEmpty(), "--seeds must be ≥ 1");
    }

    /** The embedded subset's settings: 3 seeds, short fits and small profiles. */
    public static Settings embedded() {
      return new Settings(0, 8, 8, 3, seeds(3), ProfileSettings.of(300, 200, 1, 32)
          .throughputSeconds(0.25));
    }

    /** The main job's settings: one seed, shorter fits and profiles than {@link #embedded()}. */
    public static Settings workflow() {
      return new Settings(0, 5, 5, 2, seeds(1), ProfileSettings.of(200, 100, 1, 32)
          .throughputSeconds(0.25));
    }

    /**
     * The full set's settings: {@value Choose#DEFAULT_TRAIN_IMAGES} training images, 3 seeds, MLP 8
     * epochs, small CNN 5, ResNet 2; 500 warm-up and 200 timed calls, 1 s per throughput row.
     */
    public static Settings full() {
      return new Settings(DEFAULT_TRAIN_IMAGES, 8, 5, 2, seeds(3),
          ProfileSettings.of(500, 200, 1, 32));
    }

    /** These settings with {@code n} training images (0: all). */
    public Settings withTrainImages(int n) {
      return new Settings(n, mlpEpochs, cnnEpochs, resnetEpochs, seeds, profile);
    }

    /** These settings with the seeds {@link #SEED}, {@link #SEED} + 1, … ({@code count} of them). */
    public Settings withSeeds(int count) {
      InvalidParameterException.check(count >= 1, "--seeds must be ≥ 1, got %d", count);
      return new Settings(trainImages, mlpEpochs, cnnEpochs, resnetEpochs, seeds(count),
          profile);
    }

    /** These settings with these epochs. */
    public Settings withEpochs(int mlp, int cnn, int resnet) {
      return new Settings(trainImages, mlp, cnn, resnet, seeds, profile);
    }

    /** Seeds as the array the scorecard takes. */
    long[] seedArray() {
      return seeds.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<Long> seeds(int count) {
      return LongStream.range(SEED, SEED + count).boxed().toList();
    }
  }

  /**
   * What a run produced.
   *
   * @param card the scorecard
   * @param lookedAt the candidate whose outputs the galleries show: the recommended one, else
   *     (no candidate meets the budget) the most accurate measured one
   * @param mistakes its most confident mistakes on the test part
   * @param unsure its least confident right answers
   * @param perClass the first 2 test examples of each class
   * @param pngs the PNGs written, empty when no report directory was given
   */
  public record Outcome(ScorecardResult card, String lookedAt, Gallery mistakes, Gallery unsure,
      Gallery perClass, List<Path> pngs) {}

  private Choose() {}

  /** The split a run uses: 80/20 of the (sampled) training part, and the test part. */
  static Split split(Split data, Settings settings) {
    Dataset train = settings.trainImages() > 0
        ? data.train().stratifiedSample(settings.trainImages(), SEED) : data.train();
    Split parts = train.split(0.8, SEED);
    return new Split(parts.train(), Optional.of(parts.test()), data.test());
  }

  /**
   * The candidates besides the baselines: the MLP, the small CNN and the ResNet-style CNN, each
   * tied to its approach in the catalog.
   */
  public static List<Candidate> candidates(DatasetSpec spec, Settings settings) {
    TrainConfig config = TrainConfig.builder().batchSize(64).build();
    return List.of(
        Candidate.trained("mlp", seed -> DjlModels.mlp(spec, config.withSeed(seed), 256),
            Recipe.epochs(settings.mlpEpochs()).schedule(LrSchedule.cosine()))
            .complexity("1 hidden layer of 256").approach("mlp"),
        Candidate.trained("small-cnn", seed -> DjlModels.smallCnn(spec, config.withSeed(seed)),
            Recipe.epochs(settings.cnnEpochs()).schedule(LrSchedule.cosine()))
            .complexity("2 conv stages (32, 64) + 128 units").approach("small-cnn"),
        Candidate.trained("resnet-s", seed -> DjlModels.resnet(spec, config.withSeed(seed)),
            Recipe.epochs(settings.resnetEpochs()).schedule(LrSchedule.cosine()))
            .complexity("stem + 3 residual units (32, 64, 128)").approach("resnet"));
  }

  /** Runs the scorecard on {@code data}, printing progress and the table to {@code out}. */
  public static ScorecardResult run(Split data, Settings settings, PrintStream out) {
    return run(data, settings, out, dev.groundwork.core.progress.Progress.auto());
  }

  /**
   * As {@link #run(Split, Settings, PrintStream)}, with the candidates' training steps reported
   * to {@code progress}.
   */
  public static ScorecardResult run(Split data, Settings settings, PrintStream out,
      dev.groundwork.core.progress.Progress progress) {
    ScorecardResult card = Scorecard.builder().data(split(data, settings))
        .candidates(candidates(data.spec(), settings))
        .seeds(settings.seedArray())
        .budget(BUDGET)
        .profile(settings.profile())
        .margin(MARGIN)
        .progress(out)
        .progress(progress)
        .build().run();
    out.println(card);
    return card;
  }

  /**
   * Runs the scorecard, then looks at the chosen model's outputs on the test part: prints its
   * galleries and, with a report directory, writes them as {@code choose-NAME-*.png}.
   *
   * @param report where the PNGs go, or {@code null} for none
   */
  public static Outcome run(Split data, Settings settings, Path report, PrintStream out) {
    ScorecardResult card = run(data, settings, out);
    CandidateResult chosen = card.recommended().flatMap(card::candidate)
        .orElseGet(() -> card.candidates().stream().filter(c -> !c.failed())
            .max(Comparator.comparingDouble(CandidateResult::meanAccuracy)).orElseThrow(
                () -> new InvalidParameterException("every candidate failed; nothing to look "
                    + "at (the errors are in the scorecard above)")));
    out.println();
    out.println(card.recommended().isPresent()
        ? "-- look at the recommended model, " + chosen.name() + " (seed " + SEED + "), on the "
            + String.format(Locale.ROOT, "%,d", data.test().size()) + " test images"
        : "-- no candidate meets the budget; look at the most accurate one, " + chosen.name()
            + " (seed " + SEED + "), on the " + String.format(Locale.ROOT, "%,d",
                data.test().size()) + " test images");
    Look look = Look.at(data.test(), chosen.testPredictions().orElseThrow());
    Gallery mistakes = look.confidentMistakes(GALLERY);
    Gallery unsure = look.unsureCorrect(GALLERY / 2);
    Gallery perClass = look.perClass(2);
    out.println(mistakes);
    out.println(unsure);
    List<Path> pngs = new ArrayList<>();
    if (report != null) {
      pngs.add(mistakes.writePng(report.resolve("choose-" + chosen.name() + "-mistakes.png")));
      pngs.add(unsure.writePng(report.resolve("choose-" + chosen.name() + "-unsure.png")));
      pngs.add(perClass.writePng(report.resolve("choose-" + chosen.name() + "-per-class.png")));
      pngs.forEach(p -> out.println("wrote " + p));
    }
    return new Outcome(card, chosen.name(), mistakes, unsure, perClass, List.copyOf(pngs));
  }

  /**
   * The run's figures for {@code docs/results/choose.json}: per candidate (name with
   * underscores) {@code _accuracy_pct}, {@code _accuracy_sd_pct}, {@code _parameters},
   * {@code _size_kb}, {@code _train_s}, {@code _p50_ms}, {@code _p99_ms}, {@code _ex_per_s};
   * the data sizes, seeds, epochs, budget and margin, the wall time and the machine's load
   * average at the start and end; notes with the pick, verdict and rule.
   */
  static Results results(Results r, Outcome o, Settings settings, String dataset,
      double wallSeconds, double loadAtStart) {
    ScorecardResult card = o.card();
    r.version("pytorch", "2.7.1").version("djl", "0.36.0").version("dataset", dataset);
    r.put("load_average_start", loadAtStart, "");
    r.put("load_average_end", Machine.current().loadAverage(), "");
    r.put("train_images", firstInt(card.data(), 0), "");
    r.put("validation_images", firstInt(card.data(), 1), "");
    r.put("test_images", firstInt(card.data(), 2), "");
    r.put("seeds", settings.seeds().size(), "");
    r.put("mlp_epochs", settings.mlpEpochs(), "");
    r.put("cnn_epochs", settings.cnnEpochs(), "");
    r.put("resnet_epochs", settings.resnetEpochs(), "");
    r.put("budget_p99_ms", BUDGET.p99Millis().orElseThrow(), "ms");
    r.put("budget_batch", BUDGET.throughputBatch().orElseThrow(), "");
    r.put("budget_ex_per_s", BUDGET.minExamplesPerSecond().orElseThrow(), "examples/s");
    r.put("margin_pct", 100 * MARGIN, "%");
    r.put("wall_s", wallSeconds, "s");
    for (CandidateResult c : card.candidates()) {
      String k = c.name().replace('-', '_');
      if (c.failed()) {
        r.note(k + "_error", c.error().orElseThrow());
        continue;
      }
      RuntimeSummary s = c.runtime().orElseThrow();
      r.put(k + "_accuracy_pct", 100 * c.meanAccuracy(), "%");
      r.put(k + "_accuracy_sd_pct", 100 * c.accuracySpread(), "%");
      r.put(k + "_parameters", c.parameters(), "");
      if (c.sizeBytes().isPresent()) {
        r.put(k + "_size_kb", c.sizeBytes().getAsLong() / 1024.0, "KB");
      }
      r.put(k + "_train_s", c.trainSeconds(), "s");
      r.put(k + "_p50_ms", s.p50Millis(), "ms");
      r.put(k + "_p99_ms", s.p99Millis(), "ms");
      r.put(k + "_ex_per_s", s.examplesPerSecond(), "examples/s");
      r.note(k + "_budget", s.withinBudget() ? "ok" : String.join("; ", s.misses()));
    }
    r.note("recommended", card.recommended().orElse("none"));
    // the printed scorecard as docs/choose.md quotes it (timings elided unless a quiet run)
    r.note("scorecard", dev.groundwork.examples.results.Transcript.forDocs(card.toString()));
    r.note("verdict", card.recommendation().verdict());
    r.note("rule", card.recommendation().rule());
    r.note("budget", card.budget().toString());
    r.note("profile", card.profileSettings().toString());
    r.note("seeds", card.seeds().toString());
    r.note("looked_at", o.lookedAt());
    r.note("data", card.data());
    return r;
  }

  /** The {@code index}-th number (thousands separators allowed) in {@code text}. */
  private static double firstInt(String text, int index) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9][0-9,]*) (train|"
        + "validation|test)").matcher(text);
    for (int i = 0; m.find(); i++) {
      if (i == index) {
        return Double.parseDouble(m.group(1).replace(",", ""));
      }
    }
    return 0;
  }

  /**
   * The command line, parsed.
   *
   * @param full whether the run uses the full set (installed, and no {@code --embedded})
   * @param settings the settings, from the set's defaults and the options
   * @param report where the gallery PNGs go
   * @param json where the scorecard's JSON goes, or {@code null}
   */
  record Options(boolean full, Settings settings, Path report, Path json) {}

  /** Parses the options; {@code installed} says whether the full set is installed. */
  static Options parse(List<String> a, boolean installed) {
    boolean full = installed && !a.contains("--embedded");
    Settings settings = full ? Settings.full() : Settings.embedded();
    Path report = Path.of("report");
    Path json = null;
    for (int i = 0; i < a.size(); i++) {
      String opt = a.get(i);
      switch (opt) {
        case "--embedded" -> { }
        case "--train" -> settings = settings.withTrainImages(intArg(a, ++i, opt));
        case "--seeds" -> settings = settings.withSeeds(intArg(a, ++i, opt));
        case "--epochs" -> {
          String[] e = value(a, ++i, opt).split(",");
          InvalidParameterException.check(e.length == 1 || e.length == 3, "--epochs takes one "
              + "number or three (MLP,CNN,RESNET), got '%s'", a.get(i));
          int[] n = java.util.Arrays.stream(e).mapToInt(s -> parse(s.strip(), opt)).toArray();
          settings = n.length == 1 ? settings.withEpochs(n[0], n[0], n[0])
              : settings.withEpochs(n[0], n[1], n[2]);
        }
        case "--report" -> report = Path.of(value(a, ++i, opt));
        case "--json" -> json = Path.of(value(a, ++i, opt));
        default -> throw new InvalidParameterException("unknown option '" + opt + "'; use "
            + "--train N, --seeds K, --epochs E or M,C,R, --report DIR, --json FILE, --embedded");
      }
    }
    return new Options(full, settings, report, json);
  }

  /**
   * Runs on the full set if installed (else, or with {@code --embedded}, on the embedded subset);
   * see the class comment for the options.
   */
  public static void main(String[] args) {
    long t0 = System.nanoTime();
    Results results = Results.start("choose", args);
    double load = Machine.current().loadAverage();
    Options opts = parse(List.of(args), Files.isDirectory(Datasets.DEBIAN_FASHION_MNIST));
    Split data = opts.full() ? Datasets.fashionMnist() : Datasets.fashionMnistSubset();
    Outcome o = run(data, opts.settings(), opts.report(), System.out);
    if (opts.json() != null) {
      o.card().writeJson(opts.json());
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "wall time %.0f s%n", wall);
    results(results, o, opts.settings(), data.train().name() + " "
        + data.train().fingerprint().shortHex(), wall, load).write();
  }

  private static String value(List<String> a, int i, String opt) {
    InvalidParameterException.check(i < a.size(), "%s needs a value", opt);
    return a.get(i);
  }

  private static int intArg(List<String> a, int i, String opt) {
    return parse(value(a, i, opt), opt);
  }

  private static int parse(String s, String opt) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new InvalidParameterException(opt + " takes a whole number, got '" + s + "'");
    }
  }
}
