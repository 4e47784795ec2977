package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.InvalidParameterException;
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
import java.util.OptionalInt;

/**
 * Reads COCO-format JSON: a ground-truth file ({@code images}, {@code annotations},
 * {@code categories}) and results files (a list of {@code image_id}, {@code category_id},
 * {@code bbox} or {@code keypoints}, {@code score}).
 *
 * <p>Image ids become strings ({@code 42} → {@code "42"}), classes are category names. Boxes are
 * COCO's {@code [x, y, width, height]}; the annotation's {@code area} becomes the area override and
 * {@code iscrowd} the crowd flag. Keypoints are {@code [x1, y1, v1, x2, y2, v2, ...]}; for results the
 * third value of each triple is ignored. Nothing read is dropped, merged or re-labelled: see
 * {@link #parseGroundTruth(String, String)} for what is refused. Files are read only if they are
 * regular files, so a FIFO or device is refused instead of blocking.
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
   * @param boxes every annotation, in file order (each must have a {@code bbox})
   * @param keypoints every annotation with {@code keypoints}, with its box and area
   * @param keypointNames per category, its keypoint names (when the category lists them)
   * @param categoryIds category name → COCO id
   * @param skeletons per category that lists a {@code skeleton}, its limbs as 0-based keypoint
   *     indices (COCO's are 1-based)
   */
  public record GroundTruth(String source, List<String> classes, List<String> imageIds,
      List<GroundTruthBox> boxes, List<KeypointInstance> keypoints,
      Map<String, List<String>> keypointNames, Map<String, Long> categoryIds,
      Map<String, List<KeypointSchema.Limb>> skeletons) {

    /** Copies the collections. */
    public GroundTruth {
      classes = List.copyOf(classes);
      imageIds = List.copyOf(imageIds);
      boxes = List.copyOf(boxes);
      keypoints = List.copyOf(keypoints);
      keypointNames = Map.copyOf(keypointNames);
      categoryIds = Map.copyOf(categoryIds);
      skeletons = Map.copyOf(skeletons);
    }

    /** A ground truth without skeletons. */
    public GroundTruth(String source, List<String> classes, List<String> imageIds,
        List<GroundTruthBox> boxes, List<KeypointInstance> keypoints,
        Map<String, List<String>> keypointNames, Map<String, Long> categoryIds) {
      this(source, classes, imageIds, boxes, keypoints, keypointNames, categoryIds, Map.of());
    }

    /**
     * The category's keypoints as a schema when their sigmas are known: when every name is one of
     * COCO's 17 person keypoints (in any order), with COCO's sigma for each; empty otherwise (give
     * the sigmas with {@link #schema(String, List)}) or when the category lists no keypoints.
     */
    public Optional<KeypointSchema> schema(String category) {
      List<String> names = keypointNames.get(category);
      if (names == null || names.isEmpty()) {
        return Optional.empty();
      }
      KeypointSchema coco = KeypointSchema.cocoPerson();
      List<Double> sigmas = new ArrayList<>();
      for (String n : names) {
        OptionalInt j = coco.indexOf(n);
        if (j.isEmpty()) {
          return Optional.empty();
        }
        sigmas.add(coco.sigmas().get(j.getAsInt()));
      }
      return Optional.of(schema(category, sigmas));
    }

    /**
     * The category's keypoints as a schema with the given sigmas, for any skeleton: names from the
     * category's {@code keypoints}, limbs from its {@code skeleton}, left/right pairs found from
     * the names ({@link KeypointSchema#of}; replace them with {@link KeypointSchema#withPairs}).
     *
     * @throws InvalidParameterException naming the file and category if the category lists no
     *     keypoints, or if the sigma count differs from the keypoint count
     */
    public KeypointSchema schema(String category, List<Double> sigmas) {
      List<String> names = keypointNames.get(category);
      InvalidParameterException.check(names != null && !names.isEmpty(), "%s: category '%s'"
          + " lists no \"keypoints\" (categories with keypoints: %s); expected the keypoint"
          + " names in the category", source, category, new java.util.TreeSet<>(
              keypointNames.keySet()));
      InvalidParameterException.check(sigmas.size() == names.size(), "%s: category '%s' has %d"
          + " keypoints %s but %d sigmas were given; expected one sigma per keypoint", source,
          category, names.size(), names, sigmas.size());
      return KeypointSchema.of(category, names, sigmas)
          .withSkeleton(skeletons.getOrDefault(category, List.of()));
    }

    /** The category's keypoints as a schema with one sigma for every keypoint. */
    public KeypointSchema schema(String category, double sigma) {
      List<String> names = keypointNames.getOrDefault(category, List.of());
      return schema(category, java.util.Collections.nCopies(Math.max(1, names.size()), sigma));
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

  /**
   * Parses ground-truth JSON text; {@code source} names it in errors.
   *
   * <p>Nothing is dropped, merged or guessed: each of these is a {@link DataFormatException} naming
   * the file and the record ({@code annotations[17] (id 345)}), with the record's index in its list
   * as {@link dev.groundwork.core.data.DataException#record()}:
   *
   * <ul>
   *   <li>a category id that is not an integer, or that another category already has (the
   *       annotations would be re-labelled), and a category name another category already has
   *       (two classes would be merged);
   *   <li>an image id that another image already has ({@code 1} and {@code "1"} are the same id);
   *   <li>an annotation without {@code bbox}, on an image {@code images} does not list
   *       (pycocotools scores only the listed images), with an annotation id another annotation
   *       already has, with {@code iscrowd} other than {@code 0}, {@code 1}, {@code true} or
   *       {@code false}, or with an {@code area} or {@code keypoints} that is not a number or a
   *       list of numbers.
   * </ul>
   *
   * <p>A category id no category has is a {@link LabelException}. Documented choices: an absent
   * {@code iscrowd} is not crowd, an absent {@code area} uses the box area, and an annotation
   * {@code id} is optional (when present it must be unique).
   */
  public static GroundTruth parseGroundTruth(String json, String source) {
    Object root = Json.parse(json, source);
    if (!(root instanceof Map<?, ?> top)) {
      throw new DataFormatException(source + ": the top level is not an object; expected"
          + " {\"images\": [...], \"annotations\": [...], \"categories\": [...]}", source);
    }
    List<?> cats = list(top, "categories", source);
    List<?> imgs = list(top, "images", source);
    List<?> anns = list(top, "annotations", source);
    Map<Long, String> catNames = new HashMap<>();
    Map<Long, Integer> catIndex = new HashMap<>();
    Map<String, Long> catIds = new LinkedHashMap<>();
    Map<String, Integer> nameIndex = new HashMap<>();
    List<String> classes = new ArrayList<>();
    Map<String, List<String>> kpNames = new HashMap<>();
    Map<String, List<KeypointSchema.Limb>> skeletons = new HashMap<>();
    for (int i = 0; i < cats.size(); i++) {
      Map<?, ?> c = object(cats.get(i), source, i, record("categories", i, null));
      String where = record("categories", i, c.get("id"));
      double raw = number(c, "id", source, i, where);
      if (raw != Math.rint(raw) || Math.abs(raw) > MAX_EXACT) {
        throw new DataFormatException(at(source, where) + ": the category id is not an integer;"
            + " expected an integer id that annotations refer to with category_id", source, i,
            null);
      }
      long id = (long) raw;
      String name = string(c, "name", source, i, where);
      Integer sameId = catIndex.putIfAbsent(id, i);
      if (sameId != null) {
        throw new DataFormatException(String.format(Locale.ROOT, "%s ('%s') repeats the id of"
            + " categories[%d] ('%s'), so annotations with category_id %d would be re-labelled;"
            + " give every category its own id", at(source, where), name, sameId,
            catNames.get(id), id), source, i, null);
      }
      Integer sameName = nameIndex.putIfAbsent(name, i);
      if (sameName != null) {
        throw new DataFormatException(String.format(Locale.ROOT, "%s has the name '%s' of"
            + " categories[%d] (id %d), so the two categories would be merged into one class;"
            + " give every category its own name", at(source, where), name, sameName,
            catIds.get(name)), source, i, null);
      }
      catNames.put(id, name);
      catIds.put(name, id);
      classes.add(name);
      if (c.containsKey("keypoints")) {
        if (!(c.get("keypoints") instanceof List<?> names)) {
          throw new DataFormatException(at(source, where) + ": \"keypoints\" is not a list;"
              + " expected the keypoint names, e.g. [\"nose\", \"left_eye\", ...]", source, i,
              null);
        }
        List<String> ns = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
          if (!(names.get(j) instanceof String n)) {
            throw new DataFormatException(at(source, where) + ": keypoint name " + j + " is not"
                + " a string; expected the keypoint names as strings", source, i, null);
          }
          ns.add(n);
        }
        kpNames.put(name, ns);
        if (c.containsKey("skeleton")) {
          skeletons.put(name, skeleton(c.get("skeleton"), ns.size(), source, i, where));
        }
      }
    }
    List<String> imageIds = new ArrayList<>();
    Map<String, Integer> imageIndex = new HashMap<>();
    for (int i = 0; i < imgs.size(); i++) {
      Map<?, ?> img = object(imgs.get(i), source, i, record("images", i, null));
      String where = record("images", i, img.get("id"));
      String id = id(img.get("id"), "id", source, i, where);
      Integer same = imageIndex.putIfAbsent(id, i);
      if (same != null) {
        throw new DataFormatException(String.format(Locale.ROOT, "%s repeats the id of"
            + " images[%d] (ids become strings, so 1 and \"1\" are the same); give every image"
            + " its own id", at(source, where), same), source, i, null);
      }
      imageIds.add(id);
    }
    List<GroundTruthBox> boxes = new ArrayList<>();
    List<KeypointInstance> keypoints = new ArrayList<>();
    Map<String, Integer> annotationIndex = new HashMap<>();
    for (int i = 0; i < anns.size(); i++) {
      Map<?, ?> a = object(anns.get(i), source, i, record("annotations", i, null));
      String where = record("annotations", i, a.get("id"));
      if (a.containsKey("id")) {
        Integer same = annotationIndex.putIfAbsent(id(a.get("id"), "id", source, i, where), i);
        if (same != null) {
          throw new DataFormatException(String.format(Locale.ROOT, "%s repeats the id of"
              + " annotations[%d]; pycocotools keys annotations by id, so one of them would be"
              + " lost: give every annotation its own id", at(source, where), same), source, i,
              null);
        }
      }
      String image = id(a.get("image_id"), "image_id", source, i, where);
      if (!imageIndex.containsKey(image)) {
        throw new DataFormatException(String.format(Locale.ROOT, "%s: image_id %s is not one of"
            + " the %d images the file lists, and pycocotools scores only listed images; add the"
            + " image to \"images\" or remove the annotation", at(source, where), image,
            imageIds.size()), source, i, null);
      }
      String cls = category(catNames, number(a, "category_id", source, i, where), source, i,
          where);
      boolean crowd = crowd(a, source, i, where);
      OptionalDouble area = OptionalDouble.empty();
      if (a.containsKey("area")) {
        area = OptionalDouble.of(number(a, "area", source, i, where));
      }
      if (!a.containsKey("bbox")) {
        throw new DataFormatException(at(source, where) + " has no \"bbox\"; every COCO"
            + " annotation needs its box [x, y, width, height] (pycocotools matches boxes and"
            + " scales keypoints with it): add it or remove the annotation", source, i, null);
      }
      try {
        double[] b = numbers(a.get("bbox"), 4, source, i, where, "bbox");
        Box box = Box.fromXywh(b[0], b[1], b[2], b[3]);
        boxes.add(new GroundTruthBox(image, cls, box, crowd, area));
        if (a.containsKey("keypoints")) {
          if (!(a.get("keypoints") instanceof List<?> kp)) {
            throw new DataFormatException(at(source, where) + ": \"keypoints\" is not a list;"
                + " expected [x1, y1, v1, x2, y2, v2, ...]", source, i, null);
          }
          if (!kp.isEmpty()) {
            float[][] xyv = triples(kp, source, i, where);
            keypoints.add(new KeypointInstance(image, cls, xyv[0], xyv[1], xyv[2],
                OptionalDouble.empty(), Optional.of(box), area, crowd));
          }
        }
      } catch (DataFormatException e) {
        throw e.source().isPresent() ? e : wrap(e, source, i, where);
      }
    }
    return new GroundTruth(source, classes, imageIds, boxes, keypoints, kpNames, catIds,
        skeletons);
  }

  /** COCO's {@code iscrowd}: absent is not crowd; 0, 1, false and true are read as written. */
  private static boolean crowd(Map<?, ?> a, String source, int i, String where) {
    if (!a.containsKey("iscrowd")) {
      return false;
    }
    Object v = a.get("iscrowd");
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Double d && (d == 0 || d == 1)) {
      return d == 1;
    }
    throw new DataFormatException(at(source, where) + ": \"iscrowd\" is " + v + "; expected 0,"
        + " 1, false or true", source, i, null);
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
      String what = "result #" + i;
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
      String what = "result #" + i;
      Map<?, ?> r = object(items.get(i), source, i, what);
      String image = image(r, images, gt, source, i);
      String cls = category(cats, number(r, "category_id", source, i, what), source, i, what);
      if (!(r.get("keypoints") instanceof List<?> kp)) {
        throw new DataFormatException(at(source, what) + " has no \"keypoints\" list;"
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
    String where = "result #" + i;
    String image = id(r.get("image_id"), "image_id", source, i, where);
    if (!images.contains(image)) {
      throw new DataFormatException(String.format(Locale.ROOT, "%s: image_id %s is not an image"
          + " of the ground truth %s; expected results for its %d images", at(source, where),
          image, gt.source(), gt.imageIds().size()), source, i, null);
    }
    return image;
  }

  /** Integers up to 2^53 are exact in a double. */
  private static final double MAX_EXACT = 9.007199254740992E15;

  /** {@code annotations[17] (id 345)}: the list, the index and the record's own id if any. */
  /** COCO's skeleton: a list of [a, b] pairs of 1-based keypoint indices. */
  private static List<KeypointSchema.Limb> skeleton(Object raw, int k, String source, int i,
      String where) {
    String expected = String.format(Locale.ROOT, "expected a list of [a, b] pairs of 1-based"
        + " keypoint indices in 1..%d", k);
    if (!(raw instanceof List<?> limbs)) {
      throw new DataFormatException(at(source, where) + ": \"skeleton\" is not a list; "
          + expected, source, i, null);
    }
    List<KeypointSchema.Limb> out = new ArrayList<>();
    for (int l = 0; l < limbs.size(); l++) {
      if (!(limbs.get(l) instanceof List<?> ab) || ab.size() != 2
          || !(ab.get(0) instanceof Double a) || !(ab.get(1) instanceof Double b)
          || a != Math.rint(a) || b != Math.rint(b) || a < 1 || b < 1 || a > k || b > k) {
        throw new DataFormatException(String.format(Locale.ROOT, "%s: skeleton[%d] is %s; %s",
            at(source, where), l, limbs.get(l), expected), source, i, null);
      }
      out.add(new KeypointSchema.Limb((int) (a - 1), (int) (b - 1)));
    }
    return out;
  }

  private static String record(String list, int i, Object id) {
    String shown = id instanceof Double d ? (d == Math.rint(d) && Math.abs(d) < 1e15
        ? Long.toString(d.longValue()) : d.toString()) : id instanceof String s ? "'" + s + "'"
        : null;
    return list + "[" + i + "]" + (shown == null ? "" : " (id " + shown + ")");
  }

  private static String at(String source, String where) {
    return source + ": " + where;
  }

  private static DataFormatException wrap(DataFormatException e, String source, int i,
      String where) {
    return new DataFormatException(at(source, where) + ": " + e.getMessage(), source, i, e);
  }

  private static List<?> list(Map<?, ?> m, String key, String source) {
    if (m.get(key) instanceof List<?> l) {
      return l;
    }
    throw new DataFormatException(source + " has no \"" + key + "\" list; expected a COCO"
        + " ground-truth file with images, annotations and categories", source, -1, null);
  }

  private static Map<?, ?> object(Object o, String source, int i, String where) {
    if (o instanceof Map<?, ?> m) {
      return m;
    }
    throw new DataFormatException(at(source, where) + " is not a JSON object", source, i, null);
  }

  private static double number(Map<?, ?> m, String key, String source, int i, String where) {
    if (m.get(key) instanceof Double d) {
      return d;
    }
    throw new DataFormatException(at(source, where) + ": \"" + key + "\" is "
        + (m.containsKey(key) ? "not a number" : "missing") + "; expected a number", source, i,
        null);
  }

  private static String string(Map<?, ?> m, String key, String source, int i, String where) {
    if (m.get(key) instanceof String s) {
      return s;
    }
    throw new DataFormatException(at(source, where) + ": \"" + key + "\" is missing or not a"
        + " string", source, i, null);
  }

  private static String id(Object o, String key, String source, int i, String where) {
    if (o instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
          : d.toString();
    }
    if (o instanceof String s) {
      return s;
    }
    throw new DataFormatException(at(source, where) + ": \"" + key + "\" is " + (o == null
        ? "missing" : o) + "; expected a number or a string", source, i, null);
  }

  private static String category(Map<Long, String> cats, double id, String source, int i,
      String where) {
    String name = cats.get((long) id);
    if (name == null || id != Math.rint(id)) {
      String shown = id == Math.rint(id) ? Long.toString((long) id) : Double.toString(id);
      throw new LabelException(String.format(Locale.ROOT, "%s: category_id %s is not one of the"
          + " %d categories of the ground truth %s", at(source, where), shown, cats.size(),
          new java.util.TreeMap<>(cats)), source, i);
    }
    return name;
  }

  private static double[] numbers(Object o, int n, String source, int i, String where,
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
        + " numbers", at(source, where), key, o, n), source, i, null);
  }

  private static float[][] triples(List<?> kp, String source, int i, String where) {
    if (kp.size() % 3 != 0) {
      throw new DataFormatException(String.format(Locale.ROOT, "%s: \"keypoints\" has %d values;"
          + " expected a multiple of 3 (x, y, v per keypoint)", at(source, where), kp.size()),
          source, i, null);
    }
    int k = kp.size() / 3;
    float[][] out = new float[3][k];
    for (int j = 0; j < kp.size(); j++) {
      if (!(kp.get(j) instanceof Double d)) {
        throw new DataFormatException(at(source, where) + ": \"keypoints\" value " + j
            + " is not a number", source, i, null);
      }
      out[j % 3][j / 3] = d.floatValue();
    }
    return out;
  }
}
