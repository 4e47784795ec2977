package dev.groundwork.spark;

import dev.groundwork.core.GroundworkException;
import java.util.Objects;

/**
 * A model file is absent or unreadable where a Spark driver or executor looks for it; the message
 * names the file and the host.
 */
public class ModelFileException extends GroundworkException {
  private static final long serialVersionUID = 1L;

  private final String file;

  /** Creates the exception for {@code file}. */
  public ModelFileException(String file, String message, Throwable cause) {
    super(message, cause);
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The file at fault, as the job named it. */
  public String file() {
    return file;
  }
}
