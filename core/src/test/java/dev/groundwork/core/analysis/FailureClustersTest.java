package dev.groundwork.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FailureClustersTest {

  /** Four well-separated Gaussian blobs in 8-d, 250 points each; blob 2 has 50% errors. */
  static ClassificationPredictions blobs(long seed) {
    Random rng = new Random(seed);
    int per = 250;
    int n = 4 * per;
    int dim = 8;
    boolean[] wrong = new boolean[n];
    float[] emb = new float[n * dim];
    for (int i = 0; i < n; i++) {
      int blob = i / per;
      wrong[i] = rng.nextDouble() < (blob == 2 ? 0.5 : 0.1);
      for (int t = 0; t < dim; t++) {
        emb[i * dim + t] = (float) ((t == blob ? 10 : 0) + rng.nextGaussian());
      }
    }
    ClassificationPredictions p = Synthetic.predictions(wrong, 3, rng);
    List<String> blobName = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      blobName.add("blob" + i / per);
    }
    return p.withAttribute("blob", blobName).withEmbeddings(emb, dim);
  }

  @Test
  void kMeansFindsThePlantedBadCluster() {
    ClassificationPredictions p = blobs(3);
    ClassificationAnalysis a = FailureAnalysis.classification(p)
        .options(ClassificationOptions.builder().clusters(4).seed(9).build()).run();
    FailureClusters fc = a.clusters();
    assertThat(fc.space()).isEqualTo("embeddings 8-d");
    assertThat(fc.clusters()).hasSize(4);
    assertThat(fc.significant()).hasSize(1);
    FailureClusters.FailureCluster bad = fc.significant().get(0);
    assertThat(bad.size()).isEqualTo(250);
    assertThat(bad.errorRate()).isBetween(0.42, 0.58);
    assertThat(bad.restErrorRate()).isBetween(0.07, 0.13);
    assertThat(bad.representativeIds()).hasSize(5).allSatisfy(id -> {
      int i = Integer.parseInt(id.substring(3));
      assertThat(i / 250).isEqualTo(2);
      assertThat(p.predicted(i)).isNotEqualTo(p.label(i));
    });
    // every member id is listed, all from blob 2; classes are random, so the class mix explains
    // about the overall rate (counted here) and the excess is the blob's own
    assertThat(bad.memberIds()).hasSize(250).allSatisfy(id ->
        assertThat(Integer.parseInt(id.substring(3)) / 250).isEqualTo(2));
    int[] classN = new int[3];
    int[] classE = new int[3];
    for (int i = 0; i < p.size(); i++) {
      classN[p.label(i)]++;
      classE[p.label(i)] += p.predicted(i) != p.label(i) ? 1 : 0;
    }
    double expected = 0;
    for (int i = 500; i < 750; i++) {
      expected += (double) classE[p.label(i)] / classN[p.label(i)];
    }
    assertThat(bad.expectedErrors()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(bad.excessErrors()).isGreaterThan(60);
    assertThat(bad.adjustedQValue()).isLessThan(1e-10);
    assertThat(bad.rawQValue()).isLessThan(1e-10);
    assertThat(fc.toString()).contains("beyond class mix").contains("adj. q");
    CollectionPlan.Item clusterItem = a.collectionPlan().items().stream()
        .filter(i -> i.kind() == CollectionPlan.Kind.CLUSTER).findFirst().orElseThrow();
    assertThat(clusterItem.memberIds()).isEqualTo(bad.memberIds());
    assertThat(clusterItem.expectedErrors()).isEqualTo(bad.expectedErrors());
    // named with its kind once ("cluster 2 (near …)", not "cluster cluster 2")
    assertThat(clusterItem.label()).isEqualTo(clusterItem.scenario())
        .startsWith("cluster " + bad.index()).doesNotContain("cluster cluster");
    a.collectionPlan().items().stream().filter(i -> i.kind() == CollectionPlan.Kind.SLICE)
        .forEach(i -> assertThat(i.label()).isEqualTo("slice " + i.scenario()));
    // the same seed gives the same clusters
    FailureClusters again = FailureAnalysis.classification(p)
        .options(ClassificationOptions.builder().clusters(4).seed(9).build()).run().clusters();
    assertThat(again.clusters()).isEqualTo(fc.clusters());
    // the collection plan lists the cluster and the blob slice
    assertThat(a.collectionPlan().items()).extracting(CollectionPlan.Item::kind)
        .contains(CollectionPlan.Kind.CLUSTER, CollectionPlan.Kind.SLICE);
    assertThat(a.collectionPlan().items().get(0).errorRate()).isBetween(0.42, 0.58);
    assertThat(a.slices().top(1).get(0).description()).isEqualTo("blob = blob2");
  }

  @Test
  void withoutEmbeddingsOrInputsNothingIsClustered() {
    ClassificationPredictions p = ClassificationMetricsTest.fixture();
    FailureClusters fc = FailureAnalysis.classification(p).run().clusters();
    assertThat(fc.clusters()).isEmpty();
    assertThat(fc.space()).startsWith("none");
  }
}
