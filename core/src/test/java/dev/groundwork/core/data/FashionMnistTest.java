package dev.groundwork.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class FashionMnistTest {

  @Test
  void embeddedSubsetIsBalancedAndTiedToTheFullSetIds() {
    Split fm = Datasets.fashionMnistSubset();
    assertThat(fm.train().size()).isEqualTo(2000);
    assertThat(fm.test().size()).isEqualTo(1000);
    assertThat(fm.train().classCounts()).containsOnly(200);
    assertThat(fm.test().classCounts()).containsOnly(100);
    assertThat(fm.spec().inputShape()).containsExactly(1, 28, 28);
    assertThat(fm.spec().classes()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    // The first training image of Fashion-MNIST is an ankle boot (label 9), id train-00000.
    assertThat(fm.train().id(0)).isEqualTo("train-00000");
    assertThat(fm.train().label(0)).isEqualTo(9);
    assertThat(fm.train().origin()).contains("embedded Fashion-MNIST subset");
    TensorInput first = (TensorInput) fm.train().input(0);
    double mean = 0;
    for (float v : first.values()) {
      assertThat(v).isBetween(0f, 1f);
      mean += v;
    }
    assertThat(mean / 784).isBetween(0.1, 0.6);
  }

  @Test
  void embeddedSubsetFingerprintIsPinned() {
    // The same bytes and the same decoding on every machine give this digest.
    assertThat(Datasets.fashionMnistSubset().test().fingerprint().sha256())
        .isEqualTo(PINNED_TEST_FINGERPRINT);
  }

  static final String PINNED_TEST_FINGERPRINT =
      "3c1f4afc30bedc1aa309f3a8e8309c1cd26c276ad89ec4118a62ae06b99d9642";

  @Test
  void fullSetWhenInstalledMatchesTheSubsetPixelForPixel() {
    assumeTrue(Files.isDirectory(Datasets.DEBIAN_FASHION_MNIST),
        "needs Debian's dataset-fashion-mnist (installed by .ci/run)");
    Split full = Datasets.fashionMnist();
    assertThat(full.train().size()).isEqualTo(60_000);
    assertThat(full.test().size()).isEqualTo(10_000);
    assertThat(full.train().classCounts()).containsOnly(6000);
    assertThat(full.train().origin()).contains("full Fashion-MNIST");
    Split subset = Datasets.fashionMnistSubset();
    for (int i : new int[] {0, 777, 1999}) {
      String id = subset.train().id(i);
      int pos = full.train().indexOf(id).orElseThrow();
      assertThat(full.train().label(pos)).isEqualTo(subset.train().label(i));
      assertThat(full.train().input(pos)).isEqualTo(subset.train().input(i));
    }
    String testId = subset.test().id(999);
    assertThat(full.test().input(full.test().indexOf(testId).orElseThrow()))
        .isEqualTo(subset.test().input(999));
  }
}
