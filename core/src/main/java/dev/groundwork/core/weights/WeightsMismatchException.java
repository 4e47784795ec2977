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

  /** {@value #HELP}: weights or a checkpoint for another architecture */
  public static final String HELP = "docs/troubleshooting.md#weights-mismatch";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
