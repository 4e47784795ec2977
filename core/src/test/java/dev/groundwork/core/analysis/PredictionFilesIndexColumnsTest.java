package dev.groundwork.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.data.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prediction files whose score columns are named by class index: {@code p0..pK} or {@code 0..K}. */
class PredictionFilesIndexColumnsTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void pColumnsWithIndexLabelsReadWithoutOptions() throws IOException {
    // class 2 is never a true label: its column is still a score column, not metadata
    Path f = write("p.csv", """
        id,label,p0,p1,p2,site
        a,0,0.7,0.2,0.1,s1
        b,1,0.1,0.6,0.3,
        c,1,0.25,0.5,0.25,s2
        """);
    ClassificationPredictions p = ClassificationPredictions.readCsv(f);
    assertThat(p.classes()).containsExactly("0", "1", "2");
    assertThat(p.labels()).containsExactly(0, 1, 1);
    assertThat(p.probabilities()).containsExactly(0.7f, 0.2f, 0.1f, 0.1f, 0.6f, 0.3f, 0.25f,
        0.5f, 0.25f);
    assertThat(p.attributes()).containsExactly("site");
    assertThat(p.metadata(0)).isEqualTo(Map.of("site", "s1"));
    assertThat(p.metadata(1)).isEqualTo(Map.of());
  }

  @Test
  void bareIndexColumnsReadAsAllClassesEvenOnesNeverALabel() throws IOException {
    Path f = write("n.csv", """
        id,label,0,1,2,3
        a,3,0.1,0.1,0.1,0.7
        b,0,0.4,0.3,0.2,0.1
        """);
    ClassificationPredictions p = ClassificationPredictions.readCsv(f);
    assertThat(p.classes()).containsExactly("0", "1", "2", "3");
    assertThat(p.labels()).containsExactly(3, 0);
    assertThat(p.probability(1, 2)).isEqualTo(0.2f);
    assertThat(p.attributes()).isEmpty();
  }

  @Test
  void jsonlWithPKeysAndLogitsNeedNoClassList() throws IOException {
    Path f = write("p.jsonl", """
        {"id": "a", "label": 1, "p0": 0.0, "p1": 0.0, "device": "phone"}
        {"id": "b", "label": 0, "p0": 2.0, "p1": 0.0, "device": "web"}
        """);
    ClassificationPredictions p = ClassificationPredictions.readJsonl(f,
        PredictionFileOptions.builder().logits(true).build());
    assertThat(p.classes()).containsExactly("0", "1");
    assertThat(p.probability(0, 0)).isEqualTo(0.5f);
    // softmax([2, 0])[0] = 1 / (1 + e^-2)
    assertThat((double) p.probability(1, 0)).isCloseTo(0.8807971, org.assertj.core.api.Assertions
        .within(1e-6));
    assertThat(p.metadata(1)).isEqualTo(Map.of("device", "web"));
  }

  @Test
  void pColumnsWithAClassListMapIndexToName() throws IOException {
    Path f = write("named.csv", """
        id,label,p0,p1
        a,dog,0.3,0.7
        b,cat,0.9,0.1
        """);
    ClassificationPredictions p = ClassificationPredictions.readCsv(f,
        PredictionFileOptions.builder().classes(List.of("cat", "dog")).build());
    assertThat(p.labels()).containsExactly(1, 0);
    assertThat(p.probability(0, 1)).isEqualTo(0.7f);
    assertThat(p.attributes()).isEmpty();
  }

  @Test
  void pColumnsWithNamedLabelsAndNoClassListSayWhatToGive() throws IOException {
    Path f = write("bad.csv", """
        id,label,p0,p1
        a,dog,0.3,0.7
        """);
    assertThatThrownBy(() -> ClassificationPredictions.readCsv(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad.csv")
        .hasMessageContaining("p0..p1 are by class index")
        .hasMessageContaining("'dog'")
        .hasMessageContaining("classes(...) in index order");
  }

  @Test
  void aGapInTheIndexColumnsIsNotAnIndexForm() throws IOException {
    // p0, p2: not numbered without a gap, so not score columns; no column is a class either
    Path f = write("gap.csv", """
        id,label,p0,p2
        a,0,0.3,0.7
        """);
    assertThatThrownBy(() -> ClassificationPredictions.readCsv(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("no probability column");
  }
}
