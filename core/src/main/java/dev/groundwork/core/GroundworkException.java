package dev.groundwork.core;

/**
 * Root of every exception Groundwork throws for a problem in data, configuration or environment.
 *
 * <p>All project exceptions are unchecked so that calls read well in JShell and lambdas. Messages
 * name the file or parameter, the record, what was expected and what to do next.
 */
public class GroundworkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what went wrong and what to do. */
  public GroundworkException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public GroundworkException(String message, Throwable cause) {
    super(message, cause);
  }
}
