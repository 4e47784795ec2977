package dev.groundwork.core.compare;

import dev.groundwork.core.compare.Approach.Difficulty;
import dev.groundwork.core.compare.Approach.ReportedFigure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The approach catalog: for each task Groundwork supports, a few well-known approaches summarised
 * in the project's own words (step 1 of the loop, the literature survey).
 *
 * <p>{@code ApproachCatalog.forTask(Task.IMAGE_CLASSIFICATION)} lists the image classifiers;
 * {@code ApproachCatalog.find("resnet")} finds one by id; {@code ApproachCatalog.table()} prints
 * them all. Every reported figure names where it was published (paper and table, or the official
 * model card); figures that could not be checked against such a source are left out rather than
 * quoted from memory. {@code implementedBy} names a class (and method, after {@code #}) of a
 * Groundwork module; empty means "not yet".
 *
 * <p>The baselines ({@code majority}, {@code logistic-regression}, {@code tfidf-logistic}) are in
 * the catalog too, so that a scorecard can name them; they carry no reported figure.
 */
public final class ApproachCatalog {

  private static final String TORCHVISION = "torchvision model documentation (pretrained weights "
      + "table), pytorch.org/vision";
  private static final String FASHION_MNIST_README = "zalandoresearch/fashion-mnist README, "
      + "Benchmark table (submitted results, not re-run by the maintainers)";

  private static final List<Approach> ALL = List.of(
      // ---------------------------------------------------------------- image classification
      new Approach("majority", Task.IMAGE_CLASSIFICATION, "Majority class",
          "Always answers the class that is most frequent in the training set. It is the floor "
              + "any model must clear: its accuracy is that class's share of the test set, and "
              + "it works unchanged for text or any other input.",
          List.of(), Optional.of("0 (one class index)"), "Nothing to compute at prediction time.",
          "Exposing a metric or a split that rewards class imbalance; a sanity line in every "
              + "scorecard.",
          "Learns nothing from the input.", Difficulty.LOW,
          Optional.of("dev.groundwork.core.baseline.MajorityClass#train")),
      new Approach("logistic-regression", Task.IMAGE_CLASSIFICATION,
          "Logistic (softmax) regression on pixels",
          "One linear map from the flattened pixels to a score per class, trained with cross "
              + "entropy. It sees each pixel independently, so it can only learn where, on "
              + "average, each class is bright or dark.",
          List.of(), Optional.of("(pixels + 1) × classes, e.g. 7,850 for 28×28 and 10 classes"),
          "One matrix product per image; trains in seconds on a CPU.",
          "A strong, honest baseline for small centred images; fast and easy to inspect (the "
              + "weights are images).",
          "No notion of shape or translation; plateaus well below a CNN once classes differ by "
              + "local patterns.",
          Difficulty.LOW, Optional.of("dev.groundwork.core.baseline.SoftmaxRegression#train")),
      new Approach("mlp", Task.IMAGE_CLASSIFICATION, "Multilayer perceptron",
          "Flattens the image and passes it through one or more fully connected layers with "
              + "ReLU before the class scores. Hidden layers let it combine pixels non-linearly, "
              + "but every pixel position still has its own weights.",
          List.of(new ReportedFigure("test accuracy (MLP 256-128-64)", 90.0, "%",
              "Fashion-MNIST test", FASHION_MNIST_README)),
          Optional.of("203,530 for Groundwork's mlp (784-256-10)"),
          "Dense matrix products only: about one multiply-add per parameter per image.",
          "Small inputs of fixed size; quick to train; a good overfit-check subject.",
          "Parameter count grows with image size; no translation invariance; overfits sooner "
              + "than a CNN of the same accuracy.",
          Difficulty.LOW, Optional.of("dev.groundwork.djl.DjlModels#mlp")),
      new Approach("small-cnn", Task.IMAGE_CLASSIFICATION, "Small CNN (two conv stages)",
          "Two stages of 3×3 convolution, ReLU and max-pooling extract local patterns that are "
              + "shared across positions, then a small dense layer classifies them. The "
              + "textbook first convolutional model.",
          List.of(new ReportedFigure("test accuracy (2 conv layers with max pooling, "
              + "TensorFlow tutorial model, >300 epochs)", 91.6, "%", "Fashion-MNIST test",
              FASHION_MNIST_README)),
          Optional.of("421,546 for Groundwork's small-cnn at 28×28 (most in the dense layer)"),
          "Convolutions over a 28×28 image plus one dense layer; see docs/runtime.md for its "
              + "measured batch-1 latency.",
          "Small images with local structure; robust to small shifts; cheap at inference.",
          "Shallow: limited on larger or more varied images; the dense layer ties it to one input "
              + "size.",
          Difficulty.LOW, Optional.of("dev.groundwork.djl.DjlModels#smallCnn")),
      new Approach("resnet", Task.IMAGE_CLASSIFICATION, "ResNet (residual CNN)",
          "Stacks convolution blocks whose output is added to their input, so each block learns "
              + "a correction to the identity. The shortcut keeps gradients flowing, which is "
              + "what made networks of 18 to 152 layers trainable. Groundwork's builder is a "
              + "small ResNet-style network (a stem and three residual units), not ResNet-18 "
              + "itself.",
          List.of(
              new ReportedFigure("top-1 accuracy, ResNet-18 (IMAGENET1K_V1 weights)", 69.758,
                  "%", "ImageNet-1k val", TORCHVISION),
              new ReportedFigure("top-1 error, ResNet-18, 10-crop", 27.88, "%",
                  "ImageNet-1k val",
                  "He et al. 2016, Deep Residual Learning for Image Recognition, Table 2"),
              new ReportedFigure("test accuracy, ResNet18 with augmentation", 94.9, "%",
                  "Fashion-MNIST test", FASHION_MNIST_README)),
          Optional.of("11.7M (ResNet-18); 309,418 for Groundwork's resnet-s at 28×28 and 10 classes"),
          "1.81 GFLOPs per 224×224 image for ResNet-18 (torchvision).",
          "The default backbone: trains reliably, transfers well, many pretrained weights.",
          "Heavier than needed for tiny images; batch norm makes batch-1 training and "
              + "train/eval differences a source of bugs.",
          Difficulty.MEDIUM, Optional.of("dev.groundwork.djl.DjlModels#resnet")),
      new Approach("mobilenet-v2", Task.IMAGE_CLASSIFICATION,
          "MobileNetV2 (pretrained, frozen backbone)",
          "A CNN built from inverted residual blocks: a cheap 1×1 expansion, a depthwise 3×3 "
              + "convolution and a linear 1×1 projection. Pretrained on ImageNet, it is used "
              + "frozen as a feature extractor with a small head trained on the user's classes.",
          List.of(new ReportedFigure("top-1 accuracy (IMAGENET1K_V1 weights)", 71.878, "%",
              "ImageNet-1k val", TORCHVISION)),
          Optional.of("3.5M"), "0.30 GFLOPs per 224×224 image (torchvision).",
          "Good accuracy per FLOP; with a frozen backbone only the head trains, so it needs "
              + "little data and little compute.",
          "Expects 224×224 RGB: small grey images must be resized and replicated; a frozen "
              + "backbone cannot adapt to a domain far from ImageNet.",
          Difficulty.MEDIUM,
          Optional.of("dev.groundwork.onnx.FrozenBackboneClassifier#create")),
      // ----------------------------------------------------------------- text classification
      new Approach("tfidf-logistic", Task.TEXT_CLASSIFICATION,
          "TF-IDF bag of words + logistic regression",
          "Counts each word of the vocabulary in a text, down-weights words common to many "
              + "texts (inverse document frequency) and feeds the normalised vector to a linear "
              + "softmax classifier. Word order is ignored.",
          List.of(), Optional.of("vocabulary × classes"),
          "A sparse dot product per text; trains in seconds on a CPU.",
          "Topic-like labels decided by which words occur; tiny, fast, and explainable by its "
              + "weights.",
          "No word order, negation or synonyms; words unseen in training count for nothing.",
          Difficulty.LOW, Optional.of("dev.groundwork.core.baseline.BagOfWords#train")),
      new Approach("fasttext", Task.TEXT_CLASSIFICATION, "fastText",
          "Averages learned embeddings of the words (and word bigrams) of a text and classifies "
              + "the average with a linear layer; a hashed bigram table keeps memory bounded. "
              + "Essentially a bag of n-grams with a low-rank classifier.",
          List.of(new ReportedFigure("test accuracy (h=10, bigrams)", 92.5, "%", "AG News test",
              "Joulin et al. 2017, Bag of Tricks for Efficient Text Classification, Table 1")),
          Optional.of("(vocabulary + hash buckets) × embedding dimension"),
          "Linear in text length; the authors train on a billion words in minutes on a CPU.",
          "Very large datasets and label sets at CPU speed; strong for topic classification.",
          "Little beyond local n-grams: weak on sentiment that depends on structure.",
          Difficulty.LOW, Optional.empty()),
      new Approach("text-cnn", Task.TEXT_CLASSIFICATION, "CNN for sentences (Kim)",
          "Convolves filters a few words wide over pretrained word vectors, max-pools each filter "
              + "over the sentence and classifies the pooled features; the multichannel variant "
              + "keeps one static and one fine-tuned copy of the embeddings.",
          List.of(new ReportedFigure("accuracy (CNN-multichannel)", 88.1, "%",
              "SST-2 (binary)",
              "Kim 2014, Convolutional Neural Networks for Sentence Classification, results "
                  + "table")),
          Optional.of("embeddings (vocabulary × 300) plus the filters"),
          "Linear in sentence length; cheap on a CPU.",
          "Short texts where a few key phrases decide the label.",
          "Needs pretrained word vectors; fixed receptive field misses long-range structure.",
          Difficulty.MEDIUM, Optional.empty()),
      new Approach("minilm-frozen", Task.TEXT_CLASSIFICATION,
          "Frozen sentence encoder (all-MiniLM-L6-v2) + head",
          "A 6-layer transformer distilled and trained contrastively to map a text to one "
              + "384-dimensional vector; it stays frozen and a small head learns the classes "
              + "from the vectors. Texts are truncated (128 word pieces in Groundwork's export).",
          List.of(new ReportedFigure("average over 14 sentence-embedding tasks", 68.06, "score",
              "sentence-transformers benchmark",
              "sentence-transformers pretrained models table (sbert.net), all-MiniLM-L6-v2")),
          Optional.of("80 MB model (sbert.net)"),
          "Quadratic in the number of word pieces up to the truncation length; sbert.net lists "
              + "14,200 sentences/s on its benchmark hardware (5× all-mpnet-base-v2).",
          "Small labelled sets: the encoder brings meaning, the head trains in seconds.",
          "Frozen: cannot learn task-specific cues the encoder ignores; long texts are cut.",
          Difficulty.MEDIUM,
          Optional.of("dev.groundwork.onnx.FrozenBackboneClassifier#create")),
      new Approach("distilbert", Task.TEXT_CLASSIFICATION, "DistilBERT, fine-tuned",
          "A 6-layer BERT trained to imitate the 12-layer BERT-base (distillation during "
              + "pre-training), then fine-tuned end to end with a classification layer on the "
              + "first token.",
          List.of(new ReportedFigure("accuracy", 91.3, "%", "SST-2 dev",
              "Sanh et al. 2019, DistilBERT, a distilled version of BERT, Table 1")),
          Optional.of("66M"), "About 60 % faster than BERT-base at inference (authors).",
          "Most of BERT's accuracy at about half its cost; handles word order and context.",
          "Fine-tuning needs a GPU for reasonable times; 512-token limit; unstable on very "
              + "small datasets.",
          Difficulty.HIGH, Optional.empty()),
      new Approach("bert", Task.TEXT_CLASSIFICATION, "BERT, fine-tuned",
          "A bidirectional transformer pre-trained by predicting masked words, then fine-tuned "
              + "with one added output layer for the task.",
          List.of(new ReportedFigure("GLUE score (BERT-Large)", 80.5, "score", "GLUE test",
              "Devlin et al. 2019, BERT: Pre-training of Deep Bidirectional Transformers, "
                  + "abstract and Table 1")),
          Optional.of("110M (base), 340M (large)"),
          "Quadratic in sequence length; batch-1 latency on a CPU in the tens of milliseconds "
              + "for base.",
          "Sentence-level understanding, pairs of sentences, subtle labels.",
          "Heavy for CPU serving; fine-tuning is sensitive to seeds and learning rate.",
          Difficulty.HIGH, Optional.empty()),
      // --------------------------------------------------------------------- object detection
      new Approach("faster-rcnn", Task.OBJECT_DETECTION, "Faster R-CNN (ResNet-50 FPN)",
          "Two stages: a region proposal network scores anchor boxes on a feature pyramid, then "
              + "the best proposals are pooled and classified with refined boxes. Non-maximum "
              + "suppression removes duplicates.",
          List.of(new ReportedFigure("box AP", 37.0, "AP", "COCO val2017", TORCHVISION)),
          Optional.empty(), "A ResNet-50 FPN backbone at ≈ 800 px plus a second stage per "
              + "proposal: the heaviest detector here.",
          "Accurate boxes, including small objects; the reference design.",
          "Slow on a CPU; anchors, sampling and two losses make it hard to debug.",
          Difficulty.HIGH, Optional.of("dev.groundwork.onnx.OnnxDetector")),
      new Approach("ssd", Task.OBJECT_DETECTION, "SSD300 (VGG16)",
          "One stage: default boxes of several sizes on several feature maps are classified and "
              + "regressed in a single forward pass, followed by non-maximum suppression.",
          List.of(new ReportedFigure("box AP", 25.1, "AP", "COCO val2017", TORCHVISION)),
          Optional.empty(), "One pass at 300×300 with a VGG16 backbone.",
          "Fast and simple to deploy at a fixed input size.",
          "Weak on small objects at 300×300.", Difficulty.HIGH,
          Optional.of("dev.groundwork.onnx.OnnxDetector")),
      new Approach("retinanet", Task.OBJECT_DETECTION, "RetinaNet (ResNet-50 FPN)",
          "One stage on a feature pyramid, trained with the focal loss, which down-weights the "
              + "many easy background anchors so that the rare objects drive learning.",
          List.of(new ReportedFigure("box AP", 36.4, "AP", "COCO val2017", TORCHVISION)),
          Optional.empty(), "Similar backbone cost to Faster R-CNN; no second stage.",
          "Two-stage accuracy in one stage; handles class imbalance.",
          "Dense heads are heavy at high resolution; slow on a CPU.", Difficulty.HIGH,
          Optional.of("dev.groundwork.onnx.OnnxDetector")),
      new Approach("yolov8", Task.OBJECT_DETECTION, "YOLOv8 (nano)",
          "A single-stage, anchor-free detector: a CSP-style backbone and neck predict, at three "
              + "scales, a box and class scores per cell; non-maximum suppression follows.",
          List.of(new ReportedFigure("mAP 50-95 (YOLOv8n, 640 px)", 37.3, "AP", "COCO val2017",
              "Ultralytics documentation, Detect task, pretrained models table")),
          Optional.of("3.2M"), "8.7 GFLOPs at 640 px; 80.4 ms per image on a CPU with ONNX "
              + "Runtime (Ultralytics).",
          "The best accuracy per CPU millisecond here; scales from nano to x-large.",
          "Its ONNX export leaves non-maximum suppression outside the graph, so raw outputs "
              + "need decoding; AGPL licence.",
          Difficulty.MEDIUM, Optional.empty()),
      new Approach("detr", Task.OBJECT_DETECTION, "DETR (ResNet-50)",
          "A CNN backbone feeds a transformer encoder–decoder whose 100 learned queries each "
              + "predict one box or 'no object'; training matches predictions to ground truth "
              + "one-to-one (Hungarian matching), so no anchors and no non-maximum suppression.",
          List.of(new ReportedFigure("box AP", 42.0, "AP", "COCO val2017",
              "Carion et al. 2020, End-to-End Object Detection with Transformers, Table 1; "
                  + "facebookresearch/detr README")),
          Optional.of("about the same as Faster R-CNN R50-FPN (authors' README)"),
          "About half the FLOPs of Faster R-CNN R50-FPN (authors' README).",
          "Simple pipeline and export (boxes come out final); good on large objects.",
          "Very long training (hundreds of epochs); weaker on small objects.",
          Difficulty.HIGH, Optional.of("dev.groundwork.onnx.OnnxDetector")),
      // ----------------------------------------------------------------------------- keypoints
      new Approach("keypoint-rcnn", Task.KEYPOINTS, "Keypoint R-CNN (Mask R-CNN keypoint head)",
          "Faster R-CNN with an extra head that predicts, for each detected person, one heatmap "
              + "per keypoint inside the box; top-down detection and pose in one network.",
          List.of(new ReportedFigure("keypoint AP", 65.0, "AP", "COCO val2017", TORCHVISION)),
          Optional.empty(), "Faster R-CNN's cost plus the keypoint head.",
          "Detection and keypoints from one model; robust in crowds.",
          "Small per-box heatmaps limit precision; slow on a CPU.",
          Difficulty.HIGH, Optional.empty()),
      new Approach("simple-baselines", Task.KEYPOINTS, "SimpleBaseline (ResNet + deconvolutions)",
          "Top-down: a person detector crops each person; a ResNet followed by three transposed "
              + "convolutions outputs one heatmap per keypoint, whose peak is the prediction.",
          List.of(new ReportedFigure("AP (ResNet-50, 256×192)", 70.4, "AP", "COCO val2017",
              "Xiao et al. 2018 results as tabulated in the official HRNet repository "
                  + "(leoxiaobin/deep-high-resolution-net.pytorch README)")),
          Optional.of("34.0M (ResNet-50, 256×192)"), "8.9 GFLOPs per person crop at 256×192.",
          "Easy to implement and train; a strong reference for new ideas.",
          "Cost grows with the number of people (one pass per crop); depends on the detector.",
          Difficulty.MEDIUM, Optional.empty()),
      new Approach("hrnet", Task.KEYPOINTS, "HRNet",
          "Keeps a high-resolution branch through the whole network and adds lower-resolution "
              + "branches in parallel, exchanging information between them repeatedly, so "
              + "heatmaps are both precise and semantically strong.",
          List.of(new ReportedFigure("AP (HRNet-W32, 256×192)", 74.4, "AP", "COCO val2017",
              "Sun et al. 2019, Deep High-Resolution Representation Learning for Human Pose "
                  + "Estimation; official repository README (COCO val2017 table)")),
          Optional.of("28.5M (W32)"), "7.1 GFLOPs per person crop at 256×192.",
          "High keypoint precision at moderate cost; widely used backbone for pose.",
          "Top-down like SimpleBaseline (needs a detector); the multi-branch design is complex.",
          Difficulty.HIGH, Optional.empty()),
      new Approach("yolov8-pose", Task.KEYPOINTS, "YOLOv8-pose (nano)",
          "The YOLOv8 detector with a head that also regresses the 17 keypoints of each "
              + "detected person: one pass for all people, no crops and no heatmaps.",
          List.of(new ReportedFigure("mAP-pose 50-95 (YOLOv8n-pose, 640 px)", 50.4, "AP",
              "COCO val2017", "Ultralytics documentation, Pose task, pretrained models table")),
          Optional.of("3.3M"), "9.2 GFLOPs at 640 px; 131.8 ms per image on a CPU with ONNX "
              + "Runtime (Ultralytics).",
          "Cost independent of the number of people; fast on a CPU.",
          "Less precise than heatmap methods at small scales; raw export needs decoding and "
              + "non-maximum suppression; AGPL licence.",
          Difficulty.MEDIUM, Optional.empty()));

  private ApproachCatalog() {}

  /** Every approach in the catalog. */
  public static List<Approach> all() {
    return ALL;
  }

  /** The approaches for one task, in the catalog's order. */
  public static List<Approach> forTask(Task task) {
    return ALL.stream().filter(a -> a.task() == task).toList();
  }

  /** The approach with this id, if the catalog has it. */
  public static Optional<Approach> find(String id) {
    return ALL.stream().filter(a -> a.id().equals(id)).findFirst();
  }

  /**
   * A compact text table of every approach: id, difficulty, the first reported figure (value
   * and benchmark) and the implementing builder.
   */
  public static String table() {
    StringBuilder sb = new StringBuilder("ApproachCatalog  " + ALL.size() + " approaches\n");
    for (Task t : Task.values()) {
      sb.append("  ").append(title(t)).append('\n');
      for (Approach a : forTask(t)) {
        sb.append(String.format(Locale.ROOT, "    %-19s %-6s %-36s %s%n", a.id(),
            a.difficulty().name().toLowerCase(Locale.ROOT), a.reported().isEmpty()
                ? "baseline" : shortFigure(a.reported().get(0)),
            a.implementedBy().orElse("not yet")));
      }
    }
    return sb.toString().stripTrailing();
  }

  /** The catalog as the Markdown page {@code docs/catalog.md}. */
  public static String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Approach catalog\n\n");
    sb.append("Step 1 of the loop: before training anything, line up a few well-known "
        + "approaches for the task and know what their authors reported, what they cost and "
        + "how hard they are to get right. `ApproachCatalog` (core, package "
        + "`dev.groundwork.core.compare`) holds them; the scorecard prints an approach's "
        + "reported figures beside what was measured on your data and machine.\n\n");
    sb.append("This page is rendered from the catalog by `ApproachCatalog.markdown()`; a test "
        + "fails when the two differ. Reported figures come from the named paper table or "
        + "official model documentation and were checked against it; a figure that could not "
        + "be checked is left out. They were measured on the authors' benchmarks and hardware, "
        + "not on yours. \"Implemented by\" names the Groundwork class (and method) that builds "
        + "the approach; \"not yet\" means none does.\n\n");
    sb.append("```java\nApproachCatalog.forTask(Task.TEXT_CLASSIFICATION);\n"
        + "ApproachCatalog.find(\"resnet\").orElseThrow().reported();\n"
        + "System.out.println(ApproachCatalog.table());\n```\n");
    for (Task t : Task.values()) {
      sb.append("\n## ").append(title(t)).append("\n\n");
      sb.append("| id | approach | parameters | reported | difficulty | implemented by |\n");
      sb.append("|---|---|---|---|---|---|\n");
      for (Approach a : forTask(t)) {
        sb.append("| `").append(a.id()).append("` | ").append(a.name()).append(" | ")
            .append(a.parameters().orElse("—")).append(" | ")
            .append(a.reported().isEmpty() ? "baseline"
                : a.reported().stream().map(ApproachCatalog::figure)
                    .collect(Collectors.joining("; ")))
            .append(" | ").append(a.difficulty().name().toLowerCase(Locale.ROOT)).append(" | ")
            .append(a.implementedBy().map(s -> "`" + s + "`").orElse("not yet")).append(" |\n");
      }
      for (Approach a : forTask(t)) {
        sb.append("\n### ").append(a.name()).append(" (`").append(a.id()).append("`)\n\n");
        sb.append(a.idea()).append("\n\n");
        for (ReportedFigure f : a.reported()) {
          sb.append("- Reported: ").append(figure(f)).append(" — ").append(f.source())
              .append('\n');
        }
        sb.append("- Parameters: ").append(a.parameters().orElse("—")).append('\n');
        sb.append("- Cost: ").append(a.cost()).append('\n');
        sb.append("- Good at: ").append(a.goodAt()).append('\n');
        sb.append("- Bad at: ").append(a.badAt()).append('\n');
        sb.append("- Difficulty: ").append(a.difficulty().name().toLowerCase(Locale.ROOT))
            .append('\n');
        sb.append("- Implemented by: ")
            .append(a.implementedBy().map(s -> "`" + s + "`").orElse("not yet")).append('\n');
      }
    }
    return sb.toString();
  }

  /** {@code 69.758 % ImageNet-1k val}. */
  static String shortFigure(ReportedFigure f) {
    return value(f) + (f.unit().equals("%") ? " % " : " " + f.unit() + " ") + f.benchmark();
  }

  private static String value(ReportedFigure f) {
    return f.value() == Math.rint(f.value()) ? String.format(Locale.ROOT, "%.1f", f.value())
        : String.valueOf(f.value());
  }

  /** {@code top-1 accuracy 69.758 % (ImageNet-1k val)}. */
  static String figure(ReportedFigure f) {
    return f.metric() + " " + value(f) + (f.unit().equals("%") ? " %" : " " + f.unit()) + " ("
        + f.benchmark() + ")";
  }

  private static String title(Task t) {
    String s = t.name().replace('_', ' ').toLowerCase(Locale.ROOT);
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** The ids of every approach, in catalog order. */
  public static List<String> ids() {
    List<String> out = new ArrayList<>();
    ALL.forEach(a -> out.add(a.id()));
    return List.copyOf(out);
  }
}
