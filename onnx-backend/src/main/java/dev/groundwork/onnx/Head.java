package dev.groundwork.onnx;

import dev.groundwork.core.InvalidParameterException;

/**
 * The classification head trained on a frozen backbone's features: softmax regression, or a
 * one-hidden-layer MLP with ReLU.
 *
 * @param hidden hidden units; 0 for softmax regression
 */
public record Head(int hidden) {

  /** Checks the size. */
  public Head {
    InvalidParameterException.check(hidden >= 0, "hidden units must be ≥ 0 (0 = softmax "
        + "regression), got %d", hidden);
  }

  /** Softmax regression: {@code softmax(W x + b)}. */
  public static Head softmax() {
    return new Head(0);
  }

  /** A one-hidden-layer MLP: {@code softmax(W2 relu(W1 x + b1) + b2)}. */
  public static Head mlp(int hidden) {
    InvalidParameterException.check(hidden >= 1, "an MLP head needs ≥ 1 hidden unit, got %d",
        hidden);
    return new Head(hidden);
  }

  @Override
  public String toString() {
    return hidden == 0 ? "softmax head" : "mlp(" + hidden + ") head";
  }
}
