package dev.groundwork.core.look;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.TableOptions;
import dev.groundwork.core.model.ClassProbabilities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gallery of texts read from a real CSV file: rows instead of tiles. */
class TextGalleryTest {

  static Dataset reviews(Path dir) throws IOException {
    Path csv = dir.resolve("reviews.csv");
    Files.writeString(csv, String.join("\n",
        "id,label,review",
        "r1,pos,loved it",
        "r2,neg,\"broke after a day | <b>never</b> again\"",
        "r3,pos,fine I guess",
        "r4,neg,terrible",
        ""));
    return Datasets.csv(csv, TableOptions.builder().id("id").label("label").text("review")
        .classes(List.of("neg", "pos")).build());
  }

  @Test
  void textsAreListedAsRowsAndEscaped(@TempDir Path dir) throws IOException {
    Dataset d = reviews(dir);
    assertThat(d.ids()).containsExactly("r1", "r2", "r3", "r4");
    // r2 (neg) predicted pos at 0.8, r4 (neg) right at 0.9, r1 right at 0.7, r3 (pos) wrong at 0.6
    float[] p = {0.3f, 0.7f, 0.2f, 0.8f, 0.6f, 0.4f, 0.9f, 0.1f};
    Gallery g = Look.at(d, new ClassProbabilities(4, 2, p)).confidentMistakes(5);
    assertThat(g.ids()).containsExactly("r2", "r3");
    assertThat(g.hasImages()).isFalse();
    assertThat(g.toString().lines().toList()).containsExactly(
        "Gallery most confident mistakes: 2 of 2 (reviews, 4 examples, predictions "
            + g.predictions().fingerprint().shortHex() + ")",
        "   #  id  true  predicted  confidence  p(true)  text",
        "   1  r2  neg   pos             0.800    0.200  broke after a day | <b>never</b> again",
        "   2  r3  pos   neg             0.600    0.400  fine I guess");
    assertThat(g.toHtml()).doesNotContain("<img").contains(
        "<td>broke after a day | &lt;b&gt;never&lt;/b&gt; again</td>");
    assertThat(g.toMarkdown()).doesNotContain("data:image").contains(
        "| 1 | r2 | neg | pos | 0.800 | 0.200 | broke after a day \\| <b>never</b> again |");
    assertThatThrownBy(g::png).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("has TEXT inputs").hasMessageContaining("toMarkdown()");
  }
}
