package dev.groundwork.examples;

import dev.groundwork.core.analysis.detection.DetectedBox;
import dev.groundwork.core.analysis.detection.GroundTruthBox;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.look.Gallery;
import dev.groundwork.core.look.Look;
import dev.groundwork.core.look.Overlay;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.Fit;
import dev.groundwork.core.train.LrSchedule;
import dev.groundwork.djl.DjlModels;
import dev.groundwork.examples.results.Results;
import dev.groundwork.examples.results.Transcript;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Step 2, looking at outputs: trains the small CNN (DJL, PyTorch CPU) for {@value #EPOCHS} epochs
 * on the embedded Fashion-MNIST subset's 2,000 training images, predicts its 1,000 test images and
 * writes three pictures: the 16 most confident mistakes, the first 4 test images of each class,
 * and an overlay demo (a box drawn as ground truth and one as a prediction on a test image; the
 * boxes are made up, Fashion-MNIST has none). Run:
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.LookGallery \
 *     -Dexec.args=target/look
 * </pre>
 */
public final class LookGallery {

  /** Training epochs. */
  public static final int EPOCHS = 3;
  /** The seed of the model's initialisation and batch order. */
  public static final long SEED = 42;

  private LookGallery() {}

  /**
   * What the run produced.
   *
   * @param accuracy test accuracy of the trained CNN
   * @param mistakes the 16 most confident mistakes
   * @param perClass the first 4 test images of each class
   * @param mistakesPng the mistakes' PNG
   * @param perClassPng the per-class PNG
   * @param overlayPng the overlay demo's PNG
   */
  public record Result(double accuracy, Gallery mistakes, Gallery perClass, Path mistakesPng,
      Path perClassPng, Path overlayPng) {}

  /** Trains, predicts and writes the pictures into {@code dir}; prints the table to {@code out}. */
  public static Result run(Path dir, PrintStream out) {
    Split data = Datasets.fashionMnistSubset();
    Dataset test = data.test();
    ClassProbabilities probs;
    TrainConfig config = TrainConfig.builder().batchSize(64).seed(SEED).build();
    try (TrainableModel cnn = DjlModels.smallCnn(data.spec(), config)) {
      Fit.of(cnn).on(data.train()).epochs(EPOCHS).schedule(LrSchedule.cosine()).run();
      probs = cnn.predict(test, 256);
    }
    double accuracy = probs.accuracy(test.labels());
    out.printf(Locale.ROOT, "small CNN, %d epochs on %d images: %.1f%% on the %d test images%n%n",
        EPOCHS, data.train().size(), 100 * accuracy, test.size());
    Look look = Look.at(test, probs);
    Gallery mistakes = look.confidentMistakes(16);
    Gallery perClass = look.perClass(4);
    out.println(mistakes);
    Path m = mistakes.writePng(dir.resolve("look-mistakes.png"));
    Path p = perClass.writePng(dir.resolve("look-per-class.png"));
    String id = test.id(0);
    Path o = Overlay.builder(test.input(0)).scale(6)
        .groundTruth(List.of(GroundTruthBox.of(id, test.classes().get(test.label(0)), 1, 2, 27,
            27)))
        .predictions(List.of(DetectedBox.of(id, "Sneaker", 0.64, 3, 9, 26, 26)))
        .build().writePng(dir.resolve("look-overlay.png"));
    out.println("wrote " + m + ", " + p + " and " + o);
    return new Result(accuracy, mistakes, perClass, m, p, o);
  }

  /**
   * Writes into the directory given as the first argument (default {@code target/look}), and
   * records the printed table and the mistakes picture's SHA-256 in {@code look-gallery.json}
   * (docs/look.md quotes them) if -Dgroundwork.results is set.
   */
  public static void main(String[] args) {
    Transcript printed = Transcript.capture(System.out);
    Result r = run(Path.of(args.length > 0 ? args[0] : "target/look"), printed.out());
    String table = printed.text();
    int wrote = table.indexOf("\nwrote ");
    Results.start("look-gallery", args).version("pytorch", "2.7.1").version("djl", "0.36.0")
        .version("dataset", "fashion-mnist-subset")
        .put("test_accuracy_pct", 100 * r.accuracy(), "%")
        .note("output", Transcript.forDocs(wrote < 0 ? table : table.substring(0, wrote)))
        .note("mistakes_png_sha256", sha256(r.mistakesPng())).write();
  }

  private static String sha256(Path file) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(java.nio.file.Files.readAllBytes(file)));
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      throw new dev.groundwork.core.GroundworkException("cannot hash " + file + ": " + e, e);
    }
  }
}
