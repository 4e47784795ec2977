package dev.groundwork.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.baseline.BagOfWords;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.TableOptions;
import dev.groundwork.core.data.Tables;
import dev.groundwork.core.data.TextInput;
import dev.groundwork.core.model.ClassProbabilities;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A text model scored on Spark from a string column: core's bag-of-words baseline, which the
 * loader trains (seeded) from the examples' Debian package descriptions, gives on Spark exactly
 * the probabilities {@code Model.predict} gives on the same texts in one JVM.
 */
class SparkTextScoringTest {
  static final String DATA = Path.of(
      "../examples/src/main/resources/dev/groundwork/examples/debian-descriptions.jsonl")
      .toAbsolutePath().normalize().toString();

  static Dataset load(Path file) {
    return Tables.jsonl(file, TableOptions.builder().label("label").text("text").id("id")
        .build());
  }

  /** The model file here is its training data: the loader trains the baseline from it. */
  static BagOfWords train(Path file) {
    return BagOfWords.train(load(file).split(0.8, 42).train(), 10, 7);
  }

  /** The schema of {@link #textRows}: {@code id, label, text}. */
  static final StructType TEXT_ROWS = new StructType().add("id", DataTypes.StringType)
      .add("label", DataTypes.IntegerType).add("text", DataTypes.StringType);

  /** Each example of a text dataset as a row {@code id, label, text}. */
  static List<Row> textRows(Dataset data) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      rows.add(RowFactory.create(data.id(i), data.label(i), ((TextInput) data.input(i)).text()));
    }
    return rows;
  }

  /** Each example's position in {@code data}, by id. */
  static Map<String, Integer> positions(Dataset data) {
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      position.put(data.id(i), i);
    }
    return position;
  }

  @AfterAll
  static void tearDown() {
    ExecutorModels.closeAll();
  }

  @Test
  void aTextColumnScoresLikeModelPredict() {
    SparkSession spark = LocalSpark.session();
    Dataset test = load(Path.of(DATA)).split(0.8, 42).test();
    List<Row> rows = textRows(test);
    Map<String, Integer> position = positions(test);
    StructType schema = TEXT_ROWS;
    BagOfWords local = train(Path.of(DATA));
    ClassProbabilities expected = local.predict(test, 64);
    SparkScorer scorer = SparkScorer.builder(ModelSource.file(DATA, SparkTextScoringTest::train))
        .inputColumn("text").batchSize(16).build();
    List<Row> scored = scorer.score(spark.createDataFrame(rows, schema).repartition(3))
        .select("id", "label", SparkScorer.PROBABILITIES, SparkScorer.PREDICTED).collectAsList();
    assertThat(scored).hasSize(test.size());
    int correct = 0;
    for (Row r : scored) {
      int i = position.get(r.getString(0));
      List<Float> p = r.getList(2);
      assertThat(p).hasSize(test.classes().size());
      for (int k = 0; k < p.size(); k++) {
        assertThat(p.get(k)).as("id %s class %s", r.getString(0), k)
            .isEqualTo(expected.get(i, k));
      }
      assertThat(r.getInt(3)).isEqualTo(expected.argmax(i));
      correct += r.getInt(3) == r.getInt(1) ? 1 : 0;
    }
    double accuracy = (double) correct / test.size();
    System.out.printf("Spark scored %d texts (3 partitions, batch 16) with the bag-of-words "
        + "baseline: accuracy %.3f, every probability equal to Model.predict%n", test.size(),
        accuracy);
    // the baseline learns the descriptions: well above chance over its classes
    assertThat(accuracy).isEqualTo(expected.accuracy(test.labels()))
        .isGreaterThan(2.0 / test.classes().size());
  }
}
