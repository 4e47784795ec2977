package dev.groundwork.core.collect;

import dev.groundwork.core.GroundworkException;

/**
 * A pool's inputs do not fit the model: another input kind or shape, or other classes. The
 * message names both specs.
 */
public class InputSpecMismatchException extends GroundworkException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names both specs and what to do. */
  public InputSpecMismatchException(String message) {
    super(message);
  }
}
