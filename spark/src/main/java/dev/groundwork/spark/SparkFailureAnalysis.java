package dev.groundwork.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.Calibration;
import dev.groundwork.core.analysis.ClassificationMetrics;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.ClassificationProvenance;
import dev.groundwork.core.analysis.ConfusionMatrix;
import dev.groundwork.core.analysis.SliceCounts;
import dev.groundwork.core.analysis.SliceOptions;
import dev.groundwork.core.analysis.SliceReport;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.Fingerprint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Classification failure analysis over a Spark predictions table (e.g. Parquet): per-class
 * metrics, the confusion matrix and calibration, as core's in-memory
 * {@code FailureAnalysis.classification(...)} computes them, with one Spark SQL aggregation.
 * Only the small grouped table (at most classes × classes × bins rows) reaches the driver.
 *
 * <pre>{@code
 * SparkClassificationAnalysis a = SparkFailureAnalysis.builder(classes)
 *     .probabilitiesColumn("probabilities").build()
 *     .classification(spark.read().parquet("predictions.parquet"));
 * a.metrics(); a.confusion(); a.calibration();
 * }</pre>
 *
 * <p>The table has an id column, a label column (an integer class index, or a string class
 * name) and the probabilities: an {@code array<float>} (or {@code array<double>}) column, or one
 * float/double column per class ({@link Builder#probabilityColumns}). Probabilities are read as
 * float, as core holds them. The rules are core's: the prediction is the argmax (lowest index on
 * ties), a row's probabilities must be finite, non-negative and sum to 1 within the tolerance;
 * calibration bin b of B covers {@code [b/B, (b+1)/B)}, the last one including 1.
 *
 * <p>Columns are checked on the driver from the schema before any job. Row checks run inside the
 * one aggregation: when any row is bad no result is returned and a {@link DataFormatException}
 * names the column, the problem, how many rows have it and the id of one of them. Unlike core,
 * ids are not checked for uniqueness (that would need a second shuffle).
 */
public final class SparkFailureAnalysis {

  private static final String ID = "_gw_id";
  private static final String LABEL = "_gw_label";
  private static final String RAW_LABEL = "_gw_raw_label";
  private static final String PROBS = "_gw_p";
  private static final String PROBLEM = "_gw_problem";
  private static final String PRED = "_gw_pred";
  private static final String TOP = "_gw_top";
  private static final String BIN = "_gw_bin";
  private static final String HASH = "_gw_hash";
  private static final String ATTR = "_gw_attr";

  private final List<String> classes;
  private final String idColumn;
  private final String labelColumn;
  private final String probabilitiesColumn;
  private final List<String> probabilityColumns;
  private final int bins;
  private final double tolerance;
  private final String source;
  private final List<String> sliceColumns;
  private final SliceOptions sliceOptions;
  private final long seed;

  private SparkFailureAnalysis(Builder b) {
    this.sliceColumns = List.copyOf(b.sliceColumns);
    this.sliceOptions = b.sliceOptions;
    this.seed = b.seed;
    this.classes = List.copyOf(b.classes);
    this.idColumn = b.idColumn;
    this.labelColumn = b.labelColumn;
    this.probabilitiesColumn = b.probabilitiesColumn;
    this.probabilityColumns = List.copyOf(b.probabilityColumns);
    this.bins = b.bins;
    this.tolerance = b.tolerance;
    this.source = b.source;
  }

  /** A builder for an analysis of predictions over {@code classes} (in label order). */
  public static Builder builder(List<String> classes) {
    return new Builder(classes);
  }

  /** Options of a {@link SparkFailureAnalysis}; validated in {@link #build()}. */
  public static final class Builder {
    private final List<String> classes;
    private String idColumn = "id";
    private String labelColumn = "label";
    private String probabilitiesColumn = "probabilities";
    private List<String> probabilityColumns = List.of();
    private int bins = Calibration.DEFAULT_BINS;
    private double tolerance = ClassificationPredictions.DEFAULT_TOLERANCE;
    private String source = "spark predictions";
    private List<String> sliceColumns = List.of();
    private SliceOptions sliceOptions = SliceOptions.defaults();
    private long seed;

    private Builder(List<String> classes) {
      this.classes = List.copyOf(Objects.requireNonNull(classes, "classes"));
    }

    /** The id column (default {@code id}). */
    public Builder idColumn(String column) {
      this.idColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /** The label column: an integer class index or a class name (default {@code label}). */
    public Builder labelColumn(String column) {
      this.labelColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /** The array column of class probabilities (default {@code probabilities}). */
    public Builder probabilitiesColumn(String column) {
      this.probabilitiesColumn = Objects.requireNonNull(column, "column");
      this.probabilityColumns = List.of();
      return this;
    }

    /** One probability column per class, in label order, instead of an array column. */
    public Builder probabilityColumns(List<String> columns) {
      this.probabilityColumns = List.copyOf(columns);
      return this;
    }

    /** The number of calibration bins (default {@link Calibration#DEFAULT_BINS}). */
    public Builder calibrationBins(int n) {
      this.bins = n;
      return this;
    }

    /** The tolerance on |Σ p − 1| per row (default core's 1e-3). */
    public Builder tolerance(double t) {
      this.tolerance = t;
      return this;
    }

    /** The name of the table in messages and provenance, e.g. its path. */
    public Builder source(String name) {
      this.source = Objects.requireNonNull(name, "source");
      return this;
    }

    /**
     * The metadata columns to search for failure slices (none by default: no slice search). A
     * numeric column is a numeric attribute (quantile thresholds), a string or boolean column a
     * categorical one (numeric when every value parses as a number and it has more distinct
     * values than quantile bins), as in core.
     */
    public Builder sliceColumns(List<String> columns) {
      this.sliceColumns = List.copyOf(columns);
      return this;
    }

    /** The slice search's options (default {@link SliceOptions#defaults()}; maxOrder ≤ 2). */
    public Builder slices(SliceOptions options) {
      this.sliceOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The seed of the slice search's split into halves (by a hash of each id; default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Checks the options. */
    public SparkFailureAnalysis build() {
      InvalidParameterException.check(sliceOptions.maxOrder() <= 2, "the Spark slice search "
          + "takes up to 2 attribute conditions, got maxOrder %s; set maxOrder(2)",
          sliceOptions.maxOrder());
      InvalidParameterException.check(sliceColumns.stream().distinct().count()
          == sliceColumns.size(), "slice columns must be unique: %s", sliceColumns);
      InvalidParameterException.check(!classes.isEmpty(), "classes is empty; give the class names");
      InvalidParameterException.check(classes.stream().distinct().count() == classes.size(),
          "class names must be unique: %s", classes);
      InvalidParameterException.check(bins >= 1 && bins <= 1000,
          "calibration bins must be in [1, 1000], got %s", bins);
      InvalidParameterException.check(tolerance > 0 && tolerance < 1,
          "tolerance must be in (0, 1), got %s", tolerance);
      InvalidParameterException.check(probabilityColumns.isEmpty()
          || probabilityColumns.size() == classes.size(),
          "%s probability columns for %s classes; give one per class", probabilityColumns.size(),
          classes.size());
      return new SparkFailureAnalysis(this);
    }
  }

  /**
   * Runs the analysis over {@code predictions}.
   *
   * @throws SparkColumnException if a column is missing or has the wrong type (before any job)
   * @throws DataFormatException if a row has no id, a label outside the classes, or
   *     probabilities of the wrong length, not finite, negative or not summing to 1
   */
  public SparkClassificationAnalysis classification(Dataset<Row> predictions) {
    Dataset<Row> rows = prepare(predictions);
    List<Row> groups = rows.groupBy(col(PROBLEM), col(LABEL), col(PRED), col(BIN))
        .agg(functions.count(lit(1)), functions.sum(col(TOP).cast(DataTypes.DoubleType)),
            functions.bit_xor(col(HASH)))
        .collectAsList();
    int c = classes.size();
    long[][] counts = new long[c][c];
    long[] binCount = new long[bins];
    double[] binConf = new double[bins];
    long[] binCorrect = new long[bins];
    long hash = 0;
    int firstProblem = Integer.MAX_VALUE;
    long problemRows = 0;
    for (Row g : groups) {
      int problem = g.getInt(0);
      long n = g.getLong(4);
      if (problem != 0) {
        if (problem < firstProblem) {
          firstProblem = problem;
          problemRows = 0;
        }
        problemRows += problem == firstProblem ? n : 0;
        continue;
      }
      int t = (int) g.getLong(1);
      int p = (int) g.getLong(2);
      int b = (int) g.getLong(3);
      counts[t][p] += n;
      binCount[b] += n;
      binConf[b] += g.getDouble(5);
      binCorrect[b] += t == p ? n : 0;
      hash ^= g.getLong(6);
    }
    if (firstProblem != Integer.MAX_VALUE) {
      throw badRows(rows, firstProblem, problemRows);
    }
    long total = Arrays.stream(binCount).sum();
    if (total > Integer.MAX_VALUE) {
      throw new InvalidParameterException(String.format(Locale.ROOT, "%s has %d rows; the "
          + "analysis counts up to %d (int), analyse a sample or split the table", source, total,
          Integer.MAX_VALUE));
    }
    ClassificationProvenance prov = provenance((int) total, hash);
    ConfusionMatrix confusion = ConfusionMatrix.ofCounts(classes, counts, prov);
    Optional<SliceReport> slices = Optional.empty();
    if (!sliceColumns.isEmpty()) {
      List<Column> cols = new ArrayList<>(List.of(col(ID).as(SparkSliceData.ID),
          col(LABEL).as(SparkSliceData.LABEL), functions.when(col(PRED).equalTo(col(LABEL)),
              lit(0)).otherwise(lit(1)).as(SparkSliceData.ERR)));
      Map<String, String> names = new LinkedHashMap<>();
      Map<String, Boolean> numeric = new LinkedHashMap<>();
      StructType schema = predictions.schema();
      for (int j = 0; j < sliceColumns.size(); j++) {
        String name = sliceColumns.get(j);
        cols.add(col(ATTR + j));
        names.put(name, ATTR + j);
        numeric.put(name, field(schema, name).dataType() instanceof NumericType);
      }
      Dataset<Row> sliceRows = rows.select(cols.toArray(Column[]::new));
      slices = Optional.of(SliceCounts.find(new SparkSliceData(sliceRows, names, numeric,
          source), classes, sliceOptions, seed, prov));
    }
    return new SparkClassificationAnalysis(ClassificationMetrics.of(confusion, prov), confusion,
        Calibration.ofBins(binCount, binConf, binCorrect, prov), slices, prov);
  }

  /** The rows with the id, label, probabilities and derived columns; checks the schema. */
  private Dataset<Row> prepare(Dataset<Row> data) {
    StructType schema = data.schema();
    int c = classes.size();
    field(schema, idColumn);
    StructField label = field(schema, labelColumn);
    Column labelIndex;
    if (label.dataType() instanceof IntegralType) {
      labelIndex = col(labelColumn).cast(DataTypes.LongType);
    } else if (label.dataType().equals(DataTypes.StringType)) {
      labelIndex = functions.array_position(functions.array(classes.stream().map(functions::lit)
          .toArray(Column[]::new)), col(labelColumn)).minus(1);
    } else {
      throw new SparkColumnException(labelColumn, "label column '" + labelColumn + "' is "
          + label.dataType().simpleString() + "; give an integer class index or a class name "
          + "(string)");
    }
    Column probs;
    if (probabilityColumns.isEmpty()) {
      StructField p = field(schema, probabilitiesColumn);
      if (!(p.dataType() instanceof ArrayType a && isFloating(a.elementType()))) {
        throw new SparkColumnException(probabilitiesColumn, "probabilities column '"
            + probabilitiesColumn + "' is " + p.dataType().simpleString() + "; give an "
            + "array<float> (or array<double>) of " + c + " class probabilities per row, or "
            + "one column per class with probabilityColumns(...)");
      }
      probs = col(probabilitiesColumn).cast(DataTypes.createArrayType(DataTypes.FloatType));
    } else {
      List<Column> cols = new ArrayList<>();
      for (String name : probabilityColumns) {
        StructField p = field(schema, name);
        if (!isFloating(p.dataType())) {
          throw new SparkColumnException(name, "probability column '" + name + "' is "
              + p.dataType().simpleString() + "; give float or double probabilities");
        }
        cols.add(col(name).cast(DataTypes.FloatType));
      }
      probs = functions.array(cols.toArray(Column[]::new));
    }
    String problem = String.format(Locale.ROOT, "CASE WHEN %1$s IS NULL THEN 1 "
        + "WHEN %2$s IS NULL OR %2$s < 0 OR %2$s >= %4$d THEN 2 "
        + "WHEN %3$s IS NULL OR size(%3$s) != %4$d THEN 3 "
        + "WHEN exists(%3$s, x -> x IS NULL OR isnan(x) OR abs(x) = double('Infinity')) THEN 4 "
        + "WHEN exists(%3$s, x -> x < 0) THEN 5 "
        + "WHEN abs(aggregate(%3$s, CAST(0 AS DOUBLE), (s, x) -> s + CAST(x AS DOUBLE)) - 1) "
        + "> %5$s THEN 6 ELSE 0 END", ID, LABEL, PROBS, c, Double.toString(tolerance));
    List<Column> selected = new ArrayList<>(List.of(col(idColumn).cast(DataTypes.StringType)
        .as(ID), labelIndex.as(LABEL), col(labelColumn).cast(DataTypes.StringType).as(RAW_LABEL),
        probs.as(PROBS)));
    for (int j = 0; j < sliceColumns.size(); j++) {
      String name = sliceColumns.get(j);
      DataType t = field(schema, name).dataType();
      if (!(t instanceof NumericType || t.equals(DataTypes.StringType)
          || t.equals(DataTypes.BooleanType))) {
        throw new SparkColumnException(name, "slice column '" + name + "' is " + t.simpleString()
            + "; give a numeric, string or boolean column (cast it, e.g. a date to a string)");
      }
      selected.add(col(name).as(ATTR + j));
    }
    Column ok = col(PROBLEM).equalTo(0);
    Column top = functions.array_max(col(PROBS));
    return data
        .select(selected.toArray(Column[]::new))
        .withColumn(PROBLEM, expr(problem))
        .withColumn(TOP, functions.when(ok, top))
        .withColumn(PRED, functions.when(ok, functions.array_position(col(PROBS), col(TOP))
            .minus(1)))
        .withColumn(BIN, functions.when(ok, functions.least(lit((long) bins - 1),
            functions.greatest(lit(0L), functions.floor(col(TOP).cast(DataTypes.DoubleType)
                .multiply(bins))))))
        .withColumn(HASH, functions.when(ok, functions.xxhash64(col(ID), col(LABEL),
            col(PROBS))))
        .withColumn(LABEL, functions.when(ok, col(LABEL)));
  }

  private static boolean isFloating(DataType t) {
    return t.equals(DataTypes.FloatType) || t.equals(DataTypes.DoubleType);
  }

  private static StructField field(StructType schema, String name) {
    int i = Arrays.asList(schema.fieldNames()).indexOf(name);
    if (i < 0) {
      throw new SparkColumnException(name, "no column '" + name + "' in " + schema.simpleString()
          + "; name the column in SparkFailureAnalysis.builder(...)");
    }
    return schema.fields()[i];
  }

  private DataFormatException badRows(Dataset<Row> rows, int problem, long n) {
    Row first = rows.filter(col(PROBLEM).equalTo(problem)).select(ID, RAW_LABEL).limit(1)
        .collectAsList().get(0);
    String probsName = probabilityColumns.isEmpty() ? "column '" + probabilitiesColumn + "'"
        : "columns " + probabilityColumns;
    String what = switch (problem) {
      case 1 -> "no id (column '" + idColumn + "' is null)";
      case 2 -> "a label (column '" + labelColumn + "') that is null or not one of the "
          + classes.size() + " classes " + classes + ", e.g. '" + first.getString(1) + "'";
      case 3 -> "no " + classes.size() + " probabilities in " + probsName;
      case 4 -> "a NaN, infinite or null probability in " + probsName;
      case 5 -> "a negative probability in " + probsName + "; if these are logits, apply a "
          + "softmax first";
      default -> "probabilities in " + probsName + " that do not sum to 1 ± " + tolerance
          + "; normalise each row (or apply a softmax to logits)";
    };
    String id = first.isNullAt(0) ? "" : " (first: id '" + first.getString(0) + "')";
    return new DataFormatException(String.format(Locale.ROOT, "%s: %d row%s %s %s%s; fix or "
        + "filter those rows", source, n, n == 1 ? "" : "s", n == 1 ? "has" : "have", what, id),
        source);
  }

  private ClassificationProvenance provenance(int n, long hash) {
    String options = String.format(Locale.ROOT, "spark: id=%s label=%s probabilities=%s bins=%d "
        + "tolerance=%s slices=%s %s", idColumn, labelColumn, probabilityColumns.isEmpty()
            ? probabilitiesColumn : probabilityColumns, bins, tolerance, sliceColumns,
        sliceOptions);
    return new ClassificationProvenance(seed, options, n, new Fingerprint(sha256("xor-xxhash64:" + n
        + ":" + Long.toHexString(hash)), n), source, System.getProperty("java.version", "?"),
        System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "?"));
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
