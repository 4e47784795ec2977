package dev.groundwork.core.weights;

import dev.groundwork.core.data.DataFormatException;

/**
 * A weights or checkpoint file whose SHA-256 is not the one expected: a corrupt download, a flipped
 * byte on disk or the wrong file. Never a warning — the file is not used.
 */
public class ChecksumMismatchException extends DataFormatException {
  private static final long serialVersionUID = 1L;

  /** Names the file, the expected and the actual checksum. */
  public ChecksumMismatchException(String message, String source) {
    super(message, source);
  }

  /** {@value #HELP}: a weights file whose SHA-256 differs */
  public static final String HELP = "docs/troubleshooting.md#checksum-mismatch";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
