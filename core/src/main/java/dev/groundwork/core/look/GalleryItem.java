package dev.groundwork.core.look;

import dev.groundwork.core.InvalidParameterException;
import java.util.Objects;

/**
 * One example shown in a {@link Gallery}: where it is, what it is, what the model said.
 *
 * @param index the example's position in the predictions (and in their dataset)
 * @param id the example's id
 * @param label the true class index
 * @param labelName the true class name
 * @param predicted the predicted class index (the argmax, lowest index on ties)
 * @param predictedName the predicted class name
 * @param confidence the probability of the predicted class (finite, {@code >= 0})
 * @param trueProbability the probability of the true class (finite, {@code >= 0})
 */
public record GalleryItem(int index, String id, int label, String labelName, int predicted,
    String predictedName, float confidence, float trueProbability) {

  /** Checks the fields. */
  public GalleryItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(labelName, "labelName");
    Objects.requireNonNull(predictedName, "predictedName");
    InvalidParameterException.check(index >= 0 && label >= 0 && predicted >= 0,
        "gallery item '%s': index %d, label %d and predicted %d must be >= 0", id, index, label,
        predicted);
    InvalidParameterException.check(confidence >= 0 && Float.isFinite(confidence)
        && trueProbability >= 0 && Float.isFinite(trueProbability),
        "gallery item '%s': confidence %s and trueProbability %s must be finite probabilities",
        id, confidence, trueProbability);
  }

  /** Whether the prediction is right. */
  public boolean correct() {
    return label == predicted;
  }
}
