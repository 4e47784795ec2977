package dev.groundwork.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.look.GalleryItem;
import dev.groundwork.core.look.Overlay;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gallery example trains a real CNN and draws what it got wrong. */
class LookGalleryTest {

  @Test
  void drawsTheMostConfidentMistakesOfARealModel(@TempDir Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LookGallery.Result r = LookGallery.run(dir,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    // measured 2026-12-01: 80.3 % after 3 epochs (197 mistakes)
    assertThat(r.accuracy()).isBetween(0.70, 0.90);
    assertThat(r.mistakes().candidates()).isEqualTo((int) Math.round(1000 * (1 - r.accuracy())));
    assertThat(r.mistakes().items()).hasSize(16).noneMatch(GalleryItem::correct);
    for (int i = 1; i < 16; i++) {
      assertThat(r.mistakes().items().get(i).confidence())
          .isLessThanOrEqualTo(r.mistakes().items().get(i - 1).confidence());
    }
    assertThat(r.perClass().items()).hasSize(40);
    BufferedImage m = ImageIO.read(r.mistakesPng().toFile());
    assertThat(m.getWidth()).isEqualTo(4 + 8 * 88);
    assertThat(m.getHeight()).isEqualTo(26 + 2 * (84 + 29 + 4));
    BufferedImage p = ImageIO.read(r.perClassPng().toFile());
    assertThat(p.getWidth()).isEqualTo(4 + 4 * 88);
    assertThat(p.getHeight()).isEqualTo(26 + 10 * (84 + 29 + 4));
    BufferedImage o = ImageIO.read(r.overlayPng().toFile());
    assertThat(o.getWidth()).isEqualTo(168);
    // the ground truth box's left edge at x = 6, the prediction's at x = 18
    assertThat(o.getRGB(6, 100) & 0xFFFFFF).isEqualTo(Overlay.GROUND_TRUTH_RGB);
    assertThat(o.getRGB(18, 100) & 0xFFFFFF).isEqualTo(Overlay.PREDICTION_RGB);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("Gallery most confident mistakes: 16 of " + r.mistakes().candidates())
        .contains(r.mistakes().ids().get(0));
  }
}
