package dev.groundwork.core.analysis;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a classification failure analysis found, one accessor per part; {@code toString()}
 * gives a short overview. Built by {@link FailureAnalysis#classification}.
 *
 * <pre>{@code
 * var a = FailureAnalysis.classification(p)
 *     .options(ClassificationOptions.builder().maxOrder(3).build())
 *     .run();
 * a.slices().top(5); a.labelIssues().top(20); a.collectionPlan();
 * }</pre>
 *
 * @param metrics accuracy and per-class precision / recall / F1
 * @param confusion the confusion matrix and most-confused pairs
 * @param topLosses the highest cross-entropy examples
 * @param slices metadata slices, searched on one half and confirmed on the other
 * @param clusters failure clusters in embedding (or input) space
 * @param labelIssues likely label errors by confident learning, with neighbour consensus when the
 *     predictions carry embeddings (meaningful only when the probabilities are out-of-sample, see
 *     {@link LabelIssues})
 * @param calibration ECE, MCE and the reliability table
 * @param collectionPlan ranked failure scenarios with how much data each needs
 * @param attributes the attributes the slices used (with image attributes when computed)
 * @param options the options used
 * @param provenance seed, options, number of predictions and their fingerprint
 */
public record ClassificationAnalysis(ClassificationMetrics metrics, ConfusionMatrix confusion,
    TopLosses topLosses, SliceReport slices, FailureClusters clusters, LabelIssues labelIssues,
    Calibration calibration, CollectionPlan collectionPlan, List<String> attributes,
    ClassificationOptions options, ClassificationProvenance provenance) implements dev.groundwork.core.report.Renderable {

  /** Checks the parts. */
  public ClassificationAnalysis {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(confusion, "confusion");
    Objects.requireNonNull(topLosses, "topLosses");
    Objects.requireNonNull(slices, "slices");
    Objects.requireNonNull(clusters, "clusters");
    Objects.requireNonNull(labelIssues, "labelIssues");
    Objects.requireNonNull(calibration, "calibration");
    Objects.requireNonNull(collectionPlan, "collectionPlan");
    attributes = List.copyOf(attributes);
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(provenance, "provenance");
  }

  /** Configures and runs a classification analysis; see {@link FailureAnalysis#classification}. */
  public static final class Builder {
    private final ClassificationPredictions predictions;
    private ClassificationOptions options = ClassificationOptions.defaults();

    Builder(ClassificationPredictions predictions) {
      this.predictions = predictions;
    }

    /** The options (default {@link ClassificationOptions#defaults()}). */
    public Builder options(ClassificationOptions o) {
      this.options = Objects.requireNonNull(o, "options");
      return this;
    }

    /** Runs every analysis. */
    public ClassificationAnalysis run() {
      ClassificationOptions o = options;
      ClassificationProvenance prov = ClassificationProvenance.of(predictions, o.seed(), o);
      ClassificationPredictions p = predictions;
      if (o.imageAttributes() && p.dataset().isPresent() && p.size() > 0
          && !p.attributes().contains(ImageAttributes.NAMES.get(0))
          && ImageAttributes.isImage(p.dataset().get().input(0))) {
        p = ImageAttributes.addTo(p);
      }
      byte[] err = SliceFinder.errors(p);
      ConfusionMatrix cm = ConfusionMatrix.of(p, prov);
      ClassificationMetrics metrics = ClassificationMetrics.of(cm, prov);
      TopLosses losses = TopLosses.of(p, o.topLosses(), prov);
      SliceReport slices = SliceFinder.find(p, err, p.attributes, o.slices(), o.seed(), prov);
      FailureClusters clusters = FailureClusters.find(p, err, o.clusters(), o.seed(),
          o.slices().fdr(), prov);
      LabelIssues issues = LabelIssues.inAnalysis(p, o.labelIssueMethod(),
          o.labelIssueNeighbours(), prov);
      Calibration cal = Calibration.of(p, o.calibrationBins(), prov);
      CollectionPlan plan = CollectionPlan.of(slices, clusters, cm, o.planSize(),
          o.targetHalfWidth(), prov);
      return new ClassificationAnalysis(metrics, cm, losses, slices, clusters, issues, cal, plan,
          p.attributes(), o, prov);
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "classification failure analysis: n=%d, %d classes · accuracy %.4f · macro F1 %.4f · "
            + "ECE %.4f · %d label issues%n", metrics.examples(), metrics.classes().size(),
        metrics.accuracy(), metrics.macroF1(), calibration.ece(), labelIssues.size()));
    b.append(String.format(Locale.ROOT, "slices: %d beyond class mix of %d confirmed (q ≤ %s)%n",
        slices.significant(), slices.slices().size(), options.slices().fdr()));
    for (Slice s : slices.top(3)) {
      b.append("  ").append(s).append('\n');
    }
    b.append("top confusions:\n");
    for (ConfusionMatrix.ConfusedPair pair : confusion.mostConfused(3)) {
      b.append("  ").append(pair).append('\n');
    }
    b.append(String.format(Locale.ROOT, "failure clusters: %d significant of %d (%s)%n",
        clusters.significant().size(), clusters.clusters().size(), clusters.space()));
    b.append("collection plan (top 3):\n");
    for (CollectionPlan.Item i : collectionPlan.top(3)) {
      b.append(String.format(Locale.ROOT, "  %s %s: n=%d, error %s %s, collect %d%n",
          i.kind().name().toLowerCase(Locale.ROOT), i.scenario(), i.support(),
          ClassificationTable.pct(i.errorRate()), i.wilson(), i.additional()));
    }
    return b.append(provenance).toString();
  }

  /** This result as a report section (see {@link dev.groundwork.core.report.Sections#analysis}). */
  @Override
  public dev.groundwork.core.report.Section toSection() {
    return dev.groundwork.core.report.Sections.analysis(this);
  }
}
