package dev.groundwork.core.data;

import dev.groundwork.core.GroundworkException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A problem with a dataset's content or location: the file, the record and what was expected.
 *
 * <p>{@link #source()} names the file or resource (when there is one) and {@link #record()} the
 * zero-based record index or one-based line number the problem was found at; the message says the
 * same in words, with what to do.
 */
public class DataException extends GroundworkException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long record;

  /**
   * Creates the exception.
   *
   * @param message what was found, what was expected and what to do
   * @param source the file or resource, or {@code null} when the data has no file
   * @param record the record index or line number, or {@code -1} when the problem is not in one
   *     record
   * @param cause the underlying exception, or {@code null}
   */
  public DataException(String message, String source, long record, Throwable cause) {
    super(message, cause);
    this.source = source;
    this.record = record;
  }

  /** Creates an exception about a whole source (no single record). */
  public DataException(String message, String source) {
    this(message, source, -1, null);
  }

  /** The file or resource the problem was found in, if the data came from one. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  /** The record index (or line number, for text formats) of the problem, if it is in one record. */
  public OptionalLong record() {
    return record < 0 ? OptionalLong.empty() : OptionalLong.of(record);
  }
}
