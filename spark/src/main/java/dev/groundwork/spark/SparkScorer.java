package dev.groundwork.spark;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.EncodedImages;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a Spark {@code Dataset<Row>} with a Groundwork {@link Model} inside
 * {@code mapPartitions}: each executor JVM loads the model once from its {@link ModelSource} and
 * reuses it for every partition and task; rows are batched inside the partition; the output is
 * each input row's other columns with three more.
 *
 * <pre>{@code
 * SparkScorer scorer = SparkScorer.builder(ModelSource.file("/models/cnn.onnx",
 *         p -> OnnxModels.load(p).classifier(spec, OnnxOptions.defaults())))
 *     .inputColumn("pixels").idColumn("id").batchSize(256).build();
 * Dataset<Row> scored = scorer.score(images);  // id, ... + probabilities, predicted, confidence
 * }</pre>
 *
 * <p>Input: for a tensor model an {@code array<float>} (or {@code array<double>}, narrowed to
 * float) of the model's input size per row, row-major, or a {@code binary} of that many 8-bit
 * pixels (each read as {@code b / 255f}, as core's IDX and image readers scale them) or of that
 * many little-endian float32 values, or, with {@link Builder#encodedImages()}, a {@code binary}
 * of encoded images (PNG, JPEG) decoded in the partition as {@link EncodedImages} does; for a text
 * model a {@code string}.
 *
 * <p>Output: the input's other columns (the input column itself only with {@link
 * Builder#keepInput(boolean)}), then {@code probabilities array<float>} (one per class),
 * {@code predicted int} (the argmax, lowest index on ties, as {@link ClassProbabilities#argmax})
 * and {@code confidence float} (the largest probability). {@link #score} checks the columns and
 * loads the model on the driver first (to read its spec), so a missing file or a mistyped column
 * fails before the job runs.
 *
 * <p>The partition works on Spark's internal rows ({@code InternalRow}, through the Dataset's
 * {@code queryExecution().toRdd()}), converting each row's input straight into the batch's float
 * buffer, without Spark's row encoders; it needs Spark Classic (not a Spark Connect client).
 * Each task runs {@code Model.predict} on a thread of its own ({@code
 * groundwork-spark-predict-task-N}, ended with the task), one batch queued behind the one being
 * predicted, while the task thread reads the next rows and hands out the scored ones: Spark's work
 * on the rows overlaps the model's instead of adding to it. An exception of the model fails the
 * task unchanged (its type and message; the batch's rows named by the id column's values, else by
 * partition and position).
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
  private final String idColumn;
  private final int batchSize;
  private final boolean keepInput;
  private final boolean encoded;

  private SparkScorer(Builder b) {
    this.source = b.source;
    this.inputColumn = b.inputColumn;
    this.idColumn = b.idColumn;
    this.batchSize = b.batchSize;
    this.keepInput = b.keepInput;
    this.encoded = b.encoded;
  }

  /** A builder for a scorer of the model {@code source} gives. */
  public static Builder builder(ModelSource source) {
    return new Builder(source);
  }

  /** Options of a {@link SparkScorer}. */
  public static final class Builder {
    private final ModelSource source;
    private String inputColumn = "input";
    private String idColumn;
    private int batchSize = 64;
    private boolean keepInput;
    private boolean encoded;

    private Builder(ModelSource source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /** The column holding each row's input (default {@code input}). */
    public Builder inputColumn(String column) {
      this.inputColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /**
     * The column whose value names a row in errors (any type; by default a row is named by its
     * partition and position in it).
     */
    public Builder idColumn(String column) {
      this.idColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /** Rows per {@code Model.predict} call inside a partition (default 64). */
    public Builder batchSize(int n) {
      this.batchSize = n;
      return this;
    }

    /**
     * Whether the input column is carried into the output (default false: a column of pixels or
     * image bytes is usually the largest of the table, and copying it out costs time).
     */
    public Builder keepInput(boolean keep) {
      this.keepInput = keep;
      return this;
    }

    /**
     * The binary input column holds encoded images (PNG, JPEG, any format ImageIO reads),
     * decoded and resized to the model's input shape {@code [C, H, W]} in the partition as
     * {@link EncodedImages} (and core's image folders) do.
     */
    public Builder encodedImages() {
      this.encoded = true;
      return this;
    }

    /** Checks the options. */
    public SparkScorer build() {
      InvalidParameterException.check(batchSize >= 1 && batchSize <= 1 << 16,
          "batchSize must be in [1, 65536], got %s", batchSize);
      InvalidParameterException.check(!inputColumn.isBlank(), "inputColumn is blank");
      InvalidParameterException.check(idColumn == null || !idColumn.isBlank(),
          "idColumn is blank");
      return new SparkScorer(this);
    }
  }

  /**
   * The rows of {@code data} with {@link #PROBABILITIES}, {@link #PREDICTED} and
   * {@link #CONFIDENCE} appended (and the input column dropped unless kept), computed lazily by
   * Spark.
   *
   * @throws ModelFileException if the model file is absent on the driver or cannot be loaded
   * @throws SparkColumnException if the input or id column is missing, the input is of the wrong
   *     type for the model, or an output column already exists
   * @throws InvalidParameterException if {@code data} is streaming or not of Spark Classic
   */
  public Dataset<Row> score(Dataset<Row> data) {
    if (data.isStreaming()) {
      throw new InvalidParameterException("SparkScorer scores a static Dataset, got a streaming "
          + "one: score each micro-batch in writeStream().foreachBatch(...)");
    }
    org.apache.spark.sql.classic.SparkSession session = classic(data.sparkSession());
    StructType schema = data.schema();
    DatasetSpec spec = ExecutorModels.get(source).spec();
    int index = columnIndex(schema, inputColumn);
    StructField input = schema.fields()[index];
    checkInputType(input, spec);
    if (idColumn != null) {
      columnIndex(schema, idColumn);
    }
    List<String> names = Arrays.asList(schema.fieldNames());
    for (String out : List.of(PROBABILITIES, PREDICTED, CONFIDENCE)) {
      if (names.contains(out)) {
        throw new SparkColumnException(out, "column '" + out + "' already exists in " + schema
            .simpleString() + "; the scorer writes it: drop or rename it first");
      }
    }
    // the kept columns first, then the input, then the id (when it is not kept)
    List<Column> columns = new ArrayList<>();
    StructType outSchema = new StructType();
    for (int i = 0; i < schema.size(); i++) {
      if (i != index || keepInput) {
        columns.add(functions.col(quote(schema.fields()[i].name())));
        outSchema = outSchema.add(schema.fields()[i]);
      }
    }
    int kept = columns.size();
    columns.add(functions.col(quote(inputColumn)));
    int id = -1;
    if (idColumn != null) {
      int at = names.indexOf(idColumn);
      id = at == index ? kept : at < index || keepInput ? at : at - 1;
    }
    outSchema = outSchema
        .add(PROBABILITIES, DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add(PREDICTED, DataTypes.IntegerType, false)
        .add(CONFIDENCE, DataTypes.FloatType, false);
    Dataset<Row> projected = data.select(columns.toArray(Column[]::new));
    Partition p = new Partition(source, kept, projected.schema(), id, inputColumn, batchSize,
        encoded);
    RDD<InternalRow> in = projected.queryExecution().toRdd();
    FlatMapFunction<Iterator<InternalRow>, InternalRow> f = p::score;
    RDD<InternalRow> out = in.toJavaRDD().mapPartitions(f).rdd();
    return session.internalCreateDataFrame(out, outSchema, false);
  }

  private static org.apache.spark.sql.classic.SparkSession classic(SparkSession session) {
    if (session instanceof org.apache.spark.sql.classic.SparkSession c) {
      return c;
    }
    throw new InvalidParameterException("SparkScorer needs Spark Classic (a SparkSession of "
        + "the cluster's Spark), got a " + session.getClass().getName() + ": run the scoring job "
        + "with spark-submit rather than through a Spark Connect client");
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  static int columnIndex(StructType schema, String column) {
    List<String> names = Arrays.asList(schema.fieldNames());
    int i = names.indexOf(column);
    if (i < 0) {
      throw new SparkColumnException(column, "no column '" + column + "' in " + schema
          .simpleString() + "; name the column with inputColumn(...) or idColumn(...)");
    }
    return i;
  }

  private void checkInputType(StructField field, DatasetSpec spec) {
    DataType t = field.dataType();
    if (encoded) {
      int[] shape = spec.inputShape();
      boolean image = spec.inputKind() != InputKind.TEXT && shape.length == 3
          && (shape[0] == 1 || shape[0] == 3);
      if (!image) {
        throw new SparkColumnException(field.name(), "encoded images need a model of images "
            + "[1 or 3 channels, height, width], but the model takes " + (spec.inputKind()
                == InputKind.TEXT ? "text" : "tensors of shape " + Arrays.toString(shape))
            + "; drop encodedImages() or score with an image model");
      }
      if (!t.equals(DataTypes.BinaryType)) {
        throw new SparkColumnException(field.name(), "column '" + field.name() + "' is "
            + t.simpleString() + " but encodedImages() reads binary (PNG or JPEG bytes): cast "
            + "or load the images as binary (spark.read().format(\"binaryFile\") gives content)");
      }
      return;
    }
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
                  + " bytes of little-endian float32 (or PNG/JPEG bytes with encodedImages())"));
    }
  }

  /** What each partition needs, shipped with the task: the model source and the layout. */
  private static final class Partition implements Serializable {
    private static final long serialVersionUID = 1L;
    private final ModelSource source;
    private final int kept;
    private final DataType[] types;
    private final int id;
    private final String column;
    private final int batchSize;
    private final boolean encoded;

    Partition(ModelSource source, int kept, StructType schema, int id, String column,
        int batchSize, boolean encoded) {
      this.source = source;
      this.kept = kept;
      this.types = Arrays.stream(schema.fields()).map(StructField::dataType)
          .toArray(DataType[]::new);
      this.id = id;
      this.column = column;
      this.batchSize = batchSize;
      this.encoded = encoded;
    }

    Iterator<InternalRow> score(Iterator<InternalRow> rows) {
      return new Scoring(this, ExecutorModels.get(source), rows);
    }
  }

  /**
   * Pulls batches of rows, predicts them and hands the scored rows out one by one. The model runs
   * on a thread of the task's own while the task thread reads the next batch's rows and hands out
   * the previous batch's, and the next batch is queued before the task thread waits, so Spark's
   * work on the rows overlaps the model's and the model does not wait between batches.
   */
  private static final class Scoring implements Iterator<InternalRow> {
    /** {@code b / 255f} for every unsigned byte, as core's IDX and image readers scale pixels. */
    private static final float[] PIXEL = new float[256];

    static {
      for (int b = 0; b < 256; b++) {
        PIXEL[b] = b / 255f;
      }
    }

    private final Partition part;
    private final Model model;
    private final Iterator<InternalRow> rows;
    private final DatasetSpec spec;
    private final int input;
    private final boolean text;
    private final int size;
    private final boolean array;
    private final boolean doubles;
    private final UnsafeProjection keep;
    /** The batches handed out, being predicted or queued, and free ones to read into. */
    private final ArrayDeque<Chunk> queued = new ArrayDeque<>();
    private final ArrayDeque<Chunk> free = new ArrayDeque<>();
    private ExecutorService predicting;
    private Chunk current;
    private int next;
    private long seen;
    private boolean drained;
    private final int partition;

    Scoring(Partition part, Model model, Iterator<InternalRow> rows) {
      this.part = part;
      this.model = model;
      this.rows = rows;
      this.spec = model.spec();
      this.input = part.kept;
      this.text = spec.inputKind() == InputKind.TEXT;
      this.size = text ? 0 : spec.inputSize();
      DataType t = part.types[input];
      this.array = t instanceof ArrayType;
      this.doubles = t instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType);
      // the kept columns come first in the row: project them, leaving the input behind
      this.keep = UnsafeProjection.create(Arrays.copyOf(part.types, part.kept));
      free.add(new Chunk(part.batchSize, size));
      free.add(new Chunk(part.batchSize, size));
      TaskContext tc = TaskContext.get();
      this.partition = tc == null ? -1 : tc.partitionId();
      if (tc != null) {
        tc.addTaskCompletionListener((TaskCompletionListener) c -> stop());
      }
    }

    @Override
    public boolean hasNext() {
      if (current != null && next < current.count) {
        return true;
      }
      if (current != null) {
        free.add(current);
        current = null;
      }
      // keep the model busy: queue every batch there is a free buffer for, then wait for the
      // oldest one
      while (!drained && !free.isEmpty()) {
        Chunk c = read(free.poll());
        if (c == null) {
          break;
        }
        submit(c);
      }
      if (queued.isEmpty()) {
        stop();
        return false;
      }
      current = queued.poll();
      await(current);
      next = 0;
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int r = next++;
      InternalRow kept = current.kept[r];
      current.kept[r] = null;
      ClassProbabilities probs = current.probs;
      int c = probs.classes();
      float[] p = new float[c];
      System.arraycopy(probs.values(), r * c, p, 0, c);
      int best = probs.argmax(r);
      return new JoinedRow(kept, new GenericInternalRow(new Object[] {
          UnsafeArrayData.fromPrimitiveArray(p), best, p[best]}));
    }

    /** Reads up to a batch of rows into {@code chunk}; null when the partition has no more. */
    private Chunk read(Chunk chunk) {
      chunk.count = 0;
      chunk.texts.clear();
      chunk.ids.clear();
      while (chunk.count < part.batchSize && rows.hasNext()) {
        InternalRow row = rows.next();
        // convert the input straight into the batch buffer; copy out only the columns that go
        // out (Spark reuses the row object for the next one)
        read(row, chunk, chunk.count);
        chunk.kept[chunk.count] = keep.apply(row).copy();
        chunk.ids.add(id(row, seen + chunk.count));
        chunk.count++;
      }
      if (chunk.count == 0) {
        drained = true;
        free.add(chunk);
        return null;
      }
      seen += chunk.count;
      return chunk;
    }

    private void submit(Chunk chunk) {
      int n = chunk.count;
      float[] inputs = text ? new float[0]
          : n < part.batchSize ? Arrays.copyOf(chunk.inputs, n * size) : chunk.inputs;
      Batch batch = new Batch(text ? new int[] {n} : prepend(n, spec.inputShape()), inputs,
          chunk.texts, new int[n], chunk.ids);
      if (predicting == null) {
        TaskContext tc = TaskContext.get();
        String name = "groundwork-spark-predict" + (tc == null ? ""
            : "-task-" + tc.taskAttemptId());
        // a plain pool of one thread (no finalizer): it ends when stop() shuts it down, with
        // the task, and only then
        predicting = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
      }
      chunk.probs = null;
      chunk.prediction = predicting.submit(() -> model.predict(batch));
      queued.add(chunk);
    }

    private void await(Chunk chunk) {
      try {
        chunk.probs = chunk.prediction.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        TaskContext tc = TaskContext.get();
        if (tc != null) {
          tc.killTaskIfInterrupted();
        }
        throw new IllegalStateException("interrupted while waiting for a batch's predictions", e);
      } catch (ExecutionException e) {
        stop();
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("Model.predict failed", cause);
      } finally {
        chunk.prediction = null;
      }
    }

    /** Ends the task's model thread, dropping batches still queued (the task ended early). */
    private void stop() {
      for (Chunk c : queued) {
        if (c.prediction != null) {
          c.prediction.cancel(false);
        }
      }
      if (predicting != null) {
        predicting.shutdown();
      }
    }

    /**
     * Reads a binary of 8-bit pixels straight from an {@code UnsafeRow}'s memory (as {@code
     * UnsafeRow.getBinary} finds it, without its copy); false when the binary is not of that
     * length, for the general path to handle.
     */
    private boolean readPixels(UnsafeRow row, float[] inputs, int at) {
      long offsetAndSize = row.getLong(input);
      if ((int) offsetAndSize != size) {
        return false;
      }
      Object base = row.getBaseObject();
      long from = row.getBaseOffset() + (offsetAndSize >>> 32);
      for (int k = 0; k < size; k++) {
        inputs[at + k] = PIXEL[Platform.getByte(base, from + k) & 0xFF];
      }
      return true;
    }

    /** Reads row {@code i} of the batch: its text, or its tensor into {@code inputs}. */
    private void read(InternalRow row, Chunk chunk, int i) {
      if (row.isNullAt(input)) {
        throw badRow(row, i, "has no value", null);
      }
      if (text) {
        chunk.texts.add(row.getUTF8String(input).toString());
        return;
      }
      float[] inputs = chunk.inputs;
      int at = i * size;
      if (!array) {
        if (!part.encoded && row instanceof UnsafeRow u && readPixels(u, inputs, at)) {
          return;
        }
        byte[] bytes = row.getBinary(input);
        if (part.encoded) {
          int[] s = spec.inputShape();
          try {
            EncodedImages.decodeInto(bytes, s[0], s[1], s[2], inputs, at, where(row, i));
          } catch (DataFormatException e) {
            throw new DataFormatException("column '" + part.column + "', " + e.getMessage(),
                part.column, seen + i, e);
          }
        } else if (bytes.length == size) {
          for (int k = 0; k < size; k++) {
            inputs[at + k] = PIXEL[bytes[k] & 0xFF];
          }
        } else if (bytes.length == 4 * size) {
          ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
              .get(inputs, at, size);
        } else {
          throw badRow(row, i, "has " + bytes.length + " bytes but the model takes " + size
              + " values (shape " + Arrays.toString(spec.inputShape()) + "): give " + size
              + " 8-bit pixels or " + 4 * size + " bytes of little-endian float32", null);
        }
        return;
      }
      var values = row.getArray(input);
      if (values.numElements() != size) {
        throw badRow(row, i, "has " + values.numElements() + " values but the model takes "
            + size + " (shape " + Arrays.toString(spec.inputShape()) + ")", null);
      }
      for (int k = 0; k < size; k++) {
        if (values.isNullAt(k)) {
          throw badRow(row, i, "has a null at position " + k, null);
        }
        inputs[at + k] = doubles ? (float) values.getDouble(k) : values.getFloat(k);
      }
    }

    /**
     * The row's name in the batch given to the model (which errors such as non-finite inputs
     * quote): its id column's value, else its partition and position.
     */
    private String id(InternalRow row, long position) {
      if (part.id >= 0 && !row.isNullAt(part.id)) {
        return String.valueOf(row.get(part.id, part.types[part.id]));
      }
      return partition < 0 ? "row " + position : "partition " + partition + " row " + position;
    }

    private String where(InternalRow row, int i) {
      long position = seen + i;
      TaskContext tc = TaskContext.get();
      String at = tc == null ? "row " + position
          : "partition " + tc.partitionId() + ", row " + position;
      if (part.id >= 0) {
        Object v = row.isNullAt(part.id) ? null : row.get(part.id, part.types[part.id]);
        return "row with id " + v + " (" + at + ")";
      }
      return at;
    }

    private DataFormatException badRow(InternalRow row, int i, String what, Throwable cause) {
      return new DataFormatException("column '" + part.column + "', " + where(row, i) + " "
          + what + "; fix or filter those rows before scoring", part.column, seen + i, cause);
    }

    /** A batch's rows: the model's input, the columns that go out, then the predictions. */
    private static final class Chunk {
      final float[] inputs;
      final InternalRow[] kept;
      final List<String> texts;
      final List<String> ids;
      int count;
      Future<ClassProbabilities> prediction;
      ClassProbabilities probs;

      Chunk(int batchSize, int size) {
        this.inputs = new float[Math.multiplyExact(batchSize, size)];
        this.kept = new InternalRow[batchSize];
        this.texts = new ArrayList<>(size == 0 ? batchSize : 0);
        this.ids = new ArrayList<>(batchSize);
      }
    }

    private static int[] prepend(int n, int[] shape) {
      int[] s = new int[shape.length + 1];
      s[0] = n;
      System.arraycopy(shape, 0, s, 1, shape.length);
      return s;
    }
  }
}
