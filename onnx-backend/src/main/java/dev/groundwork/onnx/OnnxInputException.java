package dev.groundwork.onnx;

import java.util.Optional;

/**
 * Data does not fit an ONNX model: an input or output name the model does not have, a shape or type
 * that does not match, model inputs left unmapped, text given to a model without a tokenizer, an
 * empty text. The message names the model, the input or output and the mismatch; {@link
 * #exampleId()} names the example when one example is at fault.
 */
public class OnnxInputException extends OnnxModelException {
  private static final long serialVersionUID = 1L;

  private final String exampleId;

  /** Creates the exception for a mismatch between the model and the data as a whole. */
  public OnnxInputException(String model, String message) {
    this(model, message, null);
  }

  /** Creates the exception for one example, named by its id. */
  public OnnxInputException(String model, String message, String exampleId) {
    super(model, message, null);
    this.exampleId = exampleId;
  }

  /** The id of the example at fault, when the problem is in one example. */
  public Optional<String> exampleId() {
    return Optional.ofNullable(exampleId);
  }

  /** {@value #HELP}: inputs that do not fit an ONNX model */
  public static final String HELP = "docs/troubleshooting.md#onnx-inputs";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
