package dev.groundwork.examples;

import dev.groundwork.core.compare.Candidate;
import dev.groundwork.core.compare.ProfileSettings;
import dev.groundwork.core.compare.Recipe;
import dev.groundwork.core.compare.Scorecard;
import dev.groundwork.core.compare.ScorecardResult;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.runtime.RuntimeBudget;
import dev.groundwork.core.train.LrSchedule;
import dev.groundwork.djl.DjlModels;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Step 1 of the loop, choose: a quality × runtime scorecard on Fashion-MNIST — the baselines
 * (majority class, softmax regression on the pixels), an MLP, the small CNN and the ResNet-style
 * CNN (DJL, PyTorch CPU), each with its runtime profile against a budget, and the recommendation
 * with its rule.
 *
 * <p>With Debian's {@code dataset-fashion-mnist} installed it trains on a stratified 6,000 of the
 * 60,000 training images (4,800 train, 1,200 validation, so the ResNet fits in minutes on a shared
 * 2-core CPU) and tests on the full 10,000; otherwise on the embedded subset (1,600 train, 400 validation, 1,000 test). Run:
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.Choose
 * </pre>
 */
public final class Choose {

  /** The runtime budget: p99 ≤ 5 ms at batch 1 and ≥ 1,000 images/s at batch 32. */
  public static final RuntimeBudget BUDGET = RuntimeBudget.none().p99AtBatch1(5)
      .throughput(32, 1000);

  /** The recommendation's margin: one accuracy point. */
  public static final double MARGIN = 0.01;

  /**
   * The settings of one run.
   *
   * @param trainImages training images taken (stratified) from the training part, 0 for all
   * @param mlpEpochs epochs of the MLP
   * @param cnnEpochs epochs of the small CNN
   * @param resnetEpochs epochs of the ResNet
   * @param profile the runtime profile of each candidate
   */
  public record Settings(int trainImages, int mlpEpochs, int cnnEpochs, int resnetEpochs,
      ProfileSettings profile) {

    /** The embedded subset's settings: short fits and small profiles (the main job's step 1). */
    public static Settings embedded() {
      return new Settings(0, 8, 8, 3, ProfileSettings.of(300, 200, 1, 32));
    }

    /** The main job's settings: shorter fits and profiles than {@link #embedded()}. */
    public static Settings workflow() {
      return new Settings(0, 5, 5, 2, ProfileSettings.of(200, 100, 1, 32));
    }

    /** The full set's settings: 6,000 training images, 500 warm-up and 200 timed calls. */
    public static Settings full() {
      return new Settings(6_000, 8, 5, 2, ProfileSettings.of(500, 200, 1, 32));
    }
  }

  private Choose() {}

  /** The split a run uses: 80/20 of the (sampled) training part, and the test part. */
  static Split split(Split data, Settings settings) {
    Dataset train = settings.trainImages() > 0
        ? data.train().stratifiedSample(settings.trainImages(), Workflow.SEED) : data.train();
    Split parts = train.split(0.8, Workflow.SEED);
    return new Split(parts.train(), Optional.of(parts.test()), data.test());
  }

  /** Runs the scorecard on {@code data}, printing progress and the table to {@code out}. */
  public static ScorecardResult run(Split data, Settings settings, PrintStream out) {
    return run(data, settings, out, dev.groundwork.core.progress.Progress.auto());
  }

  /** As {@link #run(Split, Settings, PrintStream)}, with the candidates' training reported to
   * {@code progress}. */
  public static ScorecardResult run(Split data, Settings settings, PrintStream out,
      dev.groundwork.core.progress.Progress progress) {
    Split split = split(data, settings);
    DatasetSpec spec = data.spec();
    TrainConfig config = TrainConfig.builder().batchSize(64).build();
    ScorecardResult card = Scorecard.builder().data(split)
        .candidate(Candidate.trained("mlp", seed -> DjlModels.mlp(spec, config.withSeed(seed),
            256), Recipe.epochs(settings.mlpEpochs()).schedule(LrSchedule.cosine()))
            .complexity("1 hidden layer of 256"))
        .candidate(Candidate.trained("small-cnn", seed -> DjlModels.smallCnn(spec,
            config.withSeed(seed)), Recipe.epochs(settings.cnnEpochs())
            .schedule(LrSchedule.cosine()))
            .complexity("2 conv stages (32, 64) + 128 units"))
        .candidate(Candidate.trained("resnet-s", seed -> DjlModels.resnet(spec,
            config.withSeed(seed)), Recipe.epochs(settings.resnetEpochs())
            .schedule(LrSchedule.cosine()))
            .complexity("stem + 3 residual units (32, 64, 128)").approach("resnet"))
        .seeds(Workflow.SEED)
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
   * Runs on the full set if installed (else, or with {@code --embedded}, on the embedded
   * subset); with a path argument, also writes the scorecard there as JSON.
   */
  public static void main(String[] args) {
    List<String> a = List.of(args);
    boolean full = !a.contains("--embedded")
        && java.nio.file.Files.isDirectory(Datasets.DEBIAN_FASHION_MNIST);
    ScorecardResult card = run(full ? Datasets.fashionMnist() : Datasets.fashionMnistSubset(),
        full ? Settings.full() : Settings.embedded(), System.out);
    a.stream().filter(s -> !s.startsWith("--")).findFirst()
        .ifPresent(p -> card.writeJson(Path.of(p)));
  }
}
