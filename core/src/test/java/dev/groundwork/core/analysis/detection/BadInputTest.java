package dev.groundwork.core.analysis.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.DataException;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.LabelException;
import java.util.List;
import java.util.OptionalDouble;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every bad input fails with a typed project exception whose message names the record. */
class BadInputTest {

  private static <T extends Throwable> T fails(Class<T> type, ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).isExactlyInstanceOf(type);
    return type.cast(t);
  }

  private static float[] f(double... v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  @Test
  void boxWithX2BeforeX1() {
    DataFormatException e = fails(DataFormatException.class,
        () -> GroundTruthBox.of("img7", "cat", 10, 0, 4, 5));
    assertThat(e.getMessage()).contains("image 'img7'").contains("class 'cat'")
        .contains("x2 < x1").contains("x1=10.0").contains("Box.fromXywh");
    assertThat(fails(DataFormatException.class, () -> new Box(10, 0, 4, 5)).getMessage())
        .startsWith("box [x1=10.0, y1=0.0, x2=4.0, y2=5.0] has x2 < x1");
  }

  @Test
  void boxWithY2BeforeY1() {
    DataFormatException e = fails(DataFormatException.class,
        () -> DetectedBox.of("img3", "dog", 0.5, 0, 9, 4, 5));
    assertThat(e.getMessage()).contains("detection on image 'img3'").contains("y2 < y1");
  }

  @Test
  void nanCoordinate() {
    assertThat(fails(DataFormatException.class,
        () -> DetectedBox.of("img1", "dog", 0.5, Double.NaN, 0, 4, 5)).getMessage())
        .contains("image 'img1'").contains("NaN");
    assertThat(fails(DataFormatException.class,
        () -> KeypointInstance.groundTruth("img2", "person", f(1, Double.NaN), f(1, 2), f(2, 2)))
        .getMessage()).contains("keypoint ground truth on image 'img2'")
        .contains("keypoint 1 is (NaN, 2.0)");
  }

  @Test
  void negativeOrNanScore() {
    assertThat(fails(DataFormatException.class,
        () -> DetectedBox.of("img4", "dog", -0.2, 0, 0, 4, 5)).getMessage())
        .contains("image 'img4'").contains("score -0.2 is negative").contains(">= 0");
    assertThat(fails(DataFormatException.class,
        () -> new DetectedBox("img4", "dog", new Box(0, 0, 1, 1), Double.NaN)).getMessage())
        .contains("score NaN is NaN");
    assertThat(fails(DataFormatException.class,
        () -> KeypointInstance.prediction("img5", "person", f(1), f(1), -1)).getMessage())
        .contains("keypoint prediction on image 'img5'").contains("score -1.0");
  }

  @Test
  void negativeArea() {
    assertThat(fails(DataFormatException.class,
        () -> GroundTruthBox.of("img6", "cat", 0, 0, 4, 5).withArea(-3)).getMessage())
        .contains("image 'img6'").contains("area -3.0");
  }

  @Test
  void keypointArraysOfDifferentLengths() {
    assertThat(fails(DataFormatException.class,
        () -> KeypointInstance.groundTruth("img8", "person", f(1, 2, 3), f(1, 2), f(2, 2, 2)))
        .getMessage()).contains("image 'img8'").contains("3 x, 2 y and 3 visibility");
    assertThat(fails(DataFormatException.class,
        () -> KeypointInstance.groundTruth("img8", "person", f(1), f(1), f(3))).getMessage())
        .contains("visibility 3.0").contains("0 (not labelled), 1 (occluded) or 2 (visible)");
  }

  @Test
  void keypointCountDifferentFromSchemaNamesTheRecordIndex() {
    KeypointSchema coco = KeypointSchema.cocoPerson();
    KeypointInstance ok = KeypointInstance.groundTruth("img0", "person", new float[17],
        new float[17], new float[17]);
    KeypointInstance short3 = KeypointInstance.groundTruth("img9", "person", f(1, 2, 3),
        f(1, 2, 3), f(2, 2, 2)).withArea(10);
    DataFormatException e = fails(DataFormatException.class,
        () -> KeypointEvaluator.of(coco).evaluate(List.of(ok, short3), List.of()));
    assertThat(e.getMessage()).contains("ground truth #1 (image 'img9') has 3 keypoints;"
        + " expected 17 for schema 'person'");
    assertThat(e.record()).hasValue(1);
  }

  @Test
  void unknownClassNamesTheRecordIndexAndTheClasses() {
    List<GroundTruthBox> gts = List.of(GroundTruthBox.of("a", "cat", 0, 0, 1, 1));
    List<DetectedBox> dts = List.of(DetectedBox.of("a", "cat", .9, 0, 0, 1, 1),
        DetectedBox.of("b", "zebra", .8, 0, 0, 1, 1));
    LabelException e = fails(LabelException.class,
        () -> CocoEvaluator.forBoxes(List.of("cat", "dog")).evaluate(gts, dts));
    assertThat(e.getMessage()).contains("detection #1 (image 'b'): class 'zebra' is not one of"
        + " the evaluator's 2 classes [cat, dog]");
    assertThat(e.record()).hasValue(1);
    assertThat(e).isInstanceOf(DataException.class);
    LabelException k = fails(LabelException.class,
        () -> KeypointEvaluator.of(KeypointSchema.cocoPerson()).evaluate(List.of(),
            List.of(KeypointInstance.prediction("c", "dog", new float[17], new float[17], .5))));
    assertThat(k.getMessage()).contains("prediction #0 (image 'c'): class 'dog'");
  }

  @Test
  void groundTruthAndPredictionsSwappedOrWithoutScale() {
    KeypointSchema s = new KeypointSchema("p", List.of("a"), List.of(.1), List.of());
    KeypointInstance gt = KeypointInstance.groundTruth("i", "p", f(1), f(1), f(2));
    KeypointInstance pred = KeypointInstance.prediction("i", "p", f(1), f(1), .5);
    assertThat(fails(DataFormatException.class,
        () -> KeypointEvaluator.of(s).evaluate(List.of(pred), List.of())).getMessage())
        .contains("ground truth #0 (image 'i') has a score");
    assertThat(fails(DataFormatException.class,
        () -> KeypointEvaluator.of(s).evaluate(List.of(), List.of(gt))).getMessage())
        .contains("prediction #0 (image 'i') has no score");
    assertThat(fails(DataFormatException.class,
        () -> KeypointEvaluator.of(s).evaluate(List.of(gt), List.of(pred))).getMessage())
        .contains("no positive area").contains("withArea").contains("withBox");
    assertThat(fails(DataFormatException.class,
        () -> new KeypointInstance("i", "p", f(1), f(1), f(2), OptionalDouble.of(1),
            java.util.Optional.empty(), OptionalDouble.empty(), true)).getMessage())
        .contains("crowd");
  }

  @Test
  void badParameters() {
    assertThat(fails(InvalidParameterException.class,
        () -> CocoEvaluator.forBoxes(List.of())).getMessage()).contains("class list is empty");
    assertThat(fails(InvalidParameterException.class,
        () -> CocoEvaluator.forBoxes(List.of("a", "a"))).getMessage()).contains("repeats");
    assertThat(fails(InvalidParameterException.class,
        () -> CocoParams.boxes().withMaxDets(List.of(0))).getMessage())
        .contains("maxDets 0 is below 1");
    assertThat(fails(InvalidParameterException.class,
        () -> CocoParams.boxes().withThresholds(List.of(0.5, 1.5))).getMessage())
        .contains("threshold 1.5 is outside (0, 1]");
    assertThat(fails(InvalidParameterException.class,
        () -> new KeypointSchema("p", List.of("a", "b"), List.of(.1), List.of())).getMessage())
        .contains("2 names but 1 sigmas");
    assertThat(fails(InvalidParameterException.class,
        () -> new KeypointSchema("p", List.of("a"), List.of(-.1), List.of())).getMessage())
        .contains("sigma of 'a' is -0.1");
    assertThat(fails(InvalidParameterException.class, () -> new KeypointSchema("p",
        List.of("a", "b"), List.of(.1, .1), List.of(new KeypointSchema.Pair(0, 5))))
        .getMessage()).contains("index 5; expected 0..1");
    assertThat(fails(InvalidParameterException.class,
        () -> KeypointEvaluator.of(KeypointSchema.cocoPerson()).withPckThreshold(0))
        .getMessage()).contains("PCK threshold is 0.0");
  }
}
