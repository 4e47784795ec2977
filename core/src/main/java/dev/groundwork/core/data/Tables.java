package dev.groundwork.core.data;

import com.google.common.base.Utf8;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Loads small labeled tables, CSV or JSON Lines, into a {@link Dataset} of feature vectors or texts.
 *
 * <p>The whole file is parsed at load into compact arrays, so every problem is found up front: each
 * is a {@link DataException} naming the file, the one-based line the record starts at ({@link
 * DataException#record()}), the column and what to do. With {@link
 * TableOptions.Builder#skipBadRecords(boolean)} bad rows are skipped instead and listed in the
 * {@link Dataset#loadReport()}; problems with the header, the options or the file as a whole are
 * always fatal.
 *
 * <pre>{@code
 * Dataset reviews = Tables.csv(Path.of("reviews.csv"),
 *     TableOptions.builder().label("sentiment").text("review").metadata("source").build());
 * Dataset iris = Tables.jsonl(Path.of("iris.jsonl"),
 *     TableOptions.builder().label("species").allOtherColumnsAsFeatures().build());
 * }</pre>
 *
 * <p>Ids are the id column's values when {@link TableOptions.Builder#id(String)} is given, else
 * {@code <file name>:<line>}. Classes are the explicit list when given, else the distinct labels
 * sorted. Labels, ids and numbers are stripped of surrounding whitespace; texts and metadata values
 * are kept as written.
 */
public final class Tables {

  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final String SKIP_HINT =
      "; or pass skipBadRecords(true) to skip bad rows and list them in the load report";

  private Tables() {}

  /**
   * Loads a CSV file (RFC 4180) whose first row is the header.
   *
   * <p>Fields may be quoted with {@code "}, a quoted field may hold delimiters, line breaks and
   * doubled quotes; a quote inside an unquoted field is kept as a character. The file is UTF-8 with
   * an optional byte-order mark and LF or CRLF line ends; empty lines are ignored. Header names are
   * stripped of surrounding whitespace; every row must have as many fields as the header.
   *
   * @param file the CSV file; the dataset's name is its file name without the extension
   * @param options the label, input, metadata and id columns
   * @return the dataset, with a {@link LoadReport} of skipped rows
   * @throws DataNotFoundException if the file does not exist or cannot be read
   * @throws DataFormatException for a bad header, an unterminated quote, or (unless skipping) a bad
   *     row: wrong field count, a value that is not a finite number, an empty label, text or id, a
   *     duplicate id
   * @throws LabelException (unless skipping) for a label outside the explicit classes
   * @throws EmptyDatasetException if no data row is left
   */
  public static Dataset csv(Path file, TableOptions options) {
    Loader in = new Loader("CSV", "column", file, options);
    CsvReader reader = new CsvReader(read(file, in.path), options.delimiter());
    CsvReader.Row header = reader.next();
    if (header == null) {
      throw new EmptyDatasetException(in.path + " is empty; a CSV file needs a header line naming "
          + "its columns and at least one data row", in.path);
    }
    if (header.openQuoteField() >= 0) {
      throw in.fatal(header.line(), "field " + (header.openQuoteField() + 1),
          "quoted header field is never closed", "close the quote");
    }
    if (header.strayField() >= 0) {
      throw in.fatal(header.line(), "field " + (header.strayField() + 1),
          "unexpected text after a closing quote in the header", "quote the whole name");
    }
    List<String> columns = header.fields().stream().map(String::strip).toList();
    CsvColumns cols = new CsvColumns(in, columns, header.line());
    for (CsvReader.Row row = reader.next(); row != null; row = reader.next()) {
      try {
        cols.read(row);
      } catch (BadRow bad) {
        in.reject(bad);
      }
    }
    return in.finish("add data rows below the header");
  }

  /**
   * Loads a JSON Lines file: one JSON object per line, blank lines ignored.
   *
   * <p>Label, id and metadata values may be strings, numbers or booleans ({@code null} metadata
   * becomes {@code ""}); a feature is a number or an array of numbers, flattened in key order, and
   * every row must give each feature the same number of values. With {@link
   * TableOptions.Builder#allOtherColumnsAsFeatures()} the features are the keys of the first object
   * other than label, id and metadata; a later object with another key is a bad row.
   *
   * @param file the JSONL file (UTF-8); the dataset's name is its file name without the extension
   * @param options the label, input, metadata and id keys ({@link TableOptions#delimiter()} is
   *     ignored)
   * @return the dataset, with a {@link LoadReport} of skipped rows
   * @throws DataNotFoundException if the file does not exist or cannot be read
   * @throws DataFormatException (unless skipping) for malformed JSON (with the character position),
   *     a line that is not an object, a missing key, a value of the wrong type, a non-finite number,
   *     an array of another length, an empty label, text or id, a duplicate id
   * @throws LabelException (unless skipping) for a label outside the explicit classes
   * @throws EmptyDatasetException if no row is left
   */
  public static Dataset jsonl(Path file, TableOptions options) {
    Loader in = new Loader("JSONL", "key", file, options);
    String[] lines = read(file, in.path).split("\n", -1);
    JsonColumns cols = new JsonColumns(in);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        cols.read(i + 1, lines[i]);
      } catch (BadRow bad) {
        in.reject(bad);
      }
    }
    return in.finish("write one JSON object per line");
  }

  /** Reads the file as UTF-8 without a byte-order mark, with line ends turned into {@code \n}. */
  private static String read(Path file, String path) {
    DataFiles.requireRegularFile(file, path, "table file");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DataNotFoundException(path + " cannot be read (" + e.getMessage()
          + "); check its permissions", path, e);
    }
    if (!Utf8.isWellFormed(bytes)) {
      int line = 1;
      for (int i = 0, start = 0; i <= bytes.length; i++) {
        if (i == bytes.length || bytes[i] == '\n') {
          if (!Utf8.isWellFormed(bytes, start, i - start)) {
            break;
          }
          line++;
          start = i + 1;
        }
      }
      throw new DataFormatException(path + ": bytes that are not UTF-8 at line " + line
          + "; save the file as UTF-8", path, line, null);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return text.replace("\r\n", "\n").replace('\r', '\n');
  }

  private static String quoted(String value) {
    String v = value.length() <= 40 ? value : value.substring(0, 37) + "...";
    return "'" + v + "'";
  }

  // ------------------------------------------------------------------ rows to arrays

  /** A bad row: where it is, what is wrong and what to do; fatal or skipped by the loader. */
  private static final class BadRow extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final String where;
    final String what;
    final String advice;
    final boolean label;

    BadRow(int line, String where, String what, String advice, boolean label) {
      super(what, null, false, false);
      this.line = line;
      this.where = where;
      this.what = what;
      this.advice = advice;
      this.label = label;
    }

    BadRow(int line, String where, String what, String advice) {
      this(line, where, what, advice, false);
    }

    String place() {
      return what + " at line " + line + (where.isEmpty() ? "" : ", " + where);
    }
  }

  /** Collects checked rows into compact arrays and builds the dataset. */
  private static final class Loader {
    final String format;
    final String word;
    final TableOptions options;
    final String path;
    final String fileName;
    final Set<String> classes;

    List<String> featureNames;
    int[] widths;
    int[] widthLines;
    float[] values = new float[1024];
    int valueCount;
    final List<String> labels = new ArrayList<>();
    final List<String> texts = new ArrayList<>();
    final List<String> ids = new ArrayList<>();
    final List<String> meta = new ArrayList<>();
    final Map<String, Integer> idLines = new HashMap<>();
    int skipped;
    final List<String> problems = new ArrayList<>();

    Loader(String format, String word, Path file, TableOptions options) {
      Objects.requireNonNull(file, "file");
      this.format = format;
      this.word = word;
      this.options = Objects.requireNonNull(options, "options");
      this.path = file.toAbsolutePath().normalize().toString();
      this.fileName = file.getFileName() == null ? path : file.getFileName().toString();
      this.classes = options.classes().<Set<String>>map(HashSet::new).orElse(null);
    }

    String where(String name) {
      return word + " " + quoted(name);
    }

    void features(List<String> names) {
      featureNames = List.copyOf(names);
      widths = new int[names.size()];
      Arrays.fill(widths, -1);
      widthLines = new int[names.size()];
    }

    DataFormatException fatal(int line, String where, String what, String advice) {
      return new DataFormatException(path + ": " + new BadRow(line, where, what, advice).place()
          + "; " + advice, path, line, null);
    }

    float number(int line, String column, String raw) {
      String t = raw.strip();
      if (t.isEmpty()) {
        throw new BadRow(line, where(column), "missing feature value",
            "give every feature a number");
      }
      if (!NUMBER.matcher(t).matches()) {
        throw new BadRow(line, where(column), "expected a finite number, found " + quoted(t),
            "fix the value (decimal numbers only, no NaN or Infinity)");
      }
      return finite(line, column, Double.parseDouble(t), t);
    }

    float finite(int line, String column, double value, String text) {
      float f = (float) value;
      if (!Float.isFinite(f)) {
        throw new BadRow(line, where(column), "value " + quoted(text) + " is outside the float "
            + "range", "scale the feature into float range");
      }
      return f;
    }

    /** Checks the row's label, text and id and appends it; nothing is appended if it is bad. */
    void add(int line, String label, float[] feats, int[] counts, String text,
        List<String> metaValues, String id) {
      String l = label == null ? "" : label.strip();
      if (l.isEmpty()) {
        throw new BadRow(line, where(options.label()), "empty label",
            "give every row a class name");
      }
      if (classes != null && !classes.contains(l)) {
        throw new BadRow(line, where(options.label()), "label " + quoted(l)
            + " is not one of the classes " + options.classes().orElseThrow(),
            "fix the label or add it to classes(...)", true);
      }
      if (text != null && text.isBlank()) {
        throw new BadRow(line, where(options.text().orElseThrow()), "empty text",
            "give every row a text");
      }
      String rowId = fileName + ":" + line;
      if (options.id().isPresent()) {
        rowId = id == null ? "" : id.strip();
        if (rowId.isEmpty()) {
          throw new BadRow(line, where(options.id().get()), "empty id", "give every row an id");
        }
        Integer first = idLines.get(rowId);
        if (first != null) {
          throw new BadRow(line, where(options.id().get()), "id " + quoted(rowId)
              + " already used at line " + first, "make the ids unique");
        }
      }
      if (feats != null) {
        for (int k = 0; k < counts.length; k++) {
          if (widths[k] >= 0 && counts[k] != widths[k]) {
            throw new BadRow(line, where(featureNames.get(k)), counts[k] + " values where line "
                + widthLines[k] + " has " + widths[k], "give every row the same number of values");
          }
        }
        for (int k = 0; k < counts.length; k++) {
          if (widths[k] < 0) {
            widths[k] = counts[k];
            widthLines[k] = line;
          }
        }
        if (valueCount + feats.length > values.length) {
          values = Arrays.copyOf(values, Math.max(values.length * 2, valueCount + feats.length));
        }
        System.arraycopy(feats, 0, values, valueCount, feats.length);
        valueCount += feats.length;
      } else {
        texts.add(text);
      }
      if (options.id().isPresent()) {
        idLines.put(rowId, line);
      }
      labels.add(l);
      ids.add(rowId);
      meta.addAll(metaValues);
    }

    /** Throws the typed exception for a bad row, or counts and lists it when skipping. */
    void reject(BadRow bad) {
      if (!options.skipBadRecords()) {
        String message = path + ": " + bad.place() + "; " + bad.advice + SKIP_HINT;
        throw bad.label ? new LabelException(message, path, bad.line)
            : new DataFormatException(message, path, bad.line, null);
      }
      skipped++;
      if (problems.size() < LoadReport.MAX_PROBLEMS) {
        problems.add(fileName + ": " + bad.place());
      }
    }

    Dataset finish(String emptyAdvice) {
      int n = labels.size();
      if (n == 0) {
        throw new EmptyDatasetException(skipped == 0 ? path + " has no data rows; " + emptyAdvice
            : path + ": all " + skipped + " rows are bad and were skipped, so none is left; first "
                + "problem: " + problems.get(0), path);
      }
      List<String> classList = options.classes().orElseGet(() -> List.copyOf(new TreeSet<>(labels)));
      Map<String, Integer> index = new HashMap<>();
      for (int c = 0; c < classList.size(); c++) {
        index.put(classList.get(c), c);
      }
      int[] y = labels.stream().mapToInt(index::get).toArray();
      int[] counts = new int[classList.size()];
      for (int label : y) {
        counts[label]++;
      }
      List<String> warnings = LoadReport.emptyClasses(classList, counts, c -> "the class list "
          + "names it, but no " + (skipped > 0 ? "row that was kept" : "row") + " of " + fileName
          + " has this label");
      int width = featureNames == null ? 0 : Arrays.stream(widths).sum();
      DatasetSpec spec = featureNames == null ? DatasetSpec.text(classList)
          : DatasetSpec.features(width, classList);
      TableSource source = new TableSource(format + " " + path + " (" + n + " rows)", width,
          featureNames == null ? null : Arrays.copyOf(values, valueCount),
          featureNames == null ? texts.toArray(String[]::new) : null, y, ids.toArray(String[]::new),
          options.metadata(), meta.toArray(String[]::new));
      String name = fileName.lastIndexOf('.') > 0
          ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
      return Dataset.of(name, spec, source,
          new LoadReport(n, skipped, problems).withWarnings(warnings));
    }
  }

  /** The resolved header of a CSV file and the reading of its rows. */
  private static final class CsvColumns {
    final Loader in;
    final List<String> columns;
    final Map<String, Integer> positions = new HashMap<>();
    final Set<String> duplicates = new HashSet<>();
    final int headerLine;
    final int label;
    final int[] features;
    final int[] counts;
    final int text;
    final int[] metadata;
    final int id;

    CsvColumns(Loader in, List<String> columns, int headerLine) {
      this.in = in;
      this.columns = columns;
      this.headerLine = headerLine;
      for (int i = 0; i < columns.size(); i++) {
        if (positions.putIfAbsent(columns.get(i), i) != null) {
          duplicates.add(columns.get(i));
        }
      }
      TableOptions o = in.options;
      label = column(o.label(), "label");
      text = o.text().map(t -> column(t, "text")).orElse(-1);
      id = o.id().map(t -> column(t, "id")).orElse(-1);
      metadata = o.metadata().stream().mapToInt(m -> column(m, "metadata")).toArray();
      if (o.text().isPresent()) {
        features = null;
      } else if (o.allOtherColumnsAsFeatures()) {
        Set<String> taken = new HashSet<>(o.metadata());
        taken.add(o.label());
        o.id().ifPresent(taken::add);
        List<String> rest = columns.stream().filter(c -> !taken.contains(c)).toList();
        if (rest.isEmpty()) {
          throw in.fatal(headerLine, "", "no feature columns left in the header after label, id "
              + "and metadata", "the columns are " + columns + "; add feature columns");
        }
        rest.forEach(c -> column(c, "features"));
        features = rest.stream().mapToInt(positions::get).toArray();
      } else {
        features = o.features().stream().mapToInt(f -> column(f, "features")).toArray();
      }
      if (features != null) {
        in.features(Arrays.stream(features).mapToObj(columns::get).toList());
      }
      counts = features == null ? null : new int[features.length];
      if (counts != null) {
        Arrays.fill(counts, 1);
      }
    }

    private int column(String name, String role) {
      Integer p = positions.get(name);
      if (p == null) {
        throw in.fatal(headerLine, "", "no column " + quoted(name) + " (" + role
            + ") in the header", "the columns are " + columns
            + "; fix the name in TableOptions or in the header");
      }
      if (duplicates.contains(name)) {
        throw in.fatal(headerLine, "", "the header has the column " + quoted(name) + " ("
            + role + ") more than once", "give every column a unique name");
      }
      return p;
    }

    void read(CsvReader.Row row) {
      List<String> f = row.fields();
      if (row.openQuoteField() >= 0) {
        String col = row.openQuoteField() < columns.size() ? in.where(
            columns.get(row.openQuoteField())) : "field " + (row.openQuoteField() + 1);
        throw in.fatal(row.line(), col, "quoted field opened at line " + row.openQuoteLine()
            + " is never closed, so the rest of the file would be one field", "close the quote; "
            + "write a quote inside a quoted field as two quotes (\"\")");
      }
      if (f.size() < columns.size()) {
        throw new BadRow(row.line(), in.where(columns.get(f.size())), "only " + f.size() + " of "
            + columns.size() + " fields (missing column " + quoted(columns.get(f.size())) + ")",
            "give every row a value for each of the columns " + columns);
      }
      if (f.size() > columns.size()) {
        throw new BadRow(row.line(), "", f.size() + " fields, but the header has "
            + columns.size() + " columns",
            "quote fields that contain the delimiter '" + in.options.delimiter() + "'");
      }
      if (row.strayField() >= 0) {
        throw new BadRow(row.line(), in.where(columns.get(row.strayField())),
            "unexpected text after a closing quote", "quote the whole field and double any quote "
            + "inside it");
      }
      float[] feats = null;
      if (features != null) {
        feats = new float[features.length];
        for (int k = 0; k < features.length; k++) {
          feats[k] = in.number(row.line(), columns.get(features[k]), f.get(features[k]));
        }
      }
      List<String> metaValues = new ArrayList<>(metadata.length);
      for (int m : metadata) {
        metaValues.add(f.get(m));
      }
      in.add(row.line(), f.get(label), feats, counts, text < 0 ? null : f.get(text), metaValues,
          id < 0 ? null : f.get(id));
    }
  }

  /** Reads RFC 4180 records from text whose line ends are {@code \n}, tracking physical lines. */
  private static final class CsvReader {
    /**
     * One record.
     *
     * @param line the line it starts at
     * @param fields the field values, unquoted
     * @param strayField the first field with text after its closing quote, or -1
     * @param openQuoteField the field whose quote is never closed, or -1
     * @param openQuoteLine the line that quote opens at
     */
    record Row(int line, List<String> fields, int strayField, int openQuoteField,
        int openQuoteLine) {}

    private final String s;
    private final char delimiter;
    private int pos;
    private int line = 1;

    CsvReader(String s, char delimiter) {
      this.s = s;
      this.delimiter = delimiter;
    }

    /** The next record, skipping empty lines, or {@code null} at the end. */
    Row next() {
      int n = s.length();
      while (pos < n && s.charAt(pos) == '\n') {
        pos++;
        line++;
      }
      if (pos >= n) {
        return null;
      }
      int start = line;
      List<String> fields = new ArrayList<>();
      int stray = -1;
      StringBuilder field = new StringBuilder();
      while (true) {
        if (pos < n && s.charAt(pos) == '"') {
          int quoteLine = line;
          pos++;
          while (true) {
            if (pos >= n) {
              fields.add(field.toString());
              return new Row(start, fields, stray, fields.size() - 1, quoteLine);
            }
            char c = s.charAt(pos++);
            if (c == '"') {
              if (pos < n && s.charAt(pos) == '"') {
                pos++;
              } else {
                break;
              }
            } else if (c == '\n') {
              line++;
            }
            field.append(c);
          }
          if (pos < n && s.charAt(pos) != delimiter && s.charAt(pos) != '\n' && stray < 0) {
            stray = fields.size();
          }
        }
        while (pos < n && s.charAt(pos) != delimiter && s.charAt(pos) != '\n') {
          field.append(s.charAt(pos++));
        }
        fields.add(field.toString());
        field.setLength(0);
        if (pos >= n) {
          break;
        }
        if (s.charAt(pos++) == '\n') {
          line++;
          break;
        }
      }
      return new Row(start, fields, stray, -1, 0);
    }
  }

  /** The keys of a JSONL file and the reading of its lines. */
  private static final class JsonColumns {
    final Loader in;
    final TableOptions o;
    int firstLine;

    JsonColumns(Loader in) {
      this.in = in;
      this.o = in.options;
    }

    void read(int line, String source) {
      Object value;
      try {
        value = new Json(source).document();
      } catch (Json.Error e) {
        throw new BadRow(line, "character " + (e.pos + 1), "malformed JSON (" + e.getMessage()
            + ")", "write one complete JSON object per line");
      }
      if (!(value instanceof Map<?, ?> map)) {
        throw new BadRow(line, "", "expected a JSON object, found " + Json.typeName(value),
            "write one JSON object per line, e.g. {\"" + o.label() + "\": \"...\", ...}");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> obj = (Map<String, Object>) map;
      if (o.text().isEmpty() && in.featureNames == null) {
        firstLine = line;
        if (o.allOtherColumnsAsFeatures()) {
          List<String> rest = obj.keySet().stream().filter(k -> !taken(k)).toList();
          if (rest.isEmpty()) {
            throw in.fatal(line, "", "no feature keys left in the first object after label, id "
                + "and metadata", "its keys are " + obj.keySet() + "; add feature keys");
          }
          in.features(rest);
        } else {
          in.features(o.features());
        }
      }
      float[] feats = null;
      int[] counts = null;
      if (in.featureNames != null) {
        if (o.allOtherColumnsAsFeatures()) {
          for (String k : obj.keySet()) {
            if (!taken(k) && !in.featureNames.contains(k)) {
              throw new BadRow(line, in.where(k), "key not in the first object (line "
                  + firstLine + "), whose other keys are the features " + in.featureNames,
                  "give every object the same keys, or name the features explicitly");
            }
          }
        }
        counts = new int[in.featureNames.size()];
        feats = features(line, obj, counts);
      }
      String text = null;
      if (o.text().isPresent()) {
        Object t = get(line, obj, o.text().get());
        if (t != Json.NULL && !(t instanceof String)) {
          throw new BadRow(line, in.where(o.text().get()), "expected a string, found "
              + Json.typeName(t), "write the text as a JSON string");
        }
        text = t == Json.NULL ? "" : (String) t;
      }
      List<String> metaValues = new ArrayList<>(o.metadata().size());
      for (String m : o.metadata()) {
        metaValues.add(scalar(line, obj, m));
      }
      in.add(line, label(line, obj), feats, counts, text, metaValues,
          o.id().map(k -> scalar(line, obj, k)).orElse(null));
    }

    private boolean taken(String key) {
      return key.equals(o.label()) || o.metadata().contains(key)
          || o.id().map(key::equals).orElse(false);
    }

    private float[] features(int line, Map<String, Object> obj, int[] counts) {
      float[] buf = new float[Math.max(8, counts.length)];
      int len = 0;
      for (int k = 0; k < counts.length; k++) {
        String key = in.featureNames.get(k);
        Object v = get(line, obj, key);
        List<?> items = v instanceof List<?> list ? list : List.of(v);
        if (items.isEmpty()) {
          throw new BadRow(line, in.where(key), "empty array", "give at least one number");
        }
        for (Object item : items) {
          if (!(item instanceof Json.Num num)) {
            throw new BadRow(line, in.where(key), "expected a number"
                + (v instanceof List ? " in the array" : " or an array of numbers") + ", found "
                + Json.typeName(item), "write the feature as a JSON number or array of numbers");
          }
          if (len == buf.length) {
            buf = Arrays.copyOf(buf, len * 2);
          }
          buf[len++] = in.finite(line, key, num.value(), num.text());
        }
        counts[k] = items.size();
      }
      return Arrays.copyOf(buf, len);
    }

    private Object get(int line, Map<String, Object> obj, String key) {
      Object v = obj.get(key);
      if (v == null) {
        throw new BadRow(line, in.where(key), "missing key " + quoted(key) + " (the object has "
            + obj.keySet() + ")", "give every object the key " + quoted(key));
      }
      return v;
    }

    /**
     * The label's class name. A JSON number names the class of its integer value whatever its
     * spelling ({@code 1}, {@code 1.0} and {@code 1e0} are class {@code "1"}: writers that store
     * labels as floats must not split a class in two); a number that is not a whole number is no
     * class and is refused, naming the record. Strings are names as written, and so is a number
     * spelled exactly as a class of an explicit list.
     */
    private String label(int line, Map<String, Object> obj) {
      if (!(obj.get(o.label()) instanceof Json.Num num)) {
        return scalar(line, obj, o.label());
      }
      if (in.classes != null && in.classes.contains(num.text())) {
        return num.text(); // an explicit class list spelled this way
      }
      boolean fraction = false;
      try {
        java.math.BigDecimal v = new java.math.BigDecimal(num.text()).stripTrailingZeros();
        fraction = v.scale() > 0;
        return Long.toString(v.longValueExact());
      } catch (ArithmeticException | NumberFormatException notWhole) { // exponent beyond int
        throw new BadRow(line, in.where(o.label()), "label " + num.text() + " is a number that "
            + (fraction ? "is not a whole number" : "is out of range")
            + ", so it names no class", "write class labels as whole numbers (1 or 1.0) or as "
            + "strings (\"1.5\" is a class name)", true);
      }
    }

    /** A string, number or boolean as text; {@code null} as {@code ""}. */
    private String scalar(int line, Map<String, Object> obj, String key) {
      Object v = get(line, obj, key);
      if (v instanceof String s) {
        return s;
      } else if (v instanceof Json.Num num) {
        return num.text();
      } else if (v instanceof Boolean b) {
        return b.toString();
      } else if (v == Json.NULL) {
        return "";
      }
      throw new BadRow(line, in.where(key), "expected a string, number or boolean, found "
          + Json.typeName(v), "write the value as a JSON string");
    }
  }

  // ------------------------------------------------------------------ the record source

  /** The parsed table: features in one row-major array or the texts, labels, ids, metadata. */
  private static final class TableSource implements RecordSource, ExactDecoder {
    private final String description;
    private final int width;
    private final float[] values;
    private final String[] texts;
    private final int[] labels;
    private final String[] ids;
    private final List<String> metaKeys;
    private final String[] meta;

    TableSource(String description, int width, float[] values, String[] texts, int[] labels,
        String[] ids, List<String> metaKeys, String[] meta) {
      this.description = description;
      this.width = width;
      this.values = values;
      this.texts = texts;
      this.labels = labels;
      this.ids = ids;
      this.metaKeys = metaKeys;
      this.meta = meta;
    }

    @Override
    public int size() {
      return labels.length;
    }

    @Override
    public String id(int index) {
      return ids[index];
    }

    @Override
    public int label(int index) {
      return labels[index];
    }

    @Override
    public Input decode(int index) {
      Objects.checkIndex(index, labels.length);
      return texts != null ? new TextInput(texts[index]) : new TensorInput(
          Arrays.copyOfRange(values, index * width, (index + 1) * width), new int[] {width});
    }

    @Override
    public void decodeInto(int index, float[] dst, int offset) {
      if (texts != null) {
        RecordSource.super.decodeInto(index, dst, offset);
      }
      Objects.checkIndex(index, labels.length);
      System.arraycopy(values, index * width, dst, offset, width);
    }

    @Override
    public Map<String, String> metadata(int index) {
      Objects.checkIndex(index, labels.length);
      if (metaKeys.isEmpty()) {
        return Map.of();
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int k = 0; k < metaKeys.size(); k++) {
        m.put(metaKeys.get(k), meta[index * metaKeys.size() + k]);
      }
      return Collections.unmodifiableMap(m);
    }

    @Override
    public String describe() {
      return description;
    }
  }
}
