package dev.groundwork.djl;

import ai.djl.training.tracker.Tracker;

/** A learning-rate tracker whose value the model sets between steps (for the LR finder). */
final class MutableLearningRate implements Tracker {
  private volatile float value;

  MutableLearningRate(double value) {
    this.value = (float) value;
  }

  void set(double lr) {
    this.value = (float) lr;
  }

  double get() {
    return value;
  }

  @Override
  public float getNewValue(int numUpdate) {
    return value;
  }
}
