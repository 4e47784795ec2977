package dev.groundwork.core.data;

/** A file, directory or classpath resource that should hold data does not exist or cannot be read. */
public class DataNotFoundException extends DataException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the path and what to do. */
  public DataNotFoundException(String message, String source, Throwable cause) {
    super(message, source, -1, cause);
  }

  /** Creates the exception for a record whose file has gone missing since loading. */
  public DataNotFoundException(String message, String source, long record, Throwable cause) {
    super(message, source, record, cause);
  }

  /** {@value #HELP}: a file, folder or resource that is not there */
  public static final String HELP = "docs/troubleshooting.md#data-not-found";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
