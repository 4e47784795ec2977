package dev.groundwork.core.train;

import dev.groundwork.core.weights.WeightLoadReport;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The steps of a {@link FineTune}: the weight load, the head-only fit and the full fit with
 * discriminative learning rates.
 *
 * @param model the model's name
 * @param load what the pretrained load did, if weights were given
 * @param backbonePrefix the backbone's parameter prefix
 * @param headPrefix the head's parameter prefix
 * @param headPhase the fit with the backbone frozen, if it ran
 * @param fullPhase the fit of everything, if it ran
 * @param learningRate the head's learning rate in both steps
 * @param backboneFactor the backbone's rate as a fraction of the head's in the full step
 */
public record FineTuneResult(String model, Optional<WeightLoadReport> load, String backbonePrefix,
    String headPrefix, Optional<FitResult> headPhase, Optional<FitResult> fullPhase,
    double learningRate, double backboneFactor) implements dev.groundwork.core.report.Renderable {

  /** Checks the parts. */
  public FineTuneResult {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(load, "load");
    Objects.requireNonNull(headPhase, "headPhase");
    Objects.requireNonNull(fullPhase, "fullPhase");
  }

  /** The last fit that ran. */
  public FitResult lastPhase() {
    return fullPhase.orElseGet(headPhase::orElseThrow);
  }

  /** The validation accuracy after the last epoch, or NaN without validation data. */
  public double finalValidationAccuracy() {
    return lastPhase().last().validationAccuracy();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("FineTune  ").append(model).append('\n');
    int step = 1;
    if (load.isPresent()) {
      sb.append(String.format(Locale.ROOT, "step %d: load pretrained weights into %s* (the rest "
          + "freshly initialized)%n", step++, backbonePrefix));
      sb.append(load.get().toString().indent(2));
    }
    if (headPhase.isPresent()) {
      sb.append(String.format(Locale.ROOT, "step %d: train the new layers, %s* frozen (lr %.2e)%n",
          step++, backbonePrefix, learningRate));
      sb.append(headPhase.get().toString().indent(2));
    }
    if (fullPhase.isPresent()) {
      sb.append(String.format(Locale.ROOT, "step %d: unfreeze, train everything (head lr %.2e, "
          + "%s* lr × %s)%n", step, learningRate, backbonePrefix, backboneFactor));
      sb.append(fullPhase.get().toString().indent(2));
    }
    return sb.toString().stripTrailing();
  }

  /** This result as a report section (see {@link dev.groundwork.core.report.Sections#fineTune}). */
  @Override
  public dev.groundwork.core.report.Section toSection() {
    return dev.groundwork.core.report.Sections.fineTune(this);
  }
}
