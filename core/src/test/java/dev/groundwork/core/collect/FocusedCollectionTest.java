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
 * <p>Whether that lowers the scenarios' error more than a random sample does is a measurement,
 * not a test: it did not hold on this subset (seeds 20–22: mean error drop 0.0516 mixed, 0.0546
 * random) nor on the full set; see {@code examples/.../Collect.java} and docs/collect.md.
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
