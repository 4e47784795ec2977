package dev.groundwork.core.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationOptions;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.CollectionPlan;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.baseline.MajorityClass;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Json;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.data.TensorInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolMinerTest {

  static final List<String> CLASSES = List.of("a", "b", "c", "d", "e");
  static final int C = CLASSES.size();

  /**
   * 2,000 labelled predictions, random classes; camera cam-2 is wrong 40% of the time, the rest
   * 10%; 2-d embeddings uniform in [-1, 1]² except ex-00000..2, which sit at (10, 10).
   */
  static ClassificationPredictions labelled() {
    Random rng = new Random(11);
    int n = 2000;
    List<String> ids = new ArrayList<>();
    int[] labels = new int[n];
    float[] probs = new float[n * C];
    String[] camera = new String[n];
    float[] emb = new float[n * 2];
    for (int i = 0; i < n; i++) {
      ids.add(String.format("ex-%05d", i));
      int cam = rng.nextInt(4);
      camera[i] = "cam-" + cam;
      labels[i] = rng.nextInt(C);
      boolean wrong = rng.nextDouble() < (cam == 2 ? 0.4 : 0.1);
      int pred = wrong ? (labels[i] + 1 + rng.nextInt(C - 1)) % C : labels[i];
      float top = 0.5f + 0.45f * rng.nextFloat();
      for (int k = 0; k < C; k++) {
        probs[i * C + k] = k == pred ? top : (1 - top) / (C - 1);
      }
      emb[2 * i] = i < 3 ? 10 : 2 * rng.nextFloat() - 1;
      emb[2 * i + 1] = i < 3 ? 10 : 2 * rng.nextFloat() - 1;
    }
    return ClassificationPredictions.of(ids, labels, probs, CLASSES)
        .withAttribute("camera", List.of(camera)).withEmbeddings(emb, 2);
  }

  static final ClassificationPredictions LABELLED = labelled();
  static final ClassificationAnalysis ANALYSIS = FailureAnalysis.classification(LABELLED)
      .options(ClassificationOptions.builder().seed(3).maxOrder(1).build()).run();

  /**
   * 100 pool items: pool-000..019 from cam-2, the rest from cam-0/1/3; item i predicts class i % 5
   * with margin (i % 50 + 1) / 100, so margins repeat once across the pool (ties by position).
   */
  static UnlabeledPool pool() {
    List<UnlabeledPool.Item> items = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String cam = i < 20 ? "cam-2" : "cam-" + new int[] {0, 1, 3}[i % 3];
      items.add(new UnlabeledPool.Item(String.format("pool-%03d", i),
          new TensorInput(new float[] {i, 0}, new int[] {2}), Map.of("camera", cam)));
    }
    return UnlabeledPool.of("backlog", DatasetSpec.features(2, CLASSES), items);
  }

  static double margin(int i) {
    return (i % 50 + 1) / 100.0;
  }

  static float[] probs(int n) {
    float[] p = new float[n * C];
    for (int i = 0; i < n; i++) {
      float m = (float) margin(i);
      float top = 0.5f + m / 2;
      float second = 0.5f - m / 2;
      p[i * C + i % C] = top;
      p[i * C + (i + 1) % C] = second;
    }
    return p;
  }

  static PoolPredictions poolPredictions() {
    UnlabeledPool pool = pool();
    return PoolPredictions.of(pool, probs(pool.size()), "test-model");
  }

  @Test
  void theAnalysisFindsCam2() {
    assertThat(ANALYSIS.slices().beyondClassMix()).extracting(s -> s.description())
        .contains("camera = cam-2");
  }

  @Test
  void failingSlicesTakesTheCam2ItemsWithTheSmallestMarginsFirst() {
    Selection s = PoolMiner.of(ANALYSIS, LABELLED)
        .select(poolPredictions(), 10, PoolMiner.Strategy.FAILING_SLICES, 1);
    // cam-2 items are 0..19 with margins 0.01..0.20: the 10 smallest are items 0..9
    assertThat(s.ids()).containsExactly("pool-000", "pool-001", "pool-002", "pool-003",
        "pool-004", "pool-005", "pool-006", "pool-007", "pool-008", "pool-009");
    assertThat(s.items()).allSatisfy(i -> assertThat(i.kind()).isEqualTo("slice"));
    assertThat(s.items().get(3).reason()).isEqualTo("camera = cam-2; margin 0.04");
    assertThat(s.items().get(3).margin()).isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(s.items().get(3).predicted()).isEqualTo("d");
    assertThat(s.allocation()).hasSize(1);
    assertThat(s.allocation().get(0).candidates()).isEqualTo(20);
  }

  @Test
  void marginTakesTheSmallestMarginsWithTiesByPosition() {
    Selection s = PoolMiner.of(ANALYSIS, LABELLED)
        .select(poolPredictions(), 5, PoolMiner.Strategy.MARGIN, 1);
    // margins 0.01 at items 0 and 50, 0.02 at 1 and 51, 0.03 at 2
    assertThat(s.ids()).containsExactly("pool-000", "pool-050", "pool-001", "pool-051",
        "pool-002");
    assertThat(s.items().get(0).reason()).isEqualTo("camera = cam-2; margin 0.01");
    assertThat(s.items().get(1).reason()).isEqualTo("uncertain; margin 0.01");
  }

  @Test
  void entropyAndRandomAreStatedAndSeeded() {
    PoolMiner miner = PoolMiner.of(ANALYSIS, LABELLED);
    Selection e = miner.select(poolPredictions(), 2, PoolMiner.Strategy.ENTROPY, 1);
    assertThat(e.ids()).containsExactly("pool-000", "pool-050");
    Selection r1 = miner.select(poolPredictions(), 30, PoolMiner.Strategy.RANDOM, 5);
    Selection r2 = miner.select(poolPredictions(), 30, PoolMiner.Strategy.RANDOM, 5);
    Selection r3 = miner.select(poolPredictions(), 30, PoolMiner.Strategy.RANDOM, 6);
    assertThat(r1.ids()).isEqualTo(r2.ids()).doesNotHaveDuplicates().isNotEqualTo(r3.ids());
    assertThat(r1.summary()).contains("random").contains("a seeded random sample");
  }

  @Test
  void mixedSplitsTheBudgetByThePlansExcessErrors() {
    // every scenario targeted: the cam-2 slice holds a quarter of the data, beyond the default cap
    Selection s = PoolMiner.of(ANALYSIS, LABELLED).targets(10, 1.0)
        .select(poolPredictions(), 40, PoolMiner.Strategy.MIXED, 1);
    assertThat(s.items()).hasSize(40);
    assertThat(s.ids()).doesNotHaveDuplicates();
    // 30 focused items split over the plan's scenarios (and the hard-example share) by weight
    List<Selection.Allocation> focused = s.allocation().stream()
        .filter(a -> !a.kind().equals("uncertainty")).toList();
    assertThat(focused.stream().mapToInt(Selection.Allocation::quota).sum()).isEqualTo(30);
    double total = focused.stream().mapToDouble(Selection.Allocation::weight).sum();
    for (Selection.Allocation a : focused) {
      assertThat((double) a.quota()).isCloseTo(30 * a.weight() / total,
          org.assertj.core.data.Offset.offset(1.0));
    }
    Selection.Allocation cam2 = focused.stream()
        .filter(a -> a.scenario().equals("camera = cam-2")).findFirst().orElseThrow();
    CollectionPlan.Item planItem = ANALYSIS.collectionPlan().items().stream()
        .filter(i -> i.scenario().equals("camera = cam-2")).findFirst().orElseThrow();
    assertThat(cam2.weight()).isEqualTo(planItem.excessErrors());
    assertThat(cam2.candidates()).isEqualTo(20);
    assertThat(cam2.picked()).isEqualTo(Math.min(cam2.quota(), 20));
    // the slice's items are cam-2 items; the uncertainty share takes what is left
    assertThat(s.items()).filteredOn(i -> i.kind().equals("slice"))
        .allSatisfy(i -> assertThat(i.poolIndex()).isLessThan(20));
    Selection.Allocation unc = s.allocation().get(s.allocation().size() - 1);
    assertThat(unc.kind()).isEqualTo("uncertainty");
    assertThat(unc.picked()).isEqualTo(40 - focused.stream()
        .mapToInt(Selection.Allocation::picked).sum());
    // any prefix is spread: the first items cover the first scenarios, not one scenario only
    assertThat(s.items().subList(0, focused.size() + 1).stream().map(Selection.Item::scenario)
        .distinct().count()).isGreaterThan(1);
  }

  @Test
  void nearFailuresTakesThePoolItemsNextToNeverFitExamples() {
    UnlabeledPool pool = pool();
    float[] emb = new float[200];
    for (int i = 0; i < 100; i++) {
      boolean near = i % 20 == 7; // items 7, 27, 47, 67, 87
      emb[2 * i] = near ? 10 + 0.01f * i : -20 - 0.01f * i;
      emb[2 * i + 1] = near ? 10 : -20;
    }
    PoolPredictions p = PoolPredictions.of(pool, probs(100), "m").withEmbeddings(emb, 2);
    Selection s = PoolMiner.of(ANALYSIS, LABELLED).neverFit(List.of("ex-00000", "ex-00001"))
        .select(p, 5, PoolMiner.Strategy.NEAR_FAILURES, 1);
    assertThat(s.ids()).containsExactly("pool-007", "pool-027", "pool-047", "pool-067",
        "pool-087");
    assertThat(s.items().get(0).reason()).contains("nearest failure ex-00000 (never fit)")
        .endsWith("margin 0.08");
  }

  @Test
  void diversityTakesOneItemFromEachOfThreeGroups() {
    UnlabeledPool pool = pool();
    float[] emb = new float[200];
    float[][] centres = {{0, 0}, {50, 0}, {0, 50}};
    for (int i = 0; i < 100; i++) {
      emb[2 * i] = centres[i % 3][0] + 0.001f * i;
      emb[2 * i + 1] = centres[i % 3][1];
    }
    PoolPredictions p = PoolPredictions.of(pool, probs(100), "m").withEmbeddings(emb, 2);
    Selection s = PoolMiner.of(ANALYSIS, LABELLED).select(p, 3, PoolMiner.Strategy.DIVERSITY, 1);
    assertThat(s.items().get(0).id()).isEqualTo("pool-000"); // the smallest margin starts
    assertThat(s.items().stream().map(i -> i.poolIndex() % 3).toList())
        .containsExactlyInAnyOrder(0, 1, 2);
  }

  @Test
  void exportsCsvJsonlAndLabelStudioTasks(@TempDir Path dir) throws Exception {
    Selection s = PoolMiner.of(ANALYSIS, LABELLED)
        .select(poolPredictions(), 4, PoolMiner.Strategy.FAILING_SLICES, 1);
    s.writeCsv(dir.resolve("s.csv"));
    List<String> csv = Files.readAllLines(dir.resolve("s.csv"));
    assertThat(csv).hasSize(5);
    assertThat(csv.get(0)).isEqualTo(
        "rank,id,scenario,kind,reason,predicted,confidence,margin,entropy");
    assertThat(csv.get(1)).startsWith("1,pool-000,failing slices,slice,camera = cam-2; margin "
        + "0.01,a,0.505,0.01,0.6931");
    s.writeJsonl(dir.resolve("s.jsonl"));
    List<String> lines = Files.readAllLines(dir.resolve("s.jsonl"));
    assertThat(lines).hasSize(5);
    String poolSha = pool().fingerprint().sha256();
    assertThat(s.provenance().poolFingerprint()).isEqualTo(pool().fingerprint());
    // another pool (one item less) has another fingerprint
    assertThat(pool().without(List.of("pool-099")).fingerprint().sha256()).isNotEqualTo(poolSha);
    @SuppressWarnings("unchecked")
    Map<String, Object> header = (Map<String, Object>) ((Map<String, Object>) new Json(
        lines.get(0)).document()).get("selection");
    assertThat(header).containsEntry("pool", "backlog").containsEntry("pool_fingerprint", poolSha)
        .containsEntry("strategy", "failing_slices").containsEntry("analysis_fingerprint",
            ANALYSIS.provenance().fingerprint().sha256());
    assertThat(((Json.Num) header.get("pool_size")).value()).isEqualTo(100);
    assertThat(((Json.Num) header.get("budget")).value()).isEqualTo(4);
    assertThat(s.summary()).contains("pool backlog sha256:" + poolSha.substring(0, 12));
    @SuppressWarnings("unchecked")
    Map<String, Object> first = (Map<String, Object>) new Json(lines.get(1)).document();
    assertThat(first.get("id")).isEqualTo("pool-000");
    assertThat(first.get("reason")).isEqualTo("camera = cam-2; margin 0.01");
    s.writeLabelStudio(dir.resolve("tasks.json"), "image", id -> "/data/" + id + ".png",
        "label", "mlp-1");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> tasks = (List<Map<String, Object>>) new Json(
        Files.readString(dir.resolve("tasks.json"))).document();
    assertThat(tasks).hasSize(4);
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) tasks.get(1).get("data");
    assertThat(data.get("image")).isEqualTo("/data/pool-001.png");
    assertThat(data.get("groundwork_id")).isEqualTo("pool-001");
    @SuppressWarnings("unchecked")
    Map<String, Object> meta = (Map<String, Object>) tasks.get(1).get("meta");
    assertThat(meta).containsEntry("pool_fingerprint", poolSha).containsEntry("model", "test-model");
    @SuppressWarnings("unchecked")
    Map<String, Object> pred = ((List<Map<String, Object>>) tasks.get(1).get("predictions"))
        .get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> result = ((List<Map<String, Object>>) pred.get("result")).get(0);
    assertThat(result.get("from_name")).isEqualTo("label");
    assertThat(result.get("to_name")).isEqualTo("image");
    assertThat(result.get("type")).isEqualTo("choices");
    assertThat(result.get("value")).isEqualTo(Map.of("choices", List.of("b")));
  }

  @Test
  void badInputGetsTypedErrors() {
    PoolMiner miner = PoolMiner.of(ANALYSIS, LABELLED);
    PoolPredictions p = poolPredictions();
    assertThatThrownBy(() -> miner.select(p, 0, PoolMiner.Strategy.MIXED, 1))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("budget");
    assertThatThrownBy(() -> miner.select(p, 101, PoolMiner.Strategy.MIXED, 1))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("budget 101 is larger than pool backlog (100 items)");
    assertThatThrownBy(() -> miner.select(p, 5, PoolMiner.Strategy.NEAR_FAILURES, 1))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("embeddings");
    // a pool whose items carry labels
    assertThatThrownBy(() -> UnlabeledPool.of("labelled", DatasetSpec.features(2, CLASSES),
        List.of(new UnlabeledPool.Item("x-1", new TensorInput(new float[2], new int[] {2}),
            Map.of("label", "a")))))
        .isInstanceOf(LabeledPoolException.class)
        .hasMessageContaining("item 0 (id x-1)").hasMessageContaining("'label'");
    // an analysis of other predictions
    float[] other = LABELLED.probabilities();
    other[0] += 1e-3f;
    other[1] -= 1e-3f;
    ClassificationPredictions changed = ClassificationPredictions.of(LABELLED.ids(),
        LABELLED.labels(), other, CLASSES);
    assertThatThrownBy(() -> PoolMiner.of(ANALYSIS, changed))
        .isInstanceOf(AnalysisMismatchException.class)
        .hasMessageContaining("computed on predictions");
    // a pool with other classes than the analysis
    List<UnlabeledPool.Item> items = List.of(new UnlabeledPool.Item("y-1",
        new TensorInput(new float[2], new int[] {2}), Map.of()));
    UnlabeledPool otherClasses = UnlabeledPool.of("x", DatasetSpec.features(2,
        List.of("p", "q", "r", "s", "t")), items);
    assertThatThrownBy(() -> miner.select(PoolPredictions.of(otherClasses, new float[5], "m"), 1,
        PoolMiner.Strategy.MARGIN, 1)).isInstanceOf(AnalysisMismatchException.class)
        .hasMessageContaining("classes");
  }

  @Test
  void theModelMustTakeThePoolsInputsAndHaveMadeTheAnalysedPredictions() {
    Split fm = Datasets.fashionMnistSubset();
    Dataset test = fm.test().subset(IntStream.range(0, 200).toArray());
    try (MajorityClass model = MajorityClass.train(fm.train())) {
      UnlabeledPool wrongShape = UnlabeledPool.of("features", DatasetSpec.features(3,
          test.classes()), List.of(new UnlabeledPool.Item("z", new TensorInput(new float[3],
          new int[] {3}), Map.of())));
      assertThatThrownBy(() -> wrongShape.predict(model, 8))
          .isInstanceOf(InputSpecMismatchException.class).hasMessageContaining("[1, 28, 28]")
          .hasMessageContaining("[3]");
      ClassificationPredictions own = ClassificationPredictions.fromDataset(test,
          model.predict(test, 64).values());
      ClassificationAnalysis a = FailureAnalysis.classification(own).run();
      PoolMiner miner = PoolMiner.of(model, a, own);
      UnlabeledPool pool = UnlabeledPool.hidingLabels(fm.train().subset(0, 1, 2, 3, 4, 5));
      assertThat(miner.select(pool.predict(model, 8), 3, PoolMiner.Strategy.MARGIN, 1).items())
          .hasSize(3);
      assertThatThrownBy(() -> miner.select(PoolPredictions.of(pool,
          pool.predict(model, 8).probabilities(), "another-model"), 3,
          PoolMiner.Strategy.MARGIN, 1)).isInstanceOf(AnalysisMismatchException.class)
          .hasMessageContaining("another-model");
      // predictions of another model (uniform) analysed, then mined with this model
      float[] uniform = new float[test.size() * 10];
      for (int i = 0; i < test.size(); i++) {
        uniform[i * 10 + 3] = 1f;
      }
      ClassificationPredictions foreign = ClassificationPredictions.fromDataset(test, uniform);
      ClassificationAnalysis fa = FailureAnalysis.classification(foreign).run();
      assertThatThrownBy(() -> PoolMiner.of(model, fa, foreign))
          .isInstanceOf(AnalysisMismatchException.class)
          .hasMessageContaining("computed for another model");
      assertThat(pool.without(List.of(pool.id(0))).size()).isEqualTo(5);
    }
  }

  @Test
  void scenarioMembershipOfTheSliceIsExactlyTheCam2Items() {
    boolean[] in = PoolMiner.of(ANALYSIS, LABELLED).targets(10, 1.0)
        .scenarioMembership(poolPredictions(), java.util.EnumSet.of(CollectionPlan.Kind.SLICE));
    assertThat(IntStream.range(0, 100).filter(i -> in[i]).toArray())
        .isEqualTo(IntStream.range(0, 20).toArray());
    // confused pairs: item i's two most probable classes are i % 5 and (i + 1) % 5
    boolean[] all = PoolMiner.of(ANALYSIS, LABELLED).targets(10, 1.0)
        .scenarioMembership(poolPredictions(), java.util.EnumSet.allOf(CollectionPlan.Kind.class));
    assertThat(IntStream.range(0, 20).allMatch(i -> all[i])).isTrue();
  }

  @Test
  void byDefaultTheMixedStrategyTargetsTheTopNarrowScenariosOnly() {
    CollectionPlan.Item cam2 = ANALYSIS.collectionPlan().items().stream()
        .filter(i -> i.scenario().equals("camera = cam-2")).findFirst().orElseThrow();
    // the cam-2 slice holds more than a quarter of the 2,000 analysed examples
    assertThat(cam2.support()).isGreaterThan(500);
    List<CollectionPlan.Item> targets = PoolMiner.of(ANALYSIS, LABELLED).targets();
    List<CollectionPlan.Item> expected = ANALYSIS.collectionPlan().items().stream()
        .filter(i -> i.excessErrors() > 0 && (i.kind() == CollectionPlan.Kind.CONFUSION
            || i.support() <= 0.25 * LABELLED.size())).limit(3).toList();
    assertThat(targets).isEqualTo(expected).doesNotContain(cam2)
        .hasSize(PoolMiner.DEFAULT_MAX_SCENARIOS);
    assertThat(PoolMiner.of(ANALYSIS, LABELLED).targets(10, 1.0).targets()).contains(cam2);
    assertThat(PoolMiner.of(ANALYSIS, LABELLED).targets(1, 1.0).targets())
        .containsExactly(ANALYSIS.collectionPlan().items().get(0));
    // the mixed strategy's scenarios and the membership follow the targets
    Selection s = PoolMiner.of(ANALYSIS, LABELLED)
        .select(poolPredictions(), 40, PoolMiner.Strategy.MIXED, 1);
    assertThat(s.notes()).anyMatch(n -> n.startsWith("slice camera = cam-2 holds "
        + cam2.support() + " of the 2000 analysed examples (more than 25%): too broad"));
    assertThat(s.allocation().stream().map(Selection.Allocation::scenario))
        .doesNotContain("camera = cam-2")
        .containsAll(targets.stream().map(CollectionPlan.Item::scenario).toList());
    boolean[] slices = PoolMiner.of(ANALYSIS, LABELLED).scenarioMembership(poolPredictions(),
        java.util.EnumSet.of(CollectionPlan.Kind.SLICE));
    assertThat(IntStream.range(0, 100).noneMatch(i -> slices[i])).isTrue();
    assertThatThrownBy(() -> PoolMiner.of(ANALYSIS, LABELLED).targets(0, 0.5))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> PoolMiner.of(ANALYSIS, LABELLED).targets(3, 0))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("maxSupportShare");
  }

  @Test
  void largestRemainderSplitsExactly() {
    assertThat(PoolMiner.largestRemainder(10, new double[] {1, 1, 1}))
        .containsExactly(4, 3, 3);
    assertThat(PoolMiner.largestRemainder(7, new double[] {5, 0, 2}))
        .containsExactly(5, 0, 2);
  }
}
