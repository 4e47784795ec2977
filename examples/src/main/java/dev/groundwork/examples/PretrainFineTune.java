package dev.groundwork.examples;

import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.FineTune;
import dev.groundwork.core.train.FineTuneResult;
import dev.groundwork.core.train.Fit;
import dev.groundwork.core.train.FitResult;
import dev.groundwork.core.weights.Pretrained;
import dev.groundwork.djl.DjlModels;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pretrain on public data, fine-tune on ours: the small CNN pretrained on Fashion-MNIST classes
 * 0–4 ("the public data": tops, trousers, dresses, coats), then fine-tuned on classes 5–9 (sandals,
 * shirts, sneakers, bags, ankle boots) with 20 examples per class ("our data"), against training
 * from scratch on the same 100 examples with the same budget (epochs, batch, learning rate), over
 * several seeds, tested on every test image of classes 5–9.
 *
 * <p>Two transfers are compared: the convolutions only ({@code backbone_conv}, the recipe), and
 * the whole backbone including the fully-connected layer ({@code backbone}), which the
 * measurements show hurts when the new classes look unlike the old (docs/scale.md).
 *
 * <p>Run on the full set (Debian's {@code dataset-fashion-mnist}, else the embedded subset):
 * {@code mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.PretrainFineTune}
 */
public final class PretrainFineTune {

  /** Examples per class of "our data". */
  public static final int PER_CLASS = 20;
  /** Epochs with the transferred layers frozen. */
  public static final int HEAD_EPOCHS = 2;
  /** Epochs of the full step; scratch training gets {@code HEAD_EPOCHS + FULL_EPOCHS}. */
  public static final int FULL_EPOCHS = 8;
  /** The transferred layers' learning rate as a fraction of the new layers' in the full step. */
  public static final double BACKBONE_FACTOR = 0.1;
  /** What transfers in the recipe: the convolutions. */
  public static final String TRANSFER = "backbone_conv";

  /** One seed's test accuracies: conv transfer, whole-backbone transfer, scratch. */
  public record Row(long seed, double pretrained, double wholeBackbone, double scratch) {}

  /** The pretraining run, the per-seed rows and their summary. */
  public record Result(FitResult pretraining, FineTuneResult firstFineTune, List<Row> rows,
      int publicImages, int ourImages, int testImages) {

    /** Mean of a column: 0 conv transfer, 1 whole backbone, 2 scratch. */
    public double mean(int column) {
      return rows.stream().mapToDouble(r -> value(r, column)).average().orElse(Double.NaN);
    }

    /** Sample standard deviation of a column. */
    public double sd(int column) {
      double m = mean(column);
      double ss = rows.stream().mapToDouble(r -> value(r, column)).map(v -> (v - m) * (v - m))
          .sum();
      return Math.sqrt(ss / Math.max(1, rows.size() - 1));
    }

    /** Seeds on which the conv transfer beat scratch. */
    public long wins() {
      return rows.stream().filter(r -> r.pretrained() > r.scratch()).count();
    }

    private static double value(Row r, int column) {
      return column == 0 ? r.pretrained() : column == 1 ? r.wholeBackbone() : r.scratch();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "pretrained on %,d public images (classes 0–4), "
          + "fine-tuned on %d of ours (classes 5–9), tested on %,d%n", publicImages, ourImages,
          testImages));
      sb.append(String.format(Locale.ROOT, "  %-6s %16s %16s %16s%n", "seed", "conv transfer",
          "whole backbone", "scratch"));
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "  %-6d %15.1f%% %15.1f%% %15.1f%%%n", r.seed(),
            100 * r.pretrained(), 100 * r.wholeBackbone(), 100 * r.scratch()));
      }
      sb.append(String.format(Locale.ROOT, "  %-6s %9.1f ± %.1f%% %9.1f ± %.1f%% %9.1f ± %.1f%%"
          + "%n  conv transfer beat scratch on %d of %d seeds", "mean", 100 * mean(0),
          100 * sd(0), 100 * mean(1), 100 * sd(1), 100 * mean(2), 100 * sd(2), wins(),
          rows.size()));
      return sb.toString();
    }
  }

  private PretrainFineTune() {}

  /**
   * Runs the recipe.
   *
   * @param data Fashion-MNIST (full or the embedded subset)
   * @param seeds how many seeds (1, 2, …)
   * @param pretrainEpochs epochs of pretraining on the public classes
   * @param work a directory for the pretrained weights
   * @param out where progress goes
   */
  public static Result run(Split data, int seeds, int pretrainEpochs, Path work, PrintStream out) {
    List<String> classes = data.spec().classes();
    Dataset publicTrain = data.train().restrictClasses(classes.subList(0, 5));
    Dataset ours = data.train().restrictClasses(classes.subList(5, 10));
    Dataset oursTest = data.test().restrictClasses(classes.subList(5, 10));
    TrainConfig config = TrainConfig.builder().batchSize(64).seed(1).build();
    FitResult pretraining;
    Pretrained weights;
    try (TrainableModel cnn = DjlModels.smallCnn(publicTrain.spec(), config)) {
      pretraining = Fit.of(cnn).on(publicTrain).epochs(pretrainEpochs)
          .progress(Fit.Progress.LINES, out).run();
      weights = Pretrained.save(cnn, work.resolve("public-small-cnn.safetensors"));
    }
    out.println(pretraining);
    List<Row> rows = new ArrayList<>();
    FineTuneResult first = null;
    for (long seed = 1; seed <= seeds; seed++) {
      Dataset few = ours.stratifiedSample(5 * PER_CLASS, seed);
      TrainConfig small = TrainConfig.builder().batchSize(20).seed(seed).build();
      double[] transfer = new double[2];
      for (int t = 0; t < 2; t++) {
        try (TrainableModel cnn = DjlModels.smallCnn(ours.spec(), small)) {
          FineTuneResult r = FineTune.of(cnn).from(weights).backbone(t == 0 ? TRANSFER
              : "backbone").on(few).headEpochs(HEAD_EPOCHS).fullEpochs(FULL_EPOCHS)
              .backboneFactor(BACKBONE_FACTOR).progress(Fit.Progress.OFF, out).run();
          first = first == null ? r : first;
          transfer[t] = cnn.predict(oursTest, 500).accuracy(oursTest.labels());
        }
      }
      double scratch;
      try (TrainableModel cnn = DjlModels.smallCnn(ours.spec(), small)) {
        Fit.of(cnn).on(few).epochs(HEAD_EPOCHS + FULL_EPOCHS).quiet().run();
        scratch = cnn.predict(oursTest, 500).accuracy(oursTest.labels());
      }
      rows.add(new Row(seed, transfer[0], transfer[1], scratch));
      out.printf(Locale.ROOT, "  seed %d: conv transfer %.1f%%, whole backbone %.1f%%, scratch "
          + "%.1f%%%n", seed, 100 * transfer[0], 100 * transfer[1], 100 * scratch);
    }
    return new Result(pretraining, first, rows, publicTrain.size(), 5 * PER_CLASS,
        oursTest.size());
  }

  /**
   * Runs on the full Fashion-MNIST if installed (5 seeds, 3 pretraining epochs); {@code subset}
   * as the first argument runs on the embedded subset.
   */
  public static void main(String[] args) throws Exception {
    Split data = args.length > 0 && args[0].equals("subset") ? Datasets.fashionMnistSubset()
        : Datasets.fashionMnist();
    Path work = Files.createTempDirectory("groundwork-pretrain");
    Result r = run(data, 5, 3, work, System.out);
    System.out.println();
    System.out.println(r.firstFineTune());
    System.out.println();
    System.out.println(r);
    dev.groundwork.examples.results.Results results = dev.groundwork.examples.results.Results
        .start(args.length > 0 && args[0].equals("subset") ? "pretrain-fine-tune-subset"
            : "pretrain-fine-tune", args)
        .version("dataset", data.train().name() + " " + data.train().fingerprint().shortHex())
        .put("seeds", r.rows().size(), "").put("wins", r.wins(), "")
        .put("public_images", r.publicImages(), "").put("our_images", r.ourImages(), "")
        .put("test_images", r.testImages(), "");
    String[] columns = {"conv_transfer", "whole_backbone", "scratch"};
    for (int c = 0; c < 3; c++) {
      results.put(columns[c] + "_mean_pct", 100 * r.mean(c), "%")
          .put(columns[c] + "_sd_pct", 100 * r.sd(c), "%");
    }
    double[] gains = r.rows().stream().mapToDouble(x -> 100 * (x.pretrained() - x.scratch()))
        .sorted().toArray();
    results.put("gain_min_points", gains[0], "points")
        .put("gain_max_points", gains[gains.length - 1], "points")
        .put("gain_mean_points", 100 * (r.mean(0) - r.mean(2)), "points").write();
  }
}
