package dev.groundwork.core.analysis.detection;

/**
 * The error kinds of TIDE (Bolya et al., "TIDE: A General Toolbox for Identifying Object Detection
 * Errors", ECCV 2020), with t_f the foreground and t_b the background IoU threshold.
 */
public enum TideErrorType {
  /** Cls: IoU &ge; t_f with a ground truth of another class. Fix: relabel it (suppress if taken). */
  CLASSIFICATION("Cls"),
  /** Loc: right class, t_b &le; IoU &lt; t_f. Fix: snap it onto that ground truth (suppress if taken). */
  LOCALIZATION("Loc"),
  /** Both: wrong class and t_b &le; IoU &lt; t_f. Fix: suppress it. */
  BOTH("Both"),
  /** Dupl: IoU &ge; t_f with a ground truth of its class that a higher-scored detection matched. Fix: suppress it. */
  DUPLICATE("Dupl"),
  /** Bkg: IoU &lt; t_b with every ground truth. Fix: suppress it. */
  BACKGROUND("Bkg"),
  /** Miss: a ground truth no detection matched and no Cls or Loc error points at. Fix: drop it. */
  MISSED("Miss");

  private final String shortName;

  TideErrorType(String shortName) {
    this.shortName = shortName;
  }

  /** TIDE's short name ({@code Cls}, {@code Loc}, {@code Both}, {@code Dupl}, {@code Bkg}, {@code Miss}). */
  public String shortName() {
    return shortName;
  }
}
