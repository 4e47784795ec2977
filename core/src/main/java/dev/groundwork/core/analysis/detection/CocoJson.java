package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.data.DataFiles;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DataNotFoundException;
import dev.groundwork.core.data.LabelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads COCO-format JSON: a ground-truth file ({@code images}, {@code annotations},
 * {@code categories}) and results files (a list of {@code image_id}, {@code category_id},
 * {@code bbox} or {@code keypoints}, {@code score}).
 *
 * <p>Image ids become strings ({@code 42} → {@code "42"}), classes are category names. Boxes are
 * COCO's {@code [x, y, width, height]}; the annotation's {@code area} becomes the area override and
 * {@code iscrowd} the crowd flag. Keypoints are {@code [x1, y1, v1, x2, y2, v2, ...]}; for results the
 * third value of each triple is ignored.
 *
 * <pre>{@code
 * CocoJson.GroundTruth gt = CocoJson.readGroundTruth(Path.of("instances_val2017.json"));
 * List<DetectedBox> dt = CocoJson.readDetections(Path.of("results.json"), gt);
 * CocoResult r = CocoEvaluator.forBoxes(gt.classes()).evaluate(gt.boxes(), dt);
 * }</pre>
 */
public final class CocoJson {
  private CocoJson() {}

  /**
   * A COCO ground-truth file.
   *
   * @param source the file
   * @param classes category names in file order
   * @param imageIds image ids in file order (images without annotations included)
   * @param boxes every annotation with a {@code bbox}
   * @param keypoints every annotation with {@code keypoints}, with its box and area
   * @param keypointNames per category, its keypoint names (when the category lists them)
   * @param categoryIds category name → COCO id
   */
  public record GroundTruth(String source, List<String> classes, List<String> imageIds,
      List<GroundTruthBox> boxes, List<KeypointInstance> keypoints,
      Map<String, List<String>> keypointNames, Map<String, Long> categoryIds) {

    /** Copies the collections. */
    public GroundTruth {
      classes = List.copyOf(classes);
      imageIds = List.copyOf(imageIds);
      boxes = List.copyOf(boxes);
      keypoints = List.copyOf(keypoints);
      keypointNames = Map.copyOf(keypointNames);
      categoryIds = Map.copyOf(categoryIds);
    }

    /** The keypoint names of a category as a schema with COCO's person sigmas when K = 17. */
    public Optional<KeypointSchema> schema(String category) {
      List<String> names = keypointNames.get(category);
      if (names == null || names.isEmpty()) {
        return Optional.empty();
      }
      if (names.size() == 17) {
        KeypointSchema coco = KeypointSchema.cocoPerson();
        return Optional.of(KeypointSchema.of(category, names, coco.sigmas()));
      }
      return Optional.empty();
    }
  }

  private static String read(Path file, String what) {
    DataFiles.requireRegularFile(file, file.toString(), what);
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new DataNotFoundException(file + " does not exist; check the path", file.toString(),
          e);
    } catch (IOException e) {
      throw new DataNotFoundException(file + " cannot be read (" + e.getMessage() + ")",
          file.toString(), e);
    }
  }

  /** Reads a ground-truth file. */
  public static GroundTruth readGroundTruth(Path file) {
    return parseGroundTruth(read(file, "COCO ground-truth file"), file.toString());
  }

  /** Parses ground-truth JSON text; {@code source} names it in errors. */
  public static GroundTruth parseGroundTruth(String json, String source) {
    Object root = Json.parse(json, source);
    if (!(root instanceof Map<?, ?> top)) {
      throw new DataFormatException(source + ": the top level is not an object; expected"
          + " {\"images\": [...], \"annotations\": [...], \"categories\": [...]}", source);
    }
    List<?> cats = list(top, "categories", source, -1, "the file");
    List<?> imgs = list(top, "images", source, -1, "the file");
    List<?> anns = list(top, "annotations", source, -1, "the file");
    Map<Long, String> catNames = new HashMap<>();
    Map<String, Long> catIds = new LinkedHashMap<>();
    List<String> classes = new ArrayList<>();
    Map<String, List<String>> kpNames = new HashMap<>();
    for (int i = 0; i < cats.size(); i++) {
      Map<?, ?> c = object(cats.get(i), source, i, "category");
      long id = (long) number(c, "id", source, i, "category");
      String name = string(c, "name", source, i, "category");
      catNames.put(id, name);
      catIds.put(name, id);
      classes.add(name);
      if (c.get("keypoints") instanceof List<?> names) {
        List<String> ns = new ArrayList<>();
        for (Object o : names) {
          ns.add(String.valueOf(o));
        }
        kpNames.put(name, ns);
      }
    }
    List<String> imageIds = new ArrayList<>();
    for (int i = 0; i < imgs.size(); i++) {
      imageIds.add(id(object(imgs.get(i), source, i, "image").get("id"), source, i, "image"));
    }
    List<GroundTruthBox> boxes = new ArrayList<>();
    List<KeypointInstance> keypoints = new ArrayList<>();
    for (int i = 0; i < anns.size(); i++) {
      Map<?, ?> a = object(anns.get(i), source, i, "annotation");
      String what = "annotation";
      String image = id(a.get("image_id"), source, i, what);
      String cls = category(catNames, number(a, "category_id", source, i, what), source, i,
          what);
      boolean crowd = a.get("iscrowd") instanceof Double d && d != 0;
      OptionalDouble area = a.get("area") instanceof Double d ? OptionalDouble.of(d)
          : OptionalDouble.empty();
      try {
        Box box = null;
        if (a.containsKey("bbox")) {
          double[] b = numbers(a.get("bbox"), 4, source, i, what, "bbox");
          box = Box.fromXywh(b[0], b[1], b[2], b[3]);
          boxes.add(new GroundTruthBox(image, cls, box, crowd, area));
        }
        if (a.get("keypoints") instanceof List<?> kp && !kp.isEmpty()) {
          float[][] xyv = triples(kp, source, i, what);
          KeypointInstance k = new KeypointInstance(image, cls, xyv[0], xyv[1], xyv[2],
              OptionalDouble.empty(), Optional.ofNullable(box), area, crowd);
          keypoints.add(k);
        }
      } catch (DataFormatException e) {
        throw wrap(e, source, i, what);
      }
    }
    return new GroundTruth(source, classes, imageIds, boxes, keypoints, kpNames, catIds);
  }

  /** Reads a box results file against its ground truth. */
  public static List<DetectedBox> readDetections(Path file, GroundTruth groundTruth) {
    return parseDetections(read(file, "COCO results file"), file.toString(), groundTruth);
  }

  /**
   * Parses box results: each needs {@code image_id} (one of the ground truth's images, as
   * pycocotools requires), {@code category_id}, {@code bbox} and {@code score}.
   */
  public static List<DetectedBox> parseDetections(String json, String source, GroundTruth gt) {
    List<DetectedBox> out = new ArrayList<>();
    List<?> items = results(json, source);
    Map<Long, String> cats = categories(gt);
    java.util.Set<String> images = new java.util.HashSet<>(gt.imageIds());
    for (int i = 0; i < items.size(); i++) {
      String what = "result";
      Map<?, ?> r = object(items.get(i), source, i, what);
      String image = image(r, images, gt, source, i);
      String cls = category(cats, number(r, "category_id", source, i, what), source, i, what);
      double[] b = numbers(r.get("bbox"), 4, source, i, what, "bbox");
      double score = number(r, "score", source, i, what);
      try {
        out.add(new DetectedBox(image, cls, Box.fromXywh(b[0], b[1], b[2], b[3]), score));
      } catch (DataFormatException e) {
        throw wrap(e, source, i, what);
      }
    }
    return out;
  }

  /** Reads a keypoint results file against its ground truth. */
  public static List<KeypointInstance> readKeypointPredictions(Path file, GroundTruth gt) {
    return parseKeypointPredictions(read(file, "COCO results file"), file.toString(), gt);
  }

  /** Parses keypoint results: {@code image_id}, {@code category_id}, {@code keypoints}, {@code score}. */
  public static List<KeypointInstance> parseKeypointPredictions(String json, String source,
      GroundTruth gt) {
    List<KeypointInstance> out = new ArrayList<>();
    List<?> items = results(json, source);
    Map<Long, String> cats = categories(gt);
    java.util.Set<String> images = new java.util.HashSet<>(gt.imageIds());
    for (int i = 0; i < items.size(); i++) {
      String what = "result";
      Map<?, ?> r = object(items.get(i), source, i, what);
      String image = image(r, images, gt, source, i);
      String cls = category(cats, number(r, "category_id", source, i, what), source, i, what);
      if (!(r.get("keypoints") instanceof List<?> kp)) {
        throw new DataFormatException(at(source, i, what) + " has no \"keypoints\" list;"
            + " expected [x1, y1, v1, x2, y2, v2, ...]", source, i, null);
      }
      float[][] xyv = triples(kp, source, i, what);
      double score = number(r, "score", source, i, what);
      try {
        out.add(KeypointInstance.prediction(image, cls, xyv[0], xyv[1], score));
      } catch (DataFormatException e) {
        throw wrap(e, source, i, what);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ helpers

  private static List<?> results(String json, String source) {
    Object root = Json.parse(json, source);
    if (!(root instanceof List<?> items)) {
      throw new DataFormatException(source + ": the top level is not a list; expected COCO"
          + " results [{\"image_id\": ..., \"category_id\": ..., ..., \"score\": ...}, ...]",
          source);
    }
    return items;
  }

  private static Map<Long, String> categories(GroundTruth gt) {
    Map<Long, String> m = new HashMap<>();
    gt.categoryIds().forEach((name, id) -> m.put(id, name));
    return m;
  }

  private static String image(Map<?, ?> r, java.util.Set<String> images, GroundTruth gt,
      String source, int i) {
    String image = id(r.get("image_id"), source, i, "result");
    if (!images.contains(image)) {
      throw new DataFormatException(String.format(Locale.ROOT, "%s: image_id %s is not an image"
          + " of the ground truth %s; expected results for its %d images", at(source, i,
          "result"), image, gt.source(), gt.imageIds().size()), source, i, null);
    }
    return image;
  }

  private static String at(String source, int i, String what) {
    return String.format(Locale.ROOT, "%s: %s #%d", source, what, i);
  }

  private static DataFormatException wrap(DataFormatException e, String source, int i,
      String what) {
    return new DataFormatException(at(source, i, what) + ": " + e.getMessage(), source, i, e);
  }

  private static List<?> list(Map<?, ?> m, String key, String source, int i, String what) {
    if (m.get(key) instanceof List<?> l) {
      return l;
    }
    String where = i < 0 ? source : at(source, i, what);
    throw new DataFormatException(where + " has no \"" + key + "\" list; expected a COCO"
        + " ground-truth file with images, annotations and categories", source, i, null);
  }

  private static Map<?, ?> object(Object o, String source, int i, String what) {
    if (o instanceof Map<?, ?> m) {
      return m;
    }
    throw new DataFormatException(at(source, i, what) + " is not a JSON object", source, i, null);
  }

  private static double number(Map<?, ?> m, String key, String source, int i, String what) {
    if (m.get(key) instanceof Double d) {
      return d;
    }
    throw new DataFormatException(at(source, i, what) + ": \"" + key + "\" is "
        + (m.containsKey(key) ? "not a number" : "missing") + "; expected a number", source, i,
        null);
  }

  private static String string(Map<?, ?> m, String key, String source, int i, String what) {
    if (m.get(key) instanceof String s) {
      return s;
    }
    throw new DataFormatException(at(source, i, what) + ": \"" + key + "\" is missing or not a"
        + " string", source, i, null);
  }

  private static String id(Object o, String source, int i, String what) {
    if (o instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
          : d.toString();
    }
    if (o instanceof String s) {
      return s;
    }
    throw new DataFormatException(at(source, i, what) + ": the image id is missing or neither a"
        + " number nor a string", source, i, null);
  }

  private static String category(Map<Long, String> cats, double id, String source, int i,
      String what) {
    String name = cats.get((long) id);
    if (name == null || id != Math.rint(id)) {
      String shown = id == Math.rint(id) ? Long.toString((long) id) : Double.toString(id);
      throw new LabelException(String.format(Locale.ROOT, "%s: category_id %s is not one of the"
          + " %d categories of the ground truth %s", at(source, i, what), shown, cats.size(),
          new java.util.TreeMap<>(cats)), source, i);
    }
    return name;
  }

  private static double[] numbers(Object o, int n, String source, int i, String what,
      String key) {
    if (o instanceof List<?> l && l.size() == n) {
      double[] out = new double[n];
      for (int j = 0; j < n; j++) {
        if (!(l.get(j) instanceof Double d)) {
          break;
        }
        out[j] = d;
        if (j == n - 1) {
          return out;
        }
      }
    }
    throw new DataFormatException(String.format(Locale.ROOT, "%s: \"%s\" is %s; expected %d"
        + " numbers", at(source, i, what), key, o, n), source, i, null);
  }

  private static float[][] triples(List<?> kp, String source, int i, String what) {
    if (kp.size() % 3 != 0) {
      throw new DataFormatException(String.format(Locale.ROOT, "%s: \"keypoints\" has %d values;"
          + " expected a multiple of 3 (x, y, v per keypoint)", at(source, i, what), kp.size()),
          source, i, null);
    }
    int k = kp.size() / 3;
    float[][] out = new float[3][k];
    for (int j = 0; j < kp.size(); j++) {
      if (!(kp.get(j) instanceof Double d)) {
        throw new DataFormatException(at(source, i, what) + ": \"keypoints\" value " + j
            + " is not a number", source, i, null);
      }
      out[j % 3][j / 3] = d.floatValue();
    }
    return out;
  }
}
