package dev.groundwork.core.data;

/** What a dataset's inputs are: a float tensor of fixed shape, or a text. */
public enum InputKind {
  /** A dense float tensor; images are channels × height × width with values in [0, 1]. */
  TENSOR,
  /** A text, tokenized by the model that reads it. */
  TEXT
}
