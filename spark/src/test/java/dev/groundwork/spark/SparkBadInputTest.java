package dev.groundwork.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.onnx.OnnxModels;
import dev.groundwork.onnx.OnnxOptions;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad tables and absent model files give typed errors that name the column or the file. */
class SparkBadInputTest {
  static final List<String> CLASSES = List.of("a", "b", "c");
  static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType)
      .add("label", DataTypes.IntegerType)
      .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType));

  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = LocalSpark.session();
  }

  static Dataset<Row> table(Row... rows) {
    return spark.createDataFrame(List.of(rows), SCHEMA);
  }

  static Row row(String id, Integer label, Float... p) {
    return RowFactory.create(id, label, p);
  }

  static final Row GOOD = row("ok-1", 0, 0.7f, 0.2f, 0.1f);
  static final SparkFailureAnalysis ANALYSIS = SparkFailureAnalysis.builder(CLASSES).build();

  @Test
  void aMissingColumnIsNamedBeforeAnyJob() {
    assertThatThrownBy(() -> SparkFailureAnalysis.builder(CLASSES).labelColumn("truth").build()
        .classification(table(GOOD)))
        .isInstanceOf(SparkColumnException.class).hasMessageContaining("'truth'")
        .satisfies(e -> assertThat(((SparkColumnException) e).column()).isEqualTo("truth"));
  }

  @Test
  void aMistypedColumnIsNamedWithItsType() {
    Dataset<Row> t = table(GOOD).withColumn("label", col("label").cast(DataTypes.DoubleType));
    assertThatThrownBy(() -> ANALYSIS.classification(t)).isInstanceOf(SparkColumnException.class)
        .hasMessageContaining("label column 'label' is double");
    Dataset<Row> s = table(GOOD).withColumn("probabilities", col("label")
        .cast(DataTypes.StringType));
    assertThatThrownBy(() -> ANALYSIS.classification(s)).isInstanceOf(SparkColumnException.class)
        .hasMessageContaining("probabilities column 'probabilities' is string");
  }

  @Test
  void probabilitiesThatDoNotSumToOneAreCountedAndOneIdIsNamed() {
    assertThatThrownBy(() -> ANALYSIS.classification(table(GOOD, row("bad-1", 1, 0.5f, 0.2f, 0.1f),
        row("bad-2", 2, 0.5f, 0.2f, 0.1f))))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("2 rows have probabilities in column 'probabilities' that do not "
            + "sum to 1 ± 0.001").hasMessageContaining("id 'bad-");
  }

  @Test
  void nanRowsAndOutOfRangeLabelsAreReportedNotSkipped() {
    assertThatThrownBy(() -> ANALYSIS.classification(table(GOOD,
        row("nan-1", 1, Float.NaN, 0.5f, 0.5f))))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("1 row has a NaN, infinite or null probability")
        .hasMessageContaining("id 'nan-1'");
    assertThatThrownBy(() -> ANALYSIS.classification(table(GOOD, row("lbl-1", 5, 0.2f, 0.3f, 0.5f))))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("column 'label'").hasMessageContaining("e.g. '5'");
    assertThatThrownBy(() -> ANALYSIS.classification(table(GOOD, row("short", 1, 0.5f, 0.5f))))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("no 3 probabilities");
  }

  @Test
  void aSliceColumnOfAnotherTypeOrWithInfiniteValuesIsNamed() {
    Dataset<Row> dated = table(GOOD).withColumn("day", functions.current_date());
    assertThatThrownBy(() -> SparkFailureAnalysis.builder(CLASSES).sliceColumns(List.of("day"))
        .build().classification(dated)).isInstanceOf(SparkColumnException.class)
        .hasMessageContaining("slice column 'day' is date")
        .satisfies(e -> assertThat(((SparkColumnException) e).column()).isEqualTo("day"));
    Dataset<Row> inf = table(GOOD, row("ok-2", 1, 0.1f, 0.8f, 0.1f)).withColumn("x",
        functions.when(col("id").equalTo("ok-2"), lit(Double.POSITIVE_INFINITY))
            .otherwise(lit(0.5)));
    assertThatThrownBy(() -> SparkFailureAnalysis.builder(CLASSES).sliceColumns(List.of("x"))
        .build().classification(inf)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("attribute column 'x' has 1 infinite value");
    assertThatThrownBy(() -> SparkFailureAnalysis.builder(CLASSES).slices(
        dev.groundwork.core.analysis.SliceOptions.builder().maxOrder(3).build()).build())
        .isInstanceOf(dev.groundwork.core.InvalidParameterException.class)
        .hasMessageContaining("maxOrder(2)");
  }

  @Test
  void anAbsentModelFileIsNamedOnTheDriverBeforeTheJob() {
    String missing = "/nonexistent/groundwork/cnn.onnx";
    SparkScorer scorer = SparkScorer.builder(ModelSource.file(missing,
        p -> OnnxModels.load(p).classifier(DatasetSpec.image(1, 28, 28, CLASSES),
            OnnxOptions.defaults()))).inputColumn("probabilities").build();
    assertThatThrownBy(() -> scorer.score(table(GOOD))).isInstanceOf(ModelFileException.class)
        .hasMessageContaining(missing).hasMessageContaining("does not exist on")
        .satisfies(e -> assertThat(((ModelFileException) e).file()).isEqualTo(missing));
  }

  @Test
  void anOutputColumnThatExistsIsNamed() {
    List<String> tenClasses = dev.groundwork.core.data.Datasets.fashionMnistSubset().test()
        .classes();
    try {
      assertThatThrownBy(() -> SparkScorer.builder(SparkScorerTest.source(tenClasses))
          .inputColumn("probabilities").build().score(table(GOOD)))
          .isInstanceOf(SparkColumnException.class)
          .hasMessageContaining("column 'probabilities' already exists");
    } finally {
      ExecutorModels.closeAll();
    }
  }

  @Test
  void anInputColumnOfTheWrongTypeForTheModelIsNamed() {
    List<String> tenClasses = dev.groundwork.core.data.Datasets.fashionMnistSubset().test()
        .classes();
    SparkScorer scorer = SparkScorer.builder(SparkScorerTest.source(tenClasses))
        .inputColumn("id").build();
    try {
      assertThatThrownBy(() -> scorer.score(table(GOOD))).isInstanceOf(SparkColumnException.class)
          .hasMessageContaining("column 'id' is string but the model takes tensors of shape "
              + "[1, 28, 28]");
      assertThatThrownBy(() -> SparkScorer.builder(SparkScorerTest.source(tenClasses))
          .inputColumn("pixels").build().score(table(GOOD)))
          .isInstanceOf(SparkColumnException.class).hasMessageContaining("no column 'pixels'");
      // a streaming Dataset is refused before anything runs
      assertThatThrownBy(() -> scorer.score(LocalSpark.session().readStream().format("rate")
          .load())).isInstanceOf(dev.groundwork.core.InvalidParameterException.class)
          .hasMessageContaining("streaming").hasMessageContaining("foreachBatch");
    } finally {
      ExecutorModels.closeAll();
    }
  }

  @Test
  void aTensorRowOfTheWrongLengthFailsTheJobNamingColumnAndRow() {
    List<String> tenClasses = dev.groundwork.core.data.Datasets.fashionMnistSubset().test()
        .classes();
    SparkScorer scorer = SparkScorer.builder(SparkScorerTest.source(tenClasses))
        .inputColumn("pixels").build();
    try {
      // three values per row where the CNN takes 784: caught in the executor's first batch
      assertThatThrownBy(() -> scorer.score(table(GOOD)
          .withColumnRenamed("probabilities", "pixels")).count())
          .hasRootCauseInstanceOf(DataFormatException.class)
          .rootCause().hasMessageContaining("column 'pixels'")
          .hasMessageContaining("row 0 has 3 values but the model takes 784");
    } finally {
      ExecutorModels.closeAll();
    }
  }
}
