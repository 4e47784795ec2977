package dev.groundwork.examples.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** The plain-DJL side the training benchmarks compare against. */
final class PlainDjl {

  private PlainDjl() {}

  /**
   * A trainer as a DJL user writes it: softmax cross-entropy, DJL's Adam at a fixed 1e-3, CPU,
   * initialized for 1 × 28 × 28 images.
   */
  static Trainer adamTrainer(Model model) {
    Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
        .optDevices(new Device[] {Device.cpu()}));
    trainer.initialize(new Shape(1, 1, 28, 28));
    return trainer;
  }
}
