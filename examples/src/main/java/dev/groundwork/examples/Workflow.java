package dev.groundwork.examples;

import dev.groundwork.core.Provenance;
import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationOptions;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.analysis.TopLosses;
import dev.groundwork.core.backend.Backend;
import dev.groundwork.core.backend.Backends;
import dev.groundwork.core.baseline.SoftmaxRegression;
import dev.groundwork.core.compare.ScorecardResult;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Fingerprint;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.look.Gallery;
import dev.groundwork.core.look.Look;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.progress.Progress;
import dev.groundwork.core.report.Report;
import dev.groundwork.core.report.Sections;
import dev.groundwork.core.runtime.RuntimeBudget;
import dev.groundwork.core.runtime.RuntimeProfile;
import dev.groundwork.core.runtime.RuntimeProfileResult;
import dev.groundwork.core.train.Fit;
import dev.groundwork.core.train.FitResult;
import dev.groundwork.core.train.LrFinder;
import dev.groundwork.core.train.LrFinderResult;
import dev.groundwork.core.train.LrSchedule;
import dev.groundwork.core.train.OverfitCheck;
import dev.groundwork.core.train.OverfitReport;
import dev.groundwork.djl.DjlModels;
import dev.groundwork.examples.results.Results;
import dev.groundwork.examples.results.Transcript;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The README's main job: the research loop, end to end, on the Fashion-MNIST subset embedded in
 * {@code groundwork-core}, its steps numbered as the loop: 1 choose, 2 look, 3 overfit, 4 scale,
 * 5 research the failures, 6 collect (and check the runtime).
 *
 * <p>Which data each number comes from is printed beside it: the 2,000 training images are split
 * 80/20 (seed 42) into 1,600 to train on and 400 for validation (the scorecard's and the fit
 * loop's model selection); the embedded 1,000 test images are held out until step 5. With the full
 * Fashion-MNIST installed the job says so, still trains on the subset (so that it ends in minutes
 * on 2 cores) and also scores the final model on the full 10,000 test images.
 *
 * <p>Long steps report progress through {@link Progress#console}: a bar on a terminal, else a
 * line at most every 10 s per step and one when it ends.
 *
 * <p>Run: {@code mvn -B -q -ntp install -DskipTests && mvn -B -q -ntp -pl examples exec:java}
 */
public final class Workflow {

  /** What the workflow produced, for the test that checks it and the report written after it. */
  public record Result(Split data, Split split, Dataset overfitSubset, Fingerprint fingerprint,
      List<Backend> backends, ScorecardResult scorecard, Gallery baselineMistakes,
      OverfitReport overfit, LrFinderResult lrFinder, FitResult fit, double validationAccuracy,
      double testAccuracy, OptionalDouble fullTestAccuracy, Gallery mistakes, Gallery unsure,
      TopLosses topLosses, RuntimeProfileResult runtime, ClassificationAnalysis analysis) {}

  /** Epochs over the 1,600 training examples before the failure analysis. */
  public static final int EPOCHS = 8;

  /** The seed every step uses. */
  public static final long SEED = 42;

  /** Rows of the top-losses table. */
  static final int TOP_LOSSES = 10;

  private Workflow() {}

  /** Runs the workflow, printing each step to {@code out}, with progress lines on {@code out}. */
  public static Result run(PrintStream out) {
    return run(out, Progress.console(out));
  }

  /** Runs the workflow, printing each step to {@code out} and progress to {@code progress}. */
  public static Result run(PrintStream out, Progress progress) {
    out.println("== Groundwork workflow: the research loop on the embedded Fashion-MNIST subset ==");
    out.println();

    // ---- set-up: backends and data (not a step of the loop)
    out.println("-- set-up: backends on the classpath");
    List<Backend> backends = Backends.available();
    for (Backend b : backends) {
      out.println("  " + b.name() + "  " + b.capabilities() + "  " + b.engineVersion());
    }
    out.println();
    out.println("-- set-up: data");
    boolean full = Files.isDirectory(Datasets.DEBIAN_FASHION_MNIST);
    out.println(full
        ? "  the full Fashion-MNIST is installed (" + Datasets.DEBIAN_FASHION_MNIST + ", 60,000 "
            + "train / 10,000 test): this run trains on the embedded subset so that it ends in "
            + "minutes on 2 cores, and in step 5 also scores the trained CNN on the full 10,000 "
            + "test images; the scorecard on the full set: -Dexec.mainClass="
            + "dev.groundwork.examples.Choose"
        : "  the full Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist puts "
            + "it in " + Datasets.DEBIAN_FASHION_MNIST + "): this run uses the embedded subset "
            + "only");
    Split data = Datasets.fashionMnistSubset();
    out.println(data);
    out.println();
    out.println(data.train());
    out.println();
    Split split = data.train().split(0.8, SEED);
    out.println("-- the 2,000 training images split 80/20 (stratified, seed " + SEED + "): 1,600 to "
        + "train on, 400 for validation (model selection); the 1,000 test images stay held out "
        + "until step 5");
    out.println(split);
    Dataset overfit = split.train().stratifiedSample(100, SEED);
    Fingerprint fingerprint = data.train().fingerprint();
    out.println("-- fingerprint of " + data.train().name() + ": " + fingerprint);
    out.println();

    // ---- step 1
    out.println("-- step 1: choose — a quality × runtime scorecard of the baselines, an MLP, the "
        + "small CNN and the ResNet-style CNN (trained on the 1,600, selected on the 400, "
        + "'test accuracy' on the 1,000 held-out test images; budget " + Choose.BUDGET + ")");
    ScorecardResult scorecard = Choose.run(data, Choose.Settings.workflow(), out, progress);
    out.println();

    // ---- step 2
    out.println("-- step 2: look — the softmax-regression baseline (plain Java, trained on the "
        + "1,600 in seconds) on the 400 validation images: its most confident mistakes");
    SoftmaxRegression baseline = SoftmaxRegression.train(split.train(), SEED);
    ClassProbabilities baselineProbs = baseline.predict(split.test(), 256);
    out.printf(Locale.ROOT, "  baseline accuracy on the 400 validation images: %.1f%%%n",
        100 * baselineProbs.accuracy(split.test().labels()));
    Gallery baselineMistakes = Look.at(split.test(), baselineProbs).confidentMistakes(16);
    out.println(baselineMistakes);
    out.println();

    // ---- step 3
    out.println("-- step 3: overfit — the small CNN (DJL, PyTorch CPU) must fit 100 training "
        + "examples (seed " + SEED + ", 10 per class: " + Arrays.toString(overfit.classCounts())
        + "); its accuracy is on those 100 training examples by design");
    OverfitReport check;
    LrFinderResult lr;
    try (TrainableModel cnn = DjlModels.smallCnn(data.spec())) {
      out.println(cnn.summary());
      check = OverfitCheck.of(cnn).on(overfit).progress(progress).run();
      out.println(check);
      out.println();
      out.println("-- step 3: the learning-rate range test on the 1,600 training examples");
      lr = LrFinder.of(cnn).on(split.train()).progress(progress).run();
      out.println(lr);
    }
    out.println();

    // ---- step 4
    out.println("-- step 4: scale — train the small CNN on the 1,600 training examples (" + EPOCHS
        + " epochs, batch 64, cosine schedule), validating each epoch on the 400 validation "
        + "images");
    ClassProbabilities probs;
    double validationAccuracy;
    double accuracy;
    OptionalDouble fullAccuracy = OptionalDouble.empty();
    FitResult fit;
    RuntimeProfileResult profile;
    TrainConfig config = TrainConfig.builder().batchSize(64).seed(SEED).build();
    try (TrainableModel cnn = DjlModels.smallCnn(data.spec(), config)) {
      fit = Fit.of(cnn).on(split.train()).validation(split.test()).epochs(EPOCHS)
          .schedule(LrSchedule.cosine()).quiet().progress(progress).run(); // the table once
      out.println(fit);
      validationAccuracy = fit.last().validationAccuracy();
      out.printf(Locale.ROOT, "  validation accuracy after epoch %d, on the 400 validation "
          + "images: %.1f%%%n", fit.last().epoch(), 100 * validationAccuracy);
      out.println();

      // ---- step 5 (the model is still open: predictions, and the runtime profile for step 6)
      out.println("-- step 5: research the failures — the trained CNN on the 1,000 held-out test "
          + "images (not used until now)");
      probs = cnn.predict(data.test(), 256);
      accuracy = probs.accuracy(data.test().labels());
      out.printf(Locale.ROOT, "  test accuracy on the 1,000 held-out test images: %.1f%%%n",
          100 * accuracy);
      if (full) {
        Dataset fullTest = fullTestSet();
        fullAccuracy = OptionalDouble.of(cnn.predict(fullTest, 256).accuracy(fullTest.labels()));
        out.printf(Locale.ROOT, "  test accuracy on the full Fashion-MNIST test set (%,d images, "
            + "none trained on): %.1f%%%n", fullTest.size(), 100 * fullAccuracy.getAsDouble());
      }
      profile = RuntimeProfile.of(cnn).on(data.test()).batchSizes(1, 32)
          .budget(RuntimeBudget.none().p99AtBatch1(5).throughput(32, 1000)).run();
    }
    out.println();
    Look look = Look.at(data.test(), probs);
    Gallery mistakes = look.confidentMistakes(16);
    Gallery unsure = look.unsureCorrect(8);
    out.println("-- step 5: look at the failures — the trained CNN's most confident mistakes and "
        + "least confident right answers on the test images");
    out.println(mistakes);
    out.println(unsure);
    out.println();
    ClassificationPredictions predictions =
        ClassificationPredictions.fromDataset(data.test(), probs.values());
    ClassificationAnalysis analysis = FailureAnalysis.classification(predictions)
        .options(ClassificationOptions.builder().seed(SEED).build()).run();
    out.println("-- step 5: where and why it fails (the 1,000 test images; image attributes "
        + "measured from pixels)");
    out.println(analysis.toString().lines().findFirst().orElse(""));
    out.println();
    out.println(analysis.metrics());
    out.println();
    out.println(analysis.confusion());
    out.println();
    out.println(analysis.slices());
    out.println();
    out.println(analysis.clusters());
    out.println();
    TopLosses losses = analysis.topLosses();
    out.println(topLossTable(losses, probs));
    out.println(analysis.labelIssues());
    out.println();
    out.println(analysis.calibration());
    out.println();

    // ---- step 6
    out.println("-- step 6: collect — where more data would pay most (from the test-set failures "
        + "above)");
    out.println(analysis.collectionPlan());
    out.println();
    out.println("-- step 6: the trained CNN's runtime against a budget (p99 ≤ 5 ms at batch 1, "
        + "≥ 1,000 images/s at batch 32), on the test images");
    out.println(profile);
    return new Result(data, split, overfit, fingerprint, backends, scorecard, baselineMistakes,
        check, lr, fit, validationAccuracy, accuracy, fullAccuracy, mistakes, unsure, losses,
        profile, analysis);
  }

  /** The full Fashion-MNIST's 10,000 test images alone (reading its 60,000 training images too
   * would only cost time). */
  private static Dataset fullTestSet() {
    Path dir = Datasets.DEBIAN_FASHION_MNIST;
    return Datasets.idx(gzOrPlain(dir, "t10k-images-idx3-ubyte"),
        gzOrPlain(dir, "t10k-labels-idx1-ubyte"), Datasets.FASHION_MNIST_CLASSES);
  }

  private static Path gzOrPlain(Path dir, String stem) {
    Path gz = dir.resolve(stem + ".gz");
    return Files.exists(gz) ? gz : dir.resolve(stem);
  }

  /**
   * The highest-loss test examples as a table: id, true class, predicted class, loss ({@code −ln
   * p(true)}) and confidence (the probability of the predicted class).
   */
  static String topLossTable(TopLosses losses, ClassProbabilities probs) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "top %d losses of %,d test images (mean loss %.4f)%n", Math.min(TOP_LOSSES,
            losses.losses().size()), probs.rows(), losses.meanLoss()));
    String row = "  %-12s  %-12s  %-12s  %7s  %10s%n";
    b.append(String.format(Locale.ROOT, row, "id", "true", "predicted", "loss", "confidence"));
    for (TopLosses.Loss l : losses.top(TOP_LOSSES)) {
      int r = l.index();
      double confidence = probs.get(r, probs.argmax(r));
      b.append(String.format(Locale.ROOT, row, l.id(), l.label(), l.predicted(),
          String.format(Locale.ROOT, "%.3f", l.loss()),
          String.format(Locale.ROOT, "%.1f%%", 100 * confidence)));
    }
    return b.toString();
  }

  /** Runs the workflow on standard output and writes the galleries' pictures to {@code report/}. */
  public static void main(String[] args) {
    // printed as always, and kept: the user guide quotes each step's output from workflow.json
    Transcript transcript = Transcript.capture(System.out);
    Result r = run(transcript.out());
    Path dir = Path.of(args.length > 0 ? args[0] : "report");
    Path baseline = r.baselineMistakes().writePng(dir.resolve("look-baseline-mistakes.png"));
    Path mistakes = r.mistakes().writePng(dir.resolve("look-mistakes.png"));
    Path unsure = r.unsure().writePng(dir.resolve("look-unsure.png"));
    System.out.println("galleries written to " + baseline.toAbsolutePath() + ", "
        + mistakes.toAbsolutePath() + " and " + unsure.toAbsolutePath());
    writeReport(r, dir);
    writeResults(r, args, transcript.text());
  }

  /**
   * The run as one report: provenance (dataset fingerprint, seed, versions, configuration) and a
   * section per step, linked from its contents. {@link #writeReport} writes it.
   */
  public static Report report(Result r) {
    Report.Builder b = Report.builder("Groundwork workflow: " + r.data().train().name())
        .fact("dataset", r.data().train().name() + " · " + r.data().train().size() + " train · "
            + r.data().test().size() + " test")
        .fact("dataset fingerprint", "sha256:" + r.fingerprint().sha256() + " (n="
            + r.fingerprint().size() + ")")
        .fact("seed", Long.toString(SEED))
        .fact("split", "stratified 80/20 of the training part: " + r.split().train().size()
            + " train · " + r.split().test().size() + " validation")
        .fact("training", EPOCHS + " epochs · batch 64 · cosine schedule")
        .fact("backends", String.join("; ", r.backends().stream()
            .map(x -> x.name() + " " + x.engineVersion()).toList()))
        .fact("runtime", Provenance.currentRuntime())
        .fact("test accuracy", String.format(Locale.ROOT, "%.1f%% on %d test images",
            100 * r.testAccuracy(), r.data().test().size()));
    return b.section(r.scorecard().toSection().titled("1 Choose: the scorecard"))
        .section(Sections.gallery(r.baselineMistakes())
            .titled("2 Look: the baseline's most confident mistakes (validation images)"))
        .section(r.overfit().toSection().titled("3 Overfit check on 100 examples"))
        .section(r.lrFinder().toSection().titled("3 Learning-rate finder"))
        .section(r.fit().toSection().titled("4 Scale: fit the small CNN"))
        .section(Sections.gallery(r.mistakes())
            .titled("5 Research: the CNN's most confident mistakes (test images)"))
        .section(Sections.gallery(r.unsure())
            .titled("5 Research: the CNN's least confident right answers (test images)"))
        .section(r.analysis().toSection().titled("5 Research: failure analysis on the test images"))
        .section(r.runtime().toSection().titled("6 Runtime against the budget"))
        .build();
  }

  /** Writes {@link #report} to {@code dir/index.html} and {@code dir/report.md}; says where. */
  public static Path writeReport(Result r, Path dir) {
    Report report = report(r);
    Path html = report.writeHtml(dir.resolve("index.html"));
    report.writeMarkdown(dir.resolve("report.md"));
    System.out.println("report written to " + html.toAbsolutePath() + " (open it in a browser; "
        + "Markdown beside it: report.md, its charts and galleries as files it links)");
    return html;
  }

  /**
   * Writes the seeded run's figures to {@code workflow.json} if -Dgroundwork.results is set, with
   * each step's printed output as the user guide quotes it (timings elided unless
   * -Dgroundwork.quiet=true declares a quiet machine; see {@link Transcript}).
   */
  private static void writeResults(Result r, String[] args, String printed) {
    LrFinderResult lr = r.lrFinder();
    Results results = Results.start("workflow", args);
    Transcript.steps(printed, 6).forEach((step, text) -> results.note("transcript_" + step, text));
    results.note("transcript_timings", Transcript.quiet() ? "kept (quiet machine)" : "elided");
    results
        .version("dataset", r.data().train().name() + " " + r.fingerprint().shortHex())
        .put("test_accuracy_pct", 100 * r.testAccuracy(), "%")
        .put("overfit_steps_to_target", r.overfit().stepsToTarget().orElse(-1), "steps")
        .put("overfit_initial_loss", r.overfit().initialLoss(), "")
        .put("lr_suggestion", lr.suggestion(), "").put("lr_min_loss", lr.minLossLearningRate(), "")
        .put("lr_last", lr.learningRates().get(lr.learningRates().size() - 1), "")
        .put("lr_steps", lr.learningRates().size(), "steps")
        .note("overfit_verdict", r.overfit().verdict().toString())
        .note("lr_rule", lr.rule()).write();
  }
}
