package dev.groundwork.core.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.baseline.MajorityClass;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.runtime.RuntimeBudget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad settings are refused in build(), before anything trains. */
class ScorecardBuilderTest {

  private static final Split DATA = Datasets.fashionMnistSubset();

  private static Scorecard.Builder valid() {
    return Scorecard.builder().data(DATA).candidate(Candidate.pretrained("prior",
        () -> MajorityClass.train(DATA.train())));
  }

  @Test
  void anEmptyCandidateListIsRefusedEvenWithBaselinesOn() {
    assertThatThrownBy(() -> Scorecard.builder().data(DATA).build())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("no candidates");
  }

  @Test
  void batchSizesBelowOneAreRefused() {
    assertThatThrownBy(() -> ProfileSettings.of(10, 100, 1, 0))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("batch sizes must be ≥ 1, got 0 in [1, 0]" + " — see " + InvalidParameterException.HELP);
    assertThatThrownBy(() -> ProfileSettings.of(10, 100))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> valid().evaluationBatchSize(0).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("evaluationBatchSize must be ≥ 1, got 0" + " — see " + InvalidParameterException.HELP);
    assertThatThrownBy(() -> valid().profile(ProfileSettings.of(10, 100, 1, 5000)).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("batch size 5000 is larger than the 1000 test examples");
  }

  @Test
  void aNegativeMarginNoSeedsOrRepeatedSeedsAreRefused() {
    assertThatThrownBy(() -> valid().margin(-0.5).build())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("got -0.5");
    assertThatThrownBy(() -> valid().seeds().build())
        .isInstanceOf(InvalidParameterException.class).hasMessage("give at least one seed" + " — see " + InvalidParameterException.HELP);
    assertThatThrownBy(() -> valid().seeds(1, 2, 1).build())
        .isInstanceOf(InvalidParameterException.class).hasMessage("seeds repeat in [1, 2, 1]" + " — see " + InvalidParameterException.HELP);
  }

  @Test
  void aThroughputBudgetAtABatchSizeNotProfiledIsRefused() {
    assertThatThrownBy(() -> valid().budget(RuntimeBudget.none().throughput(64, 100))
        .profile(ProfileSettings.of(10, 100, 1, 32)).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("throughput at batch 64")
        .hasMessageContaining("[1, 32]");
  }

  @Test
  void namesMustBeUniqueIncludingTheBaselines() {
    assertThatThrownBy(() -> valid().candidate(Candidate.majorityClass()).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("two candidates are named 'majority-class'");
    // with baselines off the same candidate is fine, and it alone runs
    assertThat(valid().baselines(false).candidate(Candidate.majorityClass()).build()
        .candidates()).extracting(Candidate::name).containsExactly("prior", "majority-class");
    assertThat(valid().build().candidates()).extracting(Candidate::name)
        .containsExactly("majority-class", "softmax-regression", "prior");
  }

  @Test
  void textDataGetsTheBagOfWordsBaseline() {
    var spec = dev.groundwork.core.data.DatasetSpec.text(java.util.List.of("a", "b"));
    assertThat(Candidate.baselinesFor(spec)).extracting(Candidate::name)
        .containsExactly("majority-class", "tf-idf-bag-of-words");
    assertThat(Candidate.baselinesFor(DATA.spec())).extracting(Candidate::name)
        .containsExactly("majority-class", "softmax-regression");
  }

  @Test
  void anApproachIdTheCatalogDoesNotHaveIsRefusedAndTheBaselinesAreCatalogued() {
    assertThatThrownBy(() -> Candidate.pretrained("r18", () -> null).approach("resnet-18"))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("candidate 'r18': the approach catalog has no approach "
            + "'resnet-18'; use one of [majority, logistic-regression, mlp, small-cnn, resnet,");
    for (Candidate c : List.of(Candidate.majorityClass(), Candidate.softmaxRegression(),
        Candidate.bagOfWords())) {
      assertThat(ApproachCatalog.find(c.approachId().orElseThrow())).as(c.name()).isPresent();
    }
  }

  @Test
  void aBudgetNoCandidateMeetsGivesAVerdictWithTheAmountsNotAnError() {
    ScorecardResult card = valid().baselines(false)
        .budget(RuntimeBudget.none().throughput(16, 1e12))
        .profile(ProfileSettings.of(0, 100, 16).throughputSeconds(0.05)).build().run();
    assertThat(card.recommended()).isEmpty();
    assertThat(card.recommendation().verdict()).isEqualTo("no recommendation: none of the 1 "
        + "measured candidates meets the runtime budget");
    double rate = card.candidate("prior").orElseThrow().runtime().orElseThrow()
        .examplesPerSecond();
    String miss = String.format(java.util.Locale.ROOT, "prior: ≥ 1.0E12 examples/s at batch 16: "
        + "%,.1f examples/s, missed by %,.1f (%.0f%% short)", rate, 1e12 - rate,
        100 * (1 - rate / 1e12));
    assertThat(card.recommendation().misses()).containsExactly(miss);
    assertThat(card.toString()).contains("over budget  " + miss).contains("MISS");
  }
}
