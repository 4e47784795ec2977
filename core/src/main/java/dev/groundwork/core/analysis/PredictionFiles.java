package dev.groundwork.core.analysis;

import dev.groundwork.core.data.Json;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DataFiles;
import dev.groundwork.core.data.EmptyDatasetException;
import dev.groundwork.core.data.LabelException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** Streams predictions from CSV or JSON Lines files (two passes when classes must be inferred). */
final class PredictionFiles {

  private PredictionFiles() {}

  static ClassificationPredictions read(Path file, PredictionFileOptions o, boolean jsonl) {
    String src = file.toString();
    DataFiles.requireRegularFile(file, src, "predictions file");
    List<String> classes = o.classes();
    boolean[] arrayMode = new boolean[1];
    List<String> firstKeys = new ArrayList<>();
    Set<String> labelsSeen = new LinkedHashSet<>();
    int[] firstArrayLength = {-1};
    int[] rowsSeen = {0};
    scan(file, o, jsonl, (line, row) -> {
      if (rowsSeen[0]++ == 0) {
        firstKeys.addAll(row.keySet());
        arrayMode[0] = row.containsKey(o.probs());
      }
      Object scores = row.get(o.probs());
      if (arrayMode[0] && firstArrayLength[0] < 0 && scores != null && scores != Json.NULL) {
        // the first row's score array, read as the second pass reads it (JSON array or CSV text)
        firstArrayLength[0] = scoresArray(src, o, line, scores).size();
      }
      Object label = row.get(o.label());
      if (label != null && label != Json.NULL) {
        labelsSeen.add(text(label));
      }
    }, classes.isEmpty());
    if (classes.isEmpty() && rowsSeen[0] == 0) {
      throw new EmptyDatasetException(src + " has no prediction rows; write one row per example",
          src);
    }
    if (classes.isEmpty()) {
      classes = inferClasses(src, o, arrayMode[0], firstArrayLength[0], firstKeys, labelsSeen);
    }
    return new Reader(src, o, classes).read(file, jsonl);
  }

  private static List<String> inferClasses(String src, PredictionFileOptions o, boolean array,
      int arrayLength, List<String> keys, Set<String> labels) {
    if (array) {
      List<String> names = new ArrayList<>();
      for (int k = 0; k < Math.max(arrayLength, 0); k++) {
        names.add(Integer.toString(k));
      }
      for (String l : labels) {
        if (!names.contains(l)) {
          throw new DataFormatException(src + ": the labels are class names (e.g. '" + l
              + "') but a '" + o.probs() + "' array does not say which class each score is for;"
              + " give PredictionFileOptions.builder().classes(...) in score order", src);
        }
      }
      return names;
    }
    List<String> indexed = indexColumns(keys, -1);
    boolean namedToo = keys.stream().anyMatch(k -> !k.equals(o.id()) && !k.equals(o.label())
        && !indexed.contains(k) && labels.contains(k));
    if (!indexed.isEmpty() && !namedToo) {
      List<String> names = new ArrayList<>();
      for (int k = 0; k < indexed.size(); k++) {
        names.add(Integer.toString(k));
      }
      for (String l : labels) {
        if (!names.contains(l)) {
          throw new DataFormatException(src + ": the score columns " + indexed.get(0) + ".."
              + indexed.get(indexed.size() - 1) + " are by class index, but the label '" + l
              + "' is not an index in 0.." + (names.size() - 1) + "; give "
              + "PredictionFileOptions.builder().classes(...) in index order", src);
        }
      }
      return names;
    }
    if (o.logits()) {
      throw new DataFormatException(src + ": the scores are logits in one column per class, but no"
          + " class list was given; inferred from the labels, a class that is never a true label"
          + " would be read as a metadata column and left out of the softmax without a trace:"
          + " give PredictionFileOptions.builder().classes(...)", src);
    }
    List<String> names = new ArrayList<>();
    for (String k : keys) {
      if (!k.equals(o.id()) && !k.equals(o.label()) && labels.contains(k)) {
        names.add(k);
      }
    }
    if (names.isEmpty()) {
      throw new DataFormatException(src + ": no probability column: expected a '" + o.probs()
          + "' array or one column per class named after the class (labels seen: "
          + ClassificationPredictions.abbreviate(List.copyOf(labels)) + "); columns are " + keys,
          src);
    }
    return names;
  }

  /**
   * The score columns named by class index, {@code p0, p1, …} or {@code 0, 1, …}: all the columns
   * of one form numbered from 0 without a gap (at least two, exactly {@code classes} unless it is
   * negative); empty when there are none.
   */
  static List<String> indexColumns(java.util.Collection<String> keys, int classes) {
    for (String prefix : List.of("p", "")) {
      List<String> cols = new ArrayList<>();
      while (keys.contains(prefix + cols.size())) {
        cols.add(prefix + cols.size());
      }
      long all = keys.stream().filter(k -> k.matches(java.util.regex.Pattern.quote(prefix)
          + "\\d+")).count();
      if (cols.size() >= 2 && all == cols.size() && (classes < 0 || cols.size() == classes)) {
        return cols;
      }
    }
    return List.of();
  }

  /** Calls {@code sink} with each record as (line, key → value); CSV values are strings. */
  private static void scan(Path file, PredictionFileOptions o, boolean jsonl,
      BiConsumer<Long, Map<String, Object>> sink, boolean run) {
    if (!run) {
      return;
    }
    String src = file.toString();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      if (jsonl) {
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
          n++;
          if (n == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
          }
          if (line.isBlank()) {
            continue;
          }
          Object v;
          try {
            v = new Json(line).document();
          } catch (Json.Error e) {
            throw new DataFormatException(src + ": line " + n + ": malformed JSON at character "
                + (e.pos + 1) + " (" + e.getMessage() + "); write one JSON object a line", src, n,
                null);
          }
          if (!(v instanceof Map<?, ?> m)) {
            throw new DataFormatException(src + ": line " + n + " is not a JSON object; write "
                + "one object a line, e.g. {\"id\": \"a\", \"label\": \"cat\", \"probs\": [..]}",
                src, n, null);
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> row = (Map<String, Object>) m;
          sink.accept(n, row);
        }
      } else {
        CsvRecords csv = new CsvRecords(r, o.delimiter(), src);
        List<String> header = csv.next();
        if (header == null) {
          throw new EmptyDatasetException(src + " is empty; expected a header row and one row "
              + "per example", src);
        }
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
          header.set(0, header.get(0).substring(1));
        }
        if (new HashSet<>(header).size() != header.size()) {
          throw new DataFormatException(src + ": line 1: the header repeats a column name "
              + header + "; give every column a unique name", src, 1, null);
        }
        List<String> fields;
        while ((fields = csv.next()) != null) {
          if (fields.size() != header.size()) {
            throw new DataFormatException(src + ": line " + csv.line() + " has " + fields.size()
                + " fields but the header has " + header.size() + " columns " + header
                + "; quote fields that contain the delimiter", src, csv.line(), null);
          }
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 0; i < header.size(); i++) {
            String f = fields.get(i);
            row.put(header.get(i), f.isEmpty() ? null : f);
          }
          sink.accept(csv.line(), row);
        }
      }
    } catch (IOException e) {
      throw new DataFormatException("cannot read " + src + ": " + e, src, -1, e);
    } catch (UncheckedIOException e) {
      throw new DataFormatException("cannot read " + src + ": " + e.getCause(), src, -1, e);
    }
  }

  /**
   * The scores of a {@code probs} value: a JSON array as it is, or a CSV cell's text parsed as a
   * JSON array; the one reading of that value for inferring the classes and for reading the rows.
   */
  static List<?> scoresArray(String src, PredictionFileOptions o, long line, Object value) {
    if (value instanceof List<?> l) {
      return l;
    }
    String s = text(value);
    try {
      if (new Json(s).document() instanceof List<?> l) {
        return l;
      }
    } catch (Json.Error e) {
      // reported below
    }
    throw new DataFormatException(src + ": line " + line + " has '" + o.probs() + "' = " + s
        + ", not a JSON array of numbers; write the scores as [0.1, 0.9]", src, line, null);
  }

  static String text(Object v) {
    if (v instanceof Json.Num n) {
      return n.text();
    }
    return String.valueOf(v);
  }

  /** The second pass: builds the columns. */
  private static final class Reader {
    final String src;
    final PredictionFileOptions o;
    final List<String> classes;
    final Map<String, Integer> classIndex = new HashMap<>();
    final int c;
    final List<String> ids = new ArrayList<>();
    final Set<String> seenIds = new HashSet<>();
    int[] labels = new int[1024];
    float[] probs;
    int n;
    final Map<String, AttributeColumn.Builder> meta = new LinkedHashMap<>();
    /** The column of each class's score: its name, or its index column ({@code p3}). */
    List<String> scoreColumns;
    Set<String> scoreColumnSet;

    Reader(String src, PredictionFileOptions o, List<String> classes) {
      this.src = src;
      this.o = o;
      this.classes = List.copyOf(classes);
      for (int k = 0; k < classes.size(); k++) {
        classIndex.put(classes.get(k), k);
      }
      this.c = classes.size();
      this.probs = new float[1024 * c];
    }

    ClassificationPredictions read(Path file, boolean jsonl) {
      scan(file, o, jsonl, this::row, true);
      if (n == 0) {
        throw new EmptyDatasetException(src + " has no prediction rows; write one row per "
            + "example", src);
      }
      ClassificationPredictions p = ClassificationPredictions.create(src, ids,
          Arrays.copyOf(labels, n), Arrays.copyOf(probs, n * c), classes, List.of(),
          o.tolerance(), null);
      for (AttributeColumn.Builder b : meta.values()) {
        b.padTo(n);
        p = p.withColumn(b.build());
      }
      return p;
    }

    private DataFormatException fail(long line, String what, String todo) {
      return new DataFormatException(src + ": line " + line + " " + what + "; " + todo, src, line,
          null);
    }

    void row(long line, Map<String, Object> row) {
      Object id = row.get(o.id());
      if (id == null || id == Json.NULL || id instanceof List || id instanceof Map) {
        throw fail(line, "has no '" + o.id() + "' value", "give every row an id");
      }
      String idText = text(id);
      if (!seenIds.add(idText)) {
        throw fail(line, "repeats the id '" + idText + "'", "ids must be unique");
      }
      Object label = row.get(o.label());
      if (label == null || label == Json.NULL) {
        throw fail(line, "(id '" + idText + "') has no '" + o.label() + "' value",
            "give every row its true class name");
      }
      Integer y = classIndex.get(text(label));
      if (y == null) {
        throw new LabelException(src + ": line " + line + " (id '" + idText + "') has the label '"
            + text(label) + "', not one of the classes " + ClassificationPredictions.abbreviate(
            classes) + "; fix the label or give the class list (and its probability column)",
            src, line);
      }
      float[] scores = new float[c];
      Object arr = row.get(o.probs());
      if (scoreColumns == null) {
        // the first row decides: columns named after the classes, else p0.. / 0.. by index
        List<String> indexed = classIndex.keySet().stream().allMatch(row::containsKey)
            ? List.of() : indexColumns(row.keySet(), c);
        scoreColumns = indexed.isEmpty() ? classes : indexed;
        scoreColumnSet = new HashSet<>(scoreColumns);
      }
      if (arr != null) {
        List<?> list = scoresArray(src, o, line, arr);
        if (list.size() != c) {
          throw fail(line, "(id '" + idText + "') has " + list.size() + " scores in '" + o.probs()
              + "' for " + c + " classes " + ClassificationPredictions.abbreviate(classes),
              "give one score per class");
        }
        for (int k = 0; k < c; k++) {
          scores[k] = number(line, idText, o.probs() + "[" + k + "]", list.get(k));
        }
      } else {
        for (int k = 0; k < c; k++) {
          scores[k] = number(line, idText, scoreColumns.get(k), row.get(scoreColumns.get(k)));
        }
      }
      List<String> one = List.of(idText);
      if (o.logits()) {
        scores = ClassificationPredictions.softmax(src, one, scores, c, line);
      } else {
        ClassificationPredictions.checkProbabilities(src, one, scores, c, o.tolerance(), line);
      }
      for (Map.Entry<String, Object> e : row.entrySet()) {
        String key = e.getKey();
        if (key.equals(o.id()) || key.equals(o.label()) || key.equals(o.probs())
            || scoreColumnSet.contains(key) && arr == null) {
          continue;
        }
        Object v = e.getValue();
        if (v instanceof List || v instanceof Map) {
          throw fail(line, "has a nested JSON value for the metadata key '" + key + "'",
              "metadata values must be strings, numbers or booleans");
        }
        AttributeColumn.Builder b = meta.computeIfAbsent(key,
            k -> new AttributeColumn.Builder(k, 1024));
        b.padTo(n);
        b.add(v == null || v == Json.NULL ? null : text(v));
      }
      if (n == labels.length) {
        labels = Arrays.copyOf(labels, n * 2);
        probs = Arrays.copyOf(probs, n * 2 * c);
      }
      ids.add(idText);
      labels[n] = y;
      System.arraycopy(scores, 0, probs, n * c, c);
      n++;
    }

    private float number(long line, String id, String column, Object v) {
      if (v == null || v == Json.NULL) {
        throw fail(line, "(id '" + id + "') has no value for the score '" + column + "'",
            "give a score for every class");
      }
      String t = text(v);
      try {
        if (v instanceof String && t.strip().isEmpty()) {
          throw new NumberFormatException();
        }
        return Float.parseFloat(t.strip());
      } catch (NumberFormatException e) {
        throw fail(line, "(id '" + id + "') has the score '" + t + "' for '" + column
            + "', not a number", "write scores as decimal numbers");
      }
    }
  }

  /** RFC 4180 records, read a character at a time; {@link #line()} is the record's first line. */
  static final class CsvRecords {
    private final BufferedReader in;
    private final char delimiter;
    private final String src;
    private long line = 1;
    private long recordLine;
    private int peeked = -2;

    CsvRecords(BufferedReader in, char delimiter, String src) {
      this.in = in;
      this.delimiter = delimiter;
      this.src = src;
    }

    long line() {
      return recordLine;
    }

    private int read() throws IOException {
      if (peeked != -2) {
        int p = peeked;
        peeked = -2;
        return p;
      }
      return in.read();
    }

    /** The next non-blank record, or {@code null} at the end. */
    List<String> next() throws IOException {
      while (true) {
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean closed = false;
        boolean any = false;
        int ch;
        while (true) {
          ch = read();
          if (ch == -1) {
            if (quoted) {
              throw new DataFormatException(src + ": line " + recordLine + ": a quoted field is "
                  + "never closed; close the quote (write a quote inside a field as \"\")", src,
                  recordLine, null);
            }
            break;
          }
          any = true;
          char x = (char) ch;
          if (quoted) {
            if (x == '"') {
              int nx = read();
              if (nx == '"') {
                f.append('"');
              } else {
                quoted = false;
                closed = true;
                peeked = nx;
              }
            } else {
              if (x == '\n') {
                line++;
              }
              f.append(x);
            }
          } else if (x == '"' && f.length() == 0 && !closed) {
            quoted = true;
          } else if (x == delimiter) {
            fields.add(f.toString());
            f.setLength(0);
            closed = false;
          } else if (x == '\r') {
            int nx = read();
            if (nx != '\n') {
              peeked = nx;
            }
            line++;
            break;
          } else if (x == '\n') {
            line++;
            break;
          } else if (closed && !Character.isWhitespace(x)) {
            throw new DataFormatException(src + ": line " + recordLine + ": field "
                + (fields.size() + 1) + " has text after its closing quote ('\"" + f + "\"" + x
                + "…'); quote the whole field and write a quote inside it as \"\"", src,
                recordLine, null);
          } else if (!closed) {
            f.append(x);
          }
        }
        if (!any) {
          return null;
        }
        fields.add(f.toString());
        if (fields.size() == 1 && fields.get(0).isBlank()) {
          if (ch == -1) {
            return null;
          }
          continue;
        }
        for (int i = 0; i < fields.size(); i++) {
          fields.set(i, fields.get(i).strip());
        }
        return fields;
      }
    }
  }
}
