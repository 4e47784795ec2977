package dev.groundwork.spark;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a Spark {@code Dataset<Row>} with a Groundwork {@link Model} inside
 * {@code mapPartitions}: each executor JVM loads the model once from its {@link ModelSource} and
 * reuses it for every partition and task; rows are batched inside the partition; the output is the
 * input rows with three more columns.
 *
 * <pre>{@code
 * SparkScorer scorer = SparkScorer.builder(ModelSource.file("/models/cnn.onnx",
 *         p -> OnnxModels.load(p).classifier(spec, OnnxOptions.defaults())))
 *     .inputColumn("pixels").batchSize(256).build();
 * Dataset<Row> scored = scorer.score(images);  // + probabilities, predicted, confidence
 * }</pre>
 *
 * <p>Input: for a tensor model an {@code array<float>} (or {@code array<double>}, narrowed to
 * float) of the model's input size per row, row-major, or a {@code binary} of that many 8-bit
 * pixels (each read as {@code b / 255f}, as core's IDX and image readers scale them) or of that
 * many little-endian float32 values; for a text model a {@code string}. A binary column is the
 * fast path: Spark hands a row's bytes over as they are, where an array column is converted
 * element by element.
 * Output: {@code probabilities array<float>} (one per class), {@code predicted int} (the argmax,
 * lowest index on ties, as {@link ClassProbabilities#argmax}) and {@code confidence float} (the
 * largest probability). {@link #score} checks the columns and loads the model on the driver
 * first (to read its spec), so a missing file or a mistyped column fails before the job runs.
 */
public final class SparkScorer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The output column of class probabilities. */
  public static final String PROBABILITIES = "probabilities";
  /** The output column of the predicted class index. */
  public static final String PREDICTED = "predicted";
  /** The output column of the top probability. */
  public static final String CONFIDENCE = "confidence";

  private final ModelSource source;
  private final String inputColumn;
  private final int batchSize;

  private SparkScorer(Builder b) {
    this.source = b.source;
    this.inputColumn = b.inputColumn;
    this.batchSize = b.batchSize;
  }

  /** A builder for a scorer of the model {@code source} gives. */
  public static Builder builder(ModelSource source) {
    return new Builder(source);
  }

  /** Options of a {@link SparkScorer}. */
  public static final class Builder {
    private final ModelSource source;
    private String inputColumn = "input";
    private int batchSize = 64;

    private Builder(ModelSource source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /** The column holding each row's input (default {@code input}). */
    public Builder inputColumn(String column) {
      this.inputColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /** Rows per {@code Model.predict} call inside a partition (default 64). */
    public Builder batchSize(int n) {
      this.batchSize = n;
      return this;
    }

    /** Checks the options. */
    public SparkScorer build() {
      InvalidParameterException.check(batchSize >= 1 && batchSize <= 1 << 16,
          "batchSize must be in [1, 65536], got %s", batchSize);
      InvalidParameterException.check(!inputColumn.isBlank(), "inputColumn is blank");
      return new SparkScorer(this);
    }
  }

  /**
   * The rows of {@code data} with {@link #PROBABILITIES}, {@link #PREDICTED} and
   * {@link #CONFIDENCE} appended, computed lazily by Spark.
   *
   * @throws ModelFileException if the model file is absent on the driver or cannot be loaded
   * @throws SparkColumnException if the input column is missing or of the wrong type for the
   *     model, or an output column already exists
   */
  public Dataset<Row> score(Dataset<Row> data) {
    StructType schema = data.schema();
    DatasetSpec spec = ExecutorModels.get(source).spec();
    int index = columnIndex(schema, inputColumn);
    checkInputType(schema.fields()[index], spec);
    for (String out : List.of(PROBABILITIES, PREDICTED, CONFIDENCE)) {
      if (Arrays.asList(schema.fieldNames()).contains(out)) {
        throw new SparkColumnException(out, "column '" + out + "' already exists in " + schema
            .simpleString() + "; the scorer writes it: drop or rename it first");
      }
    }
    StructType outSchema = schema
        .add(PROBABILITIES, DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add(PREDICTED, DataTypes.IntegerType, false)
        .add(CONFIDENCE, DataTypes.FloatType, false);
    ModelSource s = source;
    int batch = batchSize;
    String column = inputColumn;
    boolean binary = schema.fields()[index].dataType().equals(DataTypes.BinaryType);
    MapPartitionsFunction<Row, Row> f = rows -> new Scoring(ExecutorModels.get(s), rows, index,
        column, batch, binary);
    return data.mapPartitions(f, Encoders.row(outSchema));
  }

  static int columnIndex(StructType schema, String column) {
    List<String> names = Arrays.asList(schema.fieldNames());
    int i = names.indexOf(column);
    if (i < 0) {
      throw new SparkColumnException(column, "no column '" + column + "' in " + schema
          .simpleString() + "; name the input column with inputColumn(...)");
    }
    return i;
  }

  private static void checkInputType(StructField field, DatasetSpec spec) {
    DataType t = field.dataType();
    boolean ok = spec.inputKind() == InputKind.TEXT ? t.equals(DataTypes.StringType)
        : t.equals(DataTypes.BinaryType) || t instanceof ArrayType a
            && (a.elementType().equals(DataTypes.FloatType)
            || a.elementType().equals(DataTypes.DoubleType));
    if (!ok) {
      throw new SparkColumnException(field.name(), "column '" + field.name() + "' is "
          + t.simpleString() + " but the model takes " + (spec.inputKind() == InputKind.TEXT
              ? "text: give a string column"
              : "tensors of shape " + Arrays.toString(spec.inputShape()) + ": give an "
                  + "array<float> of " + spec.inputSize() + " values per row, or binary of "
                  + spec.inputSize() + " 8-bit pixels or " + 4 * spec.inputSize()
                  + " bytes of little-endian float32"));
    }
  }

  /** Pulls a batch of rows, predicts it, hands the scored rows out one by one. */
  private static final class Scoring implements Iterator<Row> {
    private final Model model;
    private final Iterator<Row> rows;
    private final int index;
    private final String column;
    private final int batchSize;
    private final DatasetSpec spec;
    private final boolean text;
    private final boolean binary;
    private final List<Row> pending = new ArrayList<>();
    private ClassProbabilities probs;
    private int next;
    private long seen;

    /** {@code b / 255f} for every unsigned byte, as core's IDX and image readers scale pixels. */
    private static final float[] PIXEL = new float[256];

    static {
      for (int b = 0; b < 256; b++) {
        PIXEL[b] = b / 255f;
      }
    }

    Scoring(Model model, Iterator<Row> rows, int index, String column, int batchSize,
        boolean binary) {
      this.binary = binary;
      this.model = model;
      this.rows = rows;
      this.index = index;
      this.column = column;
      this.batchSize = batchSize;
      this.spec = model.spec();
      this.text = spec.inputKind() == InputKind.TEXT;
    }

    @Override
    public boolean hasNext() {
      if (next < pending.size()) {
        return true;
      }
      pending.clear();
      next = 0;
      while (pending.size() < batchSize && rows.hasNext()) {
        pending.add(rows.next());
      }
      if (pending.isEmpty()) {
        return false;
      }
      probs = model.predict(batchOf(pending));
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int r = next++;
      Row in = pending.get(r);
      int c = probs.classes();
      float[] p = new float[c];
      for (int k = 0; k < c; k++) {
        p[k] = probs.get(r, k);
      }
      int best = probs.argmax(r);
      Object[] values = new Object[in.size() + 3];
      for (int i = 0; i < in.size(); i++) {
        values[i] = in.get(i);
      }
      values[in.size()] = p;
      values[in.size() + 1] = best;
      values[in.size() + 2] = probs.get(r, best);
      return RowFactory.create(values);
    }

    private Batch batchOf(List<Row> batch) {
      int n = batch.size();
      List<String> ids = new ArrayList<>(n);
      List<String> texts = text ? new ArrayList<>(n) : List.of();
      int size = text ? 0 : spec.inputSize();
      float[] inputs = new float[text ? 0 : Math.multiplyExact(n, size)];
      for (int i = 0; i < n; i++) {
        Row row = batch.get(i);
        long position = seen + i;
        ids.add(Long.toString(position));
        if (row.isNullAt(index)) {
          throw badRow(position, "has no value");
        }
        if (text) {
          texts.add(row.getString(index));
          continue;
        }
        if (binary) {
          byte[] bytes = (byte[]) row.get(index);
          if (bytes.length == size) {
            for (int k = 0; k < size; k++) {
              inputs[i * size + k] = PIXEL[bytes[k] & 0xFF];
            }
          } else if (bytes.length == 4 * size) {
            java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .get(inputs, i * size, size);
          } else {
            throw badRow(position, "has " + bytes.length + " bytes but the model takes " + size
                + " values (shape " + Arrays.toString(spec.inputShape()) + "): give " + size
                + " 8-bit pixels or " + 4 * size + " bytes of little-endian float32");
          }
          continue;
        }
        List<Object> values = row.getList(index);
        if (values.size() != size) {
          throw badRow(position, "has " + values.size() + " values but the model takes "
              + size + " (shape " + Arrays.toString(spec.inputShape()) + ")");
        }
        for (int k = 0; k < size; k++) {
          Object v = values.get(k);
          if (v == null) {
            throw badRow(position, "has a null at position " + k);
          }
          inputs[i * size + k] = ((Number) v).floatValue();
        }
      }
      seen += n;
      int[] shape = text ? new int[] {n} : prepend(n, spec.inputShape());
      return new Batch(shape, inputs, texts, new int[n], ids);
    }

    private DataFormatException badRow(long position, String what) {
      TaskContext tc = TaskContext.get();
      String where = tc == null ? "row " + position
          : "partition " + tc.partitionId() + ", row " + position;
      return new DataFormatException("column '" + column + "', " + where + " " + what
          + "; fix or filter those rows before scoring", column, position, null);
    }

    private static int[] prepend(int n, int[] shape) {
      int[] s = new int[shape.length + 1];
      s[0] = n;
      System.arraycopy(shape, 0, s, 1, shape.length);
      return s;
    }
  }
}
