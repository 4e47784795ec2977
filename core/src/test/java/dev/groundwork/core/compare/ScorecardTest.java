package dev.groundwork.core.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.baseline.SoftmaxRegression;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Json;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.runtime.RuntimeBudget;
import dev.groundwork.core.weights.SafeTensors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real scorecard in core alone: the plain-Java baselines, a pretrained model, a failure. */
class ScorecardTest {

  @TempDir
  Path dir;

  @Test
  void baselinesPretrainedAndAMissingFileOnTheEmbeddedSubset() throws Exception {
    Split fm = Datasets.fashionMnistSubset();
    Split parts = fm.train().split(0.8, 42);
    Split split = new Split(parts.train(), Optional.of(parts.test()), fm.test());
    Dataset train = split.train();
    Path missing = dir.resolve("no-such-model.safetensors");
    ScorecardResult card = Scorecard.builder().data(split)
        .candidate(Candidate.pretrained("regression-2-epochs", () -> SoftmaxRegression.train(
            train, SoftmaxRegression.Settings.defaults().withEpochs(2), 5))
            .approach("logistic-regression"))
        .candidate(Candidate.pretrained("from-missing-file", () -> {
          SafeTensors.read(missing);
          throw new AssertionError("unreachable: the file does not exist");
        }))
        .seeds(1, 2)
        .budget(RuntimeBudget.none().p99AtBatch1(1000))
        .profile(ProfileSettings.of(50, 100, 1, 16).throughputSeconds(0.2))
        .margin(0.02)
        .build().run();
    System.out.println(card);

    assertThat(card.candidates()).extracting(CandidateResult::name).containsExactly(
        "majority-class", "softmax-regression", "regression-2-epochs", "from-missing-file");
    CandidateResult majority = card.candidate("majority-class").orElseThrow();
    // balanced subset: every class has 160 of the 1,600 training images, so the majority is
    // class 0 (lowest label among equals), 100 of the 1,000 test images
    assertThat(majority.accuracies()).containsExactly(0.1, 0.1);
    assertThat(majority.parameters()).isEqualTo(10);
    CandidateResult regression = card.candidate("softmax-regression").orElseThrow();
    assertThat(regression.accuracies()).hasSize(2);
    assertThat(regression.meanAccuracy()).isBetween(0.70, 0.85);
    assertThat(regression.accuracySpread()).isLessThan(0.02);
    assertThat(regression.parameters()).isEqualTo(10 * 784 + 10);
    // safetensors: header + 7,850 float32 values
    assertThat(regression.sizeBytes().getAsLong()).isBetween(31_400L, 32_000L);
    assertThat(regression.trainSeconds()).isPositive();
    CandidateResult pretrained = card.candidate("regression-2-epochs").orElseThrow();
    assertThat(pretrained.accuracies()).hasSize(1);
    assertThat(pretrained.trainSeconds()).isLessThan(regression.trainSeconds() + 10);
    assertThat(pretrained.sizeBytes()).isPresent();

    // the first seed's test predictions are kept: the same accuracy, one row per test image
    assertThat(regression.testPredictions().orElseThrow().rows()).isEqualTo(fm.test().size());
    assertThat(regression.testPredictions().orElseThrow().accuracy(fm.test().labels()))
        .isEqualTo(regression.accuracies().get(0));
    assertThat(pretrained.testPredictions().orElseThrow().accuracy(fm.test().labels()))
        .isEqualTo(pretrained.accuracies().get(0));

    CandidateResult failed = card.candidate("from-missing-file").orElseThrow();
    assertThat(failed.testPredictions()).isEmpty();
    assertThat(failed.failed()).isTrue();
    assertThat(failed.error().orElseThrow()).startsWith("seed 1, building: ")
        .contains("no-such-model.safetensors");
    assertThat(card.failures()).containsExactly(failed);

    // the pretrained 2-epoch regression loses to (or ties) the 10-epoch one at most by a little;
    // either way the pick follows the rule: the fewest parameters within 2 points of the best
    assertThat(card.recommended()).isPresent();
    CandidateResult pick = card.candidate(card.recommended().get()).orElseThrow();
    double best = card.candidates().stream().filter(c -> !c.failed())
        .mapToDouble(CandidateResult::meanAccuracy).max().orElseThrow();
    assertThat(pick.meanAccuracy()).isGreaterThanOrEqualTo(best - 0.02);
    assertThat(card.candidates().stream().filter(c -> !c.failed()
        && c.meanAccuracy() >= best - 0.02 && c.parameters() < pick.parameters())).isEmpty();
    assertThat(card.paretoFront()).contains(card.recommended().get());

    String table = card.toString();
    assertThat(table).contains("FAILED — seed 1, building").contains("rule: the simplest")
        .contains("p99 ≤ 1000.0 ms at batch 1").contains(fm.test().fingerprint().toString())
        .contains("seeds [1, 2]").contains("(each ≥ 0.2 s)");
    // the catalog beside the run: the baselines and the candidate tied to an approach
    assertThat(table).contains(String.format(java.util.Locale.ROOT, "regression-2-epochs  "
        + "measured here:  %.1f ± 0.0 %% test accuracy, 7,850 parameters%n", 100
        * pretrained.meanAccuracy())).contains("reported:       Logistic (softmax) regression "
        + "on pixels (`logistic-regression`): a baseline, no figure reported")
        .contains("reported:       Majority class (`majority`)");

    Path json = dir.resolve("out/scorecard.json");
    card.writeJson(json);
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = (Map<String, Object>) new Json(Files.readString(json,
        StandardCharsets.UTF_8)).document();
    assertThat(doc.get("recommended")).isEqualTo(card.recommended().get());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) doc.get("candidates");
    assertThat(rows).hasSize(4);
    assertThat(rows.get(3).get("status")).isEqualTo("FAILED");
    assertThat((String) rows.get(3).get("error")).contains("no-such-model.safetensors");
    assertThat(((Json.Num) rows.get(0).get("meanAccuracy")).value()).isEqualTo(0.1);
    assertThat(rows.get(2).get("approach")).isEqualTo("logistic-regression");
    @SuppressWarnings("unchecked")
    Map<String, Object> provenance = (Map<String, Object>) doc.get("provenance");
    assertThat((String) provenance.get("dataset")).contains(fm.test().fingerprint().sha256()
        .substring(0, 12));
  }

  @Test
  void theCatalogsReportedFiguresStandBesideTheMeasuredOnes() {
    CandidateResult resnet = CandidateResult.measured("resnet-s", Candidate.Kind.TRAINED, "",
        List.of(0.80, 0.82), 309_418, java.util.OptionalLong.empty(), 10,
        new RuntimeSummary(1, 2, 32, 100, true, List.of()))
        .with(Optional.of("resnet"), Optional.empty(), Optional.empty());
    CandidateResult other = CandidateResult.measured("own-model", Candidate.Kind.TRAINED, "",
        List.of(0.5), 7, java.util.OptionalLong.empty(), 1,
        new RuntimeSummary(1, 2, 32, 100, true, List.of()))
        .with(Optional.of("not-catalogued"), Optional.empty(), Optional.empty());
    List<CandidateResult> rows = List.of(resnet, other);
    ScorecardResult card = new ScorecardResult("constructed", rows,
        Recommendation.paretoFront(rows), Recommendation.of(rows, 0.01), RuntimeBudget.none(),
        ProfileSettings.defaults(), List.of(1L, 2L), dev.groundwork.core.Provenance.of(1,
            Map.of(), "none", "constructed"));
    assertThat(card.catalogLines()).containsExactly(
        "resnet-s   measured here:  81.0 ± 1.4 % test accuracy, 309,418 parameters",
        "           reported:       ResNet (residual CNN) (`resnet`): top-1 accuracy, ResNet-18 "
            + "(IMAGENET1K_V1 weights) 69.758 % (ImageNet-1k val) [torchvision model "
            + "documentation (pretrained weights table), pytorch.org/vision]; top-1 error, "
            + "ResNet-18, 10-crop 27.88 % (ImageNet-1k val) [He et al. 2016, Deep Residual "
            + "Learning for Image Recognition, Table 2]; test accuracy, ResNet18 with "
            + "augmentation 94.9 % (Fashion-MNIST test) [zalandoresearch/fashion-mnist README, "
            + "Benchmark table (submitted results, not re-run by the maintainers)]; parameters "
            + "11.7M (ResNet-18); 309,418 for Groundwork's resnet-s at 28×28 and 10 classes",
        "own-model  measured here:  50.0 ± 0.0 % test accuracy, 7 parameters",
        "           reported:       'not-catalogued' is not in the catalog");
  }
}
