package dev.groundwork.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Detection;
import dev.groundwork.core.model.Detections;
import dev.groundwork.core.model.Embeddings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxAdaptersTest {

  static final DatasetSpec SPEC = DatasetSpec.features(4, List.of("a", "b", "c"));

  static Batch batch(float[] x, int features) {
    int n = x.length / features;
    return new Batch(new int[] {n, features}, x, List.of(), new int[n],
        IntStream.range(0, n).mapToObj(i -> "ex" + i).toList());
  }

  static float[] randomInputs(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian() * 2;
    }
    return x;
  }

  /** Softmax(x · W + b) computed in double, independently of the adapter. */
  static double[] expected(float[] x, int row) {
    double[] z = new double[3];
    for (int c = 0; c < 3; c++) {
      z[c] = OnnxGraphs.B[c];
      for (int i = 0; i < 4; i++) {
        z[c] += x[row * 4 + i] * OnnxGraphs.W[i * 3 + c];
      }
    }
    double max = Math.max(z[0], Math.max(z[1], z[2]));
    double s = 0;
    for (int c = 0; c < 3; c++) {
      z[c] = Math.exp(z[c] - max);
      s += z[c];
    }
    for (int c = 0; c < 3; c++) {
      z[c] /= s;
    }
    return z;
  }

  @Test
  void linearLogitsAreSoftmaxedAndMatchJava() {
    float[] x = randomInputs(7, 1);
    try (OnnxModel m = OnnxModels.fromBytes("linear", OnnxGraphs.linear(false));
        OnnxClassifier c = m.classifier(SPEC, OnnxOptions.defaults())) {
      ClassProbabilities p = c.predict(batch(x, 4));
      assertThat(p.rows()).isEqualTo(7);
      for (int r = 0; r < 7; r++) {
        double[] want = expected(x, r);
        for (int k = 0; k < 3; k++) {
          assertThat((double) p.get(r, k)).isCloseTo(want[k], within(1e-5));
        }
      }
      assertThat(c.describe()).contains("input  x", "FLOAT", "[batch, 4]", "output scores",
          "[batch, 3]", "feed: tensor → x");
      assertThat(c.summary().parameters()).extracting(pi -> pi.name() + pi.count())
          .containsExactly("backbone_W12", "backbone_B3");
      // what a runtime profile records about the engine's threads
      assertThat(c.threading()).isEqualTo("ONNX Runtime session " + m.sessionOptions());
      assertThat(c.threading()).startsWith("ONNX Runtime session threads=");
    }
  }

  @Test
  void probabilityOutputsAreDetectedAndUsedAsTheyAre() {
    float[] x = randomInputs(5, 2);
    try (OnnxModel m = OnnxModels.fromBytes("linear-softmax", OnnxGraphs.linear(true));
        OnnxClassifier auto = m.classifier(SPEC, OnnxOptions.defaults());
        OnnxClassifier asLogits = m.classifier(SPEC,
            OnnxOptions.builder().scores(OnnxOptions.Scores.LOGITS).build())) {
      ClassProbabilities p = auto.predict(batch(x, 4));
      ClassProbabilities twice = asLogits.predict(batch(x, 4));
      for (int r = 0; r < 5; r++) {
        double[] want = expected(x, r);
        for (int k = 0; k < 3; k++) {
          assertThat((double) p.get(r, k)).isCloseTo(want[k], within(1e-5));
        }
        // forcing LOGITS softmaxes probabilities again: flatter, but same argmax
        assertThat(twice.argmax(r)).isEqualTo(p.argmax(r));
        assertThat(twice.row(r)[p.argmax(r)]).isLessThan(p.row(r)[p.argmax(r)]);
      }
    }
  }

  @Test
  void loadsFromAFileWithSessionOptionsAndSharesTheSessionAcrossThreads(@TempDir Path dir)
      throws Exception {
    Path file = Files.write(dir.resolve("linear.onnx"), OnnxGraphs.linear(false));
    OnnxSessionOptions opts = new OnnxSessionOptions(1, OnnxSessionOptions.GraphOptimization.BASIC,
        OnnxSessionOptions.ExecutionMode.SEQUENTIAL);
    float[] x = randomInputs(64, 3);
    OnnxClassifier c;
    try (OnnxModel m = OnnxModels.load(file, opts)) {
      assertThat(m.sessionOptions()).isEqualTo(opts);
      assertThat(m.toString()).contains("threads=1 optimization=BASIC mode=SEQUENTIAL");
      c = m.classifier(SPEC, OnnxOptions.defaults());
    }
    // the model handle is closed; the classifier still holds the session
    ClassProbabilities single = c.predict(batch(x, 4));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ClassProbabilities>> results = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        results.add(pool.submit(() -> c.predict(batch(x, 4))));
      }
      for (Future<ClassProbabilities> f : results) {
        assertThat(f.get()).isEqualTo(single);
      }
    } finally {
      pool.shutdown();
    }
    c.close();
    assertThatThrownBy(() -> c.predict(batch(x, 4))).isInstanceOf(GroundworkException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void aFlatBatchIsReshapedToTheModelsFixedInputShape() {
    float[] x = randomInputs(3, 4);
    Batch square = new Batch(new int[] {3, 2, 2}, x, List.of(), new int[3], List.of("a", "b", "c"));
    try (OnnxModel m = OnnxModels.fromBytes("linear", OnnxGraphs.linear(false));
        OnnxClassifier c = m.classifier(DatasetSpec.image(1, 2, 2, List.of("a", "b", "c")),
            OnnxOptions.defaults())) {
      ClassProbabilities p = c.predict(square);
      assertThat((double) p.get(2, 1)).isCloseTo(expected(x, 2)[1], within(1e-5));
    }
  }

  @Test
  void twoInputModelTakesTheBatchOnTheNamedInputOnlyWhenTheOtherIsFed() {
    try (OnnxModel m = OnnxModels.fromBytes("two-inputs", OnnxGraphs.twoInputs())) {
      assertThat(m.inputs()).extracting(OnnxTensorInfo::name).containsExactly("a", "b");
      assertThatThrownBy(() -> m.embedder(OnnxOptions.defaults()))
          .isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("two-inputs has 2 inputs").hasMessageContaining("tensorInput(name)");
      assertThatThrownBy(() -> m.embedder(OnnxOptions.builder().tensorInput("a").build()))
          .isInstanceOf(OnnxInputException.class)
          .hasMessageContaining("1 input that nothing feeds: [b]");
    }
  }

  @Test
  void embeddingsOfAnyFloatOutputWithPoolingChoices() {
    float[] x = randomInputs(2, 5);
    try (OnnxModel m = OnnxModels.fromBytes("linear", OnnxGraphs.linear(false));
        OnnxEmbedder e = m.embedder(OnnxOptions.builder().normalize(true).build())) {
      assertThat(e.dimension()).hasValue(3);
      Embeddings v = e.embed(batch(x, 4));
      double[] z = new double[3];
      double norm = 0;
      for (int c = 0; c < 3; c++) {
        z[c] = OnnxGraphs.B[c];
        for (int i = 0; i < 4; i++) {
          z[c] += x[4 + i] * OnnxGraphs.W[i * 3 + c];
        }
        norm += z[c] * z[c];
      }
      for (int c = 0; c < 3; c++) {
        assertThat((double) v.row(1)[c]).isCloseTo(z[c] / Math.sqrt(norm), within(1e-5));
      }
    }
  }

  @Test
  void detectionOutputsAreDecodedToCornerBoxesSortedAndThresholded() {
    // image 0: (cx 10, cy 20, w 4, h 6, score 0.2, label 3), (50, 60, 10, 20, 0.9, 1)
    // image 1: (5, 5, 2, 2, 0.7, 0), (8, 8, 4, 4, 0.05, 2)
    float[] x = {10, 20, 4, 6, 0.2f, 3, 50, 60, 10, 20, 0.9f, 1, 5, 5, 2, 2, 0.7f, 0, 8, 8, 4, 4,
        0.05f, 2};
    Batch b = new Batch(new int[] {2, 2, 6}, x, List.of(), new int[2], List.of("i0", "i1"));
    DatasetSpec imageSpec = DatasetSpec.features(12, List.of("x"));
    assertThat(imageSpec.numClasses()).isEqualTo(1);
    try (OnnxModel m = OnnxModels.fromBytes("detector", OnnxGraphs.detector());
        OnnxDetector d = m.detector(DetectionLayout.of("boxes", "scores", "labels")
            .withFormat(DetectionLayout.BoxFormat.CXCYWH).withMinScore(0.1f),
            OnnxOptions.defaults())) {
      Detections found = d.detect(b);
      assertThat(found.rows()).isEqualTo(2);
      assertThat(found.get(0)).containsExactly(new Detection(45, 50, 55, 70, 0.9f, 1),
          new Detection(8, 17, 12, 23, 0.2f, 3));
      assertThat(found.get(1)).containsExactly(new Detection(4, 4, 6, 6, 0.7f, 0));
      assertThat(d.describe()).contains("boxes boxes (CXCYWH)", "labels labels");
    }
    try (OnnxModel m = OnnxModels.fromBytes("detector", OnnxGraphs.detector());
        OnnxDetector d = m.detector(DetectionLayout.of("boxes", "scores", "labels"),
            OnnxOptions.defaults())) {
      // corner format as is: (10, 20, 4, 6) is read as x1=4 .. x2=10 after ordering
      assertThat(d.detect(b).get(0).get(1)).isEqualTo(new Detection(4, 6, 10, 20, 0.2f, 3));
    }
  }
}
