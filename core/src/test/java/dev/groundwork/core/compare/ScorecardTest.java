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
            train, SoftmaxRegression.Settings.defaults().withEpochs(2), 5)))
        .candidate(Candidate.pretrained("from-missing-file", () -> {
          SafeTensors.read(missing);
          throw new AssertionError("unreachable: the file does not exist");
        }))
        .seeds(1, 2)
        .budget(RuntimeBudget.none().p99AtBatch1(1000))
        .profile(ProfileSettings.of(50, 100, 1, 16))
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

    CandidateResult failed = card.candidate("from-missing-file").orElseThrow();
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
        .contains("seeds [1, 2]");

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
    @SuppressWarnings("unchecked")
    Map<String, Object> provenance = (Map<String, Object>) doc.get("provenance");
    assertThat((String) provenance.get("dataset")).contains(fm.test().fingerprint().sha256()
        .substring(0, 12));
  }
}
