package dev.groundwork.core.data;

/**
 * A file or record is not in the expected format: a truncated or corrupt file, a wrong magic number,
 * a count mismatch, an unreadable image, a row with a missing column, a malformed value.
 */
public class DataFormatException extends DataException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; see {@link DataException#DataException(String, String, long, Throwable)}. */
  public DataFormatException(String message, String source, long record, Throwable cause) {
    super(message, source, record, cause);
  }

  /** Creates an exception about a whole file. */
  public DataFormatException(String message, String source) {
    super(message, source);
  }

  /** {@value #HELP}: reading files (formats, magic numbers, counts, columns) */
  public static final String HELP = "docs/troubleshooting.md#file-formats";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
