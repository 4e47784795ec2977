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
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * On the embedded Fashion-MNIST subset: one round of collection with the mixed (failure-focused)
 * strategy lowers the test error on the starting failure scenarios more than a random sample of
 * the same size does, on average over three seeds. Softmax regression stands in for the model
 * (pure Java, seconds); the failure analysis runs on a labelled validation set.
 */
class FocusedCollectionTest {

  static final int LABELLED = 300;
  static final int VALIDATION = 600;
  static final int BUDGET = 300;

  /**
   * The claim. Measured on a loaded machine before this test was written (seeds 20–22):
   * mean drop of the starting scenarios' test error 0.0516 with mixed, 0.0546 with random (per
   * seed 0.323 → 0.297 / 0.278, 0.262 → 0.210 / 0.215, 0.321 → 0.244 / 0.249). The claim does
   * not hold at this scale, so the test is disabled rather than tuned; run it by hand to measure.
   */
  @Test
  @Disabled("measured: mixed lowers the starting scenarios' error by 0.0516 on average, random "
      + "by 0.0546 (seeds 20-22); the claim does not hold here, see docs/collect.md")
  void mixedLowersTheStartingFailuresErrorMoreThanRandom() {
    Split fm = Datasets.fashionMnistSubset();
    Dataset test = fm.test();
    float[] testPixels = pixels(test);
    double[] gainMixed = new double[3];
    double[] gainRandom = new double[3];
    for (int s = 0; s < 3; s++) {
      long seed = 20 + s;
      Dataset shuffled = fm.train().shuffle(seed);
      Dataset labelled = shuffled.subset(IntStream.range(0, LABELLED).toArray());
      Dataset validation = shuffled.subset(IntStream.range(LABELLED, LABELLED + VALIDATION)
          .toArray());
      Dataset poolData = shuffled.subset(IntStream.range(LABELLED + VALIDATION,
          shuffled.size()).toArray());
      UnlabeledPool pool = UnlabeledPool.hidingLabels(poolData);
      SoftmaxRegression m0 = SoftmaxRegression.train(labelled, seed);
      ClassificationPredictions val = ClassificationPredictions.fromDataset(validation,
          m0.predict(validation, 500).values()).withEmbeddings(pixels(validation), 784);
      ClassificationAnalysis analysis = FailureAnalysis.classification(val)
          .options(ClassificationOptions.builder().seed(seed).build()).run();
      PoolMiner miner = PoolMiner.of(m0, analysis, val);
      boolean[] start = miner.scenarioMembership(UnlabeledPool.hidingLabels(test)
          .predict(m0, 500).withEmbeddings(testPixels, 784), EnumSet.allOf(
          CollectionPlan.Kind.class));
      double before = error(m0.predict(test, 500).values(), test, start);
      PoolPredictions pp = pool.predict(m0, 500).withEmbeddings(pixels(poolData), 784);
      double[] after = new double[2];
      PoolMiner.Strategy[] strategies = {PoolMiner.Strategy.MIXED, PoolMiner.Strategy.RANDOM};
      for (int k = 0; k < 2; k++) {
        Selection sel = miner.select(pp, BUDGET, strategies[k], seed);
        Dataset more = labelled.concat(poolData.subsetByIds(sel.ids()));
        SoftmaxRegression m = SoftmaxRegression.train(more, seed);
        after[k] = error(m.predict(test, 500).values(), test, start);
      }
      gainMixed[s] = before - after[0];
      gainRandom[s] = before - after[1];
      System.out.printf(Locale.ROOT, "seed %d: %d test images in the starting scenarios, error "
          + "%.4f → mixed %.4f, random %.4f%n", seed, count(start), before, after[0], after[1]);
    }
    double mixed = (gainMixed[0] + gainMixed[1] + gainMixed[2]) / 3;
    double random = (gainRandom[0] + gainRandom[1] + gainRandom[2]) / 3;
    System.out.printf(Locale.ROOT, "mean error drop: mixed %.4f, random %.4f%n", mixed, random);
    assertThat(mixed).isGreaterThan(random);
  }

  /**
   * What the mixed strategy does hold to: it spends its budget on the starting failure scenarios.
   * On the pool, the share of the chosen items inside the plan's scenarios is measured against
   * the share a random sample gets (the scenarios' share of the pool).
   */
  @Test
  void mixedSpendsTheBudgetInTheStartingFailureScenarios() {
    Split fm = Datasets.fashionMnistSubset();
    long seed = 20;
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
    UnlabeledPool pool = UnlabeledPool.hidingLabels(poolData);
    PoolPredictions pp = pool.predict(m0, 500).withEmbeddings(pixels(poolData), 784);
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
    assertThat(focused).isGreaterThan(BUDGET / 2);
    assertThat(mixedShare).isGreaterThan(base + 0.15);
    // a random sample of 300 is within ±0.1 of the base rate (about 3.5 standard deviations)
    assertThat(randomShare).isBetween(base - 0.1, base + 0.1);
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
