package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.LabelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Shared checks and indexing of classes and images. */
final class Inputs {
  private Inputs() {}

  /** Checks a class list: non-empty, unique names. */
  static List<String> classes(List<String> classes) {
    List<String> copy = List.copyOf(classes);
    InvalidParameterException.check(!copy.isEmpty(), "the class list is empty; expected the"
        + " names of the classes to evaluate");
    InvalidParameterException.check(new java.util.HashSet<>(copy).size() == copy.size(),
        "the class list %s repeats a name; expected unique class names", copy);
    return copy;
  }

  /** Class name → index. */
  static Map<String, Integer> classIndex(List<String> classes) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      m.put(classes.get(i), i);
    }
    return m;
  }

  /** The index of a record's class, or a {@link LabelException} naming the record. */
  static int classOf(Map<String, Integer> index, List<String> classes, String className,
      String what, int record, String imageId) {
    Integer k = index.get(className);
    if (k == null) {
      throw new LabelException(String.format(Locale.ROOT,
          "%s #%d (image '%s'): class '%s' is not one of the evaluator's %d classes %s;"
              + " fix the label or add the class to the evaluator", what, record, imageId,
          className, classes.size(), abbreviate(classes)), null, record);
    }
    return k;
  }

  static String abbreviate(List<String> classes) {
    if (classes.size() <= 12) {
      return classes.toString();
    }
    return classes.subList(0, 12).toString().replace("]", ", ...]");
  }

  /** Image ids in order of first appearance. */
  static final class Images {
    final Map<String, Integer> index = new LinkedHashMap<>();

    int of(String imageId) {
      return index.computeIfAbsent(imageId, x -> index.size());
    }

    List<String> ids() {
      return new ArrayList<>(index.keySet());
    }

    int size() {
      return index.size();
    }
  }
}
