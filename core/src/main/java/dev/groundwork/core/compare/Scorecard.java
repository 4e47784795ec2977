package dev.groundwork.core.compare;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.Provenance;
import dev.groundwork.core.baseline.ClassicalModel;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.runtime.RuntimeBudget;
import dev.groundwork.core.runtime.RuntimeProfile;
import dev.groundwork.core.runtime.RuntimeProfileResult;
import dev.groundwork.core.train.Fit;
import dev.groundwork.core.weights.Pretrained;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Lines candidates up on the same split and judges them on quality and runtime: test accuracy
 * (mean ± standard deviation over seeds), latency and throughput from a runtime profile against a
 * budget, parameter count, size on disk and training time — with baselines, a Pareto front and a
 * recommendation whose rule is printed beside it ({@link Recommendation}).
 *
 * <pre>{@code
 * ScorecardResult card = Scorecard.builder()
 *     .data(split)                                  // train, optional validation, test
 *     .candidate(Candidate.trained("mlp", seed -> DjlModels.mlp(spec, cfg.withSeed(seed)),
 *         Recipe.epochs(5)))
 *     .seeds(1, 2, 3)
 *     .budget(RuntimeBudget.none().p99AtBatch1(5))
 *     .profile(ProfileSettings.of(500, 200, 1, 32))
 *     .margin(0.01)
 *     .build().run();
 * System.out.println(card);
 * card.writeJson(Path.of("runs/scorecard.json"));
 * }</pre>
 *
 * <p><b>What runs.</b> Baselines (unless {@link Builder#baselines(boolean) switched off}) and
 * candidates in order. For each seed a candidate's model is built (trained candidates: by the fit
 * loop on the training part, validating on the validation part when the split has one), its test
 * accuracy measured, and the model closed; with the first seed its parameter count, size on disk
 * (weights written to a temporary safetensors file, or the pretrained file) and runtime profile on
 * the test part are taken too. Pretrained candidates run once. A candidate that throws is
 * recorded as failed with its seed, phase and error, and the others continue; every model is
 * closed on every path.
 */
public final class Scorecard {

  private final Split split;
  private final List<Candidate> candidates;
  private final List<Long> seeds;
  private final RuntimeBudget budget;
  private final ProfileSettings profile;
  private final double margin;
  private final int evaluationBatchSize;
  private final boolean keepProfiles;
  private final boolean keepPredictions;
  private final PrintStream progress;
  private final dev.groundwork.core.progress.Progress steps;

  private Scorecard(Builder b, List<Candidate> all) {
    this.split = b.split;
    this.candidates = all;
    this.seeds = List.copyOf(b.seeds);
    this.budget = b.budget;
    this.profile = b.profile;
    this.margin = b.margin;
    this.evaluationBatchSize = b.evaluationBatchSize;
    this.keepProfiles = b.keepProfiles;
    this.keepPredictions = b.keepPredictions;
    this.progress = b.progress;
    this.steps = b.steps;
  }

  /** A builder with seed 42, no budget, the profile's defaults, margin 0.01 and baselines on. */
  public static Builder builder() {
    return new Builder();
  }

  /** The candidates that will run, baselines first. */
  public List<Candidate> candidates() {
    return candidates;
  }

  /** Runs every candidate; never throws for a candidate's failure. */
  public ScorecardResult run() {
    List<CandidateResult> results = new ArrayList<>();
    for (Candidate c : candidates) {
      if (progress != null) {
        progress.println("  scorecard: " + c);
      }
      CandidateResult r = evaluate(c);
      if (progress != null) {
        progress.println("    " + (r.failed() ? "FAILED — " + r.error().orElseThrow()
            : String.format(Locale.ROOT, "%.1f%% test accuracy", 100 * r.meanAccuracy())));
      }
      results.add(r);
    }
    Recommendation rec = Recommendation.of(results, margin);
    return new ScorecardResult(describe(), results, Recommendation.paretoFront(results), rec,
        budget, profile, seeds, provenance(results));
  }

  private String describe() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%,d train", split.train()
        .size()));
    split.validation().ifPresent(v -> sb.append(String.format(Locale.ROOT, " · %,d validation",
        v.size())));
    sb.append(String.format(Locale.ROOT, " · %,d test  (%s)", split.test().size(),
        split.train().name()));
    return sb.toString();
  }

  private Provenance provenance(List<CandidateResult> results) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("seeds", seeds.toString());
    config.put("margin", Double.toString(margin));
    config.put("budget", budget.toString());
    config.put("profile", profile.toString());
    config.put("evaluationBatchSize", Integer.toString(evaluationBatchSize));
    for (Candidate c : candidates) {
      config.put("candidate." + c.name(), c.toString());
    }
    Set<String> backends = new LinkedHashSet<>();
    for (CandidateResult r : results) {
      r.profile().ifPresent(p -> backends.add(p.backend()));
    }
    String data = "train " + split.train().fingerprint()
        + split.validation().map(v -> " · validation " + v.fingerprint()).orElse("")
        + " · test " + split.test().fingerprint();
    return Provenance.of(seeds.get(0), config, backends.isEmpty() ? "none"
        : String.join(" + ", backends), data);
  }

  private CandidateResult evaluate(Candidate c) {
    List<Long> runSeeds = c.kind() == Candidate.Kind.PRETRAINED ? seeds.subList(0, 1) : seeds;
    List<Double> accuracies = new ArrayList<>();
    double trainSeconds = 0;
    long parameters = 0;
    OptionalLong size = OptionalLong.empty();
    RuntimeProfileResult prof = null;
    ClassProbabilities firstPredictions = null;
    for (long seed : runSeeds) {
      String[] phase = {"building"};
      Model model = null;
      Throwable failure = null;
      try {
        long t0 = System.nanoTime();
        model = build(c, seed, phase);
        trainSeconds += (System.nanoTime() - t0) / 1e9;
        phase[0] = "evaluating";
        Dataset test = split.test();
        ClassProbabilities probabilities = model.predict(test, evaluationBatchSize);
        accuracies.add(probabilities.accuracy(test.labels()));
        if (prof == null) {
          firstPredictions = probabilities;
          phase[0] = "summarising";
          parameters = model.summary().totalCount();
          phase[0] = "saving";
          size = sizeOnDisk(c, model);
          phase[0] = "profiling";
          prof = RuntimeProfile.of(model).on(test).warmUp(profile.warmUp())
              .calls(profile.calls()).batchSizes(profile.batchSizes().stream()
                  .mapToInt(Integer::intValue).toArray()).throughput(profile.throughputRule())
              .budget(budget).run();
        }
      } catch (Exception | LinkageError | AssertionError e) {
        failure = e;
      } finally {
        if (model != null) {
          try {
            model.close();
          } catch (Exception | LinkageError | AssertionError e) {
            if (failure == null) {
              phase[0] = "closing";
              failure = e;
            } else {
              failure.addSuppressed(e);
            }
          }
        }
      }
      if (failure != null) {
        return CandidateResult.failed(c.name(), c.kind(), c.complexity(), String.format(
            Locale.ROOT, "seed %d, %s: %s: %s", seed, phase[0],
            failure.getClass().getSimpleName(), failure.getMessage())).with(c.approachId(),
            Optional.empty(), Optional.empty());
      }
    }
    return CandidateResult.measured(c.name(), c.kind(), c.complexity(), accuracies, parameters,
        size, trainSeconds / runSeeds.size(), RuntimeSummary.of(prof))
        .with(c.approachId(), keepProfiles ? Optional.of(prof) : Optional.empty(),
            keepPredictions ? Optional.of(firstPredictions) : Optional.empty());
  }

  private Model build(Candidate c, long seed, String[] phase) {
    switch (c.kind()) {
      case TRAINED -> {
        TrainableModel m = Objects.requireNonNull(c.builder().build(seed),
            "the builder of " + c.name() + " returned null");
        try {
          phase[0] = "training";
          Recipe r = c.recipe().orElseThrow();
          String task = "scorecard: training " + c.name() + " (seed " + seed + ")";
          Fit fit = Fit.of(m).on(split.train()).epochs(r.epochs()).schedule(r.schedule())
              .quiet().progress(u -> steps.update(new dev.groundwork.core.progress.ProgressUpdate(
                  task, u.step(), u.total(), u.message(), u.elapsed())));
          split.validation().ifPresent(fit::validation);
          fit.run();
          return m;
        } catch (RuntimeException | Error e) {
          try {
            m.close();
          } catch (RuntimeException | Error suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        }
      }
      case PRETRAINED -> {
        return Objects.requireNonNull(c.supplier().get(),
            "the supplier of " + c.name() + " returned null");
      }
      default -> {
        phase[0] = "training";
        return Objects.requireNonNull(c.trainer().train(split.train(), seed),
            "the trainer of " + c.name() + " returned null");
      }
    }
  }

  private static OptionalLong sizeOnDisk(Candidate c, Model model) throws IOException {
    if (c.file().isPresent()) {
      return OptionalLong.of(Files.size(c.file().get()));
    }
    if (!(model instanceof TrainableModel) && !(model instanceof ClassicalModel)) {
      return OptionalLong.empty();
    }
    Path dir = Files.createTempDirectory("groundwork-scorecard");
    Path file = dir.resolve("weights.safetensors");
    try {
      if (model instanceof TrainableModel t) {
        Pretrained.save(t, file);
      } else {
        ((ClassicalModel) model).save(file);
      }
      return OptionalLong.of(Files.size(file));
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  /** Builds a {@link Scorecard}; everything is checked in {@link #build()}. */
  public static final class Builder {
    private Split split;
    private final List<Candidate> candidates = new ArrayList<>();
    private List<Long> seeds = List.of(42L);
    private RuntimeBudget budget = RuntimeBudget.none();
    private ProfileSettings profile = ProfileSettings.defaults();
    private double margin = 0.01;
    private int evaluationBatchSize = 256;
    private boolean baselines = true;
    private boolean keepProfiles = true;
    private boolean keepPredictions = true;
    private PrintStream progress;
    private dev.groundwork.core.progress.Progress steps =
        dev.groundwork.core.progress.Progress.auto();

    private Builder() {}

    /** The split every candidate is trained and tested on (required). */
    public Builder data(Split s) {
      this.split = Objects.requireNonNull(s, "split");
      return this;
    }

    /** Adds a candidate. */
    public Builder candidate(Candidate c) {
      candidates.add(Objects.requireNonNull(c, "candidate"));
      return this;
    }

    /** Adds candidates, in order. */
    public Builder candidates(List<Candidate> cs) {
      cs.forEach(this::candidate);
      return this;
    }

    /** The seeds each candidate runs with (default 42); accuracy is averaged over them. */
    public Builder seeds(long... values) {
      this.seeds = java.util.Arrays.stream(values).boxed().toList();
      return this;
    }

    /** The runtime budget (default none). */
    public Builder budget(RuntimeBudget b) {
      this.budget = Objects.requireNonNull(b, "budget");
      return this;
    }

    /** How each candidate is profiled (default {@link ProfileSettings#defaults()}). */
    public Builder profile(ProfileSettings settings) {
      this.profile = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The recommendation's accuracy margin, a fraction (default 0.01, one point). */
    public Builder margin(double fraction) {
      this.margin = fraction;
      return this;
    }

    /** Examples per batch when measuring test accuracy (default 256; does not change results). */
    public Builder evaluationBatchSize(int n) {
      this.evaluationBatchSize = n;
      return this;
    }

    /** Whether the baselines of {@link Candidate#baselinesFor} run first (default true). */
    public Builder baselines(boolean on) {
      this.baselines = on;
      return this;
    }

    /** Whether results keep each full runtime profile (default true). */
    public Builder keepProfiles(boolean keep) {
      this.keepProfiles = keep;
      return this;
    }

    /**
     * Reports the training steps of each trained candidate to {@code listener} (task {@code
     * "scorecard: training NAME (seed S)"}); default {@link
     * dev.groundwork.core.progress.Progress#auto()}.
     */
    public Builder progress(dev.groundwork.core.progress.Progress listener) {
      this.steps = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Whether results keep the first seed's test probabilities of each candidate (default true;
     * 4 bytes per test example and class), e.g. to look at the recommended model's outputs.
     */
    public Builder keepPredictions(boolean keep) {
      this.keepPredictions = keep;
      return this;
    }

    /** Prints one line as each candidate starts and ends (default: silent). */
    public Builder progress(PrintStream out) {
      this.progress = Objects.requireNonNull(out, "out");
      return this;
    }

    /**
     * The scorecard.
     *
     * @throws InvalidParameterException without data or candidates, with no or repeated seeds,
     *     a negative margin, an evaluation batch size below 1, a profiled batch size larger than
     *     the test part, a budget batch size that is not profiled, or two candidates of one name
     */
    public Scorecard build() {
      InvalidParameterException.check(split != null, "no data: call data(split) first");
      InvalidParameterException.check(!candidates.isEmpty(), "no candidates: add at least one "
          + "with candidate(...); the baselines alone make no comparison");
      InvalidParameterException.check(!seeds.isEmpty(), "give at least one seed");
      InvalidParameterException.check(new HashSet<>(seeds).size() == seeds.size(),
          "seeds repeat in %s", seeds);
      Recommendation.checkMargin(margin);
      InvalidParameterException.check(evaluationBatchSize >= 1,
          "evaluationBatchSize must be ≥ 1, got %d", evaluationBatchSize);
      split.test().requireNonEmpty("a scorecard's test part");
      for (int b : profile.batchSizes()) {
        InvalidParameterException.check(b <= split.test().size(), "profiled batch size %d is "
            + "larger than the %d test examples of %s; give a smaller batch size", b,
            split.test().size(), split.test().name());
      }
      budget.throughputBatch().ifPresent(b -> InvalidParameterException.check(
          profile.batchSizes().contains(b), "the budget asks for throughput at batch %d, which "
              + "is not among the profiled batch sizes %s; add it to the profile settings", b,
          profile.batchSizes()));
      List<Candidate> all = new ArrayList<>();
      if (baselines) {
        all.addAll(Candidate.baselinesFor(split.spec()));
      }
      all.addAll(candidates);
      Set<String> names = new HashSet<>();
      for (Candidate c : all) {
        InvalidParameterException.check(names.add(c.name()), "two candidates are named '%s'%s;"
            + " names must be unique", c.name(), c.kind() == Candidate.Kind.BASELINE
            ? "" : " (a baseline may have the name; switch baselines off or rename)");
      }
      return new Scorecard(this, List.copyOf(all));
    }
  }
}
