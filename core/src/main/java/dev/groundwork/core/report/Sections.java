package dev.groundwork.core.report;

import dev.groundwork.core.Provenance;
import dev.groundwork.core.analysis.Calibration;
import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationMetrics;
import dev.groundwork.core.analysis.ClassificationProvenance;
import dev.groundwork.core.analysis.CollectionPlan;
import dev.groundwork.core.analysis.ConfusionMatrix;
import dev.groundwork.core.analysis.FailureClusters;
import dev.groundwork.core.analysis.FailureStatistics;
import dev.groundwork.core.analysis.LabelIssues;
import dev.groundwork.core.analysis.Slice;
import dev.groundwork.core.analysis.SliceReport;
import dev.groundwork.core.analysis.TopLosses;
import dev.groundwork.core.analysis.detection.CocoResult;
import dev.groundwork.core.analysis.detection.TideErrorType;
import dev.groundwork.core.analysis.detection.TideResult;
import dev.groundwork.core.analysis.detection.TideSpecialError;
import dev.groundwork.core.compare.CandidateResult;
import dev.groundwork.core.compare.RuntimeSummary;
import dev.groundwork.core.compare.ScorecardResult;
import dev.groundwork.core.look.Gallery;
import dev.groundwork.core.runtime.LatencyStats;
import dev.groundwork.core.runtime.RuntimeProfileResult;
import dev.groundwork.core.train.CheckResult;
import dev.groundwork.core.train.Diagnosis;
import dev.groundwork.core.train.EpochRecord;
import dev.groundwork.core.train.ExampleFit;
import dev.groundwork.core.train.FineTuneResult;
import dev.groundwork.core.train.FitResult;
import dev.groundwork.core.train.LrFinderResult;
import dev.groundwork.core.train.OverfitReport;
import dev.groundwork.core.train.Verdict;
import dev.groundwork.core.weights.WeightLoadReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report section of each result: its key figures, its charts (inline SVG) and its tables, in
 * HTML and in Markdown. Results delegate their {@code toHtml()} here; a workflow report collects
 * the sections of its steps with {@link Report.Builder#section(Section)}.
 *
 * <pre>{@code
 * Section s = Sections.overfit(report);     // or report.toSection()
 * String page = Report.builder("Overfit check").section(s).build().toHtml();
 * }</pre>
 */
public final class Sections {

  /** Rows shown in long tables (examples, label issues, losses); the rest are counted. */
  public static final int MAX_ROWS = 20;

  private Sections() {}

  // ---------------------------------------------------------------- training

  /** The overfit check: verdict, cause, suggestions, checks, loss curve, hardest examples. */
  public static Section overfit(OverfitReport r) {
    Fragment f = new Fragment();
    int fitted = (int) Math.round(r.finalAccuracy() * r.examples());
    f.figures("verdict", r.verdict().name(), "examples fit", fitted + "/" + r.examples(),
        "steps", Integer.toString(r.steps()), "reached the target at step",
        r.stepsToTarget().isPresent() ? Integer.toString(r.stepsToTarget().getAsInt()) : "–",
        "final loss", Html.num(r.finalLoss()), "initial loss", Html.num(r.initialLoss()));
    f.para(verdictCss(r.verdict()), (r.diagnosis() == Diagnosis.FITS ? ""
        : r.diagnosis() + ": ") + r.cause());
    f.list(r.suggestions());
    double[] curve = r.lossCurve();
    double[] steps = new double[curve.length];
    for (int i = 0; i < curve.length; i++) {
      steps[i] = i + 1;
    }
    f.chart(Svg.lines("Training loss per step", "step", "cross-entropy",
        List.of(new Svg.Series("loss", steps, curve, false)), false,
        r.stepsToTarget().isPresent() ? r.stepsToTarget().getAsInt() : Double.NaN,
        "target reached"), "training loss per step");
    f.heading("Checks");
    List<List<String>> rows = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (CheckResult c : r.checks()) {
      rows.add(List.of(c.name(), c.status().name().toLowerCase(Locale.ROOT), c.detail()));
      classes.add(c.status() == CheckResult.Status.FAIL ? "fail"
          : c.status() == CheckResult.Status.WARN ? "warn" : "");
    }
    f.table("checks", List.of("check", "status", "detail"), rows, classes);
    if (r.verdict() != Verdict.PASS) {
      f.heading("Evidence");
      f.table("evidence", List.of("measure", "value"),
          r.evidence().rows().stream().map(a -> List.of(a[0], a[1])).toList());
    }
    r.baselineAccuracy().ifPresent(b -> f.para("", "The same architecture trained on zeroed "
        + "inputs reached " + Html.pct(b) + " (a model that ignores its input)."));
    if (!r.exampleFits().isEmpty()) {
      f.heading("Hardest examples (never fit first, then the latest to fit)");
      List<List<String>> ex = new ArrayList<>();
      List<String> exClass = new ArrayList<>();
      for (ExampleFit e : r.hardest(Math.min(10, MAX_ROWS))) {
        ex.add(List.of(e.id(), e.label(), e.fit() ? Integer.toString(e.fitStep()) : "never",
            e.predicted(), Html.num(e.finalLoss()), Html.fixed(e.meanMargin(), 2)));
        exClass.add(e.fit() ? "" : "wrong");
      }
      f.table("examples", List.of("id", "label", ">fit at step", "predicted", ">final loss",
          ">mean margin"), ex, exClass);
    }
    if (r.verdict() == Verdict.PASS && r.steps() > 0) {
      f.para("muted", String.format(Locale.ROOT, "throughput %,.0f examples/s · %.2f ms/step · "
          + "%.1f s", r.examplesPerSecond(), r.millisPerStep(), r.wallTime().toMillis() / 1e3));
    }
    provenance(f, r.provenance());
    return f.section("overfit-check", "Overfit check", r.verdict() + ": " + fitted + "/"
        + r.examples() + " examples fit in " + r.steps() + " steps");
  }

  /** The learning-rate range test: loss against learning rate (log scale), the suggestion. */
  public static Section lrFinder(LrFinderResult r) {
    Fragment f = new Fragment();
    f.figures("suggested learning rate", sci(r.suggestion()), "lr at the minimum loss",
        sci(r.minLossLearningRate()), "steps", Integer.toString(r.learningRates().size()));
    f.para("", "Rule: " + r.rule() + ".");
    f.para("muted", "Stopped: " + r.stopReason() + ".");
    double[] lrs = toArray(r.learningRates());
    /* the sweep ends when the loss explodes: the axis stops at twice the first loss */
    f.chart(Svg.lines("Loss against learning rate", "learning rate (log scale)", "loss",
        List.of(new Svg.Series("raw loss", lrs, toArray(r.losses()), true),
            new Svg.Series("smoothed", lrs, toArray(r.smoothed()), false)), true, r.suggestion(),
        "suggestion " + sci(r.suggestion()), r.smoothed().isEmpty() ? Double.NaN
            : 2 * r.smoothed().get(0)), "loss against learning rate");
    provenance(f, r.provenance());
    return f.section("lr-finder", "Learning-rate finder", "suggestion " + sci(r.suggestion()));
  }

  /** A fit: loss, accuracy and learning rate per epoch, the history table, the best epoch. */
  public static Section fit(FitResult r) {
    Fragment f = fitBody(r);
    provenance(f, r.provenance());
    EpochRecord last = r.last();
    return f.section("fit", "Fit: " + r.model(), r.stop() + " after " + r.history().size()
        + " epochs" + (last.validated() ? ", validation accuracy " + Html.pct(
        last.validationAccuracy()) : ""));
  }

  private static Fragment fitBody(FitResult r) {
    Fragment f = new Fragment();
    EpochRecord last = r.last();
    f.figures("epochs", Integer.toString(r.history().size()), "stop", r.stop().name(),
        "final train loss", Html.num(last.trainLoss()), "final validation accuracy",
        Html.pct(last.validationAccuracy()), "best epoch (" + r.monitor() + ")",
        r.bestEpoch() == 0 ? "–" : Integer.toString(r.bestEpoch()));
    f.para("muted", r.settings() + (r.stopDetail().isEmpty() ? "" : " · " + r.stopDetail())
        + (r.resumedAfterEpoch() > 0 ? " · resumed after epoch " + r.resumedAfterEpoch() : "")
        + (r.restoredBest() ? " · best parameters restored" : ""));
    int n = r.history().size();
    double[] epochs = new double[n];
    double[] trainLoss = new double[n];
    double[] valLoss = new double[n];
    double[] trainAcc = new double[n];
    double[] valAcc = new double[n];
    double[] lr = new double[n];
    for (int i = 0; i < n; i++) {
      EpochRecord e = r.history().get(i);
      epochs[i] = e.epoch();
      trainLoss[i] = e.trainLoss();
      valLoss[i] = e.validationLoss();
      trainAcc[i] = e.trainAccuracy();
      valAcc[i] = e.validationAccuracy();
      lr[i] = e.learningRate();
    }
    double best = r.bestEpoch() == 0 ? Double.NaN : r.bestEpoch();
    f.chart(Svg.lines("Loss per epoch", "epoch", "cross-entropy", List.of(
        new Svg.Series("train", epochs, trainLoss, false),
        new Svg.Series("validation", epochs, valLoss, true)), false, best, "best"),
        "loss per epoch");
    f.chart(Svg.lines("Accuracy per epoch", "epoch", "accuracy", List.of(
        new Svg.Series("train", epochs, trainAcc, false),
        new Svg.Series("validation", epochs, valAcc, true)), false, best, "best"),
        "accuracy per epoch");
    f.chart(Svg.lines("Learning rate (last step of each epoch)", "epoch", "learning rate",
        List.of(new Svg.Series("learning rate", epochs, lr, false)), false, Double.NaN, ""),
        "learning rate per epoch");
    List<List<String>> rows = new ArrayList<>();
    for (EpochRecord e : r.history()) {
      rows.add(List.of(Integer.toString(e.epoch()), Html.fixed(e.trainLoss(), 4),
          Html.pct(e.trainAccuracy()), Html.fixed(e.validationLoss(), 4),
          Html.pct(e.validationAccuracy()), sci(e.learningRate()),
          Html.fixed(e.trainSeconds() + e.validationSeconds(), 1)));
    }
    f.table("history", List.of(">epoch", ">train loss", ">train acc", ">val loss", ">val acc",
        ">lr", ">seconds"), rows);
    r.bestCheckpoint().ifPresent(p -> f.para("muted", "best checkpoint: " + p));
    r.lastCheckpoint().ifPresent(p -> f.para("muted", "last checkpoint: " + p));
    return f;
  }

  /** A weight load: what was loaded, missing, unexpected, mismatched, converted, renamed. */
  public static Section weightLoad(WeightLoadReport r) {
    return weightLoadBody(r).section("weight-load", "Weight load: " + r.model(),
        (r.complete() ? "complete" : "partial") + ", " + r.loaded().size() + " parameters loaded");
  }

  private static Fragment weightLoadBody(WeightLoadReport r) {
    Fragment f = new Fragment();
    int total = r.loaded().size() + r.missing().size() + r.shapeMismatched().size();
    f.figures("load", r.complete() ? "COMPLETE" : "PARTIAL", "parameters loaded",
        r.loaded().size() + " of " + total, "policy", String.valueOf(r.policy()));
    f.table("load", List.of("what", ">count", "names"), List.of(
        row("loaded", r.loaded()), row("missing from the file", r.missing()),
        row("unexpected in the file", r.unexpected()),
        row("shape mismatch", r.shapeMismatched()), row("dtype converted", r.dtypeConverted()),
        row("renamed", r.renamed().entrySet().stream().map(e -> e.getKey() + " → "
            + e.getValue()).toList()), row("skipped by the mapping", r.skipped()),
        row("re-initialized", r.reinitialized())));
    f.para("muted", "source " + r.source() + " (" + r.format() + ") · sha256 " + r.sha256()
        + (r.checksumVerified() ? " (verified)" : " (no expected checksum given)"));
    return f;
  }

  /** A fine-tune: the weight load, then the head-only fit, then the full fit. */
  public static Section fineTune(FineTuneResult r) {
    Fragment f = new Fragment();
    f.figures("final validation accuracy", Html.pct(r.finalValidationAccuracy()),
        "head learning rate", sci(r.learningRate()), "backbone factor",
        Html.num(r.backboneFactor()));
    int step = 1;
    if (r.load().isPresent()) {
      f.heading("Step " + step++ + ": load pretrained weights into " + r.backbonePrefix() + "*");
      Section s = weightLoad(r.load().get());
      f.raw(s.html(), s.markdown());
    }
    if (r.headPhase().isPresent()) {
      f.heading("Step " + step++ + ": train the new layers, " + r.backbonePrefix() + "* frozen");
      Fragment h = fitBody(r.headPhase().get());
      Section s = h.section("x", "x", "");
      f.raw(s.html(), s.markdown());
    }
    if (r.fullPhase().isPresent()) {
      f.heading("Step " + step + ": unfreeze, train everything (" + r.backbonePrefix()
          + "* at " + Html.num(r.backboneFactor()) + " × the head's rate)");
      Section s = fitBody(r.fullPhase().get()).section("x", "x", "");
      f.raw(s.html(), s.markdown());
    }
    provenance(f, r.lastPhase().provenance());
    return f.section("fine-tune", "Fine-tune: " + r.model(), "validation accuracy "
        + Html.pct(r.finalValidationAccuracy()));
  }

  // ---------------------------------------------------------------- choose, runtime

  /** A scorecard: accuracy with its spread per candidate, runtime, Pareto front, the pick. */
  public static Section scorecard(ScorecardResult r) {
    Fragment f = new Fragment();
    f.figures("recommended", r.recommended().orElse("none"), "candidates",
        Integer.toString(r.candidates().size()), "seeds", r.seeds().toString());
    f.para("", r.recommendation().verdict());
    f.para("muted", "rule: " + r.recommendation().rule());
    List<Svg.Bar> bars = new ArrayList<>();
    double bestBaseline = Double.NaN;
    for (CandidateResult c : r.candidates()) {
      if (c.failed()) {
        continue;
      }
      double m = c.meanAccuracy();
      double s = c.accuracySpread();
      bars.add(new Svg.Bar(c.name(), m, r.seeds().size() > 1 ? Math.max(0, m - s) : Double.NaN,
          r.seeds().size() > 1 ? Math.min(1, m + s) : Double.NaN,
          c.baseline() ? "(baseline)" : r.paretoFront().contains(c.name()) ? "(Pareto)" : ""));
      if (c.baseline()) {
        bestBaseline = Double.isNaN(bestBaseline) ? m : Math.max(bestBaseline, m);
      }
    }
    f.chart(Svg.bars("Test accuracy per candidate" + (r.seeds().size() > 1
        ? " (mean ± standard deviation over " + r.seeds().size() + " seeds)" : ""),
        "test accuracy", bars, bestBaseline, "best baseline"), "test accuracy per candidate");
    List<List<String>> rows = new ArrayList<>();
    List<String> css = new ArrayList<>();
    for (CandidateResult c : r.candidates()) {
      String kind = c.kind().name().toLowerCase(Locale.ROOT);
      if (c.failed()) {
        rows.add(List.of(c.name(), kind, "FAILED: " + c.error().orElse(""), "", "", "", "", "",
            "", ""));
        css.add("fail");
        continue;
      }
      RuntimeSummary s = c.runtime().orElseThrow();
      rows.add(List.of(c.name(), kind, Html.pct(c.meanAccuracy()) + " ± "
          + Html.pct(c.accuracySpread()), String.format(Locale.ROOT, "%,d", c.parameters()),
          Html.fixed(c.trainSeconds(), 1), Html.fixed(s.p50Millis(), 3),
          Html.fixed(s.p99Millis(), 3), String.format(Locale.ROOT, "%,.0f @%d",
              s.examplesPerSecond(), s.throughputBatch()), s.withinBudget() ? "ok" : "MISS",
          r.paretoFront().contains(c.name()) ? "*" : ""));
      css.add(r.recommended().map(c.name()::equals).orElse(false) ? "chosen" : "");
    }
    f.table("scorecard", List.of("candidate", "kind", ">accuracy", ">parameters", ">train s",
        ">p50 ms", ">p99 ms", ">examples/s", "budget", "Pareto"), rows, css);
    List<String> flags = new ArrayList<>();
    r.notBeatingBaselines().forEach((name, bs) -> flags.add(name + " does not beat "
        + String.join(", ", bs)));
    r.recommendation().misses().forEach(m -> flags.add("over budget: " + m));
    f.list(flags);
    f.para("muted", r.data() + " · budget: " + r.budget() + " · profile: " + r.profileSettings());
    provenance(f, r.provenance());
    return f.section("scorecard", "Scorecard", "recommended: " + r.recommended().orElse("none"));
  }

  /** A runtime profile: latency percentiles per stage, throughput per batch, the budget. */
  public static Section runtime(RuntimeProfileResult r) {
    Fragment f = new Fragment();
    String verdict = r.checks().isEmpty() ? "no budget" : r.withinBudget() ? "WITHIN BUDGET"
        : "OVER BUDGET";
    f.figures("budget", verdict, "p50 at batch 1", Html.fixed(r.endToEnd().p50(), 3) + " ms",
        "p99 at batch 1", Html.fixed(r.endToEnd().p99(), 3) + " ms");
    List<List<String>> lat = new ArrayList<>();
    for (Map.Entry<String, LatencyStats> e : List.of(Map.entry("end to end", r.endToEnd()),
        Map.entry("pre-processing", r.preprocessing()), Map.entry("inference", r.inference()),
        Map.entry("post-processing", r.postprocessing()))) {
      LatencyStats s = e.getValue();
      lat.add(List.of(e.getKey(), Html.fixed(s.p50(), 3), "[" + Html.fixed(s.p50Low(), 3) + ", "
          + Html.fixed(s.p50High(), 3) + "]", Html.fixed(s.p90(), 3), Html.fixed(s.p99(), 3),
          Html.fixed(s.max(), 3), String.format(Locale.ROOT, "%,d", s.calls())));
    }
    f.heading("Latency at batch 1 (ms)");
    f.table("latency", List.of("stage", ">p50", ">p50 95% CI", ">p90", ">p99", ">max",
        ">calls"), lat);
    f.heading("Throughput");
    List<List<String>> tp = new ArrayList<>();
    for (RuntimeProfileResult.Throughput t : r.throughput()) {
      tp.add(List.of(Integer.toString(t.batchSize()), Integer.toString(t.callers()),
          String.format(Locale.ROOT, "%,.1f", t.examplesPerSecond())));
    }
    f.table("throughput", List.of(">batch", ">callers", ">examples/s"), tp);
    if (!r.checks().isEmpty()) {
      f.heading("Budget");
      List<List<String>> rows = new ArrayList<>();
      List<String> css = new ArrayList<>();
      for (RuntimeProfileResult.BudgetCheck c : r.checks()) {
        rows.add(List.of(c.requirement(), c.met() ? "ok" : "MISS", c.detail()));
        css.add(c.met() ? "" : "fail");
      }
      f.table("budget", List.of("requirement", "status", "detail"), rows, css);
    }
    f.para("muted", String.format(Locale.ROOT, "heap in use %,d MB · resident %,d MB · %s · %s "
        + "· warm-up %d calls", r.heapUsedBytes() >> 20, r.residentBytes() >> 20, r.backend(),
        r.machine(), r.warmUpCalls()));
    return f.section("runtime", "Runtime: " + r.model(), verdict + ", p99 "
        + Html.fixed(r.endToEnd().p99(), 3) + " ms at batch 1");
  }

  // ---------------------------------------------------------------- failure analysis, look

  /**
   * A classification failure analysis: metrics, the confusion heatmap, the reliability diagram,
   * slices with their error rates and Wilson intervals, failure clusters, label issues, the
   * collection plan and the top losses.
   */
  public static Section analysis(ClassificationAnalysis a) {
    Fragment f = new Fragment();
    ClassificationMetrics m = a.metrics();
    f.figures("accuracy", Html.pct(m.accuracy()), "macro F1", Html.fixed(m.macroF1(), 4),
        "ECE", Html.fixed(a.calibration().ece(), 4), "label issues",
        Integer.toString(a.labelIssues().size()), "slices beyond class mix",
        Integer.toString(a.slices().significant()), "examples", String.format(Locale.ROOT, "%,d",
            m.examples()));
    f.heading("Per class");
    List<List<String>> rows = new ArrayList<>();
    for (ClassificationMetrics.ClassScores s : m.perClass()) {
      rows.add(List.of(s.className(), Html.fixed(s.precision(), 3), Html.fixed(s.recall(), 3),
          Html.fixed(s.f1(), 3), Integer.toString(s.support())));
    }
    f.table("per-class", List.of("class", ">precision", ">recall", ">F1", ">support"), rows);
    confusion(f, a.confusion());
    calibration(f, a.calibration());
    slices(f, a.slices());
    clusters(f, a.clusters());
    labelIssues(f, a.labelIssues());
    plan(f, a.collectionPlan());
    losses(f, a.topLosses());
    provenance(f, a.provenance());
    return f.section("failure-analysis", "Failure analysis", "accuracy " + Html.pct(m.accuracy())
        + ", " + a.slices().significant() + " slices beyond class mix, "
        + a.labelIssues().size() + " label issues");
  }

  private static void confusion(Fragment f, ConfusionMatrix cm) {
    f.heading("Confusion matrix");
    f.chart(Svg.heatmap("Confusion matrix (rows true, columns predicted)", cm.classes(),
        cm.counts()), "confusion matrix");
    f.list(cm.mostConfused(5).stream().map(Object::toString).toList());
  }

  private static void calibration(Fragment f, Calibration c) {
    f.heading("Calibration");
    int n = c.bins().size();
    double[] lo = new double[n];
    double[] hi = new double[n];
    int[] count = new int[n];
    double[] conf = new double[n];
    double[] acc = new double[n];
    for (int i = 0; i < n; i++) {
      Calibration.Bin b = c.bins().get(i);
      lo[i] = b.lower();
      hi[i] = b.upper();
      count[i] = b.count();
      conf[i] = b.meanConfidence();
      acc[i] = b.accuracy();
    }
    f.chart(Svg.reliability(String.format(Locale.ROOT, "Reliability diagram (ECE %.4f, MCE %.4f)",
        c.ece(), c.mce()), lo, hi, count, conf, acc), "reliability diagram");
  }

  private static void slices(Fragment f, SliceReport s) {
    f.heading("Slices");
    f.para("muted", s.method());
    if (s.slices().isEmpty()) {
      f.para("", "No candidate slice.");
      return;
    }
    List<Slice> top = s.top(10);
    List<Svg.Bar> bars = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    List<String> css = new ArrayList<>();
    int rank = 1;
    for (Slice sl : top) {
      FailureStatistics.Interval w = FailureStatistics.wilson(sl.errors(), sl.support());
      bars.add(new Svg.Bar(sl.description(), sl.errorRate(), w.low(), w.high(),
          "n=" + sl.support()));
      rows.add(List.of(Integer.toString(rank++), sl.description(), Integer.toString(sl.support()),
          Html.pct(sl.errorRate()), "[" + Html.pct(w.low()) + ", " + Html.pct(w.high()) + "]",
          Html.pct(sl.expectedErrorRate()), Html.pct(sl.restErrorRate()), Html.p(sl.qValue()),
          Html.p(sl.confirmation().rawQValue()), sl.verdict().label()));
      css.add(sl.verdict() == Slice.Verdict.BEYOND_CLASS_MIX ? "fail" : "");
    }
    f.chart(Svg.bars("Error rate per slice (Wilson 95% interval)", "error rate", bars,
        s.overallErrorRate(), "overall " + Html.pct(s.overallErrorRate())),
        "error rate per slice");
    f.table("slices", List.of(">#", "slice", ">n", ">error", ">95% CI", ">expected", ">rest",
        ">adj. q", ">raw q", "verdict"), rows, css);
  }

  private static void clusters(Fragment f, FailureClusters c) {
    f.heading("Failure clusters");
    f.para("muted", c.clusters().size() + " clusters in " + c.space() + "; "
        + c.significant().size() + " significant at q ≤ " + c.fdr());
    List<List<String>> rows = new ArrayList<>();
    for (FailureClusters.FailureCluster k : c.clusters().subList(0, Math.min(10,
        c.clusters().size()))) {
      rows.add(List.of(Integer.toString(k.index()), Integer.toString(k.size()),
          Html.pct(k.errorRate()), Html.pct(k.restErrorRate()), Html.fixed(k.excessErrors(), 1),
          Html.p(k.adjustedQValue()), k.significant() ? "yes" : "no",
          String.join(", ", k.representativeIds())));
    }
    if (!rows.isEmpty()) {
      f.table("clusters", List.of(">cluster", ">n", ">error", ">rest", ">excess", ">adj. q",
          "significant", "nearest misclassified"), rows);
    }
  }

  private static void labelIssues(Fragment f, LabelIssues li) {
    f.heading("Likely label errors");
    f.para("muted", li.size() + " flagged of " + li.examples() + " by " + li.method().label()
        + String.format(Locale.ROOT, "; estimated noise rate %.1f%%", 100 * li.estimatedNoiseRate()));
    List<List<String>> rows = new ArrayList<>();
    for (LabelIssues.LabelIssue i : li.top(MAX_ROWS)) {
      rows.add(List.of(i.id(), i.givenLabel(), i.suggestedLabel(), Html.fixed(i.selfConfidence(),
          3), Html.fixed(i.suggestedProbability(), 3), Html.fixed(i.score(), 3)));
    }
    if (!rows.isEmpty()) {
      f.table("label-issues", List.of("id", "given", "suggested", ">p(given)", ">p(suggested)",
          ">score"), rows);
    }
  }

  private static void plan(Fragment f, CollectionPlan p) {
    f.heading("Collection plan");
    f.para("muted", String.format(Locale.ROOT, "Failure scenarios ranked by errors beyond their "
        + "class mix; 'collect' = more examples for a Wilson 95%% half-width ≤ %.3f.",
        p.targetHalfWidth()));
    if (p.items().isEmpty()) {
      return;
    }
    List<Svg.Bar> bars = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    int rank = 1;
    for (CollectionPlan.Item i : p.items()) {
      String kind = i.kind().name().toLowerCase(Locale.ROOT);
      bars.add(new Svg.Bar(kind + ": " + i.scenario(), i.errorRate(), i.wilson().low(),
          i.wilson().high(), "n=" + i.support()));
      rows.add(List.of(Integer.toString(rank++), kind, i.scenario(), Integer.toString(i.support()),
          Html.pct(i.errorRate()), "[" + Html.pct(i.wilson().low()) + ", "
              + Html.pct(i.wilson().high()) + "]", Html.fixed(i.excessErrors(), 1),
          String.format(Locale.ROOT, "%,d", i.additional())));
    }
    f.chart(Svg.bars("Error rate per scenario (Wilson 95% interval)", "error rate", bars,
        Double.NaN, ""), "error rate per scenario");
    f.table("plan", List.of(">#", "kind", "scenario", ">n", ">error", ">95% CI", ">excess",
        ">collect"), rows);
  }

  private static void losses(Fragment f, TopLosses t) {
    f.heading("Top losses");
    List<List<String>> rows = new ArrayList<>();
    for (TopLosses.Loss l : t.top(Math.min(10, MAX_ROWS))) {
      rows.add(List.of(l.id(), l.label(), l.predicted(), Html.fixed(l.probability(), 4),
          Html.fixed(l.loss(), 3)));
    }
    f.table("top-losses", List.of("id", "true", "predicted", ">p(true)", ">loss"), rows);
  }

  /** A gallery: the grid picture and its table (as {@link Gallery#toHtml()} renders them). */
  public static Section gallery(Gallery g) {
    return new Section(Html.anchor("look " + g.title()), "Look: " + g.title(),
        g.size() + " examples", g.toHtml(), g.toMarkdown());
  }

  // ---------------------------------------------------------------- detection

  /** A COCO evaluation: AP and AR, the twelve summary metrics and the AP of each class. */
  public static Section coco(CocoResult r) {
    Fragment f = new Fragment();
    f.figures("AP@[.50:.95]", Html.fixed(r.ap(), 4), "AR@[.50:.95]", Html.fixed(r.ar(), 4),
        "images", Integer.toString(r.images()), "ground truths",
        Integer.toString(r.groundTruths()), "detections", Integer.toString(r.detections()));
    f.table("coco", List.of("metric", ">value"), r.metrics().stream()
        .map(m -> List.of(m.name(), Html.fixed(m.value(), 4))).toList());
    if (!r.perClassAp().isEmpty()) {
      f.heading("AP per class");
      f.table("per-class-ap", List.of("class", ">AP@[.50:.95]"), r.perClassAp().entrySet()
          .stream().map(e -> List.of(e.getKey(), Html.fixed(e.getValue(), 4))).toList());
    }
    provenance(f, r.provenance());
    return f.section("coco", "COCO evaluation (" + r.kind().name().toLowerCase(Locale.ROOT)
        + ")", "AP " + Html.fixed(r.ap(), 4));
  }

  /** TIDE's error decomposition: the count of each error kind and the AP its fix would gain. */
  public static Section tide(TideResult r) {
    Fragment f = new Fragment();
    f.figures(String.format(Locale.ROOT, "AP@%.2f", r.foregroundThreshold()),
        Html.fixed(r.ap(), 4), "errors", Integer.toString(r.errors().size()));
    List<Svg.Bar> bars = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (TideErrorType t : TideErrorType.values()) {
      bars.add(new Svg.Bar(t.shortName() + " (" + t.name().toLowerCase(Locale.ROOT) + ")",
          r.deltaAp(t), Double.NaN, Double.NaN, r.count(t) + " errors"));
      rows.add(List.of(t.shortName(), Integer.toString(r.count(t)),
          String.format(Locale.ROOT, "%+.4f", r.deltaAp(t))));
    }
    for (TideSpecialError t : TideSpecialError.values()) {
      rows.add(List.of(t.shortName() + " (special)", "",
          String.format(Locale.ROOT, "%+.4f", r.deltaAp(t))));
    }
    f.chart(Svg.bars("AP gained by fixing each kind of error (1% = 0.01 AP)", "ΔAP", bars,
        Double.NaN, ""), "AP gained per error kind");
    f.table("tide", List.of("error", ">count", ">ΔAP"), rows);
    provenance(f, r.provenance());
    return f.section("tide", "TIDE error decomposition", "AP " + Html.fixed(r.ap(), 4));
  }

  // ---------------------------------------------------------------- helpers

  private static void provenance(Fragment f, Provenance p) {
    f.para("muted provenance", "provenance: seed " + p.seed() + " · " + p.backend() + " · data "
        + p.datasetFingerprint() + " · " + p.runtime() + (p.config().isEmpty() ? ""
        : " · " + p.config()));
  }

  private static void provenance(Fragment f, ClassificationProvenance p) {
    f.para("muted provenance", p.toString());
  }

  private static String verdictCss(Verdict v) {
    return "verdict-" + v.name().toLowerCase(Locale.ROOT);
  }

  private static List<String> row(String what, List<String> names) {
    String shown = String.join(", ", names.subList(0, Math.min(MAX_ROWS, names.size())))
        + (names.size() > MAX_ROWS ? ", … (" + (names.size() - MAX_ROWS) + " more)" : "");
    return List.of(what, Integer.toString(names.size()), shown);
  }

  private static String sci(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "–";
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
