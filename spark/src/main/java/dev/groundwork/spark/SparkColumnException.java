package dev.groundwork.spark;

import dev.groundwork.core.GroundworkException;
import java.util.Objects;

/**
 * A column a Spark job needs is missing, has the wrong type, or would be overwritten; raised on
 * the driver from the schema alone, before any job runs.
 */
public class SparkColumnException extends GroundworkException {
  private static final long serialVersionUID = 1L;

  private final String column;

  /** Creates the exception for {@code column}; the message says what was expected and found. */
  public SparkColumnException(String column, String message) {
    super(message);
    this.column = Objects.requireNonNull(column, "column");
  }

  /** The column at fault. */
  public String column() {
    return column;
  }
}
