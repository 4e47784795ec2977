package dev.groundwork.core.analysis.detection;

import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TIDE's decomposition: how many errors of each kind, and how much AP@t_f each kind costs.
 *
 * <p>{@code deltaAp(type)} is the AP@t_f after the oracle fix of every error of that kind minus the
 * original AP@t_f (in [0, 1] AP units; TIDE's plots multiply by 100). See {@link TideAnalyzer} for
 * how each fix is applied.
 *
 * @param foregroundThreshold t_f
 * @param backgroundThreshold t_b
 * @param ap the original AP at t_f (mean over classes with ground truth)
 * @param counts the number of errors of each kind, every kind present
 * @param deltaAp the AP gained by fixing each kind, every kind present
 * @param specialDeltaAp the AP gained by TIDE's special fixes (no false positive; no false
 *     negative), both present
 * @param errors every classified error, detections in descending score order, then misses
 * @param provenance the thresholds and a SHA-256 of every input record
 */
public record TideResult(double foregroundThreshold, double backgroundThreshold, double ap,
    Map<TideErrorType, Integer> counts, Map<TideErrorType, Double> deltaAp,
    Map<TideSpecialError, Double> specialDeltaAp, List<TideError> errors,
    dev.groundwork.core.Provenance provenance) implements dev.groundwork.core.report.Renderable {

  /** Copies the collections, keeping the enum order of the maps. */
  public TideResult {
    counts = ImmutableMap.copyOf(counts);
    deltaAp = ImmutableMap.copyOf(deltaAp);
    specialDeltaAp = ImmutableMap.copyOf(specialDeltaAp);
    errors = List.copyOf(errors);
  }

  /** The number of errors of a kind. */
  public int count(TideErrorType type) {
    return counts.getOrDefault(type, 0);
  }

  /** The AP gained by fixing every error of a kind. */
  public double deltaAp(TideErrorType type) {
    return deltaAp.getOrDefault(type, 0.0);
  }

  /** The AP gained by one of TIDE's special fixes. */
  public double deltaAp(TideSpecialError type) {
    return specialDeltaAp.getOrDefault(type, 0.0);
  }

  /** The errors of one kind. */
  public List<TideError> errors(TideErrorType type) {
    return errors.stream().filter(e -> e.type() == type).toList();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "TIDE (t_f=%.2f, t_b=%.2f): AP@%.2f %.4f%n  %-5s %6s %9s%n", foregroundThreshold,
        backgroundThreshold, foregroundThreshold, ap, "error", "count", "dAP"));
    TideErrorType worst = null;
    for (TideErrorType t : TideErrorType.values()) {
      if (worst == null || deltaAp(t) > deltaAp(worst)) {
        worst = t;
      }
    }
    for (TideErrorType t : TideErrorType.values()) {
      sb.append(String.format(Locale.ROOT, "  %-5s %6d %+9.4f%s%n", t.shortName(), count(t),
          deltaAp(t), t == worst && deltaAp(t) > 0 ? "  (largest)" : ""));
    }
    sb.append("  special:");
    for (TideSpecialError t : TideSpecialError.values()) {
      sb.append(String.format(Locale.ROOT, " %s %+.4f", t.shortName(), deltaAp(t)));
    }
    sb.append(System.lineSeparator()).append("\nprovenance: ").append(provenance);
    return sb.toString().stripTrailing();
  }

  /** This result as a report section (see {@link dev.groundwork.core.report.Sections#tide}). */
  @Override
  public dev.groundwork.core.report.Section toSection() {
    return dev.groundwork.core.report.Sections.tide(this);
  }
}
