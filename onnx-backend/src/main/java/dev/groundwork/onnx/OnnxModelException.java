package dev.groundwork.onnx;

import dev.groundwork.core.GroundworkException;

/**
 * An ONNX model cannot be loaded or run: the file is missing or is not ONNX, a tokenizer is missing,
 * or ONNX Runtime failed. The message names the model (its file or resource) and what to do.
 */
public class OnnxModelException extends GroundworkException {
  private static final long serialVersionUID = 1L;

  private final String model;

  /**
   * Creates the exception.
   *
   * @param model the model's name: its file, resource or given name
   * @param message what went wrong, what was expected and what to do
   * @param cause the underlying exception, or {@code null}
   */
  public OnnxModelException(String model, String message, Throwable cause) {
    super(message, cause);
    this.model = model;
  }

  /** The model's name: its file, resource or the name it was given. */
  public String model() {
    return model;
  }

  /** {@value #HELP}: an ONNX model that cannot be loaded or run */
  public static final String HELP = "docs/troubleshooting.md#onnx-models";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
