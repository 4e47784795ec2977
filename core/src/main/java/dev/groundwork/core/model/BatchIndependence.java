package dev.groundwork.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the examples of a batch stay independent inside a model: the gradient of example
 * {@code i}'s loss with respect to every other example's input must be exactly zero. A wrong
 * reshape or transpose, or a layer that pools over the batch, breaks it; batch norm in training
 * mode mixes examples by design (its statistics are the batch's) and is reported as such.
 *
 * @param example the position of example {@code i} in the batch
 * @param batchSize the batch's size
 * @param independent whether no other example's input reaches example {@code i}'s loss in
 *     training mode
 * @param mixedWith the ids of the examples whose inputs reach it (empty when independent)
 * @param largestLeak the largest |gradient| on another example's input
 * @param ownGradient the largest |gradient| on example {@code i}'s own input (should be above 0)
 * @param firstMixingLayer the first layer after which outputs mix, when the backend can tell
 * @param batchNormByDesign whether the mixing disappears in inference mode and the model has
 *     batch norm: mixing by design, not a bug
 */
public record BatchIndependence(int example, int batchSize, boolean independent,
    List<String> mixedWith, double largestLeak, double ownGradient,
    Optional<String> firstMixingLayer, boolean batchNormByDesign) {

  /** Copies the list. */
  public BatchIndependence {
    mixedWith = List.copyOf(mixedWith);
    Objects.requireNonNull(firstMixingLayer, "firstMixingLayer");
  }

  /** Whether the result points at a bug: mixing that batch norm does not explain. */
  public boolean suspicious() {
    return !independent && !batchNormByDesign;
  }

  /** One line for a report. */
  public String detail() {
    if (independent) {
      return String.format(Locale.ROOT, "example %d of a batch of %d: its loss depends on no "
          + "other example's input (largest other gradient %.1g, own %.2g)", example, batchSize,
          largestLeak, ownGradient);
    }
    String where = firstMixingLayer.map(l -> " from layer " + l).orElse("");
    if (batchNormByDesign) {
      return String.format(Locale.ROOT, "examples mix%s in training mode only: batch norm uses "
          + "the batch's statistics by design (independent in inference mode)", where);
    }
    return String.format(Locale.ROOT, "example %d's loss depends on the inputs of %d other "
        + "examples%s (largest gradient %.2g): a reshape, transpose or reduction over the batch "
        + "axis mixes examples", example, mixedWith.size(), where, largestLeak);
  }

  @Override
  public String toString() {
    return "BatchIndependence  " + (independent ? "OK" : batchNormByDesign ? "BY DESIGN"
        : "MIXING") + "  " + detail();
  }
}
