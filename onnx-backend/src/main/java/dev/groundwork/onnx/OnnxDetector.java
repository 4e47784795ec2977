package dev.groundwork.onnx;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.model.Detection;
import dev.groundwork.core.model.Detections;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A pretrained ONNX detector: a batch goes to the mapped input, the boxes/scores/labels outputs
 * named by a {@link DetectionLayout} come back as {@link Detections}, highest score first.
 *
 * <pre>{@code
 * OnnxDetector d = OnnxModels.load(path).detector(DetectionLayout.of("boxes", "scores", "labels"),
 *     OnnxOptions.defaults());
 * Detections found = d.detect(batch);
 * }</pre>
 */
public final class OnnxDetector implements AutoCloseable {

  private final OnnxModel model;
  private final DetectionLayout layout;
  private final InputPlan plan;
  private final Set<String> outputs;

  OnnxDetector(OnnxModel model, DetectionLayout layout, OnnxOptions options) {
    this.model = model;
    try {
      this.layout = Objects.requireNonNull(layout, "layout");
      this.plan = InputPlan.resolve(model, Objects.requireNonNull(options, "options"));
      Set<String> names = new LinkedHashSet<>();
      names.add(layout.boxes());
      names.add(layout.scores());
      layout.labels().ifPresent(names::add);
      for (String n : names) {
        if (model.output(n).isEmpty()) {
          throw new OnnxInputException(model.name(), "model " + model.name() + " has no output '"
              + n + "' named in the detection layout; its outputs are "
              + InputPlan.names(model.outputs()));
        }
      }
      this.outputs = Set.copyOf(names);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The model's name. */
  public String name() {
    return model.name();
  }

  /** The layout the outputs are read with. */
  public DetectionLayout layout() {
    return layout;
  }

  /**
   * The objects found in each example of a batch.
   *
   * @throws OnnxInputException if the outputs' shapes do not fit the layout
   */
  public Detections detect(Batch batch) {
    OnnxModel.Outputs out = model.run(plan, batch, outputs);
    int n = batch.size();
    OnnxModel.OutputArray boxes = out.get(layout.boxes());
    OnnxModel.OutputArray scores = out.get(layout.scores());
    OnnxModel.OutputArray labels = layout.labels().map(out::get).orElse(null);
    long[] bs = boxes.shape();
    int k;
    if (bs.length == 3 && bs[0] == n && bs[2] == 4) {
      k = (int) bs[1];
    } else if (bs.length == 2 && n == 1 && bs[1] == 4) {
      k = (int) bs[0];
    } else {
      throw shape(boxes, "[" + n + ", K, 4]");
    }
    int classes = 0;
    long perRow = scores.values().length / Math.max(1, n);
    if (labels != null) {
      if (scores.values().length != (long) n * k) {
        throw shape(scores, "[" + n + ", " + k + "]");
      }
      if (labels.values().length != (long) n * k) {
        throw shape(labels, "[" + n + ", " + k + "]");
      }
    } else {
      if (k == 0 ? perRow != 0 : scores.values().length % ((long) n * k) != 0) {
        throw shape(scores, "[" + n + ", " + k + ", classes]");
      }
      classes = k == 0 ? 1 : (int) (perRow / k);
    }
    List<List<Detection>> all = new ArrayList<>(n);
    float[] b = boxes.values();
    float[] s = scores.values();
    for (int r = 0; r < n; r++) {
      List<Detection> found = new ArrayList<>();
      for (int j = 0; j < k; j++) {
        int i = r * k + j;
        float score;
        int label;
        if (labels != null) {
          score = s[i];
          label = Math.round(labels.values()[i]);
        } else {
          label = 0;
          for (int c = 1; c < classes; c++) {
            if (s[i * classes + c] > s[i * classes + label]) {
              label = c;
            }
          }
          score = s[i * classes + label];
        }
        if (!(score >= layout.minScore())) {
          continue;
        }
        found.add(box(b, i * 4, score, label));
      }
      found.sort(Comparator.comparingDouble(Detection::score).reversed());
      all.add(found);
    }
    return new Detections(all);
  }

  private Detection box(float[] b, int at, float score, int label) {
    float p = b[at];
    float q = b[at + 1];
    float u = b[at + 2];
    float v = b[at + 3];
    float x1;
    float y1;
    float x2;
    float y2;
    switch (layout.format()) {
      case XYXY -> {
        x1 = p;
        y1 = q;
        x2 = u;
        y2 = v;
      }
      case YXYX -> {
        y1 = p;
        x1 = q;
        y2 = u;
        x2 = v;
      }
      case XYWH -> {
        x1 = p;
        y1 = q;
        x2 = p + u;
        y2 = q + v;
      }
      default -> {
        x1 = p - u / 2;
        y1 = q - v / 2;
        x2 = p + u / 2;
        y2 = q + v / 2;
      }
    }
    return new Detection(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2),
        score, label);
  }

  private OnnxInputException shape(OnnxModel.OutputArray a, String expected) {
    return new OnnxInputException(name(), "output '" + a.name() + "' of " + name()
        + " came back with shape " + a.shapeText() + " but the detection layout " + layout
        + " expects " + expected);
  }

  /** The model's inputs/outputs table and the layout. */
  public String describe() {
    return model.describe() + System.lineSeparator() + "  feed: " + plan + System.lineSeparator()
        + "  detect: boxes " + layout.boxes() + " (" + layout.format() + "), scores "
        + layout.scores() + layout.labels().map(l -> ", labels " + l).orElse(", label = best class");
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Releases this detector's hold on the session. */
  @Override
  public void close() {
    model.close();
  }
}
