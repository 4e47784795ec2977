package dev.groundwork.core.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.data.TableOptions;
import dev.groundwork.core.data.Tables;
import dev.groundwork.core.weights.SafeTensors;
import dev.groundwork.core.weights.SafeTensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plain-Java baselines: hand-computed values, determinism, real data, typed errors. */
class BaselinesTest {

  @TempDir
  Path dir;

  private Dataset csv(String name, String content, boolean text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    TableOptions.Builder o = TableOptions.builder().label("label");
    return Tables.csv(file, text ? o.text("text").build() : o.allOtherColumnsAsFeatures().build());
  }

  @Test
  void majorityClassPredictsTheTrainingFrequencies() throws IOException {
    Dataset d = csv("m.csv", "x,label\n1,b\n2,a\n3,b\n4,b\n", false);
    MajorityClass m = MajorityClass.train(d);
    // classes sorted: a (1 of 4), b (3 of 4)
    assertThat(m.majority()).isEqualTo(1);
    assertThat(m.predict(d, 2).row(3)).containsExactly(0.25f, 0.75f);
    assertThat(m.predict(d, 2).accuracy(d.labels())).isEqualTo(0.75);
    assertThat(m.summary().totalCount()).isEqualTo(2);
  }

  @Test
  void oneSoftmaxRegressionStepMatchesTheHandComputedGradient() throws IOException {
    // two examples, one feature: x = +1 (class a), x = −1 (class b); weights start at 0, so
    // p = ½ for both classes and ∂L/∂w_a = ((½ − 1)·1 + ½·(−1)) / 2 = −½, ∂L/∂w_b = +½,
    // both bias gradients 0; one step at lr 0.1 (the cosine is at 1 on step 0) gives ±0.05
    Dataset d = csv("s.csv", "x,label\n1,a\n-1,b\n", false);
    SoftmaxRegression r = SoftmaxRegression.train(d,
        new SoftmaxRegression.Settings(1, 2, 0.1, 0, 0), 7);
    assertThat(r.parameterValues().get(0).values()).containsExactly(0.05f, -0.05f);
    assertThat(r.parameterValues().get(1).values()).containsExactly(0f, 0f);
    // p(a | x=1) = e^0.05 / (e^0.05 + e^−0.05)
    assertThat((double) r.predict(d, 2).get(0, 0)).isCloseTo(1 / (1 + Math.exp(-0.1)),
        within(1e-6));
  }

  @Test
  void softmaxRegressionOnTheEmbeddedSubsetIsSeededAndSavesItsWeights() {
    Split fm = Datasets.fashionMnistSubset();
    SoftmaxRegression.Settings three = SoftmaxRegression.Settings.defaults().withEpochs(3);
    SoftmaxRegression a = SoftmaxRegression.train(fm.train(), three, 11);
    SoftmaxRegression b = SoftmaxRegression.train(fm.train(), three, 11);
    SoftmaxRegression c = SoftmaxRegression.train(fm.train(), three, 12);
    assertThat(a.parameterValues()).isEqualTo(b.parameterValues());
    assertThat(a.parameterValues()).isNotEqualTo(c.parameterValues());
    double acc = a.predict(fm.test(), 256).accuracy(fm.test().labels());
    // a linear model on 2,000 Fashion-MNIST images: about 80 % (majority: 10 %)
    assertThat(acc).isBetween(0.74, 0.84);
    Path file = dir.resolve("lr.safetensors");
    a.save(file);
    SafeTensorsFile read = SafeTensors.read(file);
    assertThat(read.metadata()).containsEntry("groundwork.model", "softmax-regression");
    assertThat(read.tensors()).extracting(t -> t.name()).containsExactly("weight", "bias");
    assertThat(read.tensors().get(0).values()).containsExactly(
        a.parameterValues().get(0).values());
  }

  @Test
  void softmaxRegressionRefusesTextAndForeignShapes() throws IOException {
    Dataset text = csv("t.csv", "text,label\nhello there,a\nbye now,b\n", true);
    assertThatThrownBy(() -> SoftmaxRegression.train(text, 1))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("use BagOfWords");
    Dataset d = csv("s.csv", "x,label\n1,a\n-1,b\n", false);
    SoftmaxRegression r = SoftmaxRegression.train(d, 1);
    Batch wrong = new Batch(new int[] {1, 3}, new float[3], List.of(), new int[] {0},
        List.of("x"));
    assertThatThrownBy(() -> r.predict(wrong)).isInstanceOf(InvalidParameterException.class)
        .hasMessage("softmax-regression expects inputs of shape [1], got a batch of shape [1, 3]" + " — see " + InvalidParameterException.HELP);
    assertThatThrownBy(() -> new SoftmaxRegression.Settings(0, 1, 0.1, 0, 0))
        .isInstanceOf(InvalidParameterException.class).hasMessage("epochs must be ≥ 1, got 0" + " — see " + InvalidParameterException.HELP);
  }

  @Test
  void bagOfWordsWeighsWordsByTfIdfAndSeparatesTwoTopics() throws IOException {
    StringBuilder sb = new StringBuilder("text,label\n");
    String[] ball = {"goal", "match", "striker", "referee", "league"};
    String[] food = {"oven", "recipe", "flour", "butter", "simmer"};
    for (int i = 0; i < 20; i++) {
      sb.append(ball[i % 5]).append(' ').append(ball[(i + 1) % 5]).append(" today,sport\n");
      sb.append(food[i % 5]).append(' ').append(food[(i + 2) % 5]).append(" today,cooking\n");
    }
    sb.append("unique,sport\n");
    Dataset d = csv("topics.csv", sb.toString(), true);
    BagOfWords bow = BagOfWords.train(d, 20, 3);
    // "unique" is in one text only: left out; the other 10 topic words and "today" are in
    List<String> vocab = List.of(bow.metadata().get("vocabulary").split("\n"));
    assertThat(vocab).hasSize(11).contains("today", "goal", "simmer").doesNotContain("unique");
    assertThat(bow.vocabularySize()).isEqualTo(11);
    // smoothed IDF: ln((1 + n) / (1 + df)) + 1 with n = 41 texts; "today" is in 40, "goal" in 8
    float[] idf = bow.parameterValues().get(1).values();
    assertThat((double) idf[vocab.indexOf("today")]).isCloseTo(Math.log(42.0 / 41) + 1,
        within(1e-6));
    assertThat((double) idf[vocab.indexOf("goal")]).isCloseTo(Math.log(42.0 / 9) + 1,
        within(1e-6));
    assertThat(bow.predict("the referee stopped the match")).isEqualTo(1);
    assertThat(bow.predict("butter and flour in the oven")).isEqualTo(0);
    // the Model view agrees with the per-text call and counts classes × (vocabulary + 1) + idf
    assertThat(bow.predict(d, 8).accuracy(d.labels())).isEqualTo(bow.accuracy(d));
    assertThat(bow.summary().totalCount()).isEqualTo(2 * 12 + 11);
    assertThatThrownBy(() -> BagOfWords.train(Datasets.fashionMnistSubset().test(), 1, 1))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("SoftmaxRegression");
  }
}
