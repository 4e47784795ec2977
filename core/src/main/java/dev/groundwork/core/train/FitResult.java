package dev.groundwork.core.train;

import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.Provenance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Fit} produced: the per-epoch history, why it stopped, the best epoch of the watched
 * metric, the checkpoints it wrote and where the run came from.
 *
 * @param model the model's name
 * @param history one record per epoch, including epochs before a resume
 * @param stop why the fit ended
 * @param stopDetail the reason in words (e.g. the listener's or early stopping's)
 * @param monitor the metric that chose the best epoch
 * @param bestEpoch the best epoch of {@code monitor} (from 1), 0 if none
 * @param restoredBest whether the model now holds the best epoch's parameters
 * @param resumedAfterEpoch the epoch the fit resumed after, 0 for a fresh start
 * @param lastCheckpoint the last checkpoint written, if checkpoints were on
 * @param bestCheckpoint the checkpoint of the best epoch, if checkpoints were on
 * @param settings epochs, batch size, schedule and early stopping, as text
 * @param provenance seed, configuration, backend and training-data fingerprint
 */
public record FitResult(String model, List<EpochRecord> history, StopReason stop,
    String stopDetail, Metric monitor, int bestEpoch, boolean restoredBest, int resumedAfterEpoch,
    Optional<Path> lastCheckpoint, Optional<Path> bestCheckpoint, String settings,
    Provenance provenance) implements dev.groundwork.core.report.Renderable {

  /** Why a fit ended. */
  public enum StopReason {
    /** Every epoch ran. */
    COMPLETED,
    /** The watched metric stopped improving. */
    EARLY_STOPPED,
    /** A listener asked to stop. */
    STOPPED_BY_LISTENER
  }

  /** Copies the history. */
  public FitResult {
    Objects.requireNonNull(model, "model");
    history = List.copyOf(history);
    Objects.requireNonNull(stop, "stop");
    Objects.requireNonNull(provenance, "provenance");
  }

  /** The last epoch's record. */
  public EpochRecord last() {
    return history.get(history.size() - 1);
  }

  /** The best epoch's record, if a metric was watched. */
  public Optional<EpochRecord> best() {
    return bestEpoch == 0 ? Optional.empty() : Optional.of(history.get(bestEpoch - 1));
  }

  /** The history as CSV, one line per epoch after a header. */
  public String toCsv() {
    StringBuilder sb = new StringBuilder(EpochRecord.CSV_HEADER).append('\n');
    history.forEach(r -> sb.append(r.toCsv()).append('\n'));
    return sb.toString();
  }

  /** The result as JSON: settings, stop reason, best epoch, provenance and the history. */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{");
    sb.append("\"model\":").append(JsonText.quote(model));
    sb.append(",\"stop\":").append(JsonText.quote(stop.name()));
    sb.append(",\"stop_detail\":").append(JsonText.quote(stopDetail));
    sb.append(",\"monitor\":").append(JsonText.quote(monitor.name()));
    sb.append(",\"best_epoch\":").append(bestEpoch);
    sb.append(",\"restored_best\":").append(restoredBest);
    sb.append(",\"resumed_after_epoch\":").append(resumedAfterEpoch);
    sb.append(",\"settings\":").append(JsonText.quote(settings));
    sb.append(",\"provenance\":").append(JsonText.provenance(provenance));
    sb.append(",\"history\":[");
    for (int i = 0; i < history.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(history.get(i).toJson());
    }
    return sb.append("]}").toString();
  }

  /** Writes {@link #toCsv()} to {@code file} atomically. */
  public void writeCsv(Path file) {
    write(file, toCsv(), "the fit history (CSV)");
  }

  /** Writes {@link #toJson()} to {@code file} atomically. */
  public void writeJson(Path file) {
    write(file, toJson(), "the fit result (JSON)");
  }

  private static void write(Path file, String text, String what) {
    AtomicFiles.write(file, what, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Fit  %s  %s after %d epoch%s%s · %s%n", model, stop,
        history.size(), history.size() == 1 ? "" : "s",
        stopDetail.isEmpty() ? "" : " (" + stopDetail + ")", settings));
    if (resumedAfterEpoch > 0) {
      sb.append("  resumed after epoch ").append(resumedAfterEpoch).append('\n');
    }
    for (EpochRecord r : history) {
      sb.append("  ").append(r).append(r.epoch() == bestEpoch ? "  ← best " + monitor : "")
          .append('\n');
    }
    best().ifPresent(b -> sb.append(String.format(Locale.ROOT, "  best epoch %d by %s = %.4f%s%n",
        b.epoch(), monitor, b.value(monitor), restoredBest ? " (parameters restored)" : "")));
    lastCheckpoint.ifPresent(p -> sb.append("  last checkpoint ").append(p).append('\n'));
    bestCheckpoint.ifPresent(p -> sb.append("  best checkpoint ").append(p).append('\n'));
    sb.append("  ").append(provenance);
    return sb.toString();
  }

  /** This result as a report section (see {@link dev.groundwork.core.report.Sections#fit}). */
  @Override
  public dev.groundwork.core.report.Section toSection() {
    return dev.groundwork.core.report.Sections.fit(this);
  }
}
