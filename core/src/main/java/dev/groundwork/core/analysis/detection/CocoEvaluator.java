package dev.groundwork.core.analysis.detection;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * COCO-style AP and AR of box detections, computed as pycocotools' {@code COCOeval} (iouType
 * {@code bbox}) does.
 *
 * <p>Conventions: IoU thresholds .50:.05:.95; per image and class, detections sorted by score
 * (stable) and cut to the largest maxDets, then matched greedily, each to the unmatched ground
 * truth of highest IoU {@code >= t}, preferring non-ignored ground truth; a detection matched to a
 * crowd region or to ground truth outside the area range is ignored, as is an unmatched detection
 * whose own area is outside the range; crowd regions may absorb any number of detections and their
 * overlap is intersection over the detection's area; precision is made monotone and sampled at 101
 * recall points; AP averages over thresholds, recall points and the classes that have ground truth.
 *
 * <pre>{@code
 * CocoEvaluator eval = CocoEvaluator.forBoxes(List.of("cat", "dog"));
 * CocoResult r = eval.evaluate(groundTruth, detections);
 * r.ap();            // AP@[.50:.95]
 * r.perClassAp();    // {cat=0.71, dog=0.55}
 * System.out.println(r);
 * }</pre>
 */
public final class CocoEvaluator {
  private final List<String> classes;
  private final CocoParams params;

  private CocoEvaluator(List<String> classes, CocoParams params) {
    this.classes = Inputs.classes(classes);
    this.params = Objects.requireNonNull(params, "params");
  }

  /**
   * An evaluator with COCO's box parameters ({@link CocoParams#boxes()}).
   *
   * @param classes the class names, in the order per-class results are reported
   * @throws dev.groundwork.core.InvalidParameterException if the list is empty or names repeat
   */
  public static CocoEvaluator forBoxes(List<String> classes) {
    return new CocoEvaluator(classes, CocoParams.boxes());
  }

  /** An evaluator with other thresholds, detection limits or area ranges. */
  public static CocoEvaluator forBoxes(List<String> classes, CocoParams params) {
    return new CocoEvaluator(classes, params);
  }

  /** The classes, in report order. */
  public List<String> classes() {
    return classes;
  }

  /** The evaluation parameters. */
  public CocoParams params() {
    return params;
  }

  /**
   * Evaluates detections against ground truth. Images are the union of the image ids in both; an
   * image that only detections mention has no objects, so its detections are false positives.
   *
   * @throws dev.groundwork.core.data.LabelException naming the record (its index in its collection
   *     and its image) if a class is not one of {@link #classes()}
   */
  public CocoResult evaluate(
      Collection<GroundTruthBox> groundTruth, Collection<DetectedBox> detections) {
    BoxData data = new BoxData(classes, groundTruth, detections);
    CocoEngine engine = new CocoEngine(params, data.instances, data::similarity);
    return new CocoResult(CocoResult.Kind.BOXES, classes, engine, data.instances.numImages,
        data.gts.size(), data.crowdCount(), data.dts.size(), DetectionProvenance.boxes(
            java.util.Map.of("evaluation", "COCO boxes", "params", params.toString(),
                "classes", classes.toString()), groundTruth, detections));
  }
}
