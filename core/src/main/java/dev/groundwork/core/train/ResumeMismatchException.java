package dev.groundwork.core.train;

import dev.groundwork.core.data.DataException;

/**
 * A resume that would not continue the same run: the checkpoint was written for other training
 * data (another fingerprint), another validation set, or other fit settings.
 */
public class ResumeMismatchException extends DataException {
  private static final long serialVersionUID = 1L;

  /** Names the checkpoint and what differs. */
  public ResumeMismatchException(String message, String source) {
    super(message, source);
  }

  /** {@value #HELP}: a resume that would not continue the same run */
  public static final String HELP = "docs/troubleshooting.md#resume-mismatch";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
