package dev.groundwork.core.collect;

import dev.groundwork.core.GroundworkException;

/**
 * A failure analysis does not belong to the predictions, model or pool it is used with: its
 * fingerprint, its classes or its model differ. Mining a pool with another model's failures would
 * send the wrong items for labelling, so this is an error, not a warning.
 */
public class AnalysisMismatchException extends GroundworkException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names both sides and what to do. */
  public AnalysisMismatchException(String message) {
    super(message);
  }
}
