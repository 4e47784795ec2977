package dev.groundwork.core.train;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The measurements an {@link OverfitCheck} bases its diagnosis on, as an expert would look at
 * them: what enters the model, the loss against the label entropy and a zero-input baseline, the
 * loss in training mode against inference mode, how far the parameters moved, and how spread the
 * outputs are. {@code NaN} or empty where a measurement was not taken.
 *
 * @param inputs per-channel statistics of the subset's inputs (one entry for non-image tensors;
 *     empty for texts)
 * @param priorEntropy the entropy of the subset's label distribution (the best loss without
 *     inputs), nats
 * @param initialLoss mean loss on the subset before training (inference mode)
 * @param finalLoss mean loss on the subset at the end (inference mode)
 * @param baselineLoss the final loss of the same architecture trained on zeroed inputs
 * @param trainingModeLoss the final loss on the subset with dropout, noise and batch statistics
 *     active (backends with {@link dev.groundwork.core.model.TrainingModeProbe})
 * @param neighbourAccuracy how often an input's nearest other input has its label (NaN for texts)
 * @param chance the share of the most frequent class
 * @param trainingModeVariation how much two training-mode passes over one batch differ (mean
 *     |Δp| per example, halved): above 0 with dropout or noise layers; NaN if not measured
 * @param narrowestLayer the fewest outputs of any weight before the last one (a bottleneck);
 *     0 when the model has a single weight
 * @param parameterChange {@code ‖θ_end − θ_start‖ / ‖θ_start‖} over the trainable parameters
 * @param parameterNormRatio {@code ‖θ_end‖ / ‖θ_start‖} over the trainable parameters
 * @param outputSpread the largest {@code ln(p_max / p_min)} over examples at the end: the width of
 *     the range the logits span (at most 1 after a softmax or sigmoid on the last layer)
 * @param outputsVaryAtInit whether the untrained model's outputs differ between examples
 * @param learningRate the learning rate the steps used
 * @param configuredLearningRate the learning rate of the model's configuration
 * @param batchNorm whether the model's examples mix in training mode only (batch norm)
 */
public record OverfitEvidence(List<InputStats> inputs, double priorEntropy, double initialLoss,
    double finalLoss, OptionalDouble baselineLoss, OptionalDouble trainingModeLoss,
    double neighbourAccuracy, double chance, double trainingModeVariation, int narrowestLayer,
    double parameterChange, double parameterNormRatio, double outputSpread,
    boolean outputsVaryAtInit, double learningRate, double configuredLearningRate,
    boolean batchNorm) {

  /** Copies the list. */
  public OverfitEvidence {
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(baselineLoss, "baselineLoss");
    Objects.requireNonNull(trainingModeLoss, "trainingModeLoss");
  }

  /**
   * Statistics of one input channel over the subset.
   *
   * @param channel the channel index (0 for inputs without channels)
   * @param min the smallest value
   * @param max the largest value
   * @param mean the mean
   * @param std the standard deviation
   */
  public record InputStats(int channel, double min, double max, double mean, double std) {

    /** Whether the values are far from a normalised range ([0, 1], [-1, 1] or standardised). */
    public boolean outsideNormalisedRange() {
      double largest = Math.max(Math.abs(min), Math.abs(max));
      return largest > OverfitCheck.MAX_NORMALISED_INPUT
          || (largest > 0 && largest < OverfitCheck.MIN_NORMALISED_INPUT);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "channel %d: min %.3g max %.3g mean %.3g std %.3g",
          channel, min, max, mean, std);
    }
  }

  /** Whether any input channel is far from a normalised range. */
  public boolean inputsOutsideNormalisedRange() {
    return inputs.stream().anyMatch(InputStats::outsideNormalisedRange);
  }

  /** The evidence as rows of (what, value). */
  public List<String[]> rows() {
    List<String[]> rows = new java.util.ArrayList<>();
    for (InputStats s : inputs) {
      rows.add(new String[] {"input " + s.channel(), String.format(Locale.ROOT,
          "min %.3g · max %.3g · mean %.3g · std %.3g%s", s.min(), s.max(), s.mean(), s.std(),
          s.outsideNormalisedRange() ? "  (outside a normalised range)" : "")});
    }
    rows.add(new String[] {"loss", String.format(Locale.ROOT,
        "init %s → final %s · label entropy %.3g%s%s", OverfitCheck.fmt(initialLoss),
        OverfitCheck.fmt(finalLoss), priorEntropy,
        baselineLoss.isPresent() ? " · zero-input baseline " + OverfitCheck.fmt(
            baselineLoss.getAsDouble()) : "",
        trainingModeLoss.isPresent() ? " · in training mode " + OverfitCheck.fmt(
            trainingModeLoss.getAsDouble()) : "")});
    if (!Double.isNaN(trainingModeVariation)) {
      rows.add(new String[] {"modes", String.format(Locale.ROOT, "two training-mode passes over "
          + "one batch differ by %.2g%s", trainingModeVariation,
          trainingModeVariation > OverfitCheck.MIN_STOCHASTIC ? " (dropout or noise)" : "")});
    }
    if (!Double.isNaN(neighbourAccuracy)) {
      rows.add(new String[] {"labels", String.format(Locale.ROOT, "nearest input has the same "
          + "label %.0f%% of the time · chance %.0f%%", 100 * neighbourAccuracy, 100 * chance)});
    }
    rows.add(new String[] {"parameters", String.format(Locale.ROOT,
        "moved %.2g of their norm · norm ×%.3g · lr %.3g (configured %.3g)%s%s", parameterChange,
        parameterNormRatio, learningRate, configuredLearningRate,
        narrowestLayer > 0 ? " · narrowest layer " + narrowestLayer : "",
        batchNorm ? " · batch norm" : "")});
    rows.add(new String[] {"outputs", String.format(Locale.ROOT,
        "logit spread %.3g at the end · %s at init", outputSpread,
        outputsVaryAtInit ? "vary between examples" : "identical for every example")});
    return rows;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows()) {
      sb.append(String.format(Locale.ROOT, "  %-10s  %s%n", r[0], r[1]));
    }
    return sb.toString();
  }
}
