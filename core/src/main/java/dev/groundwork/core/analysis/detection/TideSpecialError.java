package dev.groundwork.core.analysis.detection;

/**
 * TIDE's two special errors, reported beside the six main kinds: what perfect precision or perfect
 * recall alone would gain. They overlap the main kinds (a Loc error is both a false positive and,
 * through its target, a false negative), so they are not added to them.
 */
public enum TideSpecialError {
  /**
   * FalsePos: every false positive scored below every true positive (recall unchanged), the same as
   * removing every false positive.
   */
  FALSE_POSITIVE("FalsePos"),
  /**
   * FalseNeg: every ground truth left unmatched removed from its class's positives (precision
   * unchanged), including the targets of Cls and Loc errors, not only the Miss errors.
   */
  FALSE_NEGATIVE("FalseNeg");

  private final String shortName;

  TideSpecialError(String shortName) {
    this.shortName = shortName;
  }

  /** TIDE's short name ({@code FalsePos}, {@code FalseNeg}). */
  public String shortName() {
    return shortName;
  }
}
