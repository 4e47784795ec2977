package dev.groundwork.core;

/**
 * Root of every exception Groundwork throws for a problem in data, configuration or environment.
 *
 * <p>All project exceptions are unchecked so that calls read well in JShell and lambdas. Messages
 * name the file or parameter, the record, what was expected and what to do next. The kinds users
 * meet most end their message with a pointer to their section of the troubleshooting page, e.g.
 * {@code " — see docs/troubleshooting.md#weights-mismatch"} ({@link #troubleshooting()}).
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

  /**
   * The section of the troubleshooting page for this kind of error (the page's path, {@code #} and
   * the section's anchor), when there is one. Subclasses with a section override it.
   */
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.empty();
  }

  /** The message given at construction, then {@code " — see "} and {@link #troubleshooting()}. */
  @Override
  public String getMessage() {
    String message = super.getMessage();
    java.util.Optional<String> help = troubleshooting();
    if (help.isEmpty() || message != null && message.endsWith(help.get())) {
      return message;
    }
    return (message == null ? "" : message + " — ") + "see " + help.get();
  }
}
