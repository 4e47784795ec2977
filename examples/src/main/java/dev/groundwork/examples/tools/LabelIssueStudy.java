package dev.groundwork.examples.tools;

import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.LabelIssues;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Scores Groundwork's label-issue methods on the files {@link MakeLabelNoiseFixture} writes: per
 * model and noise rate, precision, recall, F1 and the estimated noise rate of the confident joint,
 * prune by noise rate and neighbour consensus, one JSON object a line on standard output. {@code
 * examples/tools/label_issues_vs_cleanlab.py} runs Cleanlab on the same probabilities and joins the
 * two.
 *
 * <pre>
 * java -cp ... dev.groundwork.examples.tools.LabelIssueStudy /tmp/labelnoise [cnn:10 ...] &gt; ours.jsonl
 * </pre>
 */
public final class LabelIssueStudy {

  private LabelIssueStudy() {}

  /** The study's data: true labels, features, and for one setting the noisy labels and scores. */
  record Fixture(int[] truth, float[] features, int dim, int[] noisy, float[] probs, int c) {

    /** Reads {@code features.bin.gz} and {@code probs-MODEL-RATE.bin.gz} from {@code dir}. */
    static Fixture read(Path dir, String model, int ratePercent) throws IOException {
      int[] truth;
      float[] x;
      int d;
      try (DataInputStream in = open(dir.resolve("features.bin.gz"))) {
        int n = in.readInt();
        d = in.readInt();
        in.readInt();
        truth = new int[n];
        for (int i = 0; i < n; i++) {
          truth[i] = in.readByte();
        }
        byte[] raw = in.readNBytes(n * d);
        x = new float[n * d];
        for (int i = 0; i < raw.length; i++) {
          x[i] = (raw[i] & 0xff) / 255f;
        }
      }
      String name = String.format(Locale.ROOT, "probs-%s-%02d.bin.gz", model, ratePercent);
      try (DataInputStream in = open(dir.resolve(name))) {
        int n = in.readInt();
        int c = in.readInt();
        int[] noisy = new int[n];
        for (int i = 0; i < n; i++) {
          noisy[i] = in.readByte();
        }
        float[] p = new float[n * c];
        for (int i = 0; i < p.length; i++) {
          p[i] = in.readFloat();
        }
        return new Fixture(truth, x, d, noisy, p, c);
      }
    }

    /** The predictions with the noisy labels, and the features as embeddings. */
    ClassificationPredictions predictions() {
      List<String> ids = new ArrayList<>();
      List<String> classes = new ArrayList<>();
      for (int i = 0; i < noisy.length; i++) {
        ids.add("fm-" + i);
      }
      for (int k = 0; k < c; k++) {
        classes.add(Integer.toString(k));
      }
      return ClassificationPredictions.of(ids, noisy, probs, classes)
          .withEmbeddings(features, dim);
    }

    /** Precision, recall, F1 and the number flagged of {@code issues} against the true flips. */
    double[] score(LabelIssues issues) {
      long flips = 0;
      for (int i = 0; i < noisy.length; i++) {
        flips += noisy[i] != truth[i] ? 1 : 0;
      }
      long hit = issues.issues().stream().filter(li -> noisy[li.index()] != truth[li.index()])
          .count();
      double p = issues.size() == 0 ? 0 : (double) hit / issues.size();
      double r = (double) hit / flips;
      return new double[] {p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), issues.size(),
          (double) flips / noisy.length};
    }
  }

  private static DataInputStream open(Path f) throws IOException {
    InputStream in = Files.newInputStream(f);
    return new DataInputStream(new GZIPInputStream(in, 1 << 16));
  }

  /** Arguments: the directory of the fixture files, then optionally settings such as cnn:10. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/labelnoise");
    List<String> only = List.of(args).subList(Math.min(1, args.length), args.length);
    for (String model : List.of("logreg", "cnn")) {
      for (int rate : new int[] {10, 20}) {
        if (!Files.exists(dir.resolve(String.format(Locale.ROOT, "probs-%s-%02d.bin.gz", model,
            rate))) || !only.isEmpty() && !only.contains(model + ":" + rate)) {
          continue;
        }
        Fixture f = Fixture.read(dir, model, rate);
        ClassificationPredictions p = f.predictions();
        for (LabelIssues.Method m : LabelIssues.Method.values()) {
          long t0 = System.nanoTime();
          LabelIssues issues = LabelIssues.find(p, m);
          double[] s = f.score(issues);
          System.out.printf(Locale.ROOT, "{\"model\": \"%s\", \"rate\": %d, \"method\": \"%s\", "
                  + "\"precision\": %.4f, \"recall\": %.4f, \"f1\": %.4f, \"flagged\": %d, "
                  + "\"estimated_noise\": %.4f, \"true_noise\": %.4f, \"model_weight\": %s, "
                  + "\"neighbours\": %d, \"seconds\": %.1f}%n",
              model, rate, m.label(), s[0], s[1], s[2], (int) s[3], issues.estimatedNoiseRate(),
              s[4], Double.isNaN(issues.modelWeight()) ? "null"
                  : String.format(Locale.ROOT, "%.4f", issues.modelWeight()),
              issues.neighbours(), (System.nanoTime() - t0) / 1e9);
        }
      }
    }
  }
}
