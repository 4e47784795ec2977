package dev.groundwork.core.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationOptions;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.CollectionPlan;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.baseline.SoftmaxRegression;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import java.util.EnumSet;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * On the embedded Fashion-MNIST subset: the mixed (failure-focused) strategy spends its budget on
 * the starting failure scenarios. Softmax regression stands in for the model (pure Java, seconds);
 * the failure analysis runs on a labelled validation set.
 *
 * <p>And it lowers the starting scenarios' error more than a random sample of the same size,
 * averaged over seeds (since the mixed strategy targets the plan's few narrow scenarios; before, it
 * spread the budget over every scenario and did not). The full-set measurement, with uncertainty
 * as a second baseline, is {@code examples/.../Collect.java} (docs/collect.md).
 */
class FocusedCollectionTest {

  static final int LABELLED = 300;
  static final int VALIDATION = 600;
  static final int BUDGET = 300;

  /**
   * What the mixed strategy does hold to: it spends its budget on the starting failure scenarios.
   * On the pool, the share of the chosen items inside the plan's scenarios is measured against
   * the share a random sample gets (the scenarios' share of the pool).
   */
  @Test
  void mixedSpendsTheBudgetInTheStartingFailureScenarios() {
    long seed = 20;
    Start start = start(Datasets.fashionMnistSubset(), seed);
    PoolMiner miner = start.miner();
    PoolPredictions pp = start.pool();
    boolean[] in = miner.scenarioMembership(pp, EnumSet.allOf(CollectionPlan.Kind.class));
    double base = (double) count(in) / in.length;
    Selection mixed = miner.select(pp, BUDGET, PoolMiner.Strategy.MIXED, seed);
    Selection random = miner.select(pp, BUDGET, PoolMiner.Strategy.RANDOM, seed);
    double mixedShare = mixed.items().stream().filter(i -> in[i.poolIndex()]).count()
        / (double) BUDGET;
    double randomShare = random.items().stream().filter(i -> in[i.poolIndex()]).count()
        / (double) BUDGET;
    System.out.printf(Locale.ROOT, "scenarios hold %.3f of the pool; mixed puts %.3f of its "
        + "budget there, random %.3f%n", base, mixedShare, randomShare);
    // the focused share (75%) goes to scenarios, except the hard-example share; the uncertainty
    // share falls in them as often as uncertain items do
    long focused = mixed.items().stream().filter(i -> !i.kind().equals("uncertainty")
        && !i.kind().equals("hard-examples")).count();
    assertThat(mixed.items().stream().filter(i -> !i.kind().equals("uncertainty")
        && !i.kind().equals("hard-examples")).allMatch(i -> in[i.poolIndex()])).isTrue();
    // three narrow scenarios and the hard examples; a scenario with fewer candidates than its
    // quota leaves the rest to uncertainty
    assertThat(focused).isGreaterThan(BUDGET / 3);
    assertThat(mixedShare).isGreaterThan(base + 0.15);
    // a random sample of 300 is within ±0.1 of the base rate (about 3.5 standard deviations)
    assertThat(randomShare).isBetween(base - 0.1, base + 0.1);
  }

  /**
   * The claim, on the embedded subset: at the same budget, the failure-focused (mixed)
   * strategy lowers the error of the starting failure scenarios ({@link PoolMiner#targets()},
   * placed on the 1,000 test images by the starting model) more than a random sample does. Per
   * seed (20–27): 300 labelled, 600 analysed, a pool of 2,100, one round of 300 labels, softmax
   * regression retrained; the drop of the scenarios' test error is compared with random's for the
   * same seed. Measured: mixed gains 2.2 points on average over random (sd 1.8 across seeds; no
   * seed where random gained more). Uncertainty (margin) alone gains about as much over random
   * (2.4 points on these seeds), so the failure focus is no better than uncertainty here; this
   * test asserts only the claim against random.
   */
  @Test
  void failureFocusedCollectionLowersTheStartingScenariosErrorMoreThanRandom() {
    Split fm = Datasets.fashionMnistSubset();
    Dataset test = fm.test();
    float[] testPixels = pixels(test);
    int seeds = 8;
    double[] gain = new double[seeds];
    for (int k = 0; k < seeds; k++) {
      long seed = 20 + k;
      Start start = start(fm, seed);
      Dataset labelled = start.labelled();
      Dataset poolData = start.poolData();
      SoftmaxRegression m0 = start.model();
      PoolMiner miner = start.miner();
      PoolPredictions pp = start.pool();
      PoolPredictions tp = UnlabeledPool.hidingLabels(test).predict(m0, 500)
          .withEmbeddings(testPixels, 784);
      boolean[] in = miner.scenarioMembership(tp, EnumSet.allOf(CollectionPlan.Kind.class));
      assertThat(count(in)).as("seed %d: starting scenarios on the test set", seed)
          .isBetween(100, 500);
      double e0 = error(tp.probabilities(), test, in);
      double[] drop = new double[2];
      PoolMiner.Strategy[] strategies = {PoolMiner.Strategy.MIXED, PoolMiner.Strategy.RANDOM};
      for (int s = 0; s < 2; s++) {
        Selection sel = miner.select(pp, BUDGET, strategies[s], seed);
        SoftmaxRegression m1 = SoftmaxRegression.train(
            labelled.concat(poolData.subsetByIds(sel.ids())), seed);
        drop[s] = e0 - error(m1.predict(test, 500).values(), test, in);
      }
      gain[k] = drop[0] - drop[1];
      System.out.printf(Locale.ROOT, "seed %d: %d test images in %s (error %.4f); drop mixed "
          + "%.4f, random %.4f%n", seed, count(in), miner.targets().stream()
          .map(CollectionPlan.Item::scenario).toList(), e0, drop[0], drop[1]);
    }
    double mean = java.util.Arrays.stream(gain).average().orElseThrow();
    double sd = Math.sqrt(java.util.Arrays.stream(gain).map(g -> (g - mean) * (g - mean)).sum()
        / (seeds - 1));
    System.out.printf(Locale.ROOT, "mixed minus random: %.4f ± %.4f%n", mean, sd);
    // beyond the seed spread: the mean gain exceeds the gains' standard deviation across seeds
    assertThat(mean).isGreaterThan(sd).isGreaterThan(0.015);
    assertThat(java.util.Arrays.stream(gain).min().orElseThrow()).isGreaterThanOrEqualTo(-0.01);
  }

  /** One seed's starting point: the labelled set, the pool, the first model, its miner. */
  record Start(Dataset labelled, Dataset poolData, SoftmaxRegression model, PoolMiner miner,
      PoolPredictions pool) {}

  /**
   * The subset's training images shuffled by {@code seed} into {@link #LABELLED} labelled,
   * {@link #VALIDATION} analysed and the rest as the pool (labels hidden); softmax regression on
   * the labelled set, its failure analysis on the analysed set, and the pool's predictions with
   * pixel embeddings.
   */
  static Start start(Split fm, long seed) {
    Dataset shuffled = fm.train().shuffle(seed);
    Dataset labelled = shuffled.subset(IntStream.range(0, LABELLED).toArray());
    Dataset validation = shuffled.subset(IntStream.range(LABELLED, LABELLED + VALIDATION)
        .toArray());
    Dataset poolData = shuffled.subset(IntStream.range(LABELLED + VALIDATION, shuffled.size())
        .toArray());
    SoftmaxRegression m0 = SoftmaxRegression.train(labelled, seed);
    ClassificationPredictions val = ClassificationPredictions.fromDataset(validation,
        m0.predict(validation, 500).values()).withEmbeddings(pixels(validation), 784);
    ClassificationAnalysis analysis = FailureAnalysis.classification(val)
        .options(ClassificationOptions.builder().seed(seed).build()).run();
    PoolMiner miner = PoolMiner.of(m0, analysis, val);
    PoolPredictions pp = UnlabeledPool.hidingLabels(poolData).predict(m0, 500)
        .withEmbeddings(pixels(poolData), 784);
    return new Start(labelled, poolData, m0, miner, pp);
  }

  static float[] pixels(Dataset d) {
    float[] out = new float[d.size() * 784];
    int row = 0;
    for (Batch b : d.batches(500)) {
      System.arraycopy(b.inputs(), 0, out, row * 784, b.size() * 784);
      row += b.size();
    }
    return out;
  }

  static double error(float[] p, Dataset d, boolean[] mask) {
    int c = d.classes().size();
    int n = 0;
    int wrong = 0;
    for (int i = 0; i < d.size(); i++) {
      if (mask[i]) {
        int best = 0;
        for (int k = 1; k < c; k++) {
          if (p[i * c + k] > p[i * c + best]) {
            best = k;
          }
        }
        n++;
        wrong += best != d.label(i) ? 1 : 0;
      }
    }
    return n == 0 ? 0 : (double) wrong / n;
  }

  static int count(boolean[] b) {
    int n = 0;
    for (boolean v : b) {
      n += v ? 1 : 0;
    }
    return n;
  }
}
