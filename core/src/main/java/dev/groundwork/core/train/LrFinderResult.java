package dev.groundwork.core.train;

import dev.groundwork.core.Provenance;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of an {@link LrFinder} sweep: the curve, the suggested learning rate and the rule
 * that chose it.
 *
 * @param learningRates the learning rate of each step
 * @param losses the raw loss of each step
 * @param smoothed the smoothed loss of each step
 * @param suggestion the suggested learning rate
 * @param rule how the suggestion was chosen, with the numbers
 * @param minLossLearningRate the learning rate at the minimum of the smoothed loss
 * @param stopReason why the sweep ended
 * @param provenance seed, configuration, backend, data fingerprint
 */
public record LrFinderResult(List<Double> learningRates, List<Double> losses,
    List<Double> smoothed, double suggestion, String rule, double minLossLearningRate,
    String stopReason, Provenance provenance) implements dev.groundwork.core.report.Renderable {

  /** Copies the lists. */
  public LrFinderResult {
    learningRates = List.copyOf(learningRates);
    losses = List.copyOf(losses);
    smoothed = List.copyOf(smoothed);
  }

  static LrFinderResult of(List<Double> lrs, List<Double> losses, List<Double> smoothed,
      String stop, Provenance provenance) {
    int n = smoothed.size();
    int argMin = 0;
    for (int i = 1; i < n; i++) {
      if (smoothed.get(i) < smoothed.get(argMin)) {
        argMin = i;
      }
    }
    // steepest descent of the smoothed loss against log(lr), before the minimum, skipping the
    // first 10% of steps where the average is still warming up
    int skip = Math.max(1, n / 10);
    int steepest = -1;
    double slope = 0;
    for (int i = skip; i <= argMin && i < n - 1; i++) {
      double s = (smoothed.get(i + 1) - smoothed.get(i - 1))
          / (Math.log(lrs.get(i + 1)) - Math.log(lrs.get(i - 1)));
      if (s < slope) {
        slope = s;
        steepest = i;
      }
    }
    double minLr = lrs.get(argMin);
    if (steepest >= 0) {
      return new LrFinderResult(lrs, losses, smoothed, lrs.get(steepest), String.format(Locale.ROOT,
          "steepest fall of the smoothed loss (%.3g per e-fold of lr) at lr %.3g, before its "
              + "minimum %.3g at lr %.3g", slope, lrs.get(steepest), smoothed.get(argMin), minLr),
          minLr, stop, provenance);
    }
    return new LrFinderResult(lrs, losses, smoothed, minLr / 10, String.format(Locale.ROOT,
        "the loss never fell; one tenth of the lr at its minimum (%.3g)", minLr), minLr, stop,
        provenance);
  }

  /** A table of about ten points of the curve and the suggestion. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "LrFinder  suggestion %.3g  (%s)%n  %s · %d steps%n  %10s %10s %10s%n", suggestion, rule,
        stopReason, learningRates.size(), "lr", "loss", "smoothed"));
    int n = learningRates.size();
    int every = Math.max(1, n / 10);
    for (int i = 0; i < n; i += every) {
      sb.append(String.format(Locale.ROOT, "  %10.3g %10.4g %10.4g%s%n", learningRates.get(i),
          losses.get(i), smoothed.get(i),
          Math.abs(learningRates.get(i) - suggestion) < 1e-300 ? "  ← suggestion" : ""));
    }
    sb.append("  curve ").append(OverfitReport.sparkline(
        smoothed.stream().mapToDouble(Double::doubleValue).toArray()));
    return sb.toString();
  }

  /** This result as a report section (see {@link dev.groundwork.core.report.Sections#lrFinder}). */
  @Override
  public dev.groundwork.core.report.Section toSection() {
    return dev.groundwork.core.report.Sections.lrFinder(this);
  }
}
