package dev.groundwork.core.model;

/** The optimizers a trainable model supports. */
public enum Optimizer {
  /** Adam (β1 0.9, β2 0.999, ε 1e-8). */
  ADAM,
  /** Stochastic gradient descent with momentum ({@link TrainConfig#momentum()}). */
  SGD
}
