package dev.groundwork.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.RecordSource;
import dev.groundwork.core.data.TextInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The bins the slice search uses, with their rows; and the text length attributes. */
class AttributeBinsTest {

  static ClassificationPredictions uniform(int n) {
    List<String> ids = IntStream.range(0, n).mapToObj(i -> "e" + i).toList();
    float[] p = new float[n * 2];
    Arrays.fill(p, 0.5f);
    return ClassificationPredictions.of(ids, new int[n], p, List.of("a", "b"));
  }

  @Test
  void categoricalValuesAndNumericQuantileBinsWithTheirRows() {
    // camera: 40 × "north", 40 × "south", 5 × "roof" (below support 30), in that order
    List<String> camera = new ArrayList<>();
    IntStream.range(0, 85).forEach(i -> camera.add(i < 40 ? "north" : i < 80 ? "south" : "roof"));
    double[] size = IntStream.range(0, 85).mapToDouble(i -> i).toArray(); // 0..84
    ClassificationPredictions p = uniform(85).withAttribute("camera", camera)
        .withNumericAttribute("size", size);
    List<AttributeBins.Bin> bins = AttributeBins.of(p,
        SliceOptions.builder().minSupport(20).quantileBins(2).build());
    assertThat(bins).extracting(b -> b.condition().toString())
        .containsExactly("camera = north", "camera = south", "size ≤ 42", "size > 42");
    assertThat(bins.get(0).rowArray()).isEqualTo(IntStream.range(0, 40).toArray());
    assertThat(bins.get(1).rows()).hasSize(40).startsWith(40).endsWith(79);
    // the median cut of 0..84 (nearest rank 43 of 85) is 42
    assertThat(bins.get(2).rowArray()).isEqualTo(IntStream.rangeClosed(0, 42).toArray());
    assertThat(bins.get(3).rowArray()).isEqualTo(IntStream.rangeClosed(43, 84).toArray());
  }

  @Test
  void textAttributesCountCodePointsAndWords() {
    List<String> texts = List.of("two words", "  spaced   out\tthree ", "", "naïve 😀");
    Dataset d = Dataset.of("texts", DatasetSpec.text(List.of("a", "b")), new RecordSource() {
      @Override
      public int size() {
        return texts.size();
      }

      @Override
      public String id(int i) {
        return "e" + i;
      }

      @Override
      public int label(int i) {
        return 0;
      }

      @Override
      public Input decode(int i) {
        return new TextInput(texts.get(i));
      }
    });
    ClassificationPredictions p = TextAttributes.addTo(uniform(4), d);
    assertThat(p.attributes()).containsExactly(TextAttributes.CHARS, TextAttributes.WORDS);
    assertThat(p.metadata(0)).containsEntry("text.chars", "9").containsEntry("text.words", "2");
    assertThat(p.metadata(1)).containsEntry("text.chars", "21")
        .containsEntry("text.words", "3");
    assertThat(p.metadata(2)).containsEntry("text.chars", "0").containsEntry("text.words", "0");
    // the emoji is one code point (two UTF-16 chars)
    assertThat(p.metadata(3)).containsEntry("text.chars", "7").containsEntry("text.words", "2");
    assertThatThrownBy(() -> TextAttributes.addTo(uniform(3), d))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("4 examples");
  }
}
