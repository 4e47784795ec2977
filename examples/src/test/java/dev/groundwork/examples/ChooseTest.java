package dev.groundwork.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.compare.ApproachCatalog;
import dev.groundwork.core.compare.Candidate;
import dev.groundwork.core.compare.CandidateResult;
import dev.groundwork.core.compare.ScorecardResult;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.look.Gallery;
import dev.groundwork.core.look.GalleryItem;
import dev.groundwork.examples.results.DocFigures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Choose example on the embedded subset: baselines, three DJL models, a recommendation, and
 * a gallery of the chosen model; its options; and the catalog ids the examples refer to.
 */
class ChooseTest {

  @Test
  void theCnnBeatsTheBaselinesTheRecommendationFollowsTheRuleAndTheChosenOneIsLookedAt(
      @TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Dataset test = Datasets.fashionMnistSubset().test();
    Choose.Outcome o = Choose.run(Datasets.fashionMnistSubset(),
        Choose.Settings.embedded().withSeeds(1), dir,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    ScorecardResult card = o.card();
    String out = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(out);

    assertThat(card.candidates()).extracting(CandidateResult::name).containsExactly(
        "majority-class", "softmax-regression", "mlp", "small-cnn", "resnet-s");
    assertThat(card.failures()).isEmpty();
    assertThat(card.data()).startsWith("1,600 train · 400 validation · 1,000 test");

    // the small CNN beats both baselines, and is not flagged
    CandidateResult cnn = card.candidate("small-cnn").orElseThrow();
    for (CandidateResult b : card.baselines()) {
      assertThat(cnn.meanAccuracy()).as("small CNN vs %s", b.name())
          .isGreaterThan(b.meanAccuracy());
    }
    assertThat(card.notBeatingBaselines()).doesNotContainKey("small-cnn");
    // parameter counts of the three DJL models, by their layers
    assertThat(card.candidate("mlp").orElseThrow().parameters())
        .isEqualTo(784 * 256 + 256 + 256 * 10 + 10);
    assertThat(cnn.parameters()).isGreaterThan(card.candidate("mlp").orElseThrow().parameters());

    // the recommendation, recomputed from the rows by the printed rule
    List<CandidateResult> eligible = card.candidates().stream()
        .filter(c -> !c.failed() && c.withinBudget()).toList();
    String looked;
    if (eligible.isEmpty()) {
      assertThat(card.recommended()).isEmpty();
      assertThat(card.recommendation().verdict()).contains("none of the 5");
      looked = card.candidates().stream().max(Comparator.comparingDouble(
          CandidateResult::meanAccuracy)).orElseThrow().name();
      assertThat(out).contains("-- no candidate meets the budget; look at the most accurate "
          + "one, " + looked);
    } else {
      double best = eligible.stream().mapToDouble(CandidateResult::meanAccuracy).max()
          .orElseThrow();
      looked = eligible.stream()
          .filter(c -> c.meanAccuracy() >= best - Choose.MARGIN)
          .min(Comparator.comparingLong(CandidateResult::parameters)
              .thenComparingDouble(c -> c.runtime().orElseThrow().p99Millis()))
          .orElseThrow().name();
      assertThat(card.recommended()).contains(looked);
      assertThat(card.toString()).contains("recommend " + looked + ":");
      assertThat(out).contains("-- look at the recommended model, " + looked);
    }
    assertThat(out).contains("rule: the simplest candidate (fewest parameters, then lowest p99 "
        + "at batch 1)").contains("within 1.0 points");
    // the catalog's figures beside the measured ones, for each candidate
    assertThat(out).contains("small-cnn           measured here:  " + String.format(
        java.util.Locale.ROOT, "%.1f", 100 * cnn.meanAccuracy()) + " ± 0.0 % test accuracy, "
        + String.format(java.util.Locale.ROOT, "%,d", cnn.parameters()) + " parameters")
        .contains("reported:       Multilayer perceptron (`mlp`): test accuracy (MLP 256-128-64) "
            + "90.0 % (Fashion-MNIST test)")
        .contains("reported:       ResNet (residual CNN) (`resnet`): top-1 accuracy, ResNet-18");

    // the look: the chosen model's mistakes are every wrong answer of its first seed, the most
    // confident first; its unsure right answers the least confident first
    CandidateResult chosen = card.candidate(looked).orElseThrow();
    assertThat(o.lookedAt()).isEqualTo(looked);
    long wrong = Math.round((1 - chosen.accuracies().get(0)) * test.size());
    Gallery mistakes = o.mistakes();
    assertThat(mistakes.candidates()).isEqualTo(wrong);
    assertThat(mistakes.size()).isEqualTo((int) Math.min(Choose.GALLERY, wrong));
    assertThat(mistakes.items()).allMatch(i -> i.label() != i.predicted());
    assertThat(mistakes.items()).extracting(GalleryItem::confidence)
        .isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(o.unsure().items()).allMatch(i -> i.label() == i.predicted())
        .extracting(GalleryItem::confidence).isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(o.perClass().size()).isEqualTo(2 * test.classes().size());
    assertThat(out).contains(mistakes.toString()).contains(o.unsure().toString());
    // the PNGs decode to the galleries' images, pixel for pixel
    assertThat(o.pngs()).containsExactly(dir.resolve("choose-" + looked + "-mistakes.png"),
        dir.resolve("choose-" + looked + "-unsure.png"),
        dir.resolve("choose-" + looked + "-per-class.png"));
    List<Gallery> galleries = List.of(mistakes, o.unsure(), o.perClass());
    for (int g = 0; g < 3; g++) {
      BufferedImage read = ImageIO.read(o.pngs().get(g).toFile());
      BufferedImage drawn = galleries.get(g).image();
      assertThat(read.getWidth()).isEqualTo(drawn.getWidth());
      assertThat(read.getHeight()).isEqualTo(drawn.getHeight());
      for (int y = 0; y < drawn.getHeight(); y += 7) {
        for (int x = 0; x < drawn.getWidth(); x += 7) {
          assertThat(read.getRGB(x, y) & 0xFFFFFF).isEqualTo(drawn.getRGB(x, y) & 0xFFFFFF);
        }
      }
    }
  }

  @Test
  void everyCatalogIdTheExamplesReferToIsInTheCatalog() throws Exception {
    // the candidates Choose (and the main job, through it) lines up
    for (Choose.Settings s : List.of(Choose.Settings.full(), Choose.Settings.workflow())) {
      for (Candidate c : Choose.candidates(Datasets.fashionMnistSubset().spec(), s)) {
        assertThat(ApproachCatalog.find(c.approachId().orElseThrow())).as(c.name())
            .isPresent();
      }
    }
    // and every id named in the examples' sources: approach("…") and find("…")
    Path root = DocFigures.repositoryRoot(Path.of(""));
    Pattern ref = Pattern.compile("(?:\\.approach|ApproachCatalog\\.find)\\(\"([^\"]+)\"\\)");
    List<String> ids = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("examples/src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = ref.matcher(Files.readString(f));
        while (m.find()) {
          ids.add(m.group(1));
        }
      }
    }
    assertThat(ids).contains("mlp", "small-cnn", "resnet");
    assertThat(ids).allSatisfy(id -> assertThat(ApproachCatalog.ids()).contains(id));
  }

  @Test
  void theOptionsSetTheRunAndBadOnesAreTypedErrors() {
    Choose.Options full = Choose.parse(List.of(), true);
    assertThat(full.full()).isTrue();
    assertThat(full.settings().trainImages()).isEqualTo(Choose.DEFAULT_TRAIN_IMAGES);
    assertThat(full.settings().seeds()).containsExactly(42L, 43L, 44L);
    Choose.Options o = Choose.parse(List.of("--train", "2000", "--seeds", "1", "--epochs",
        "4,3,2", "--report", "out", "--json", "card.json"), true);
    assertThat(o.settings().trainImages()).isEqualTo(2000);
    assertThat(o.settings().seeds()).containsExactly(42L);
    assertThat(List.of(o.settings().mlpEpochs(), o.settings().cnnEpochs(),
        o.settings().resnetEpochs())).containsExactly(4, 3, 2);
    assertThat(o.report()).isEqualTo(Path.of("out"));
    assertThat(o.json()).isEqualTo(Path.of("card.json"));
    assertThat(Choose.parse(List.of("--embedded", "--epochs", "1"), true).full()).isFalse();
    assertThat(Choose.parse(List.of(), false).settings().trainImages()).isZero();

    String see = " — see " + InvalidParameterException.HELP; // the troubleshooting pointer
    assertThatThrownBy(() -> Choose.parse(List.of("--seeds", "0"), true))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("--seeds must be ≥ 1, got 0" + see);
    assertThatThrownBy(() -> Choose.parse(List.of("--train", "many"), true))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("--train takes a whole number, got 'many'" + see);
    assertThatThrownBy(() -> Choose.parse(List.of("--epochs", "1,2"), true))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("got '1,2'");
    assertThatThrownBy(() -> Choose.parse(List.of("--train"), true))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("--train needs a value" + see);
    assertThatThrownBy(() -> Choose.parse(List.of("--fast"), true))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("unknown option "
            + "'--fast'");
  }
}
