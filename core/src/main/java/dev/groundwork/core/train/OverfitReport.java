package dev.groundwork.core.train;

import dev.groundwork.core.Provenance;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The result of an {@link OverfitCheck}: a verdict, the cause in one line when it is not a pass,
 * the checks behind it, the loss curve, and how each example fared.
 *
 * @param verdict PASS, WARN or FAIL
 * @param diagnosis the rule behind the cause ({@link Diagnosis#UNCLEAR} when none fits)
 * @param cause one line naming what is wrong (or what was reached, on PASS)
 * @param suggestions what to try next, most likely first
 * @param checks the individual checks, in the order they ran
 * @param evidence the measurements behind the diagnosis
 * @param examples the number of examples in the subset
 * @param classes the number of classes of the model
 * @param steps training steps taken
 * @param stepsToTarget the step at which the target accuracy was first reached, if it was
 * @param wallTime time spent training the model (without the baseline)
 * @param initialLoss mean cross-entropy on the subset before training
 * @param finalLoss mean cross-entropy on the subset at the last evaluation
 * @param finalAccuracy accuracy on the subset at the last evaluation
 * @param targetAccuracy the accuracy that counts as fitted
 * @param lossCurve the training loss of every step
 * @param baselineAccuracy accuracy of the same architecture trained on zeroed inputs, if run
 * @param deadParameters trainable parameters that never received a non-zero gradient
 * @param frozenParameters parameters that were frozen
 * @param exampleFits every example, hardest first (never fit, then latest to fit, then by loss)
 * @param examplesPerSecond training throughput of the steps alone (evaluations excluded)
 * @param provenance seed, configuration, backend, data fingerprint
 */
public record OverfitReport(Verdict verdict, Diagnosis diagnosis, String cause,
    List<String> suggestions, List<CheckResult> checks, OverfitEvidence evidence, int examples,
    int classes, int steps, OptionalInt stepsToTarget,
    Duration wallTime, double initialLoss, double finalLoss, double finalAccuracy,
    double targetAccuracy, double[] lossCurve, OptionalDouble baselineAccuracy,
    List<String> deadParameters, List<String> frozenParameters, List<ExampleFit> exampleFits,
    double examplesPerSecond, Provenance provenance) implements dev.groundwork.core.report.Renderable {

  /** Copies the lists. */
  public OverfitReport {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(diagnosis, "diagnosis");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(evidence, "evidence");
    suggestions = List.copyOf(suggestions);
    checks = List.copyOf(checks);
    lossCurve = lossCurve.clone();
    deadParameters = List.copyOf(deadParameters);
    frozenParameters = List.copyOf(frozenParameters);
    exampleFits = List.copyOf(exampleFits);
  }

  /** The loss of every step (a copy). */
  @Override
  public double[] lossCurve() {
    return lossCurve.clone();
  }

  /** Whether the verdict is PASS. */
  public boolean passed() {
    return verdict == Verdict.PASS;
  }

  /** The check with this name, if it ran. */
  public java.util.Optional<CheckResult> check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The ids of the examples that were still predicted wrong at the end. */
  public List<String> neverFit() {
    return exampleFits.stream().filter(f -> !f.fit()).map(ExampleFit::id).toList();
  }

  /** The {@code n} hardest examples: never fit first, then the latest to fit. */
  public List<ExampleFit> hardest(int n) {
    return exampleFits.subList(0, Math.min(n, exampleFits.size()));
  }

  /** Mean wall time of a training step, in milliseconds. */
  public double millisPerStep() {
    return steps == 0 ? 0 : wallTime.toNanos() / 1e6 / steps;
  }

  /** The verdict line, the cause, the checks as a table and, unless it passed, the evidence. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    int fitted = (int) Math.round(finalAccuracy * examples);
    sb.append(String.format(Locale.ROOT, "OverfitCheck  %s  %d/%d fit%s · %d steps · %.1f s%n",
        verdict, fitted, examples,
        stepsToTarget.isPresent() ? " at step " + stepsToTarget.getAsInt() : "", steps,
        wallTime.toMillis() / 1000.0));
    sb.append("  ").append(diagnosis == Diagnosis.FITS ? "" : diagnosis + ": ").append(cause)
        .append('\n');
    for (String s : suggestions) {
      sb.append("  → ").append(s).append('\n');
    }
    int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(5);
    for (CheckResult c : checks) {
      sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %-7s %s%n", c.name(),
          c.status().name().toLowerCase(Locale.ROOT), c.detail()));
    }
    if (verdict != Verdict.PASS) {
      sb.append("  evidence\n");
      for (String[] row : evidence.rows()) {
        sb.append(String.format(Locale.ROOT, "    %-10s  %s%n", row[0], row[1]));
      }
    }
    if (verdict == Verdict.PASS && steps > 0) {
      sb.append(String.format(Locale.ROOT, "  throughput %,.0f examples/s · %.2f ms/step%n",
          examplesPerSecond, millisPerStep()));
    }
    sb.append("  curve ").append(sparkline(lossCurve)).append('\n');
    sb.append("  provenance: ").append(provenance);
    return sb.toString();
  }

  /** A one-line sketch of a curve (log-scaled), 40 characters at most. */
  static String sparkline(double[] curve) {
    if (curve.length == 0) {
      return "(no steps)";
    }
    String bars = "▁▂▃▄▅▆▇█";
    int width = Math.min(40, curve.length);
    double[] points = new double[width];
    for (int i = 0; i < width; i++) {
      int from = (int) ((long) i * curve.length / width);
      int to = (int) ((long) (i + 1) * curve.length / width);
      double sum = 0;
      int n = 0;
      for (int j = from; j < Math.max(to, from + 1); j++) {
        sum += curve[j];
        n++;
      }
      points[i] = Math.log1p(Math.max(0, sum / n));
    }
    double min = Arrays.stream(points).filter(Double::isFinite).min().orElse(0);
    double max = Arrays.stream(points).filter(Double::isFinite).max().orElse(1);
    StringBuilder sb = new StringBuilder();
    for (double p : points) {
      if (!Double.isFinite(p)) {
        sb.append('!');
      } else {
        int k = max > min ? (int) Math.round((p - min) / (max - min) * 7) : 0;
        sb.append(bars.charAt(k));
      }
    }
    return String.format(Locale.ROOT, "%.3g %s %.3g", curve[0], sb, curve[curve.length - 1]);
  }

  /** This result as a report section (see {@link dev.groundwork.core.report.Sections#overfit}). */
  @Override
  public dev.groundwork.core.report.Section toSection() {
    return dev.groundwork.core.report.Sections.overfit(this);
  }
}
