package dev.groundwork.examples;

import dev.groundwork.core.Provenance;
import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationOptions;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.backend.Backend;
import dev.groundwork.core.backend.Backends;
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
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The README's main job: the research loop, end to end, on the Fashion-MNIST subset embedded in
 * {@code groundwork-core}. Each capability that lands adds its step here.
 *
 * <p>Run: {@code mvn -B -q -ntp install -DskipTests && mvn -B -q -ntp -pl examples exec:java}
 */
public final class Workflow {

  /** What the workflow produced, for the test that checks it. */
  public record Result(Split data, Split split, Dataset overfitSubset, Fingerprint fingerprint,
      List<Backend> backends, ScorecardResult scorecard, OverfitReport overfit,
      LrFinderResult lrFinder, FitResult fit, double testAccuracy, Gallery mistakes,
      Gallery unsure, RuntimeProfileResult runtime, ClassificationAnalysis analysis) {}

  /** Epochs over the 1,600 training examples before the failure analysis. */
  public static final int EPOCHS = 8;

  /** The seed every step uses. */
  public static final long SEED = 42;

  private Workflow() {}

  /** Runs the workflow, printing each step to {@code out}. */
  public static Result run(PrintStream out) {
    out.println("== Groundwork workflow on the embedded Fashion-MNIST subset ==");
    out.println();
    out.println("-- backends on the classpath");
    List<Backend> backends = Backends.available();
    for (Backend b : backends) {
      out.println("  " + b.name() + "  " + b.capabilities() + "  " + b.engineVersion());
    }
    out.println();

    out.println("-- step 0: data");
    Split data = Datasets.fashionMnistSubset();
    out.println(data);
    out.println();
    out.println(data.train());
    out.println();

    Split split = data.train().split(0.8, SEED);
    out.println("-- stratified 80/20 split of the training part (seed " + SEED + ")");
    out.println(split);
    Dataset overfit = split.train().stratifiedSample(100, SEED);
    out.println("-- the 100 examples for the overfit check (seed " + SEED + "): class counts "
        + java.util.Arrays.toString(overfit.classCounts()));
    Fingerprint fingerprint = data.train().fingerprint();
    out.println("-- fingerprint of " + data.train().name() + ": " + fingerprint);
    out.println();

    out.println("-- step 1: choose — a quality × runtime scorecard of the baselines, an MLP, the "
        + "small CNN and the ResNet-style CNN (budget " + Choose.BUDGET + ")");
    ScorecardResult scorecard = Choose.run(data, Choose.Settings.workflow(), out);
    out.println();

    out.println("-- step 3: overfit 100 examples with the small CNN (DJL, PyTorch CPU)");
    OverfitReport check;
    LrFinderResult lr;
    try (TrainableModel cnn = DjlModels.smallCnn(data.spec())) {
      out.println(cnn.summary());
      check = OverfitCheck.of(cnn).on(overfit).run();
      out.println(check);
      out.println();
      out.println("-- learning-rate range test on the 1,600 training examples");
      lr = LrFinder.of(cnn).on(split.train()).run();
      out.println(lr);
    }
    out.println();

    out.println("-- step 4: train the small CNN on the 1,600 training examples (" + EPOCHS
        + " epochs, batch 64, cosine schedule), validating on the other 400");
    ClassificationPredictions predictions;
    double accuracy;
    FitResult fit;
    RuntimeProfileResult profile;
    Gallery mistakes;
    Gallery unsure;
    TrainConfig config = TrainConfig.builder().batchSize(64).seed(SEED).build();
    try (TrainableModel cnn = DjlModels.smallCnn(data.spec(), config)) {
      fit = Fit.of(cnn).on(split.train()).validation(split.test()).epochs(EPOCHS)
          .schedule(LrSchedule.cosine()).progress(Fit.Progress.LINES, out).run();
      out.println(fit);
      ClassProbabilities probs = cnn.predict(data.test(), 256);
      accuracy = probs.accuracy(data.test().labels());
      out.printf(Locale.ROOT, "  accuracy on the 1,000 held-out test images: %.1f%%%n",
          100 * accuracy);
      predictions = ClassificationPredictions.fromDataset(data.test(), probs.values());
      mistakes = Look.at(data.test(), probs).confidentMistakes(16);
      unsure = Look.at(data.test(), probs).unsureCorrect(8);
      // profiled now, while the model is open; printed as step 6
      profile = RuntimeProfile.of(cnn).on(data.test()).batchSizes(1, 32)
          .budget(RuntimeBudget.none().p99AtBatch1(5).throughput(32, 1000)).run();
    }
    out.println();

    out.println("-- look (step 2 of the loop) at the trained CNN's outputs on the test images: its "
        + "most confident mistakes and its least confident right answers");
    out.println(mistakes);
    out.println(unsure);
    out.println();

    out.println("-- step 5: where and why it fails (test images; image attributes from pixels)");
    ClassificationAnalysis analysis = FailureAnalysis.classification(predictions)
        .options(ClassificationOptions.builder().seed(SEED).build()).run();
    out.println(analysis);
    out.println();
    out.println(analysis.confusion());
    out.println();
    out.println(analysis.slices());
    out.println();
    out.println(analysis.labelIssues());
    out.println();
    out.println(analysis.collectionPlan());
    out.println();
    out.println("-- step 6: the trained CNN's runtime against a budget (p99 ≤ 5 ms at batch 1, "
        + "≥ 1,000 images/s at batch 32)");
    out.println(profile);
    return new Result(data, split, overfit, fingerprint, backends, scorecard, check, lr, fit,
        accuracy, mistakes, unsure, profile, analysis);
  }

  /** Runs the workflow on standard output and writes the galleries' pictures to {@code report/}. */
  public static void main(String[] args) {
    Result r = run(System.out);
    Path dir = Path.of(args.length > 0 ? args[0] : "report");
    Path mistakes = r.mistakes().writePng(dir.resolve("look-mistakes.png"));
    Path unsure = r.unsure().writePng(dir.resolve("look-unsure.png"));
    System.out.println("galleries written to " + mistakes.toAbsolutePath() + " and "
        + unsure.toAbsolutePath());
    writeReport(r, dir);
    writeResults(r, args);
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
    return b.section(r.scorecard().toSection().titled("Choose: the scorecard"))
        .section(Sections.gallery(r.mistakes()).titled("Look: the most confident mistakes"))
        .section(Sections.gallery(r.unsure()).titled("Look: the least confident right answers"))
        .section(r.overfit().toSection().titled("Overfit check on 100 examples"))
        .section(r.lrFinder().toSection().titled("Learning-rate finder"))
        .section(r.fit().toSection().titled("Fit the small CNN"))
        .section(r.analysis().toSection().titled("Failure analysis on the test images"))
        .section(r.runtime().toSection().titled("Runtime against the budget"))
        .build();
  }

  /** Writes {@link #report} to {@code dir/index.html} and {@code dir/report.md}; says where. */
  public static Path writeReport(Result r, Path dir) {
    Report report = report(r);
    Path html = report.writeHtml(dir.resolve("index.html"));
    report.writeMarkdown(dir.resolve("report.md"));
    System.out.println("report written to " + html.toAbsolutePath() + " (open it in a browser; "
        + "Markdown beside it: report.md)");
    return html;
  }

  /** Writes the seeded run's figures to {@code workflow.json} if -Dgroundwork.results is set. */
  private static void writeResults(Result r, String[] args) {
    LrFinderResult lr = r.lrFinder();
    dev.groundwork.examples.results.Results.start("workflow", args)
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
