package dev.groundwork.core;

/** No Groundwork backend on the classpath can do what was asked; the message says which jar to add. */
public class BackendNotFoundException extends GroundworkException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the artifact to add. */
  public BackendNotFoundException(String message) {
    super(message);
  }

  /** {@value #HELP}: no backend on the classpath can do it */
  public static final String HELP = "docs/troubleshooting.md#backend-not-found";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
