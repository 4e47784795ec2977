package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.LabelIssues;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.LabelNoise;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's label-noise test with the loop's "pretrain on a public set" model: the embedded
 * Fashion-MNIST subset (3,000 images) with 10% of its labels flipped (seeded), scored by the small
 * CNN trained for one pass on the rest of the full Fashion-MNIST training set (58,000 images that
 * exclude the subset's, so every score is out-of-sample), then confident learning.
 *
 * <p>Measured (seeded): the CNN is 90.5% accurate on the subset's clean labels; the confident joint
 * flags 349, precision 0.716, recall 0.833; prune by noise rate flags 404, precision 0.673, recall
 * 0.907. Cross-validating the CNN on the 3,000 noisy images alone (LabelIssuesCrossValidationTest)
 * is only 85% accurate and reaches precision 0.57: the confusable tops (T-shirt, shirt, pullover,
 * coat) are where a weaker model's confident mistakes pass for label errors.
 */
class LabelIssuesPretrainedTest {

  @Test
  void aModelTrainedOnPublicDataFindsFlippedLabelsWithPrecisionAndRecallAbove70Percent() {
    assumeTrue(Files.isDirectory(Datasets.DEBIAN_FASHION_MNIST),
        "needs Debian's dataset-fashion-mnist (installed by .ci/run)");
    Split subset = Datasets.fashionMnistSubset();
    Dataset clean = subset.train().concat(subset.test());
    LabelNoise.Flipped noise = LabelNoise.flip(clean, 0.10, 2024);
    Dataset noisy = noise.noisy();
    Set<Integer> flipped = noise.flipped();
    int n = clean.size();

    Set<String> own = new HashSet<>(clean.ids());
    Dataset publicSet = Datasets.fashionMnist(Datasets.DEBIAN_FASHION_MNIST).train()
        .filter(e -> !own.contains(e.id()));
    assertThat(publicSet.size()).isEqualTo(58_000);
    ClassProbabilities probs;
    try (TrainableModel cnn = DjlModels.smallCnn(publicSet.spec(),
        TrainConfig.builder().batchSize(128).seed(7).build())) {
      for (Iterator<dev.groundwork.core.data.Batch> it =
          publicSet.batches(128, 7, true).iterator(); it.hasNext(); ) {
        cnn.trainStep(it.next(), false);
      }
      probs = cnn.predict(noisy, 256);
    }
    assertThat(probs.accuracy(clean.labels())).isGreaterThan(0.88);

    ClassificationPredictions p = ClassificationPredictions.fromDataset(noisy, probs.values());
    LabelIssues issues = LabelIssues.find(p);
    long hit = issues.issues().stream().filter(li -> flipped.contains(li.index())).count();
    double precision = (double) hit / issues.size();
    double recall = (double) hit / flipped.size();
    System.out.printf("pretrained CNN: clean accuracy %.3f; %s: %d flagged, precision %.3f recall "
        + "%.3f%n", probs.accuracy(clean.labels()), issues.method().label(), issues.size(),
        precision, recall);
    assertThat(issues.method()).isEqualTo(LabelIssues.Method.CONFIDENT_JOINT);
    assertThat(precision).isGreaterThanOrEqualTo(0.70);
    assertThat(recall).isGreaterThanOrEqualTo(0.70);
    // the suggested label of a found flip is mostly the label before the flip
    long restored = issues.issues().stream().filter(li -> flipped.contains(li.index()))
        .filter(li -> li.suggestedLabel().equals(clean.classes().get(clean.label(li.index()))))
        .count();
    assertThat((double) restored / hit).isGreaterThan(0.85);
  }
}
