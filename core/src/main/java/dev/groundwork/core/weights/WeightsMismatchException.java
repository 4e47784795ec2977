package dev.groundwork.core.weights;

import dev.groundwork.core.data.DataFormatException;

/**
 * Weights or a checkpoint that do not fit the model they are loaded into: other parameter names,
 * other shapes, another architecture. The message lists every mismatch; the model is unchanged.
 */
public class WeightsMismatchException extends DataFormatException {
  private static final long serialVersionUID = 1L;

  /** Names the file and every mismatch. */
  public WeightsMismatchException(String message, String source) {
    super(message, source);
  }
}
