package dev.groundwork.core.data;

import java.util.Map;
import java.util.Objects;

/**
 * One decoded example: a stable id, its input, its label (a class index) and metadata for slicing.
 *
 * @param id stable identifier, unique within its dataset (e.g. {@code train-00042})
 * @param input the decoded input
 * @param label the class index into {@link DatasetSpec#classes()}
 * @param metadata attribute → value, used to slice failures later (e.g. {@code source → camera-2})
 */
public record Example(String id, Input input, int label, Map<String, String> metadata) {

  /** Checks the fields and copies the metadata. */
  public Example {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(input, "input");
    metadata = Map.copyOf(metadata);
  }
}
