package dev.groundwork.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam or SGD with momentum whose state Groundwork owns, so that a checkpoint can hold it and a
 * resume can restore it exactly; it runs the same fused PyTorch kernels as DJL's own optimizers.
 *
 * <p>Differences from DJL's {@code Adam}: bias correction counts each parameter's own updates (as
 * PyTorch does), so a backbone unfrozen late starts with a corrected first step; and each
 * parameter's learning rate can be scaled (discriminative learning rates when fine-tuning).
 */
final class OwnedOptimizer extends Optimizer {

  static final float BETA1 = 0.9f;
  static final float BETA2 = 0.999f;
  static final float EPSILON = 1e-8f;

  /** Per parameter: the first moment (Adam) or the velocity (SGD). */
  final Map<String, NDArray> first = new HashMap<>();
  /** Per parameter: the second moment (Adam only). */
  final Map<String, NDArray> second = new HashMap<>();
  /** Per parameter: the updates applied so far. */
  final Map<String, Long> counts = new HashMap<>();
  /** Per parameter: the factor on the learning rate (absent = 1). */
  final Map<String, Float> scales = new HashMap<>();

  private final boolean adam;
  private final float momentum;
  private final float weightDecay;
  private final MutableLearningRate learningRate;

  OwnedOptimizer(boolean adam, float momentum, float weightDecay,
      MutableLearningRate learningRate) {
    super(new Builder());
    this.adam = adam;
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.learningRate = learningRate;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    long t = counts.merge(parameterId, 1L, Long::sum);
    float lr = (float) (learningRate.get() * scales.getOrDefault(parameterId, 1f));
    if (adam) {
      double c1 = 1.0 - Math.pow(BETA1, t);
      double c2 = 1.0 - Math.pow(BETA2, t);
      float corrected = (float) (lr * Math.sqrt(c2) / c1);
      NDArray m = first.computeIfAbsent(parameterId, k -> weight.zerosLike());
      NDArray v = second.computeIfAbsent(parameterId, k -> weight.zerosLike());
      weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight),
          lr, corrected, weightDecay, 1f, -1f, BETA1, BETA2, EPSILON, true, false);
    } else if (momentum != 0f) {
      NDArray state = first.computeIfAbsent(parameterId, k -> weight.zerosLike());
      weight.getNDArrayInternal().sgdUpdate(new NDList(weight, grad, state), new NDList(weight),
          lr, weightDecay, 1f, -1f, momentum, true);
    } else {
      weight.getNDArrayInternal().sgdUpdate(new NDList(weight, grad), new NDList(weight), lr,
          weightDecay, 1f, -1f, 0f, true);
    }
  }

  /** Whether this optimizer keeps a second moment per parameter. */
  boolean isAdam() {
    return adam;
  }

  /** Whether this optimizer keeps a first moment or velocity per parameter. */
  boolean keepsFirst() {
    return adam || momentum != 0f;
  }

  /** Releases the state arrays. */
  void clearState() {
    first.values().forEach(NDArray::close);
    second.values().forEach(NDArray::close);
    first.clear();
    second.clear();
    counts.clear();
  }

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
