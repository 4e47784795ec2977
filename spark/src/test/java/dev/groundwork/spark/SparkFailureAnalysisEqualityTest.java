package dev.groundwork.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.analysis.Calibration;
import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationMetrics;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.analysis.Slice;
import dev.groundwork.core.analysis.SliceCounts;
import dev.groundwork.core.analysis.SliceOptions;
import dev.groundwork.core.analysis.SliceReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark analysis of 20,000 seeded synthetic predictions, written to Parquet and read back in
 * local[2], equals core's in-memory {@code FailureAnalysis.classification(...)} on the same rows:
 * counts exactly, statistics to 1e-9.
 */
class SparkFailureAnalysisEqualityTest {
  static final int N = 20_000;
  static final List<String> CLASSES = List.of("cat", "dog", "bird", "fish", "frog", "horse",
      "ship", "truck", "plane", "deer");
  static final double EPS = 1e-9;

  static SparkSession spark;
  static ClassificationAnalysis memory;
  static SliceReport memorySlices;
  static final long SEED = 11;
  static final SliceOptions SLICES = SliceOptions.builder().maxOrder(2).minSupport(40)
      .overlap(0.95).build();
  static List<Row> rows;
  static StructType schema;

  @TempDir
  static Path dir;

  @BeforeAll
  static void setUp() {
    spark = LocalSpark.session();
    int c = CLASSES.size();
    SplittableRandom rnd = new SplittableRandom(20261201L);
    List<String> ids = new ArrayList<>(N);
    int[] labels = new int[N];
    float[] probs = new float[N * c];
    rows = new ArrayList<>(N);
    // metadata from its own generator (the probabilities above stay as they were): camera cam-3
    // and low brightness hold more errors than the classes explain; site is numbers as text
    SplittableRandom meta = new SplittableRandom(7);
    List<String> cameras = new ArrayList<>(N);
    List<String> sites = new ArrayList<>(N);
    double[] brightness = new double[N];
    for (int i = 0; i < N; i++) {
      int y = rnd.nextInt(c);
      float[] p = new float[c];
      if (i % 97 == 0) {
        // exact ties between two classes: the argmax is the lower index
        int a = rnd.nextInt(c);
        int b = (a + 1 + rnd.nextInt(c - 1)) % c;
        p[a] = 0.5f;
        p[b] = 0.5f;
      } else if (i % 89 == 0) {
        p[y] = 1f; // confidence exactly 1: the last bin includes it
      } else {
        double[] e = new double[c];
        double sum = 0;
        double sharp = 0.5 + 3 * rnd.nextDouble();
        for (int k = 0; k < c; k++) {
          e[k] = Math.exp(sharp * rnd.nextGaussian() + (k == y ? 1.5 : 0));
          sum += e[k];
        }
        for (int k = 0; k < c; k++) {
          p[k] = (float) (e[k] / sum);
        }
      }
      ids.add("ex-" + i);
      labels[i] = y;
      int pred = 0;
      for (int k = 1; k < c; k++) {
        pred = p[k] > p[pred] ? k : pred;
      }
      boolean wrong = pred != y;
      String camera = wrong && meta.nextDouble() < 0.1 ? "cam-3"
          : i % 41 == 0 ? null : "cam-" + meta.nextInt(4);
      double bright = wrong && meta.nextDouble() < 0.08 ? 0.1 * meta.nextDouble()
          : meta.nextDouble();
      Double brightCell = bright;
      if (i % 53 == 0) {
        bright = Double.NaN;
        brightCell = null;
      } else if (i % 59 == 0) {
        bright = Double.NaN;
        brightCell = Double.NaN;
      }
      String site = i % 37 == 0 ? null : Integer.toString(meta.nextInt(40));
      cameras.add(camera);
      sites.add(site);
      brightness[i] = bright;
      System.arraycopy(p, 0, probs, i * c, c);
      Float[] boxed = new Float[c];
      for (int k = 0; k < c; k++) {
        boxed[k] = p[k];
      }
      rows.add(RowFactory.create("ex-" + i, y, CLASSES.get(y), boxed, camera, brightCell, site));
    }
    schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.IntegerType)
        .add("class", DataTypes.StringType)
        .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType))
        .add("camera", DataTypes.StringType).add("brightness", DataTypes.DoubleType)
        .add("site", DataTypes.StringType);
    ClassificationPredictions p = ClassificationPredictions.of(ids, labels, probs, CLASSES);
    memory = FailureAnalysis.classification(p).run();
    memorySlices = SliceCounts.find(p.withAttribute("camera", cameras)
        .withNumericAttribute("brightness", brightness).withAttribute("site", sites), SLICES,
        SEED);
  }

  @Test
  void parquetRoundTripEqualsTheInMemoryAnalysis() {
    String file = dir.resolve("predictions.parquet").toString();
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(file);
    Dataset<Row> table = spark.read().parquet(file);
    SparkClassificationAnalysis a = SparkFailureAnalysis.builder(CLASSES).source(file)
        .sliceColumns(List.of("camera", "brightness", "site")).slices(SLICES).seed(SEED).build()
        .classification(table);
    System.out.println(a);
    assertEqualsInMemory(a);
    assertSlicesEqualInMemory(a.slices().orElseThrow());
    assertThat(a.provenance().predictions()).isEqualTo(N);
  }

  @Test
  void oneColumnPerClassAndStringLabelsGiveTheSameResult() {
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    for (int k = 0; k < CLASSES.size(); k++) {
      df = df.withColumn("p" + k, df.col("probabilities").getItem(k));
    }
    List<String> cols = new ArrayList<>();
    for (int k = 0; k < CLASSES.size(); k++) {
      cols.add("p" + k);
    }
    SparkClassificationAnalysis a = SparkFailureAnalysis.builder(CLASSES).labelColumn("class")
        .probabilityColumns(cols).build().classification(df.drop("probabilities"));
    assertEqualsInMemory(a);
  }

  @Test
  void theFingerprintIgnoresRowOrderButSeesAChangedRow() {
    SparkFailureAnalysis analysis = SparkFailureAnalysis.builder(CLASSES).build();
    List<Row> few = rows.subList(0, 2_000);
    Dataset<Row> df = spark.createDataFrame(few, schema);
    String once = analysis.classification(df).provenance().fingerprint().sha256();
    String shuffled = analysis.classification(df.repartition(5)).provenance().fingerprint()
        .sha256();
    List<Row> changed = new ArrayList<>(few);
    Row r = few.get(7);
    changed.set(7, RowFactory.create(r.get(0), (r.getInt(1) + 1) % CLASSES.size(),
        CLASSES.get((r.getInt(1) + 1) % CLASSES.size()), r.get(3), r.get(4), r.get(5), r.get(6)));
    String other = analysis.classification(spark.createDataFrame(changed, schema)).provenance()
        .fingerprint().sha256();
    assertThat(shuffled).isEqualTo(once);
    assertThat(other).isNotEqualTo(once);
  }

  private static void assertSlicesEqualInMemory(SliceReport s) {
    SliceReport e = memorySlices;
    System.out.println(e);
    assertThat(s.attributes()).isEqualTo(e.attributes());
    assertThat(s.attributes()).contains("site: numeric, 16 quantile bins (15 thresholds, fixed)");
    assertThat(s.method()).isEqualTo(e.method());
    assertThat(s.candidates()).isEqualTo(e.candidates()).isGreaterThan(1000);
    assertThat(s.significant()).isEqualTo(e.significant());
    assertThat(s.overallErrorRate()).isCloseTo(e.overallErrorRate(), within(EPS));
    assertThat(s.slices()).hasSameSizeAs(e.slices()).hasSizeGreaterThanOrEqualTo(5);
    for (int t = 0; t < e.slices().size(); t++) {
      Slice x = s.slices().get(t);
      Slice y = e.slices().get(t);
      assertThat(x.description()).as("slice %s", t).isEqualTo(y.description());
      assertThat(x.support()).isEqualTo(y.support());
      assertThat(x.errors()).isEqualTo(y.errors());
      assertThat(x.expectedErrors()).isCloseTo(y.expectedErrors(), within(EPS));
      assertThat(x.restErrorRate()).isCloseTo(y.restErrorRate(), within(EPS));
      assertThat(x.verdict()).isEqualTo(y.verdict());
      Slice.Confirmation cx = x.confirmation();
      Slice.Confirmation cy = y.confirmation();
      assertThat(cx.support()).isEqualTo(cy.support());
      assertThat(cx.errors()).isEqualTo(cy.errors());
      assertThat(cx.expectedErrors()).isCloseTo(cy.expectedErrors(), within(EPS));
      assertThat(cx.adjustedPValue()).isCloseTo(cy.adjustedPValue(), within(EPS));
      assertThat(cx.adjustedQValue()).isCloseTo(cy.adjustedQValue(), within(EPS));
      assertThat(cx.rawPValue()).isCloseTo(cy.rawPValue(), within(EPS));
      assertThat(cx.rawQValue()).isCloseTo(cy.rawQValue(), within(EPS));
    }
    // the planted failures are found and confirmed beyond the class mix
    assertThat(s.beyondClassMix()).extracting(Slice::description)
        .anyMatch(d -> d.contains("camera = cam-3")).anyMatch(d -> d.contains("brightness ≤"));
  }

  private static void assertEqualsInMemory(SparkClassificationAnalysis a) {
    int c = CLASSES.size();
    long[][] expected = memory.confusion().counts();
    assertThat(a.confusion().counts()).isDeepEqualTo(expected);
    long diagonal = 0;
    for (int k = 0; k < c; k++) {
      diagonal += expected[k][k];
    }
    ClassificationMetrics m = a.metrics();
    ClassificationMetrics e = memory.metrics();
    assertThat(m.examples()).isEqualTo(N).isEqualTo(e.examples());
    // an accuracy computed from the confusion diagonal by hand, not by either analysis
    assertThat(m.accuracy()).isCloseTo((double) diagonal / N, within(EPS))
        .isCloseTo(e.accuracy(), within(EPS));
    assertThat(m.macroF1()).isCloseTo(e.macroF1(), within(EPS));
    assertThat(m.weightedF1()).isCloseTo(e.weightedF1(), within(EPS));
    for (int k = 0; k < c; k++) {
      var s = m.perClass().get(k);
      var t = e.perClass().get(k);
      assertThat(s.className()).isEqualTo(t.className());
      assertThat(s.support()).isEqualTo(t.support());
      assertThat(s.predicted()).isEqualTo(t.predicted());
      assertThat(s.precision()).isCloseTo(t.precision(), within(EPS));
      assertThat(s.recall()).isCloseTo(t.recall(), within(EPS));
      assertThat(s.f1()).isCloseTo(t.f1(), within(EPS));
    }
    Calibration cal = a.calibration();
    Calibration ce = memory.calibration();
    assertThat(cal.bins()).hasSize(Calibration.DEFAULT_BINS).hasSameSizeAs(ce.bins());
    for (int b = 0; b < ce.bins().size(); b++) {
      Calibration.Bin x = cal.bins().get(b);
      Calibration.Bin y = ce.bins().get(b);
      assertThat(x.count()).as("bin %s count", b).isEqualTo(y.count());
      assertThat(x.lower()).isEqualTo(y.lower());
      assertThat(x.upper()).isEqualTo(y.upper());
      if (y.count() == 0) {
        assertThat(x.meanConfidence()).isNaN();
        assertThat(x.accuracy()).isNaN();
      } else {
        assertThat(x.meanConfidence()).isCloseTo(y.meanConfidence(), within(EPS));
        assertThat(x.accuracy()).isCloseTo(y.accuracy(), within(EPS));
      }
    }
    // the ties (0.5) and the one-hot rows (1.0) land in their bins: both analyses saw them
    assertThat(ce.bins().get(7).count()).isGreaterThanOrEqualTo(N / 97);
    assertThat(ce.bins().get(14).count()).isGreaterThanOrEqualTo(N / 89);
    assertThat(cal.ece()).isCloseTo(ce.ece(), within(EPS));
    assertThat(cal.mce()).isCloseTo(ce.mce(), within(EPS));
    assertThat(cal.examples()).isEqualTo(N);
  }
}
