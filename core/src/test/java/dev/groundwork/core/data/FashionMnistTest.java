package dev.groundwork.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
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
  void embeddedSubsetFingerprintIsPinned() throws Exception {
    // The same bytes and the same decoding on every machine give this digest.
    assertThat(Datasets.fashionMnistSubset().test().fingerprint().sha256())
        .isEqualTo(PINNED_TEST_FINGERPRINT);
  }

  /**
   * The pinned digest derived without {@code Dataset}: the documented layout (class names joined
   * by NUL; then per example its id, its label as a little-endian int and its pixels as
   * little-endian IEEE floats {@code b / 255f}) hashed with {@link MessageDigest}, straight from
   * the embedded IDX bytes and the index file.
   */
  @Test
  void thePinnedFingerprintIsTheDocumentedDigestOfTheRawFiles() throws Exception {
    String dir = "/dev/groundwork/core/data/fashion-mnist-subset/";
    byte[] images = gunzip(dir + "t10k-images-idx3-ubyte.gz");
    byte[] labels = gunzip(dir + "t10k-labels-idx1-ubyte.gz");
    List<String> index;
    try (InputStream in = FashionMnistTest.class.getResourceAsStream(dir + "t10k-index.txt")) {
      index = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
          .filter(l -> !l.isBlank()).toList();
    }
    int n = ByteBuffer.wrap(images, 4, 4).getInt(); // IDX: big-endian count after the magic
    assertThat(n).isEqualTo(1000).isEqualTo(index.size());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(String.join("\u0000", Datasets.FASHION_MNIST_CLASSES)
        .getBytes(StandardCharsets.UTF_8));
    ByteBuffer le = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      sha.update(String.format("test-%05d", Integer.parseInt(index.get(i).trim()))
          .getBytes(StandardCharsets.UTF_8));
      sha.update(le.clear().putInt(labels[8 + i] & 0xff).array());
      for (int p = 0; p < 784; p++) {
        float v = (images[16 + 784 * i + p] & 0xff) / 255f;
        sha.update(le.clear().putInt(Float.floatToRawIntBits(v)).array());
      }
    }
    assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(PINNED_TEST_FINGERPRINT);
  }

  private static byte[] gunzip(String resource) throws Exception {
    try (InputStream in = new GZIPInputStream(
        FashionMnistTest.class.getResourceAsStream(resource))) {
      return in.readAllBytes();
    }
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
