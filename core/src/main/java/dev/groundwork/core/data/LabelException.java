package dev.groundwork.core.data;

/** A record's label is not one of the dataset's classes (outside the range, or an unknown name). */
public class LabelException extends DataException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the record, the label and the valid classes. */
  public LabelException(String message, String source, long record) {
    super(message, source, record, null);
  }

  /** {@value #HELP}: a label outside the classes */
  public static final String HELP = "docs/troubleshooting.md#labels";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
