package dev.groundwork.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.groundwork.core.analysis.SliceCounts;
import dev.groundwork.core.data.DataFormatException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * Answers core's slice-search count queries ({@link SliceCounts.Data}) with Spark aggregations
 * over the checked predictions: value counts, exact order statistics (a distributed sort), one
 * exploded group-by for every attribute combination's cell × class counts and one group-by over
 * the selected slices' membership patterns. Only those small tables reach the driver.
 */
final class SparkSliceData implements SliceCounts.Data {

  static final String ID = "_gw_id";
  static final String LABEL = "_gw_label";
  static final String ERR = "_gw_err";
  private static final String HALF = "_gw_half";

  private static final UserDefinedFunction NUMBER = functions.udf(
      (UDF1<String, Double>) SliceCounts::number, DataTypes.DoubleType);
  private static final UserDefinedFunction DISCOVERY = functions.udf(
      (UDF2<String, Long, Boolean>) SliceCounts::inDiscovery, DataTypes.BooleanType);

  private final Dataset<Row> rows;
  private final Map<String, String> columns;
  private final Map<String, Boolean> numericType;
  private final String source;
  private final Map<String, Boolean> numericView = new HashMap<>();
  /** Present (non-missing) counts learnt while checking a numeric column. */
  private final Map<String, Long> present = new HashMap<>();

  /**
   * @param rows the checked rows: {@link #ID}, {@link #LABEL} (long), {@link #ERR} (int 0/1) and
   *     the attribute columns
   * @param columns attribute name → its column in {@code rows}
   * @param numericType attribute name → whether its column is numeric (else text)
   */
  SparkSliceData(Dataset<Row> rows, Map<String, String> columns,
      Map<String, Boolean> numericType, String source) {
    this.rows = rows;
    this.columns = new LinkedHashMap<>(columns);
    this.numericType = Map.copyOf(numericType);
    this.source = source;
  }

  @Override
  public List<String> attributes() {
    return List.copyOf(columns.keySet());
  }

  private Column text(String attribute) {
    return col(columns.get(attribute)).cast(DataTypes.StringType);
  }

  /** The attribute as a double column (null or NaN = missing). */
  private Column number(String attribute) {
    Column c = col(columns.get(attribute));
    return numericType.get(attribute) ? c.cast(DataTypes.DoubleType)
        : NUMBER.apply(c.cast(DataTypes.StringType));
  }

  @Override
  public boolean numeric(String attribute, int bins) {
    if (numericType.get(attribute)) {
      Column x = number(attribute);
      Row r = rows.agg(functions.count(functions.when(x.isNotNull().and(functions.abs(x)
              .equalTo(lit(Double.POSITIVE_INFINITY))), lit(1))),
          functions.count(functions.when(x.isNotNull().and(functions.not(functions.isnan(x))),
              lit(1)))).first();
      if (r.getLong(0) > 0) {
        throw new DataFormatException(String.format(Locale.ROOT, "%s: attribute column '%s' has "
            + "%d infinite values; use NaN or null for missing values, or filter those rows",
            source, attribute, r.getLong(0)), source);
      }
      present.put(attribute, r.getLong(1));
      return true;
    }
    return numericView.computeIfAbsent(attribute, a -> {
      Column v = text(a);
      Row r = rows.agg(functions.countDistinct(v), functions.count(functions.when(
          v.isNotNull().and(NUMBER.apply(v).isNull()), lit(1)))).first();
      return r.getLong(0) > bins && r.getLong(1) == 0;
    });
  }

  @Override
  public SliceCounts.ValueCounts valueCounts(String attribute, int minSupport, int limit) {
    Dataset<Row> g = rows.groupBy(text(attribute).as("v")).count();
    Map<String, Long> top = new LinkedHashMap<>();
    for (Row r : g.where(col("count").geq(minSupport))
        .orderBy(col("count").desc(), col("v").asc_nulls_first()).limit(limit).collectAsList()) {
      top.put(r.isNullAt(0) ? null : r.getString(0), r.getLong(1));
    }
    return new SliceCounts.ValueCounts(top, g.count());
  }

  private Dataset<Row> present(Dataset<Row> d, String attribute) {
    Column x = number(attribute);
    return d.select(x.as("v")).where(col("v").isNotNull().and(functions.not(functions.isnan(
        col("v")))));
  }

  @Override
  public long present(String attribute) {
    Long known = present.get(attribute);
    return known != null ? known : present(rows, attribute).count();
  }

  @Override
  public double[] sortedValuesAt(String attribute, long[] positions) {
    Set<Long> want = new HashSet<>();
    for (long p : positions) {
      want.add(p);
    }
    List<Tuple2<Row, Long>> hits = present(rows, attribute).orderBy(col("v")).javaRDD()
        .zipWithIndex().filter(t -> want.contains(t._2())).collect();
    Map<Long, Double> at = new HashMap<>();
    for (Tuple2<Row, Long> t : hits) {
      at.put(t._2(), t._1().getDouble(0) + 0.0);
    }
    double[] out = new double[positions.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = at.get(positions[j]);
    }
    return out;
  }

  /** The rows with each coding's code as column {@code _gw_c<j>} and the half (0 discovery). */
  private Dataset<Row> coded(List<SliceCounts.Coding> codings, long seed) {
    List<Column> out = new ArrayList<>(List.of(col(LABEL), col(ERR),
        functions.when(DISCOVERY.apply(col(ID), lit(seed)), lit(0)).otherwise(lit(1)).as(HALF)));
    for (int j = 0; j < codings.size(); j++) {
      out.add(code(codings.get(j)).as("_gw_c" + j));
    }
    return rows.select(out.toArray(Column[]::new));
  }

  private Column code(SliceCounts.Coding g) {
    if (g.numeric()) {
      Column x = number(g.attribute());
      double[] cuts = g.cuts();
      Column e = functions.when(x.isNull().or(functions.isnan(x)), lit(cuts.length + 1));
      for (int j = 0; j < cuts.length; j++) {
        e = e.when(x.leq(lit(cuts[j])), lit(j));
      }
      return e.otherwise(lit(cuts.length));
    }
    Column v = text(g.attribute());
    List<String> values = g.values();
    int other = values.size();
    Column e = functions.when(v.isNull(), lit(values.contains(null) ? values.indexOf(null)
        : other));
    for (int j = 0; j < values.size(); j++) {
      if (values.get(j) != null) {
        e = e.when(v.equalTo(lit(values.get(j))), lit(j));
      }
    }
    return e.otherwise(lit(other));
  }

  @Override
  public List<long[]> cellCounts(List<SliceCounts.Coding> codings, List<int[]> subsets,
      int classes, long seed) {
    List<Column> cells = new ArrayList<>();
    int[] size = new int[subsets.size()];
    for (int s = 0; s < subsets.size(); s++) {
      Column cell = lit(0);
      size[s] = 1;
      for (int j : subsets.get(s)) {
        int k = codings.get(j).size();
        cell = cell.multiply(lit(k)).plus(col("_gw_c" + j));
        size[s] *= k;
      }
      cells.add(functions.struct(lit(s).as("s"), cell.as("cell")));
    }
    List<Row> groups = coded(codings, seed)
        .select(functions.explode(functions.array(cells.toArray(Column[]::new))).as("x"),
            col(LABEL), col(ERR), col(HALF))
        .groupBy(col("x.s"), col("x.cell"), col(LABEL), col(HALF))
        .agg(functions.count(lit(1)), functions.sum(col(ERR)))
        .collectAsList();
    List<long[]> out = new ArrayList<>();
    for (int s = 0; s < subsets.size(); s++) {
      out.add(new long[2 * size[s] * classes * 2]);
    }
    for (Row r : groups) {
      int s = r.getInt(0);
      int cell = r.getInt(1);
      int k = (int) r.getLong(2);
      int h = r.getInt(3);
      int at = ((h * size[s] + cell) * classes + k) * 2;
      out.get(s)[at] += r.getLong(4);
      out.get(s)[at + 1] += r.getLong(5);
    }
    return out;
  }

  @Override
  public Map<BitSet, long[]> memberships(List<SliceCounts.Coding> codings,
      List<SliceCounts.Box> boxes, int classes, long seed) {
    List<Column> in = new ArrayList<>();
    for (SliceCounts.Box b : boxes) {
      Column e = lit(true);
      for (int j = 0; j < b.codings().length; j++) {
        Column c = col("_gw_c" + b.codings()[j]);
        e = e.and(c.geq(lit(b.lo()[j]))).and(c.lt(lit(b.hi()[j])));
      }
      if (b.classes() != null) {
        List<Object> labels = new ArrayList<>();
        for (int k = 0; k < b.classes().length; k++) {
          if (b.classes()[k]) {
            labels.add((long) k);
          }
        }
        e = e.and(col(LABEL).isin(labels.toArray()));
      }
      in.add(e);
    }
    List<Row> groups = coded(codings, seed)
        .select(functions.array(in.toArray(Column[]::new)).as("m"), col(LABEL), col(ERR),
            col(HALF))
        .groupBy(col("m"), col(LABEL), col(HALF))
        .agg(functions.count(lit(1)), functions.sum(col(ERR)))
        .collectAsList();
    Map<BitSet, long[]> out = new HashMap<>();
    for (Row r : groups) {
      List<Boolean> m = r.getList(0);
      BitSet bits = new BitSet(m.size());
      for (int b = 0; b < m.size(); b++) {
        if (m.get(b)) {
          bits.set(b);
        }
      }
      int k = (int) r.getLong(1);
      int h = r.getInt(2);
      long[] v = out.computeIfAbsent(bits, x -> new long[2 * classes * 2]);
      v[(h * classes + k) * 2] += r.getLong(3);
      v[(h * classes + k) * 2 + 1] += r.getLong(4);
    }
    return out;
  }
}
