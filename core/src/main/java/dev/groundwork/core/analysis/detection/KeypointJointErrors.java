package dev.groundwork.core.analysis.detection;

import com.google.common.collect.ImmutableMap;
import java.util.Map;
import java.util.Objects;

/**
 * The error types of one keypoint over the matched predictions where the ground truth labels it.
 *
 * @param name the keypoint
 * @param counts how many of each type, every type present
 */
public record KeypointJointErrors(String name, Map<KeypointErrorType, Integer> counts) {

  /** Checks and copies, keeping the enum order. */
  public KeypointJointErrors {
    Objects.requireNonNull(name, "name");
    counts = ImmutableMap.copyOf(counts);
  }

  /** The number of this keypoint's predictions of a type. */
  public int count(KeypointErrorType type) {
    return counts.getOrDefault(type, 0);
  }

  /** The number of this keypoint's classified predictions. */
  public int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** One line: the keypoint and the count of each type. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append(':');
    for (KeypointErrorType t : KeypointErrorType.values()) {
      sb.append(' ').append(t.label()).append(' ').append(count(t));
    }
    return sb.append(" (").append(total()).append(')').toString();
  }
}
