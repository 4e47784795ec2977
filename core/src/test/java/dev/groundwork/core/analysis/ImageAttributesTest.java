package dev.groundwork.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.RecordSource;
import dev.groundwork.core.data.TensorInput;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageAttributesTest {

  static TensorInput image(int h, int w, java.util.function.IntBinaryOperator pixelTimes1000) {
    float[] v = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        v[y * w + x] = pixelTimes1000.applyAsInt(y, x) / 1000f;
      }
    }
    return new TensorInput(v, new int[] {1, h, w});
  }

  @Test
  void constantImage() {
    ImageAttributes.Measures m = ImageAttributes.measure(image(8, 8, (y, x) -> 300));
    assertThat(m.brightness()).isCloseTo(0.3, within(1e-6));
    assertThat(m.contrast()).isCloseTo(0, within(1e-6));
    assertThat(m.sharpness()).isCloseTo(0, within(1e-9));
    assertThat(m.foreground()).isZero();
    assertThat(m.aspectRatio()).isNaN();
  }

  @Test
  void checkerboard() {
    // 0/1 checkerboard: mean .5, std .5; each interior Laplacian is ±4 → variance 16
    ImageAttributes.Measures m = ImageAttributes.measure(image(8, 8, (y, x) -> (x + y) % 2 * 1000));
    assertThat(m.brightness()).isCloseTo(0.5, within(1e-9));
    assertThat(m.contrast()).isCloseTo(0.5, within(1e-9));
    assertThat(m.sharpness()).isCloseTo(16, within(1e-9));
  }

  @Test
  void rectangleOnDarkBackground() {
    // a 10-wide, 5-tall bright rectangle on a black 28×28 image: foreground 50/784, aspect 2
    ImageAttributes.Measures m = ImageAttributes.measure(image(28, 28,
        (y, x) -> y >= 10 && y < 15 && x >= 6 && x < 16 ? 1000 : 0));
    assertThat(m.foreground()).isCloseTo(50.0 / 784, within(1e-12));
    assertThat(m.aspectRatio()).isCloseTo(2.0, within(1e-12));
    assertThat(m.brightness()).isCloseTo(50.0 / 784, within(1e-6));
    // RGB: the grey level is the channel mean
    float[] rgb = new float[3 * 4];
    java.util.Arrays.fill(rgb, 0, 4, 0.9f);
    ImageAttributes.Measures c = ImageAttributes.measure(new TensorInput(rgb, new int[] {3, 2, 2}));
    assertThat(c.brightness()).isCloseTo(0.3, within(1e-6));
    assertThat(c.sharpness()).isNaN();
  }

  /** Images of random brightness; the darkest quarter is misclassified far more often. */
  @Test
  void slicesFindDarkImagesWithoutMetadata() {
    int n = 800;
    Random rng = new Random(4);
    float[] level = new float[n];
    boolean[] wrong = new boolean[n];
    for (int i = 0; i < n; i++) {
      level[i] = 0.05f + 0.9f * rng.nextFloat();
      wrong[i] = rng.nextDouble() < (level[i] < 0.2 ? 0.5 : 0.1);
    }
    ClassificationPredictions synthetic = Synthetic.predictions(wrong, 3, rng);
    int[] labels = synthetic.labels();
    RecordSource source = new RecordSource() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public String id(int index) {
        return synthetic.id(index);
      }

      @Override
      public int label(int index) {
        return labels[index];
      }

      @Override
      public Input decode(int index) {
        // a noisy square of the image's brightness on a background of half that
        float l = level[index];
        Random r = new Random(index);
        return image(12, 12, (y, x) -> (int) (1000 * ((y > 2 && y < 9 && x > 2 && x < 9 ? l
            : l / 2) + 0.01 * r.nextGaussian())));
      }
    };
    Dataset d = Dataset.of("squares", DatasetSpec.image(1, 12, 12, Synthetic.classes(3)), source);
    ClassificationPredictions p = ClassificationPredictions.fromDataset(d,
        synthetic.probabilities());
    ClassificationAnalysis a = FailureAnalysis.classification(p)
        .options(ClassificationOptions.builder().clusters(0).maxOrder(1).build()).run();
    assertThat(a.attributes()).containsAll(ImageAttributes.NAMES);
    Slice top = a.slices().top(1).get(0);
    assertThat(top.conditions().get(0).attribute())
        .isIn("image.brightness", "image.contrast");
    assertThat(top.conditions().get(0).operator()).isEqualTo("≤");
    assertThat(top.errorRate()).isGreaterThan(0.3);
    // the planted region, level < 0.2, holds (0.2 − 0.05) / 0.9 of 800 ≈ 133 images; the refined
    // threshold finds it rather than a quartile bin of 200
    long dark = 0;
    for (float l : level) {
      dark += l < 0.2 ? 1 : 0;
    }
    assertThat(dark).isEqualTo(133);
    assertThat((long) top.support()).isBetween(dark - 8, dark + 8);
    // without embeddings, clusters use the decoded pixels
    FailureClusters raw = FailureAnalysis.classification(p)
        .options(ClassificationOptions.builder().clusters(3).build()).run().clusters();
    assertThat(raw.space()).isEqualTo("raw inputs 144-d → random projection 64-d");
    assertThat(raw.clusters()).hasSize(3);
    assertThat(raw.clusters().stream().mapToInt(FailureClusters.FailureCluster::size).sum())
        .isEqualTo(n);
    assertThat(ImageAttributes.addTo(p).metadata(0)).containsKeys("image.brightness",
        "image.aspect");
  }

  @Test
  void addToNeedsADataset() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> ImageAttributes.addTo(ClassificationMetricsTest.fixture()))
        .isInstanceOf(dev.groundwork.core.InvalidParameterException.class)
        .hasMessageContaining("fromDataset");
    assertThat(List.of()).isEmpty();
  }
}
