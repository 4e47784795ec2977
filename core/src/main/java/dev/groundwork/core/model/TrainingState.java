package dev.groundwork.core.model;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.weights.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a trainable model needs to continue training exactly where it stopped: the parameter
 * values, the optimizer's state, which parameters are frozen, the learning rate and its
 * per-parameter scales.
 *
 * <p>Optimizer tensors are named {@code <slot>/<parameter>}, e.g. {@code adam.m/head_weight};
 * {@link #updates()} holds how many updates each parameter has had (Adam's bias correction).
 *
 * @param model the model's name
 * @param parameters every parameter's values, trainable or not
 * @param optimizer the optimizer's per-parameter state
 * @param updates per parameter, the optimizer updates applied so far
 * @param frozen the names of the frozen parameters
 * @param learningRate the learning rate the next step would use
 * @param learningRateScales per parameter, the factor on the learning rate (absent = 1)
 */
public record TrainingState(String model, List<Tensor> parameters, List<Tensor> optimizer,
    Map<String, Long> updates, Set<String> frozen, double learningRate,
    Map<String, Double> learningRateScales) {

  /** Copies every collection. */
  public TrainingState {
    Objects.requireNonNull(model, "model");
    parameters = List.copyOf(parameters);
    optimizer = List.copyOf(optimizer);
    updates = Map.copyOf(updates);
    frozen = Set.copyOf(frozen);
    learningRateScales = Map.copyOf(learningRateScales);
    InvalidParameterException.check(learningRate > 0 && Double.isFinite(learningRate),
        "learningRate must be a positive finite number, got %s", learningRate);
  }

  /** One line: the model, how many tensors and values, what is frozen, the learning rate. */
  @Override
  public String toString() {
    long values = parameters.stream().mapToLong(t -> t.values().length).sum();
    return String.format(java.util.Locale.ROOT, "TrainingState %s · %d parameter tensors (%,d "
        + "values) · %d optimizer tensors · %d frozen · lr %s%s", model, parameters.size(),
        values, optimizer.size(), frozen.size(), learningRate,
        learningRateScales.isEmpty() ? "" : " · lr scales " + new java.util.TreeMap<>(
            learningRateScales));
  }
}
