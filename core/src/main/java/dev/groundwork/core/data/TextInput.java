package dev.groundwork.core.data;

import java.util.Objects;

/**
 * A text input, tokenized later by the model that reads it.
 *
 * @param text the text; never null
 */
public record TextInput(String text) implements Input {

  /** Checks the text is present. */
  public TextInput {
    Objects.requireNonNull(text, "text");
  }

  @Override
  public InputKind kind() {
    return InputKind.TEXT;
  }

  @Override
  public String toString() {
    return text.length() <= 60 ? '"' + text + '"' : '"' + text.substring(0, 57) + "...\"";
  }
}
