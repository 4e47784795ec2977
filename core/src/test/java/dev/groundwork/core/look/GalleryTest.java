package dev.groundwork.core.look;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.model.ClassProbabilities;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Galleries on the first 30 images of the embedded Fashion-MNIST test subset with constructed
 * probabilities: six mistakes (indices 2, 5, 9, 14, 20, 27 at confidences 0.55, 0.91, 0.70, 0.91,
 * 0.40, 0.85, each predicting the next class) and four unsure right answers (3: 0.42, 11: 0.35,
 * 17: 0.60, 24: 0.35); every other example is right at 0.95.
 */
class GalleryTest {

  static final Dataset DATA = Datasets.fashionMnistSubset().test().subset(
      java.util.stream.IntStream.range(0, 30).toArray());
  static final Map<Integer, Float> MISTAKES = Map.of(2, 0.55f, 5, 0.91f, 9, 0.70f, 14, 0.91f,
      20, 0.40f, 27, 0.85f);
  static final Map<Integer, Float> UNSURE = Map.of(3, 0.42f, 11, 0.35f, 17, 0.60f, 24, 0.35f);

  // layout at the default style for 28 × 28 images: scale 3, text scale 1
  static final int CELL = 84;
  static final int GRID_TOP = 4 + 18 + 4;
  static final int CAPTION_TOP = GRID_TOP + CELL;

  static ClassProbabilities probs(Dataset d) {
    int n = d.size();
    float[] p = new float[n * 10];
    for (int i = 0; i < n; i++) {
      int y = d.label(i);
      int top = MISTAKES.containsKey(i) ? (y + 1) % 10 : y;
      float conf = MISTAKES.getOrDefault(i, UNSURE.getOrDefault(i, 0.95f));
      for (int c = 0; c < 10; c++) {
        p[i * 10 + c] = c == top ? conf : (1 - conf) / 9;
      }
    }
    return new ClassProbabilities(n, 10, p);
  }

  static Look look() {
    return Look.at(DATA, probs(DATA));
  }

  static BufferedImage decode(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  static int rgb(BufferedImage im, int x, int y) {
    return im.getRGB(x, y) & 0xFFFFFF;
  }

  @Test
  void confidentMistakesAreTheWrongOnesByConfidenceTiesInDatasetOrder() {
    Gallery g = look().confidentMistakes(4);
    assertThat(g.kind()).isEqualTo(Gallery.Kind.CONFIDENT_MISTAKES);
    assertThat(g.ids()).containsExactly("test-00005", "test-00014", "test-00027", "test-00009");
    assertThat(g.items()).extracting(GalleryItem::confidence)
        .containsExactly(0.91f, 0.91f, 0.85f, 0.70f);
    GalleryItem first = g.items().get(0);
    assertThat(first.labelName()).isEqualTo("Trouser");
    assertThat(first.predictedName()).isEqualTo("Pullover");
    assertThat(first.correct()).isFalse();
    assertThat(first.trueProbability()).isEqualTo(0.09f / 9, org.assertj.core.api.Assertions
        .within(1e-6f));
    assertThat(g.candidates()).isEqualTo(6);
    assertThat(g.title()).isEqualTo("most confident mistakes: 4 of 6");
    // asking for more than there are gives all of them
    assertThat(look().confidentMistakes(50).ids()).containsExactly("test-00005", "test-00014",
        "test-00027", "test-00009", "test-00002", "test-00020");
  }

  @Test
  void unsureCorrectAreTheRightOnesLowestConfidenceFirst() {
    Gallery g = look().unsureCorrect(3);
    assertThat(g.ids()).containsExactly("test-00011", "test-00024", "test-00003");
    assertThat(g.items()).allMatch(GalleryItem::correct);
    assertThat(g.candidates()).isEqualTo(24);
  }

  @Test
  void perClassTakesTheFirstOfEachClassInDatasetOrder() {
    Gallery g = look().perClass(2);
    assertThat(g.items()).extracting(GalleryItem::index).containsExactly(19, 27, 2, 3, 1, 16,
        13, 29, 6, 10, 8, 11, 4, 7, 9, 12, 18, 0, 23);
  }

  @Test
  void pngHasOneTilePerExampleAndEachTileIsTheImageScaledThreeTimes() throws IOException {
    Gallery g = look().confidentMistakes(4);
    BufferedImage im = decode(g.png());
    // 4 columns of 84-pixel cells, 4 pixels apart; title 18 + tile 84 + caption 29
    assertThat(im.getWidth()).isEqualTo(4 + 4 * (84 + 4)).isEqualTo(356);
    assertThat(im.getHeight()).isEqualTo(GRID_TOP + 84 + 29 + 4).isEqualTo(143);
    for (int k = 0; k < 4; k++) {
      float[] v = ((TensorInput) DATA.input(g.items().get(k).index())).values();
      int x0 = 4 + k * (CELL + 4);
      for (int r = 0; r < 28; r++) {
        for (int c = 0; c < 28; c++) {
          int level = Math.round(v[r * 28 + c] * 255);
          int grey = level << 16 | level << 8 | level;
          for (int d = 0; d < 9; d++) {
            assertThat(rgb(im, x0 + 3 * c + d % 3, GRID_TOP + 3 * r + d / 3))
                .as("tile %d pixel (%d, %d)", k, r, c).isEqualTo(grey);
          }
        }
      }
      // the grey gap right of each tile
      assertThat(rgb(im, x0 + CELL, GRID_TOP + 40)).isEqualTo(Gallery.BACKGROUND_RGB);
    }
    assertThat(rgb(im, 0, 0)).isEqualTo(Gallery.BACKGROUND_RGB);
  }

  /** '0', '.', '9', '1' of the 5 × 7 font, written out here as the expected ink. */
  static final Map<Character, String[]> GLYPHS = Map.of(
      '0', new String[] {".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."},
      '.', new String[] {".....", ".....", ".....", ".....", ".....", ".##..", ".##.."},
      '9', new String[] {".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."},
      '1', new String[] {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."});

  @Test
  void captionShowsTheConfidenceInTheBitmapFontPixelForPixel() throws IOException {
    BufferedImage im = decode(look().confidentMistakes(4).png());
    String text = "0.910";
    int x0 = 4 + 1;
    int y0 = CAPTION_TOP + 2 + 2 * 9;   // third caption line
    for (int i = 0; i < text.length(); i++) {
      String[] glyph = GLYPHS.get(text.charAt(i));
      for (int row = 0; row < 9; row++) {
        for (int col = 0; col < 6; col++) {
          boolean ink = row < 7 && col < 5 && glyph[row].charAt(col) == '#';
          assertThat(rgb(im, x0 + 6 * i + col, y0 + row)).as("'%s' row %d col %d",
              text.charAt(i), row, col).isEqualTo(ink ? Gallery.TEXT_RGB : Gallery.CAPTION_RGB);
        }
      }
    }
  }

  static int[] region(BufferedImage im, int x, int y, int w, int h) {
    return im.getRGB(x, y, w, h, null, 0, w);
  }

  @Test
  void captionTextDependsOnTheLabelAndColoursTheVerdict() throws IOException {
    BufferedImage g = decode(look().perClass(2).png());
    // row 0: two T-shirt/top, row 1: two Trouser; first caption line = the true class
    int[] tshirtA = region(g, 4, CAPTION_TOP + 2, CELL, 7);
    int[] tshirtB = region(g, 4 + CELL + 4, CAPTION_TOP + 2, CELL, 7);
    int rowH = CELL + 29 + 4;
    int[] trouser = region(g, 4, CAPTION_TOP + rowH + 2, CELL, 7);
    assertThat(tshirtA).isEqualTo(tshirtB).isNotEqualTo(trouser);
    assertThat(java.util.Arrays.stream(tshirtA).map(p -> p & 0xFFFFFF)
        .filter(p -> p == Gallery.TEXT_RGB).count()).isGreaterThan(20);

    BufferedImage wrong = decode(look().confidentMistakes(1).png());
    BufferedImage right = decode(look().unsureCorrect(1).png());
    int y2 = CAPTION_TOP + 2 + 9;   // second line: the predicted class
    assertThat(colours(wrong, 4, y2)).contains(Gallery.WRONG_RGB)
        .doesNotContain(Gallery.RIGHT_RGB);
    assertThat(colours(right, 4, y2)).contains(Gallery.RIGHT_RGB)
        .doesNotContain(Gallery.WRONG_RGB);
  }

  static List<Integer> colours(BufferedImage im, int x, int y) {
    return java.util.Arrays.stream(region(im, x, y, CELL, 7)).map(p -> p & 0xFFFFFF).boxed()
        .distinct().toList();
  }

  @Test
  void styleChangesScaleAndColumns() throws IOException {
    Gallery g = look().confidentMistakes(4).withStyle(GalleryStyle.defaults().withScale(4)
        .withColumns(2));
    BufferedImage im = decode(g.png());
    assertThat(im.getWidth()).isEqualTo(4 + 2 * (112 + 4));
    assertThat(im.getHeight()).isEqualTo(GRID_TOP + 2 * (112 + 29 + 4));
    // the fourth tile (row 1, column 1) starts with the top-left pixel of test-00009
    float v = ((TensorInput) DATA.input(9)).values()[0];
    int level = Math.round(v * 255);
    assertThat(rgb(im, 4 + 116 + 3, GRID_TOP + 145 + 3)).isEqualTo(level * 0x010101);
  }

  @Test
  void textScaleWidensCellsAndCaptions() throws IOException {
    BufferedImage im = decode(look().confidentMistakes(2).withStyle(GalleryStyle.defaults()
        .withTextScale(2)).png());
    // cell max(84, 10 characters × 6 × 2) = 120; caption 2×2 + 3 × 9 × 2 = 58; title 2 × 9 × 2
    assertThat(im.getWidth()).isEqualTo(4 + 2 * (120 + 4));
    assertThat(im.getHeight()).isEqualTo(4 + 36 + 4 + 84 + 58 + 4);
    // the image is centred in the wider cell: (120 - 84) / 2 = 18 pixels of caption-less grey
    assertThat(rgb(im, 4 + 17, 4 + 36 + 4 + 40)).isEqualTo(Gallery.BACKGROUND_RGB);
  }

  @Test
  void pngIsTheSameBytesEveryTimeAndIsWrittenAtomically(@TempDir Path dir) throws IOException {
    Gallery g = look().confidentMistakes(4);
    byte[] png = g.png();
    assertThat(g.png()).isEqualTo(png);
    Path file = g.writePng(dir.resolve("sub/mistakes.png"));
    assertThat(Files.readAllBytes(file)).isEqualTo(png);
    try (Stream<Path> s = Files.list(file.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("mistakes.png");
    }
  }

  @Test
  void htmlAndMarkdownEmbedTheSamePngAndListTheExamples() {
    Gallery g = look().confidentMistakes(4);
    String html = g.toHtml();
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    assertThat(m.find()).isTrue();
    assertThat(Base64.getDecoder().decode(m.group(1))).isEqualTo(g.png());
    assertThat(html).contains("width=\"356\" height=\"143\"")
        .contains("<tr class=\"wrong\"><td>1</td><td>test-00005</td><td>Trouser</td>"
            + "<td>Pullover</td><td>0.910</td><td>0.010</td></tr>");
    String md = g.toMarkdown();
    assertThat(md).startsWith("**Gallery: most confident mistakes: 4 of 6** "
        + "(fashion-mnist-subset/test/subset(30), predictions "
        + g.predictions().fingerprint().shortHex() + ")")
        .contains("](data:image/png;base64,")
        .contains("| 4 | test-00009 | Sneaker | Bag | 0.700 | 0.033 |");
    assertThat(g.toMarkdown("mistakes.png")).contains("![most confident mistakes: 4 of 6]"
        + "(mistakes.png)").doesNotContain("base64");
  }

  @Test
  void toStringIsATableOfTheSelectedExamples() {
    Gallery g = look().confidentMistakes(2);
    String fp = g.predictions().fingerprint().shortHex();
    assertThat(fp).hasSize(12);
    assertThat(g.toString().lines().toList()).containsExactly(
        "Gallery most confident mistakes: 2 of 6 (fashion-mnist-subset/test/subset(30), 30 "
            + "examples, predictions " + fp + ")",
        "   #  id          true     predicted  confidence  p(true)",
        "   1  test-00005  Trouser  Pullover        0.910    0.010",
        "   2  test-00014  Coat     Sandal          0.910    0.010");
  }

  @Test
  void badInputNamesTheParameter() {
    assertThatThrownBy(() -> look().perClass(0)).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("n (examples to show) must be >= 1, got 0");
    assertThatThrownBy(() -> look().confidentMistakes(-1))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("got -1");
    ClassProbabilities p = probs(DATA);
    ClassProbabilities short29 = new ClassProbabilities(29, 10,
        java.util.Arrays.copyOf(p.values(), 290));
    assertThatThrownBy(() -> Look.at(DATA, short29)).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("probabilities has 29 rows but dataset "
            + "'fashion-mnist-subset/test/subset(30)' has 30 examples");
    ClassProbabilities nine = new ClassProbabilities(30, 9, new float[270]);
    assertThatThrownBy(() -> Look.at(DATA, nine)).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("probabilities has 9 classes but dataset "
            + "'fashion-mnist-subset/test/subset(30)' has 10 classes");
    ClassificationPredictions fewer = ClassificationPredictions.fromDataset(DATA.subset(0, 1),
        java.util.Arrays.copyOf(p.values(), 20));
    assertThatThrownBy(() -> Look.at(DATA, fewer)).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("predictions has 2 examples but dataset");
    assertThatThrownBy(() -> new GalleryStyle(33, 0, 1))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("scale must be");
  }

  @Test
  void predictionsWithoutTheirDatasetGiveATableButNoTiles() {
    ClassificationPredictions file = ClassificationPredictions.of(DATA.ids(), DATA.labels(),
        probs(DATA).values(), DATA.classes());
    Gallery g = Look.at(file).confidentMistakes(2);
    assertThat(g.ids()).containsExactly("test-00005", "test-00014");
    assertThat(g.hasImages()).isFalse();
    assertThat(g.toHtml()).doesNotContain("<img").contains("test-00014");
    assertThatThrownBy(g::png).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("predictions from 'predictions' carry no dataset");
    // attached to its dataset by id, it draws
    assertThat(Look.at(DATA, file).confidentMistakes(2).hasImages()).isTrue();
  }

  @Test
  void nonImageInputsAreRefusedForTiles() {
    Dataset flat = DATA.map(in -> new TensorInput(((TensorInput) in).values(), new int[] {784}),
        DatasetSpec.features(784, DATA.classes()));
    Gallery g = Look.at(flat, probs(flat)).perClass(1);
    assertThatThrownBy(g::png).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("dataset 'fashion-mnist-subset/test/subset(30)/map' has TENSOR "
            + "inputs of shape [784]; tiles need images");
    Dataset normalised = DATA.map(in -> {
      float[] v = ((TensorInput) in).values().clone();
      for (int i = 0; i < v.length; i++) {
        v[i] = (v[i] - 0.286f) / 0.353f;
      }
      return new TensorInput(v, ((TensorInput) in).shape());
    });
    assertThatThrownBy(() -> Look.at(normalised, probs(normalised)).perClass(1).png())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("example 'test-00019' (index 19)")
        .hasMessageContaining("tiles and overlays show pixel values in [0, 1]");
  }
}
