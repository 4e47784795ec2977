package dev.groundwork.core.analysis.detection;

import dev.groundwork.core.data.DataFormatException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * COCO files through Groundwork's shared strict JSON reader ({@link dev.groundwork.core.data.Json}):
 * objects become {@link LinkedHashMap}s, arrays {@link ArrayList}s, numbers {@link Double}s, plus
 * {@link String}, {@link Boolean} and {@code null}. Errors name the source and the line.
 */
final class Json {

  private Json() {}

  /** Parses one JSON value filling the whole text. */
  static Object parse(String text, String source) {
    Object raw;
    try {
      raw = new dev.groundwork.core.data.Json(text).document();
    } catch (dev.groundwork.core.data.Json.Error e) {
      int line = 1;
      for (int i = 0; i < e.pos && i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      throw new DataFormatException(source + " line " + line + ": " + e.getMessage()
          + "; expected valid JSON", source, line, null);
    }
    return convert(raw);
  }

  private static Object convert(Object v) {
    if (v == dev.groundwork.core.data.Json.NULL) {
      return null;
    }
    if (v instanceof dev.groundwork.core.data.Json.Num n) {
      return n.value();
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(convert(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put((String) e.getKey(), convert(e.getValue()));
      }
      return out;
    }
    return v;
  }
}
