package dev.groundwork.core.look;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The glyph table covers printable ASCII with distinct glyphs. */
class BitmapFontTest {

  static String bitmap(char ch) {
    StringBuilder b = new StringBuilder();
    for (int row = 0; row < BitmapFont.HEIGHT; row++) {
      for (int col = 0; col < BitmapFont.WIDTH; col++) {
        b.append(BitmapFont.ink(ch, col, row) ? '#' : '.');
      }
      b.append('/');
    }
    return b.toString();
  }

  @Test
  void everyPrintableCharacterHasItsOwnGlyph() {
    Map<String, Character> seen = new HashMap<>();
    for (char ch = 0x20; ch <= 0x7E; ch++) {
      Character before = seen.put(bitmap(ch), ch);
      assertThat(before).as("'%s' draws like '%s'", ch, before).isNull();
    }
    assertThat(seen).hasSize(95);
    assertThat(bitmap(' ')).doesNotContain("#");
    assertThat(bitmap('A')).isEqualTo(".###./#...#/#...#/#####/#...#/#...#/#...#/");
  }

  @Test
  void otherCharactersAreAHollowBox() {
    String box = "#####/#...#/#...#/#...#/#...#/#...#/#####/";
    assertThat(bitmap('é')).isEqualTo(box);
    assertThat(bitmap('→')).isEqualTo(box);
    assertThat(bitmap('\n')).isEqualTo(box);
  }

  @Test
  void clipAndFitMeasureCharacters() {
    assertThat(BitmapFont.width("abc", 2)).isEqualTo((3 * 6 - 1) * 2);
    assertThat(BitmapFont.fit(82, 1)).isEqualTo(13);    // 13 × 6 − 1 = 77 <= 82 < 83
    assertThat(BitmapFont.fit(83, 1)).isEqualTo(14);
    assertThat(BitmapFont.clip("T-shirt/top", 20)).isEqualTo("T-shirt/top");
    assertThat(BitmapFont.clip("T-shirt/top", 8)).isEqualTo("T-shirt~");
  }
}
