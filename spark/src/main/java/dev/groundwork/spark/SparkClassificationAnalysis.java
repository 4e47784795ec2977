package dev.groundwork.spark;

import dev.groundwork.core.analysis.Calibration;
import dev.groundwork.core.analysis.ClassificationMetrics;
import dev.groundwork.core.analysis.ClassificationProvenance;
import dev.groundwork.core.analysis.ConfusionMatrix;
import dev.groundwork.core.analysis.SliceReport;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Spark classification analysis found: the same metrics and calibration types as core's
 * in-memory {@code ClassificationAnalysis}, and the confusion counts. Built by
 * {@link SparkFailureAnalysis#classification}.
 *
 * @param metrics accuracy and per-class precision / recall / F1 / support, macro and weighted F1
 * @param confusion the confusion counts (core's type, from {@link ConfusionMatrix#ofCounts})
 * @param calibration ECE, MCE and the reliability table (core's binning)
 * @param slices the failure slices over the metadata columns ({@link SliceReport}, core's
 *     counts mode: see {@code SliceCounts}), when slice columns were given
 * @param provenance the options, the number of rows and an order-independent fingerprint of them
 */
public record SparkClassificationAnalysis(ClassificationMetrics metrics,
    ConfusionMatrix confusion, Calibration calibration, Optional<SliceReport> slices,
    ClassificationProvenance provenance) {

  /** Checks the parts. */
  public SparkClassificationAnalysis {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(confusion, "confusion");
    Objects.requireNonNull(calibration, "calibration");
    Objects.requireNonNull(slices, "slices");
    Objects.requireNonNull(provenance, "provenance");
  }

  @Override
  public String toString() {
    return metrics + "\n" + confusion + "\n" + calibration + "\n"
        + slices.map(s -> s + "\n").orElse("") + provenance;
  }
}
