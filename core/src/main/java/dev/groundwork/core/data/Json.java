package dev.groundwork.core.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict JSON (RFC 8259) reader Groundwork's file loaders share (JSONL tables, prediction
 * files, COCO annotations): objects become {@link LinkedHashMap}s (a duplicate key is an error),
 * arrays lists, numbers {@link Num}s that keep the text they were written as, {@code null} the
 * {@link #NULL} marker. Errors carry the zero-based character position; each loader turns them into
 * a {@link DataFormatException} naming its file and line. Internal: not a general JSON API.
 */
public final class Json {
  /** The JSON {@code null}. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** A number with the text it was written as. */
  public record Num(String text, double value) {}

  /** A syntax error at a zero-based character position. */
  public static final class Error extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The zero-based character position of the error. */
    public final int pos;

    Error(int pos, String message) {
      super(message, null, false, false);
      this.pos = pos;
    }
  }

  private final String s;
  private int pos;

  /** A reader of one JSON text. */
  public Json(String s) {
    this.s = s;
  }

  /** {@code a string}, {@code a number}, … for messages. */
  public static String typeName(Object v) {
    return v instanceof String ? "a string" : v instanceof Num ? "a number"
        : v instanceof Boolean ? "a boolean" : v instanceof List ? "an array"
        : v instanceof Map ? "an object" : "null";
  }

  /** Parses the one value that fills the text. */
  public Object document() {
    Object v = value(0);
    space();
    if (pos < s.length()) {
      throw new Error(pos, "unexpected '" + s.charAt(pos) + "' after the value");
    }
    return v;
  }

  private Object value(int depth) {
    if (depth > 200) {
      throw new Error(pos, "nested too deeply");
    }
    space();
    if (pos >= s.length()) {
      throw new Error(pos, "expected a value, found the end of the line");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new Error(pos, "unexpected '" + c + "'");
    }
  }

  private Map<String, Object> object(int depth) {
    pos++;
    Map<String, Object> map = new LinkedHashMap<>();
    space();
    if (at('}')) {
      return map;
    }
    while (true) {
      space();
      if (pos >= s.length() || s.charAt(pos) != '"') {
        throw new Error(pos, "expected a key in double quotes");
      }
      int keyPos = pos;
      String key = string();
      space();
      if (!at(':')) {
        throw new Error(pos, "expected ':' after the key");
      }
      if (map.put(key, value(depth + 1)) != null) {
        throw new Error(keyPos, "duplicate key '" + key + "'");
      }
      space();
      if (at('}')) {
        return map;
      }
      if (!at(',')) {
        throw new Error(pos, "expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    pos++;
    List<Object> list = new ArrayList<>();
    space();
    if (at(']')) {
      return list;
    }
    while (true) {
      list.add(value(depth + 1));
      space();
      if (at(']')) {
        return list;
      }
      if (!at(',')) {
        throw new Error(pos, "expected ',' or ']'");
      }
    }
  }

  private String string() {
    int start = pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw new Error(start, "string never closed");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      } else if (c < 0x20) {
        throw new Error(pos - 1, "control character in a string; escape it");
      } else if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = pos < s.length() ? s.charAt(pos++) : ' ';
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          int code = 0;
          for (int k = 0; k < 4; k++) {
            int d = pos < s.length() ? Character.digit(s.charAt(pos), 16) : -1;
            if (d < 0) {
              throw new Error(pos, "expected four hex digits after \\u");
            }
            code = code * 16 + d;
            pos++;
          }
          sb.append((char) code);
        }
        default -> throw new Error(pos - 1, "invalid escape '\\" + e + "'");
      }
    }
  }

  private Num number() {
    int start = pos;
    at('-');
    if (!at('0')) {
      if (digits() == 0) {
        throw new Error(pos, "expected a digit");
      }
    }
    if (at('.') && digits() == 0) {
      throw new Error(pos, "expected a digit after '.'");
    }
    if (at('e') || at('E')) {
      if (!at('+')) {
        at('-');
      }
      if (digits() == 0) {
        throw new Error(pos, "expected a digit in the exponent");
      }
    }
    String text = s.substring(start, pos);
    return new Num(text, Double.parseDouble(text));
  }

  private int digits() {
    int start = pos;
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    return pos - start;
  }

  private Object literal(String word, Object value) {
    if (!s.startsWith(word, pos)) {
      throw new Error(pos, "expected '" + word + "'");
    }
    pos += word.length();
    return value;
  }

  private boolean at(char c) {
    if (pos < s.length() && s.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void space() {
    while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
  }
}
