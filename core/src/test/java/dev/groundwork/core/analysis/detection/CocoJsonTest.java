package dev.groundwork.core.analysis.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DataNotFoundException;
import dev.groundwork.core.data.HostileFiles;
import dev.groundwork.core.data.LabelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoJsonTest {
  @TempDir Path dir;

  /** The 3-GT / 4-detection fixture of CocoEvaluatorTest in COCO's [x, y, w, h] form. */
  private static final String GT = """
      {"info": {"description": "fixture"},
       "images": [{"id": 1, "file_name": "a.jpg"}, {"id": 2, "file_name": "empty.jpg"}],
       "categories": [{"id": 17, "name": "cat"}, {"id": 18, "name": "dog"}],
       "annotations": [
         {"id": 1, "image_id": 1, "category_id": 17, "bbox": [0, 0, 10, 10], "area": 100,
          "iscrowd": 0},
         {"id": 2, "image_id": 1, "category_id": 17, "bbox": [20, 0, 10, 10], "area": 100,
          "iscrowd": 0},
         {"id": 3, "image_id": 1, "category_id": 17, "bbox": [40, 0, 10, 10], "area": 100,
          "iscrowd": 0},
         {"id": 4, "image_id": 1, "category_id": 18, "bbox": [200, 0, 100, 100], "area": 5e3,
          "iscrowd": 1}
       ]}
      """;

  private static final String DT = """
      [{"image_id": 1, "category_id": 17, "bbox": [0, 0, 10, 10], "score": 0.9},
       {"image_id": 1, "category_id": 17, "bbox": [60, 0, 10, 10], "score": 0.8},
       {"image_id": 1, "category_id": 17, "bbox": [20, 0, 10, 8.2], "score": 0.7},
       {"image_id": 1, "category_id": 17, "bbox": [43.8, 0, 6.2, 10], "score": 0.6}]
      """;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void readsGroundTruthAndResultsAndReproducesTheHandDerivedAp() throws IOException {
    CocoJson.GroundTruth gt = CocoJson.readGroundTruth(write("gt.json", GT));
    assertThat(gt.classes()).containsExactly("cat", "dog");
    assertThat(gt.imageIds()).containsExactly("1", "2");
    assertThat(gt.categoryIds()).isEqualTo(Map.of("cat", 17L, "dog", 18L));
    assertThat(gt.boxes()).hasSize(4);
    assertThat(gt.boxes().get(1).box()).isEqualTo(new Box(20, 0, 30, 10));
    assertThat(gt.boxes().get(3).crowd()).isTrue();
    assertThat(gt.boxes().get(3).effectiveArea()).isEqualTo(5000.0);
    List<DetectedBox> dt = CocoJson.readDetections(write("dt.json", DT), gt);
    assertThat(dt).hasSize(4);
    assertThat(dt.get(0).score()).isEqualTo(0.9);
    CocoResult r = CocoEvaluator.forBoxes(gt.classes()).evaluate(gt.boxes(), dt);
    // dog has only a crowd region: no positives, left out of the mean.
    assertThat(r.ap()).isCloseTo(578.75 / 1010, within(1e-9));
    assertThat(r.perClassAp().get("dog")).isNaN();
  }

  @Test
  void readsKeypoints() {
    String gtJson = """
        {"images": [{"id": "p1"}],
         "categories": [{"id": 1, "name": "thing", "keypoints": ["a", "b", "c"]}],
         "annotations": [{"id": 1, "image_id": "p1", "category_id": 1, "bbox": [0, 0, 10, 10],
           "area": 100, "iscrowd": 0, "num_keypoints": 3,
           "keypoints": [0, 0, 2, 50, 0, 1, 100, 0, 2]}]}
        """;
    String dtJson = """
        [{"image_id": "p1", "category_id": 1, "score": 0.9,
          "keypoints": [10, 10, 1, 50, 5, 1, 100, 0, 1]}]
        """;
    CocoJson.GroundTruth gt = CocoJson.parseGroundTruth(gtJson, "gt.json");
    assertThat(gt.keypointNames().get("thing")).containsExactly("a", "b", "c");
    assertThat(gt.keypoints()).hasSize(1);
    assertThat(gt.keypoints().get(0).visibility()).containsExactly(2f, 1f, 2f);
    List<KeypointInstance> p = CocoJson.parseKeypointPredictions(dtJson, "dt.json", gt);
    KeypointSchema s = new KeypointSchema("thing", List.of("a", "b", "c"),
        List.of(0.5, 0.25, 0.1), List.of());
    // Same instance as KeypointEvaluatorTest: OKS = (e^-1 + e^-.5 + 1) / 3.
    assertThat(KeypointEvaluator.of(s).oks(gt.keypoints().get(0), p.get(0)))
        .isCloseTo((Math.exp(-1) + Math.exp(-.5) + 1) / 3, within(1e-12));
  }

  @Test
  void malformedJsonNamesTheLine() {
    DataFormatException e = (DataFormatException) catchThrowable(
        () -> CocoJson.parseGroundTruth("{\"images\": [],\n \"annotations\": [,]}", "gt.json"));
    assertThat(e).isExactlyInstanceOf(DataFormatException.class);
    assertThat(e.getMessage()).contains("gt.json line 2").contains("unexpected ','");
    assertThat(e.record()).hasValue(2);
  }

  @Test
  void badRecordsNameFileAndIndex() throws IOException {
    CocoJson.GroundTruth gt = CocoJson.parseGroundTruth(GT, "gt.json");
    LabelException label = (LabelException) catchThrowable(() -> CocoJson.parseDetections(
        "[" + DT.strip().substring(1, DT.strip().length() - 1) + ", {\"image_id\": 1,"
            + " \"category_id\": 99, \"bbox\": [0, 0, 1, 1], \"score\": 0.5}]", "dt.json", gt));
    assertThat(label.getMessage()).contains("dt.json: result #4: category_id 99 is not one of"
        + " the 2 categories");
    assertThat(label.record()).hasValue(4);

    DataFormatException image = (DataFormatException) catchThrowable(() -> CocoJson
        .parseDetections("[{\"image_id\": 7, \"category_id\": 17, \"bbox\": [0, 0, 1, 1],"
            + " \"score\": 0.5}]", "dt.json", gt));
    assertThat(image.getMessage()).contains("result #0: image_id 7 is not an image of the"
        + " ground truth gt.json");

    DataFormatException width = (DataFormatException) catchThrowable(() -> CocoJson
        .parseDetections("[{\"image_id\": 1, \"category_id\": 17, \"bbox\": [5, 0, -3, 1],"
            + " \"score\": 0.5}]", "dt.json", gt));
    assertThat(width).isExactlyInstanceOf(DataFormatException.class);
    assertThat(width.getMessage()).contains("dt.json: result #0: box").contains("x2 < x1");
    assertThat(width.source()).contains("dt.json");
    assertThat(width.record()).hasValue(0);

    DataFormatException score = (DataFormatException) catchThrowable(() -> CocoJson
        .parseDetections("[{\"image_id\": 1, \"category_id\": 17, \"bbox\": [5, 0, 3, 1],"
            + " \"score\": -1}]", "dt.json", gt));
    assertThat(score.getMessage()).contains("result #0").contains("score -1.0 is negative");

    assertThat(catchThrowable(() -> CocoJson.readGroundTruth(dir.resolve("missing.json"))))
        .isExactlyInstanceOf(DataNotFoundException.class).hasMessageContaining("missing.json");
  }

  @Test
  void fifoAndDirectoryAreRefusedWithoutBlocking() throws IOException {
    Path fifo = HostileFiles.fifo(dir.resolve("instances.json"));
    Throwable gt = HostileFiles.failsQuickly(() -> CocoJson.readGroundTruth(fifo));
    assertThat(gt).isExactlyInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("COCO ground-truth file " + fifo + " is a FIFO, socket or device");
    assertThat(((DataNotFoundException) gt).source()).hasValue(fifo.toString());
    CocoJson.GroundTruth truth = CocoJson.parseGroundTruth(GT, "gt.json");
    assertThat(HostileFiles.failsQuickly(() -> CocoJson.readDetections(fifo, truth)))
        .isExactlyInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("COCO results file " + fifo + " is a FIFO");
    assertThat(HostileFiles.failsQuickly(() -> CocoJson.readKeypointPredictions(fifo, truth)))
        .isExactlyInstanceOf(DataNotFoundException.class).hasMessageContaining(fifo.toString());
    assertThat(catchThrowable(() -> CocoJson.readGroundTruth(dir)))
        .isExactlyInstanceOf(DataNotFoundException.class)
        .hasMessageContaining(dir + " is a directory, not a regular file");
  }

  // ------------------------------------------------------------ nothing dropped or re-labelled

  private static final String CATS =
      "[{\"id\": 17, \"name\": \"cat\"}, {\"id\": 18, \"name\": \"dog\"}]";
  private static final String IMGS = "[{\"id\": 1}, {\"id\": 2}]";

  private static String gt(String categories, String images, String... annotations) {
    return "{\"categories\": " + categories + ", \"images\": " + images + ", \"annotations\": ["
        + String.join(", ", annotations) + "]}";
  }

  private static String ann(int id, Object image, String extra) {
    return "{\"id\": " + id + ", \"image_id\": " + image + ", \"category_id\": 17, "
        + "\"bbox\": [0, 0, 10, 10]" + (extra.isEmpty() ? "" : ", " + extra) + "}";
  }

  /** Parses ground truth that must fail; checks the type, the file, the record and the words. */
  private static <T extends Throwable> T gtFails(Class<T> type, String json, long record,
      String... words) {
    Throwable t = catchThrowable(() -> CocoJson.parseGroundTruth(json, "gt.json"));
    assertThat(t).isExactlyInstanceOf(type);
    dev.groundwork.core.data.DataException e = (dev.groundwork.core.data.DataException) t;
    assertThat(e.getMessage()).startsWith("gt.json: ").contains(words);
    assertThat(e.source()).hasValue("gt.json");
    assertThat(e.record()).hasValue(record);
    return type.cast(t);
  }

  @Test
  void annotationWithoutBboxIsAnErrorNotDropped() {
    gtFails(DataFormatException.class, gt(CATS, IMGS, ann(1, 1, ""),
        "{\"id\": 345, \"image_id\": 1, \"category_id\": 17, \"area\": 4}"), 1,
        "gt.json: annotations[1] (id 345) has no \"bbox\"", "add it or remove the annotation");
    gtFails(DataFormatException.class, gt(CATS, IMGS, "{\"image_id\": 1, \"category_id\": 17,"
        + " \"keypoints\": [1, 2, 2]}"), 0, "gt.json: annotations[0] has no \"bbox\"");
  }

  @Test
  void annotationOnAnUnlistedImageIsAnErrorNotAMiss() {
    gtFails(DataFormatException.class, gt(CATS, IMGS, ann(1, 1, ""), ann(7, 9, "")), 1,
        "annotations[1] (id 7): image_id 9 is not one of the 2 images the file lists",
        "pycocotools scores only listed images");
  }

  @Test
  void categoriesSharingAnIdOrANameAreErrorsNotRelabels() {
    gtFails(DataFormatException.class, gt("[{\"id\": 17, \"name\": \"cat\"}, {\"id\": 17,"
        + " \"name\": \"dog\"}]", IMGS, ann(1, 1, "")), 1,
        "gt.json: categories[1] (id 17) ('dog') repeats the id of categories[0] ('cat')",
        "category_id 17 would be re-labelled");
    gtFails(DataFormatException.class, gt("[{\"id\": 17, \"name\": \"cat\"}, {\"id\": 18,"
        + " \"name\": \"cat\"}]", IMGS, ann(1, 1, "")), 1,
        "categories[1] (id 18) has the name 'cat' of categories[0] (id 17)", "merged");
    gtFails(DataFormatException.class, gt("[{\"id\": 17.5, \"name\": \"cat\"}]", IMGS), 0,
        "categories[0] (id 17.5): the category id is not an integer");
  }

  @Test
  void duplicateImageAndAnnotationIdsAreErrors() {
    gtFails(DataFormatException.class, gt(CATS, "[{\"id\": 1}, {\"id\": 2}, {\"id\": 1}]"), 2,
        "gt.json: images[2] (id 1) repeats the id of images[0]");
    gtFails(DataFormatException.class, gt(CATS, "[{\"id\": 1}, {\"id\": \"1\"}]"), 1,
        "images[1] (id '1') repeats the id of images[0]", "1 and \"1\" are the same");
    gtFails(DataFormatException.class, gt(CATS, IMGS, ann(5, 1, ""), ann(6, 2, ""), ann(5, 2, "")),
        2, "annotations[2] (id 5) repeats the id of annotations[0]", "one of them would be lost");
  }

  @Test
  void iscrowdAcceptsZeroOneFalseTrueAndNothingElse() {
    CocoJson.GroundTruth g = CocoJson.parseGroundTruth(gt(CATS, IMGS,
        ann(1, 1, "\"iscrowd\": true"), ann(2, 1, "\"iscrowd\": false"),
        ann(3, 1, "\"iscrowd\": 1"), ann(4, 1, "\"iscrowd\": 0"), ann(5, 1, "")), "gt.json");
    assertThat(g.boxes()).extracting(GroundTruthBox::crowd)
        .containsExactly(true, false, true, false, false);
    gtFails(DataFormatException.class, gt(CATS, IMGS, ann(1, 1, ""), ann(9, 1, "\"iscrowd\": 2")),
        1, "annotations[1] (id 9): \"iscrowd\" is 2.0; expected 0, 1, false or true");
    gtFails(DataFormatException.class, gt(CATS, IMGS, ann(3, 1, "\"iscrowd\": \"yes\"")), 0,
        "annotations[0] (id 3): \"iscrowd\" is yes");
    gtFails(DataFormatException.class, gt(CATS, IMGS, ann(3, 1, "\"iscrowd\": null")), 0,
        "\"iscrowd\" is null");
  }

  @Test
  void areaAndKeypointsOfTheWrongTypeAreErrorsNotIgnored() {
    gtFails(DataFormatException.class, gt(CATS, IMGS, ann(4, 1, "\"area\": \"100\"")), 0,
        "annotations[0] (id 4): \"area\" is not a number");
    gtFails(DataFormatException.class, gt(CATS, IMGS, ann(4, 1, "\"keypoints\": \"1 2 2\"")), 0,
        "annotations[0] (id 4): \"keypoints\" is not a list");
    gtFails(DataFormatException.class, gt("[{\"id\": 1, \"name\": \"p\", \"keypoints\": 3}]",
        IMGS), 0, "categories[0] (id 1): \"keypoints\" is not a list");
    gtFails(DataFormatException.class, gt(CATS, IMGS, "{\"id\": 4, \"image_id\": 1,"
        + " \"category_id\": 17, \"bbox\": [0, 0, 1]}"), 0,
        "annotations[0] (id 4): \"bbox\" is [0.0, 0.0, 1.0]; expected 4 numbers");
    gtFails(DataFormatException.class, gt(CATS, IMGS, ann(4, 1, "\"area\": -1")), 0,
        "annotations[0] (id 4): ground truth on image '1'", "area -1.0");
    gtFails(LabelException.class, gt(CATS, IMGS, "{\"id\": 8, \"image_id\": 2,"
        + " \"category_id\": 3, \"bbox\": [0, 0, 1, 1]}"), 0,
        "annotations[0] (id 8): category_id 3 is not one of the 2 categories");
  }
}
