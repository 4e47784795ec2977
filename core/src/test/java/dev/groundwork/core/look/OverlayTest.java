package dev.groundwork.core.look;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.detection.DetectedBox;
import dev.groundwork.core.analysis.detection.GroundTruthBox;
import dev.groundwork.core.analysis.detection.KeypointInstance;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.data.TextInput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Boxes and keypoints drawn on a real grey Fashion-MNIST image (test-00000) at scale 4: every
 * pixel whose red, green and blue differ is an annotation, so "drawn here and nowhere else" is
 * checked over the whole image.
 */
class OverlayTest {

  static final TensorInput IMAGE =
      (TensorInput) Datasets.fashionMnistSubset().test().input(0);
  static final int GT = Overlay.GROUND_TRUTH_RGB;
  static final int PRED = Overlay.PREDICTION_RGB;

  static BufferedImage decode(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  static int grey(int x, int y, int scale) {
    int level = Math.round(IMAGE.values()[(y / scale) * 28 + x / scale] * 255);
    return level * 0x010101;
  }

  static void perimeter(Map<Long, Integer> expected, int x0, int y0, int x1, int y1, int rgb) {
    for (int x = x0; x <= x1; x++) {
      expected.put(key(x, y0), rgb);
      expected.put(key(x, y1), rgb);
    }
    for (int y = y0; y <= y1; y++) {
      expected.put(key(x0, y), rgb);
      expected.put(key(x1, y), rgb);
    }
  }

  static long key(int x, int y) {
    return (long) x << 32 | y;
  }

  @Test
  void boxesAreOutlinedAtTheirScaledCornersAndNowhereElse() throws IOException {
    Overlay o = Overlay.builder(IMAGE).scale(4).captions(false)
        .groundTruth(List.of(GroundTruthBox.of("test-00000", "Ankle boot", 2, 3, 20, 25)))
        .predictions(List.of(DetectedBox.of("test-00000", "Sneaker", 0.87, 5.5, 6.25, 22, 26)))
        .build();
    BufferedImage im = decode(o.png());
    assertThat(im.getWidth()).isEqualTo(112);
    assertThat(im.getHeight()).isEqualTo(112);
    Map<Long, Integer> expected = new HashMap<>();
    // ground truth: columns 8 and 79, rows 12 and 99
    perimeter(expected, 8, 12, 79, 99, GT);
    // prediction, drawn after: columns floor(22) = 22 and ceil(88) - 1 = 87, rows 25 and 103
    perimeter(expected, 22, 25, 87, 103, PRED);
    for (int y = 0; y < 112; y++) {
      for (int x = 0; x < 112; x++) {
        int want = expected.getOrDefault(key(x, y), grey(x, y, 4));
        assertThat(im.getRGB(x, y) & 0xFFFFFF).as("pixel (%d, %d)", x, y).isEqualTo(want);
      }
    }
  }

  @Test
  void lineWidthThickensInwards() throws IOException {
    BufferedImage im = Overlay.builder(IMAGE).scale(4).captions(false).lineWidth(2)
        .groundTruth(List.of(GroundTruthBox.of("a", "x", 2, 3, 20, 25))).build().image();
    assertThat(im.getRGB(9, 50) & 0xFFFFFF).isEqualTo(GT);
    assertThat(im.getRGB(78, 50) & 0xFFFFFF).isEqualTo(GT);
    assertThat(im.getRGB(7, 50) & 0xFFFFFF).isEqualTo(grey(7, 50, 4));
    assertThat(im.getRGB(10, 50) & 0xFFFFFF).isEqualTo(grey(10, 50, 4));
  }

  @Test
  void keypointsAreDotsAndRingsJoinedBySkeletonLines() throws IOException {
    KeypointInstance gt = KeypointInstance.groundTruth("test-00000", "boot",
        new float[] {10, 20, 5}, new float[] {10, 15, 5}, new float[] {2, 1, 0});
    KeypointInstance pred = KeypointInstance.prediction("test-00000", "boot",
        new float[] {11, 21.5f, 25}, new float[] {20, 22.9f, 5}, 0.8);
    BufferedImage im = decode(Overlay.builder(IMAGE).scale(4).pointRadius(2)
        .keypoints(List.of(gt, pred)).skeleton(Skeleton.of(0, 1)).build().png());
    // ground truth: a filled dot at (40, 40), a ring at (80, 60); nothing for visibility 0
    for (int dy = -2; dy <= 2; dy++) {
      for (int dx = -2; dx <= 2; dx++) {
        int d2 = dx * dx + dy * dy;
        int dot = im.getRGB(40 + dx, 40 + dy) & 0xFFFFFF;
        if (d2 <= 4 || dx <= 0) {   // (the limb leaves the dot to the lower right)
          assertThat(dot == GT).as("dot (%d, %d)", dx, dy).isEqualTo(d2 <= 4);
        }
        if (d2 > 1 && d2 <= 4) {
          assertThat(im.getRGB(80 + dx, 60 + dy) & 0xFFFFFF).isEqualTo(GT);
        }
      }
    }
    for (int y = 14; y <= 26; y++) {
      for (int x = 14; x <= 26; x++) {
        assertThat(im.getRGB(x, y) & 0xFFFFFF).isEqualTo(grey(x, y, 4));
      }
    }
    // the limb from (40, 40) to (80, 60): one pixel a column, on the segment y = 40 + (x - 40)/2
    for (int x = 43; x <= 77; x++) {
      int hits = 0;
      for (int y = 0; y < 112; y++) {
        if ((im.getRGB(x, y) & 0xFFFFFF) == GT) {
          hits++;
          assertThat(Math.abs(y - (40 + (x - 40) / 2.0))).as("column %d", x).isLessThanOrEqualTo(
              0.5);
        }
      }
      assertThat(hits).as("column %d", x).isEqualTo(1);
    }
    // predictions in orange at (44, 80), (86, 91) and (100, 20), the first two joined
    assertThat(im.getRGB(44, 80) & 0xFFFFFF).isEqualTo(PRED);
    assertThat(im.getRGB(86, 91) & 0xFFFFFF).isEqualTo(PRED);
    // at x = 65 the limb is at y = 85.5: Bresenham picks one of the two rows
    assertThat(List.of(im.getRGB(65, 85) & 0xFFFFFF, im.getRGB(65, 86) & 0xFFFFFF))
        .containsOnlyOnce(PRED);
    assertThat(im.getRGB(100, 20) & 0xFFFFFF).isEqualTo(PRED);
    // every coloured pixel lies on a dot, a ring or a limb of its own colour
    for (int y = 0; y < 112; y++) {
      for (int x = 0; x < 112; x++) {
        int p = im.getRGB(x, y) & 0xFFFFFF;
        if (p == grey(x, y, 4)) {
          continue;
        }
        if (p == GT) {
          assertThat(near(x, y, 40, 40, 80, 60)).as("GT pixel (%d, %d)", x, y).isTrue();
        } else {
          assertThat(p).as("pixel (%d, %d)", x, y).isEqualTo(PRED);
          assertThat(near(x, y, 44, 80, 86, 91) || Math.hypot(x - 100, y - 20) <= 2)
              .as("predicted pixel (%d, %d)", x, y).isTrue();
        }
      }
    }
  }

  /** Within 2 pixels of either end, or within 0.75 of the segment between them. */
  static boolean near(int x, int y, int ax, int ay, int bx, int by) {
    if (Math.hypot(x - ax, y - ay) <= 2 || Math.hypot(x - bx, y - by) <= 2) {
      return true;
    }
    double dx = bx - ax;
    double dy = by - ay;
    double t = ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy);
    return t >= 0 && t <= 1 && Math.hypot(ax + t * dx - x, ay + t * dy - y) <= 0.75;
  }

  @Test
  void captionsSitAboveTheBoxInItsColour() throws IOException {
    List<DetectedBox> box = List.of(DetectedBox.of("a", "Bag", 0.87, 5, 10, 20, 25));
    BufferedImage on = Overlay.builder(IMAGE).scale(4).predictions(box).build().image();
    BufferedImage off = Overlay.builder(IMAGE).scale(4).captions(false).predictions(box).build()
        .image();
    // "Bag 0.87": 8 characters, 47 + 2 pixels wide, 9 high, its bottom on the box's top row 40
    int ink = 0;
    for (int y = 31; y < 40; y++) {
      for (int x = 20; x < 69; x++) {
        int p = on.getRGB(x, y) & 0xFFFFFF;
        assertThat(p).as("(%d, %d)", x, y).isIn(PRED, 0x000000);
        ink += p == 0 ? 1 : 0;
        assertThat(off.getRGB(x, y) & 0xFFFFFF).isEqualTo(grey(x, y, 4));
      }
    }
    // B, a, g, space, 0, ., 8, 7 of the 5 × 7 font have 20 + 14 + 16 + 0 + 19 + 4 + 17 + 11 ink
    assertThat(ink).isEqualTo(101);
    assertThat(on.getRGB(69, 35) & 0xFFFFFF).isEqualTo(grey(69, 35, 4));
  }

  @Test
  void badInputNamesTheParameter() {
    assertThatThrownBy(() -> Overlay.builder(IMAGE)
        .groundTruth(List.of(GroundTruthBox.of("a", "Bag", 2, 3, 29, 25))).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("groundTruth[0] (class 'Bag') box [x1=2.0, y1=3.0, x2=29.0, "
            + "y2=25.0] lies outside the 28×28 image");
    assertThatThrownBy(() -> Overlay.builder(IMAGE).predictions(List.of(
        DetectedBox.of("a", "Bag", 0.5, 0, 0, 5, 5), DetectedBox.of("a", "Bag", 0.5, -1, 0, 5, 5)))
        .build()).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("predictions[1] (class 'Bag') box");
    KeypointInstance off = KeypointInstance.prediction("a", "p", new float[] {3, 40},
        new float[] {3, 3}, 0.5);
    assertThatThrownBy(() -> Overlay.builder(IMAGE).keypoints(List.of(off)).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("keypoints[0] keypoint 1 at (40.0, 3.0) lies outside the 28×28");
    KeypointInstance two = KeypointInstance.prediction("a", "p", new float[] {3, 4},
        new float[] {3, 3}, 0.5);
    assertThatThrownBy(() -> Overlay.builder(IMAGE).keypoints(List.of(two))
        .skeleton(Skeleton.of(0, 5)).build()).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("skeleton joins keypoint 5 but keypoints[0] has 2 keypoints");
    assertThatThrownBy(() -> Overlay.builder(IMAGE)
        .groundTruth(List.of(GroundTruthBox.of("a", "Bag", 2, 3, 9, 9)))
        .predictions(List.of(DetectedBox.of("b", "Bag", 0.5, 2, 3, 9, 9))).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("predictions[0] is on image 'b' but groundTruth[0] is on image 'a'");
    assertThatThrownBy(() -> Overlay.builder(new TextInput("a shoe")).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("image is a TextInput; tiles and overlays need an image");
    assertThatThrownBy(() -> Overlay.builder(new TensorInput(new float[6], new int[] {6}))
        .build()).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("image has shape [6]");
    assertThatThrownBy(() -> Overlay.builder(IMAGE).scale(33).build())
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("scale must be 1 to 32, got 33");
  }
}
