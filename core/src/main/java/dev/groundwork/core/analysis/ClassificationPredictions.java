package dev.groundwork.core.analysis;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Fingerprint;
import dev.groundwork.core.data.LabelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a classifier predicted for a set of labeled examples: ids, true labels, class names, one
 * probability row per example, optional metadata attributes (for slicing) and optional embeddings
 * (for failure clusters). The input of every classification analysis.
 *
 * <p>Immutable: arrays are copied on the way in and out. Every factory checks the data and throws a
 * {@link DataFormatException} or {@link LabelException} naming the record (its index, or its line
 * for files) and what was expected: counts that differ, duplicate ids, NaN/Inf or negative scores,
 * rows not summing to 1 within the tolerance (default {@value #DEFAULT_TOLERANCE}), unknown labels.
 *
 * <pre>{@code
 * var p = ClassificationPredictions.of(ids, labels, probs, classes);   // probs: n × C row-major
 * var q = ClassificationPredictions.fromDataset(test, model.predict(test));
 * var r = ClassificationPredictions.readCsv(Path.of("preds.csv"));     // served elsewhere
 * }</pre>
 */
public final class ClassificationPredictions {

  /** The default tolerance on |Σ p − 1| for a probability row. */
  public static final double DEFAULT_TOLERANCE = 1e-3;

  private final String source;
  private final List<String> ids;
  private final int[] labels;
  private final List<String> classes;
  final float[] probs;
  final List<AttributeColumn> attributes;
  final float[] embeddings;
  private final int embeddingDim;
  private final Dataset dataset;
  private volatile Fingerprint fingerprint;

  private ClassificationPredictions(String source, List<String> ids, int[] labels,
      List<String> classes, float[] probs, List<AttributeColumn> attributes, float[] embeddings,
      int embeddingDim, Dataset dataset) {
    this.source = source;
    this.ids = ids;
    this.labels = labels;
    this.classes = classes;
    this.probs = probs;
    this.attributes = List.copyOf(attributes);
    this.embeddings = embeddings;
    this.embeddingDim = embeddingDim;
    this.dataset = dataset;
  }

  // ------------------------------------------------------------------ factories

  /**
   * Predictions from probabilities.
   *
   * @param ids one unique id per example
   * @param labels the true class index of each example
   * @param probs {@code n × C} probabilities, row-major; each row non-negative, finite, summing to
   *     1 within {@value #DEFAULT_TOLERANCE}
   * @param classes the {@code C} class names
   */
  public static ClassificationPredictions of(List<String> ids, int[] labels, float[] probs,
      List<String> classes) {
    return of(ids, labels, probs, classes, List.of(), DEFAULT_TOLERANCE);
  }

  /**
   * Predictions from probabilities with per-example metadata.
   *
   * @param metadata one map per example (attribute → value), or an empty list for none
   * @param tolerance the accepted |Σ p − 1| of a row, in (0, 1)
   */
  public static ClassificationPredictions of(List<String> ids, int[] labels, float[] probs,
      List<String> classes, List<Map<String, String>> metadata, double tolerance) {
    return create("predictions", ids, labels, probs.clone(), classes, metadata, tolerance, null);
  }

  /** Predictions from unnormalised scores (logits), turned into probabilities by softmax. */
  public static ClassificationPredictions fromLogits(List<String> ids, int[] labels,
      float[] logits, List<String> classes) {
    return fromLogits(ids, labels, logits, classes, List.of());
  }

  /** Like {@link #fromLogits(List, int[], float[], List)} with per-example metadata. */
  public static ClassificationPredictions fromLogits(List<String> ids, int[] labels,
      float[] logits, List<String> classes, List<Map<String, String>> metadata) {
    checkShape("predictions", ids, labels, logits, classes);
    float[] p = softmax("predictions", ids, logits, classes.size(), -1);
    return create("predictions", ids, labels, p, classes, metadata, DEFAULT_TOLERANCE, null);
  }

  /**
   * Predictions for a dataset: ids, labels, classes and metadata come from the dataset, the
   * probabilities ({@code size × classes}, row-major, in dataset order) from a model. The dataset
   * is kept (not copied) so that image attributes and raw-input clusters can decode its inputs.
   */
  public static ClassificationPredictions fromDataset(Dataset dataset, float[] probs) {
    Objects.requireNonNull(dataset, "dataset");
    List<Map<String, String>> meta = new ArrayList<>(dataset.size());
    boolean any = false;
    for (int i = 0; i < dataset.size(); i++) {
      Map<String, String> m = dataset.metadata(i);
      any |= !m.isEmpty();
      meta.add(m);
    }
    return create(dataset.name(), dataset.ids(), dataset.labels(), probs.clone(),
        dataset.classes(), any ? meta : List.of(), DEFAULT_TOLERANCE, dataset);
  }

  /** Reads predictions from a CSV file with the default {@link PredictionFileOptions}. */
  public static ClassificationPredictions readCsv(Path file) {
    return readCsv(file, PredictionFileOptions.defaults());
  }

  /**
   * Reads predictions from a CSV file (header row, RFC 4180 quoting, UTF-8), streaming it: columns
   * {@code id}, {@code label} (a class name), then either one probability column per class named
   * after the class, or a column {@code probs} holding a JSON array; every other column is
   * metadata. See {@code docs/analysis.md} for the exact rules.
   */
  public static ClassificationPredictions readCsv(Path file, PredictionFileOptions options) {
    return PredictionFiles.read(file, options, false);
  }

  /** Reads predictions from a JSON Lines file with the default {@link PredictionFileOptions}. */
  public static ClassificationPredictions readJsonl(Path file) {
    return readJsonl(file, PredictionFileOptions.defaults());
  }

  /**
   * Reads predictions from a JSON Lines file, one object a line: {@code "id"}, {@code "label"},
   * then either {@code "probs": [..]} or one number per class keyed by the class name; every
   * other key is metadata.
   */
  public static ClassificationPredictions readJsonl(Path file, PredictionFileOptions options) {
    return PredictionFiles.read(file, options, true);
  }

  /** Checked construction shared by every factory; {@code probs} is owned by the result. */
  static ClassificationPredictions create(String source, List<String> ids, int[] labels,
      float[] probs, List<String> classes, List<Map<String, String>> metadata, double tolerance,
      Dataset dataset) {
    checkShape(source, ids, labels, probs, classes);
    InvalidParameterException.check(tolerance > 0 && tolerance < 1,
        "tolerance must be in (0, 1), got %s", tolerance);
    List<String> idList = List.copyOf(ids);
    checkIds(source, idList);
    int c = classes.size();
    int[] y = labels.clone();
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0 || y[i] >= c) {
        throw new LabelException(String.format(Locale.ROOT,
            "%s: record %d (id '%s') has label %d, outside the %d classes %s; fix the label or "
                + "add the class", source, i, idList.get(i), y[i], c, abbreviate(classes)),
            source, i);
      }
    }
    checkProbabilities(source, idList, probs, c, tolerance, -1);
    if (!metadata.isEmpty() && metadata.size() != y.length) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "%s: %d metadata maps for %d examples; give one map per example (or none)", source,
          metadata.size(), y.length), source, Math.min(metadata.size(), y.length), null);
    }
    return new ClassificationPredictions(source, idList, y, List.copyOf(classes), probs,
        columnsOf(metadata), null, 0, dataset);
  }

  private static void checkShape(String source, List<String> ids, int[] labels, float[] scores,
      List<String> classes) {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(scores, "probs");
    Objects.requireNonNull(classes, "classes");
    InvalidParameterException.check(!classes.isEmpty(), "classes is empty; give the class names");
    InvalidParameterException.check(new HashSet<>(classes).size() == classes.size(),
        "class names must be unique: %s", classes);
    int c = classes.size();
    if (scores.length % c != 0) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "%s: %d scores is not a whole number of rows of %d classes; record %d is incomplete",
          source, scores.length, c, scores.length / c), source, scores.length / c, null);
    }
    int rows = scores.length / c;
    if (ids.size() != labels.length || rows != labels.length) {
      int first = Math.min(ids.size(), Math.min(labels.length, rows));
      throw new DataFormatException(String.format(Locale.ROOT,
          "%s: the predictions and the ground truth differ in length: %d ids, %d labels, %d "
              + "probability rows of %d classes; record %d is the first without all three",
          source, ids.size(), labels.length, rows, c, first), source, first, null);
    }
  }

  private static void checkIds(String source, List<String> ids) {
    Set<String> seen = new HashSet<>(Math.max(16, ids.size() * 2));
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id == null || !seen.add(id)) {
        throw new DataFormatException(source + ": record " + i + " has "
            + (id == null ? "no id" : "the id '" + id + "' already used by an earlier record")
            + "; ids must be unique", source, i, null);
      }
    }
  }

  /**
   * Checks every row: finite, non-negative, sums to 1 within tolerance.
   *
   * @param line the file line of the (single) row, or -1 to report the row index
   */
  static void checkProbabilities(String source, List<String> ids, float[] p, int c,
      double tolerance, long line) {
    int rows = p.length / c;
    for (int i = 0; i < rows; i++) {
      double sum = 0;
      for (int k = i * c, end = k + c; k < end; k++) {
        float v = p[k];
        if (!Float.isFinite(v)) {
          throw bad(source, ids, i, line, "has a " + v + " probability for class " + (k - i * c),
              "scores must be finite; check the model's output");
        }
        if (v < 0) {
          throw bad(source, ids, i, line, "has a negative probability " + v + " for class "
              + (k - i * c), "probabilities must be ≥ 0; if these are logits, use fromLogits(...) "
              + "or PredictionFileOptions.logits(true)");
        }
        sum += v;
      }
      if (Math.abs(sum - 1) > tolerance) {
        throw bad(source, ids, i, line, String.format(Locale.ROOT,
            "has probabilities summing to %.6g, not 1 ± %.3g", sum, tolerance),
            "if these are logits, use fromLogits(...) or PredictionFileOptions.logits(true); "
                + "otherwise normalise each row");
      }
    }
  }

  static DataFormatException bad(String source, List<String> ids, int row, long line, String what,
      String todo) {
    long record = line >= 0 ? line : row;
    String where = line >= 0 ? "line " + line : "record " + row;
    String id = ids != null && row < ids.size() ? " (id '" + ids.get(row) + "')" : "";
    return new DataFormatException(source + ": " + where + id + " " + what + "; " + todo, source,
        record, null);
  }

  /** Softmax of each row; rejects NaN/Inf logits. */
  static float[] softmax(String source, List<String> ids, float[] logits, int c, long line) {
    float[] p = new float[logits.length];
    for (int r = 0, rows = logits.length / c; r < rows; r++) {
      int o = r * c;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < c; k++) {
        float v = logits[o + k];
        if (!Float.isFinite(v)) {
          throw bad(source, ids, r, line, "has a " + v + " logit for class " + k,
              "scores must be finite; check the model's output");
        }
        max = Math.max(max, v);
      }
      double sum = 0;
      for (int k = 0; k < c; k++) {
        sum += Math.exp(logits[o + k] - max);
      }
      for (int k = 0; k < c; k++) {
        p[o + k] = (float) (Math.exp(logits[o + k] - max) / sum);
      }
    }
    return p;
  }

  private static List<AttributeColumn> columnsOf(List<Map<String, String>> metadata) {
    if (metadata.isEmpty()) {
      return List.of();
    }
    Map<String, AttributeColumn.Builder> builders = new LinkedHashMap<>();
    for (int i = 0; i < metadata.size(); i++) {
      Map<String, String> m = Objects.requireNonNull(metadata.get(i), "metadata map");
      for (String key : m.keySet()) {
        builders.computeIfAbsent(key, k -> new AttributeColumn.Builder(k, metadata.size()));
      }
      for (Map.Entry<String, AttributeColumn.Builder> e : builders.entrySet()) {
        e.getValue().padTo(i);
        e.getValue().add(m.get(e.getKey()));
      }
    }
    List<AttributeColumn> out = new ArrayList<>();
    for (AttributeColumn.Builder b : builders.values()) {
      b.padTo(metadata.size());
      out.add(b.build());
    }
    return out;
  }

  static String abbreviate(List<String> items) {
    return items.size() <= 12 ? items.toString()
        : items.subList(0, 12).toString().replace("]", ", … (" + items.size() + " in all)]");
  }

  // ------------------------------------------------------------------ derived predictions

  /**
   * The same predictions with an embedding per example (e.g. the penultimate layer), used by
   * failure clusters instead of raw inputs.
   *
   * @param embeddings {@code n × dim} floats, row-major, all finite
   */
  public ClassificationPredictions withEmbeddings(float[] embeddings, int dim) {
    Objects.requireNonNull(embeddings, "embeddings");
    InvalidParameterException.check(dim > 0, "embedding dim must be positive, got %s", dim);
    if ((long) dim * size() != embeddings.length) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "%s: %d embedding values are not %d examples × %d dims; record %d is the first without"
              + " a full embedding", source, embeddings.length, size(), dim,
          Math.min(size(), embeddings.length / dim)), source, embeddings.length / dim, null);
    }
    for (int i = 0; i < embeddings.length; i++) {
      if (!Float.isFinite(embeddings[i])) {
        throw bad(source, ids, i / dim, -1, "has a " + embeddings[i] + " embedding value at "
            + "dimension " + i % dim, "embeddings must be finite");
      }
    }
    return new ClassificationPredictions(source, ids, labels, classes, probs, attributes,
        embeddings.clone(), dim, dataset);
  }

  /** The same predictions with a categorical attribute (one value per example, null = missing). */
  public ClassificationPredictions withAttribute(String name, List<String> values) {
    Objects.requireNonNull(name, "name");
    checkColumnLength(name, values.size());
    return withColumn(AttributeColumn.ofValues(name, values));
  }

  /**
   * The same predictions with a categorical attribute given as codes into a list of values, the
   * compact form for millions of examples.
   *
   * @param codes per example an index into {@code values}, or {@code -1} for missing
   */
  public ClassificationPredictions withAttribute(String name, int[] codes, List<String> values) {
    Objects.requireNonNull(name, "name");
    checkColumnLength(name, codes.length);
    String[] dict = values.toArray(String[]::new);
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] < -1 || codes[i] >= dict.length) {
        throw new DataFormatException(String.format(Locale.ROOT,
            "%s: record %d (id '%s') has code %d for attribute '%s', outside [-1, %d)", source, i,
            ids.get(i), codes[i], name, dict.length), source, i, null);
      }
    }
    return withColumn(AttributeColumn.categorical(name, codes.clone(), dict));
  }

  /** The same predictions with a numeric attribute (NaN = missing), sliced by quantile bins. */
  public ClassificationPredictions withNumericAttribute(String name, double[] values) {
    Objects.requireNonNull(name, "name");
    checkColumnLength(name, values.length);
    for (int i = 0; i < values.length; i++) {
      if (Double.isInfinite(values[i])) {
        throw bad(source, ids, i, -1, "has an infinite value for attribute '" + name + "'",
            "use NaN for a missing value");
      }
    }
    return withColumn(AttributeColumn.numeric(name, values.clone()));
  }

  private void checkColumnLength(String name, int length) {
    if (length != size()) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "%s: attribute '%s' has %d values for %d examples; record %d is the first without a "
              + "match", source, name, length, size(), Math.min(length, size())), source,
          Math.min(length, size()), null);
    }
  }

  ClassificationPredictions withColumn(AttributeColumn column) {
    List<AttributeColumn> cols = new ArrayList<>(attributes);
    cols.removeIf(a -> a.name.equals(column.name));
    cols.add(column);
    return new ClassificationPredictions(source, ids, labels, classes, probs, cols, embeddings,
        embeddingDim, dataset);
  }

  /**
   * These predictions reordered to match a dataset, with its labels checked and its metadata
   * added (the dataset's values win). Use it to join predictions read from a file with the ground
   * truth.
   *
   * @throws DataFormatException naming the first id found in only one of the two, or a count
   *     mismatch
   * @throws LabelException naming the first record whose label differs from the dataset's
   */
  public ClassificationPredictions alignTo(Dataset truth) {
    Objects.requireNonNull(truth, "truth");
    if (!truth.classes().equals(classes)) {
      throw new LabelException(source + " has classes " + abbreviate(classes) + " but "
          + truth.name() + " has " + abbreviate(truth.classes())
          + "; use the same class list in the same order", source, -1);
    }
    Map<String, Integer> pos = new HashMap<>(size() * 2);
    for (int i = 0; i < size(); i++) {
      pos.put(ids.get(i), i);
    }
    int[] order = new int[truth.size()];
    for (int i = 0; i < truth.size(); i++) {
      Integer p = pos.get(truth.id(i));
      if (p == null) {
        throw new DataFormatException(source + ": the ground truth " + truth.name()
            + " has the id '" + truth.id(i) + "' (record " + i + ") but the predictions do not; "
            + "predict every example of the dataset", source, i, null);
      }
      if (labels[p] != truth.label(i)) {
        throw new LabelException(String.format(Locale.ROOT,
            "%s: record %d (id '%s') has label %s but the ground truth %s says %s; the files "
                + "disagree", source, p, ids.get(p), classes.get(labels[p]), truth.name(),
            classes.get(truth.label(i))), source, p);
      }
      order[i] = p;
    }
    if (truth.size() != size()) {
      Set<String> truthIds = new HashSet<>(truth.ids());
      for (int i = 0; i < size(); i++) {
        if (!truthIds.contains(ids.get(i))) {
          throw new DataFormatException(source + ": record " + i + " has the id '" + ids.get(i)
              + "' which is not in the ground truth " + truth.name()
              + "; the predictions and the ground truth must have the same ids", source, i, null);
        }
      }
    }
    int c = classes.size();
    float[] p = new float[order.length * c];
    List<String> newIds = new ArrayList<>(order.length);
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(probs, order[i] * c, p, i * c, c);
      newIds.add(ids.get(order[i]));
    }
    List<AttributeColumn> cols = new ArrayList<>();
    for (AttributeColumn a : attributes) {
      cols.add(a.select(order));
    }
    float[] emb = null;
    if (embeddings != null) {
      emb = new float[order.length * embeddingDim];
      for (int i = 0; i < order.length; i++) {
        System.arraycopy(embeddings, order[i] * embeddingDim, emb, i * embeddingDim,
            embeddingDim);
      }
    }
    ClassificationPredictions out = new ClassificationPredictions(source, List.copyOf(newIds),
        truth.labels(), classes, p, cols, emb, embeddingDim, truth);
    List<Map<String, String>> meta = new ArrayList<>();
    Set<String> keys = new java.util.LinkedHashSet<>();
    for (int i = 0; i < truth.size(); i++) {
      meta.add(truth.metadata(i));
      keys.addAll(truth.metadata(i).keySet());
    }
    for (AttributeColumn col : columnsOf(keys.isEmpty() ? List.of() : meta)) {
      out = out.withColumn(col);
    }
    return out;
  }

  // ------------------------------------------------------------------ accessors

  /** Where the predictions come from (a file, a dataset name, or {@code predictions}). */
  public String source() {
    return source;
  }

  /** The number of examples. */
  public int size() {
    return labels.length;
  }

  /** The class names, in label order. */
  public List<String> classes() {
    return classes;
  }

  /** The number of classes. */
  public int numClasses() {
    return classes.size();
  }

  /** The ids, in order. */
  public List<String> ids() {
    return ids;
  }

  /** The id of example {@code i}. */
  public String id(int i) {
    return ids.get(i);
  }

  /** The true labels (a copy). */
  public int[] labels() {
    return labels.clone();
  }

  /** The true label of example {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** The probabilities, {@code n × C} row-major (a copy). */
  public float[] probabilities() {
    return probs.clone();
  }

  /** The probability of class {@code c} for example {@code i}. */
  public float probability(int i, int c) {
    Objects.checkIndex(c, classes.size());
    return probs[i * classes.size() + c];
  }

  /** The predicted class (argmax, the lowest index on ties) of example {@code i}. */
  public int predicted(int i) {
    return argmax(probs, i * classes.size(), classes.size());
  }

  static int argmax(float[] p, int offset, int c) {
    int best = 0;
    float bv = p[offset];
    for (int k = 1; k < c; k++) {
      if (p[offset + k] > bv) {
        bv = p[offset + k];
        best = k;
      }
    }
    return best;
  }

  /** The names of the metadata attributes. */
  public List<String> attributes() {
    return attributes.stream().map(a -> a.name).toList();
  }

  /** The metadata of example {@code i} (missing values left out). */
  public Map<String, String> metadata(int i) {
    Objects.checkIndex(i, size());
    Map<String, String> m = new LinkedHashMap<>();
    for (AttributeColumn a : attributes) {
      String v = a.value(i);
      if (v != null) {
        m.put(a.name, v);
      }
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The embeddings ({@code n × embeddingDim}, a copy), if given. */
  public Optional<float[]> embeddings() {
    return embeddings == null ? Optional.empty() : Optional.of(embeddings.clone());
  }

  /** The embedding dimension, 0 without embeddings. */
  public int embeddingDim() {
    return embeddingDim;
  }

  /** The dataset the predictions were made for, when built with {@link #fromDataset}. */
  public Optional<Dataset> dataset() {
    return Optional.ofNullable(dataset);
  }

  /**
   * SHA-256 over the classes, and each example's id, label, probabilities, metadata and
   * embedding, in order; computed once.
   */
  public Fingerprint fingerprint() {
    Fingerprint f = fingerprint;
    if (f == null) {
      Hasher h = Hashing.sha256().newHasher();
      h.putString(String.join("\u0000", classes), StandardCharsets.UTF_8);
      for (int i = 0; i < ids.size(); i++) {
        h.putString(ids.get(i), StandardCharsets.UTF_8).putByte((byte) 0);
      }
      putInts(h, labels);
      putFloats(h, probs);
      for (AttributeColumn a : attributes) {
        h.putString(a.name, StandardCharsets.UTF_8).putByte((byte) 0);
        if (a.isNumeric()) {
          ByteBuffer b = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
          for (double v : a.numbers) {
            if (!b.hasRemaining()) {
              h.putBytes(b.array(), 0, b.position());
              b.clear();
            }
            b.putDouble(v);
          }
          h.putBytes(b.array(), 0, b.position());
        } else {
          h.putString(String.join("\u0000", a.dictionary), StandardCharsets.UTF_8);
          putInts(h, a.codes);
        }
      }
      if (embeddings != null) {
        h.putInt(embeddingDim);
        putFloats(h, embeddings);
      }
      f = new Fingerprint(h.hash().toString(), size());
      fingerprint = f;
    }
    return f;
  }

  private static void putInts(Hasher h, int[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * 8192).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      if (!b.hasRemaining()) {
        h.putBytes(b.array(), 0, b.position());
        b.clear();
      }
      b.putInt(v);
    }
    h.putBytes(b.array(), 0, b.position());
  }

  private static void putFloats(Hasher h, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * 8192).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      if (!b.hasRemaining()) {
        h.putBytes(b.array(), 0, b.position());
        b.clear();
      }
      b.putFloat(v);
    }
    h.putBytes(b.array(), 0, b.position());
  }

  int[] labelsView() {
    return labels;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ClassificationPredictions %s: %d examples × %d classes %s,"
        + " attributes %s%s", source, size(), classes.size(), abbreviate(classes), attributes(),
        embeddings == null ? "" : ", embeddings " + embeddingDim + "-d");
  }
}
