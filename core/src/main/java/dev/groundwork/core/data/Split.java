package dev.groundwork.core.data;

import java.util.Objects;
import java.util.Optional;

/**
 * A train / optional validation / test split of one dataset, or a dataset's published partitions.
 *
 * @param train the training examples
 * @param validation the validation examples, if the split has them
 * @param test the held-out examples
 */
public record Split(Dataset train, Optional<Dataset> validation, Dataset test) {

  /** Checks the parts are present and share a spec. */
  public Split {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(test, "test");
    if (!train.spec().equals(test.spec())
        || validation.map(v -> !v.spec().equals(train.spec())).orElse(false)) {
      throw new IllegalArgumentException("split parts must share a spec: train " + train.spec()
          + ", test " + test.spec());
    }
  }

  /** A train/test split. */
  public static Split of(Dataset train, Dataset test) {
    return new Split(train, Optional.empty(), test);
  }

  /** The spec shared by every part. */
  public DatasetSpec spec() {
    return train.spec();
  }

  /** A small table: each part's name, size and origin. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(java.util.Locale.ROOT, "Split  %s%n", train.spec()));
    row(sb, "train", train);
    validation.ifPresent(v -> row(sb, "validation", v));
    row(sb, "test", test);
    sb.append("origin: ").append(train.origin());
    return sb.toString();
  }

  private static void row(StringBuilder sb, String part, Dataset d) {
    sb.append(String.format(java.util.Locale.ROOT, "  %-10s %7d  %s%n", part, d.size(), d.name()));
  }
}
