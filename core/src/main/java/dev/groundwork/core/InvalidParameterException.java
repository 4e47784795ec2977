package dev.groundwork.core;

/**
 * A parameter given to a Groundwork call is outside its valid range (a split fraction of 1.2, a
 * batch size of 0, a sample larger than the dataset).
 *
 * <p>The message names the parameter, the value received and the valid range.
 */
public class InvalidParameterException extends GroundworkException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message should name the parameter, its value and the range. */
  public InvalidParameterException(String message) {
    super(message);
  }

  /**
   * Throws an {@code InvalidParameterException} with a formatted message unless {@code condition}
   * holds.
   *
   * @param condition the condition that must hold
   * @param template a {@link String#format} template naming the parameter and its valid range
   * @param args the values to put into the template
   */
  public static void check(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new InvalidParameterException(String.format(java.util.Locale.ROOT, template, args));
    }
  }

  /** {@value #HELP}: a parameter outside its valid range */
  public static final String HELP = "docs/troubleshooting.md#invalid-parameter";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
