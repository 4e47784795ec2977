package dev.groundwork.core.data;

import dev.groundwork.core.InvalidParameterException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which columns of a CSV or JSONL table hold the label, the input and the metadata; immutable.
 *
 * <p>The input is either numeric feature columns ({@link Builder#features(String...)} or {@link
 * Builder#allOtherColumnsAsFeatures()}) or one text column ({@link Builder#text(String)}), never
 * both. For JSONL the "columns" are the keys of each line's object.
 *
 * <pre>{@code
 * TableOptions opts = TableOptions.builder()
 *     .label("species").features("sepal_len", "sepal_wid").metadata("site")
 *     .skipBadRecords(true).build();
 * }</pre>
 */
public final class TableOptions {

  private final String label;
  private final List<String> features;
  private final boolean allOtherColumnsAsFeatures;
  private final String text;
  private final List<String> metadata;
  private final String id;
  private final List<String> classes;
  private final char delimiter;
  private final boolean skipBadRecords;

  private TableOptions(Builder b) {
    this.label = b.label;
    this.features = b.features == null ? List.of() : List.copyOf(b.features);
    this.allOtherColumnsAsFeatures = b.allOther;
    this.text = b.text;
    this.metadata = List.copyOf(b.metadata);
    this.id = b.id;
    this.classes = b.classes == null ? null : List.copyOf(b.classes);
    this.delimiter = b.delimiter;
    this.skipBadRecords = b.skipBadRecords;
  }

  /** A new builder; {@link Builder#label(String)} and one kind of input are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The label column. */
  public String label() {
    return label;
  }

  /** The named feature columns, in input order; empty for text or all-other-columns input. */
  public List<String> features() {
    return features;
  }

  /** Whether every column other than label, id and metadata is a feature. */
  public boolean allOtherColumnsAsFeatures() {
    return allOtherColumnsAsFeatures;
  }

  /** The text column, when the input is a text. */
  public Optional<String> text() {
    return Optional.ofNullable(text);
  }

  /** The metadata columns, whose values become each example's metadata as strings. */
  public List<String> metadata() {
    return metadata;
  }

  /** The id column, if ids come from the data rather than from {@code <file name>:<line>}. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** The explicit class list, if given; otherwise the sorted distinct labels are the classes. */
  public Optional<List<String>> classes() {
    return Optional.ofNullable(classes);
  }

  /** The CSV field delimiter (ignored for JSONL). */
  public char delimiter() {
    return delimiter;
  }

  /** Whether bad rows are skipped and listed in the load report instead of failing the load. */
  public boolean skipBadRecords() {
    return skipBadRecords;
  }

  /** The options in one line, e.g. {@code TableOptions[label=y, text=review]}. */
  @Override
  public String toString() {
    String input = text != null ? "text=" + text
        : allOtherColumnsAsFeatures ? "features=<all other columns>" : "features=" + features;
    return "TableOptions[label=" + label + ", " + input
        + (metadata.isEmpty() ? "" : ", metadata=" + metadata)
        + (id == null ? "" : ", id=" + id)
        + (classes == null ? "" : ", classes=" + classes)
        + (delimiter == ',' ? "" : ", delimiter='" + delimiter + "'")
        + (skipBadRecords ? ", skipBadRecords" : "") + "]";
  }

  /** Builds {@link TableOptions}; {@link #build()} checks that the choices fit together. */
  public static final class Builder {
    private String label;
    private List<String> features;
    private boolean allOther;
    private String text;
    private List<String> metadata = List.of();
    private String id;
    private List<String> classes;
    private char delimiter = ',';
    private boolean skipBadRecords;

    private Builder() {}

    /** The column holding each row's class name (required). */
    public Builder label(String column) {
      this.label = column;
      return this;
    }

    /** The numeric feature columns, in the order the feature vector takes them. */
    public Builder features(String... columns) {
      return features(Arrays.asList(columns));
    }

    /** The numeric feature columns, in the order the feature vector takes them. */
    public Builder features(List<String> columns) {
      this.features = new ArrayList<>(columns);
      return this;
    }

    /** Every column except label, id and metadata is a numeric feature, in file order. */
    public Builder allOtherColumnsAsFeatures() {
      this.allOther = true;
      return this;
    }

    /** The column holding each row's text; the input is then a text instead of features. */
    public Builder text(String column) {
      this.text = column;
      return this;
    }

    /** Columns copied into each example's metadata, as strings, for slicing results. */
    public Builder metadata(String... columns) {
      this.metadata = new ArrayList<>(Arrays.asList(columns));
      return this;
    }

    /** The column holding each row's unique id (default: {@code <file name>:<line>}). */
    public Builder id(String column) {
      this.id = column;
      return this;
    }

    /** The class names in label order; a label outside them is an error (default: found labels). */
    public Builder classes(List<String> names) {
      this.classes = new ArrayList<>(names);
      return this;
    }

    /** The CSV field delimiter, {@code ','} by default (e.g. {@code ';'} or {@code '\t'}). */
    public Builder delimiter(char delimiter) {
      this.delimiter = delimiter;
      return this;
    }

    /** Skip bad rows, counting and listing them in the load report, instead of failing. */
    public Builder skipBadRecords(boolean skip) {
      this.skipBadRecords = skip;
      return this;
    }

    /**
     * Checks the options and builds them.
     *
     * @throws InvalidParameterException naming the parameter that is missing, blank, duplicated or
     *     in conflict with another
     */
    public TableOptions build() {
      checkName("label", label);
      int inputs = (features != null ? 1 : 0) + (allOther ? 1 : 0) + (text != null ? 1 : 0);
      InvalidParameterException.check(inputs == 1,
          "features/text: give exactly one of features(...), allOtherColumnsAsFeatures() or "
              + "text(...), got %s", inputs == 0 ? "none" : "several");
      if (features != null) {
        InvalidParameterException.check(!features.isEmpty(),
            "features: give at least one feature column");
        features.forEach(f -> checkName("features", f));
        checkUnique("features", features);
        InvalidParameterException.check(!features.contains(label),
            "features: the label column '%s' cannot also be a feature", label);
      }
      if (text != null) {
        checkName("text", text);
        InvalidParameterException.check(!text.equals(label),
            "text: the label column '%s' cannot also be the text", label);
      }
      metadata.forEach(m -> checkName("metadata", m));
      checkUnique("metadata", metadata);
      if (id != null) {
        checkName("id", id);
        InvalidParameterException.check(!id.equals(label) && !id.equals(text)
            && (features == null || !features.contains(id)),
            "id: the id column '%s' cannot also be the label, the text or a feature", id);
      }
      if (classes != null) {
        InvalidParameterException.check(!classes.isEmpty(), "classes: give at least one class");
        classes.forEach(c -> checkName("classes", c));
        checkUnique("classes", classes);
      }
      InvalidParameterException.check(delimiter != '"' && delimiter != '\n' && delimiter != '\r',
          "delimiter: '%s' cannot separate fields; use e.g. ',', ';' or '\\t'",
          delimiter == '"' ? "\"" : "line break");
      return new TableOptions(this);
    }

    private static void checkName(String parameter, String name) {
      InvalidParameterException.check(name != null && !name.isBlank(),
          "%s: a column or class name must not be null or blank, got %s", parameter,
          name == null ? "null" : "'" + name + "'");
    }

    private static void checkUnique(String parameter, List<String> names) {
      Set<String> seen = new HashSet<>();
      for (String n : names) {
        InvalidParameterException.check(seen.add(n), "%s: '%s' is given twice", parameter, n);
      }
    }
  }

  /** Whether {@code o} is a {@code TableOptions} with the same choices. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TableOptions t && label.equals(t.label) && features.equals(t.features)
        && allOtherColumnsAsFeatures == t.allOtherColumnsAsFeatures && Objects.equals(text, t.text)
        && metadata.equals(t.metadata) && Objects.equals(id, t.id)
        && Objects.equals(classes, t.classes) && delimiter == t.delimiter
        && skipBadRecords == t.skipBadRecords;
  }

  /** A hash of all choices, consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return Objects.hash(label, features, allOtherColumnsAsFeatures, text, metadata, id, classes,
        delimiter, skipBadRecords);
  }
}
