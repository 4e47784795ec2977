package dev.groundwork.core.data;

/**
 * The input of one example: a dense float tensor (images, features) or a text.
 *
 * <p>Backends switch on the two permitted kinds; no other kinds exist.
 */
public sealed interface Input permits TensorInput, TextInput {

  /** The kind of this input, as recorded in a {@link DatasetSpec}. */
  InputKind kind();
}
