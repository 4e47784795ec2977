package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;
import java.util.List;
import java.util.Objects;

/**
 * How to read a predictions file ({@link ClassificationPredictions#readCsv} and {@link
 * ClassificationPredictions#readJsonl}).
 *
 * <pre>{@code
 * PredictionFileOptions.builder().classes(List.of("cat", "dog")).logits(true).build()
 * }</pre>
 *
 * @param id the id column / key (default {@code id})
 * @param label the true-label column / key, a class name (default {@code label})
 * @param probs the column / key holding a JSON array of scores (default {@code probs}); used when
 *     present, otherwise one column per class, named after the class or by its index ({@code
 *     p0, p1, …} or {@code 0, 1, …}, read without a class list when the labels are indices)
 * @param classes the class names in label order; empty to infer them (see {@code docs/analysis.md})
 * @param logits whether the scores are logits, turned into probabilities by softmax
 * @param tolerance the accepted |Σ p − 1| of a row (default 1e-3), in (0, 1)
 * @param delimiter the CSV field delimiter (default {@code ,})
 */
public record PredictionFileOptions(String id, String label, String probs, List<String> classes,
    boolean logits, double tolerance, char delimiter) {

  /** Checks and copies the options. */
  public PredictionFileOptions {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(probs, "probs");
    classes = List.copyOf(classes);
    InvalidParameterException.check(tolerance > 0 && tolerance < 1,
        "tolerance must be in (0, 1), got %s", tolerance);
    InvalidParameterException.check(delimiter != '"' && delimiter != '\n' && delimiter != '\r',
        "delimiter cannot be a quote or a line break");
    InvalidParameterException.check(!id.equals(label), "id and label columns must differ: %s", id);
  }

  /** The defaults: {@code id}, {@code label}, {@code probs}, inferred classes, probabilities. */
  public static PredictionFileOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link PredictionFileOptions}. */
  public static final class Builder {
    private String id = "id";
    private String label = "label";
    private String probs = "probs";
    private List<String> classes = List.of();
    private boolean logits;
    private double tolerance = ClassificationPredictions.DEFAULT_TOLERANCE;
    private char delimiter = ',';

    private Builder() {}

    /** The id column. */
    public Builder id(String column) {
      this.id = column;
      return this;
    }

    /** The true-label column. */
    public Builder label(String column) {
      this.label = column;
      return this;
    }

    /** The column holding a JSON array of scores. */
    public Builder probs(String column) {
      this.probs = column;
      return this;
    }

    /** The class names in label order (needed for a {@code probs} array with named labels). */
    public Builder classes(List<String> names) {
      this.classes = names;
      return this;
    }

    /** Whether the scores are logits (softmax is applied). */
    public Builder logits(boolean yes) {
      this.logits = yes;
      return this;
    }

    /** The accepted |Σ p − 1| of a row. */
    public Builder tolerance(double t) {
      this.tolerance = t;
      return this;
    }

    /** The CSV delimiter. */
    public Builder delimiter(char d) {
      this.delimiter = d;
      return this;
    }

    /** Checks and builds the options. */
    public PredictionFileOptions build() {
      return new PredictionFileOptions(id, label, probs, classes, logits, tolerance, delimiter);
    }
  }
}
