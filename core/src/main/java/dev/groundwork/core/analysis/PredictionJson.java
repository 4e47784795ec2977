package dev.groundwork.core.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) parser for one line: objects become {@link LinkedHashMap}s, arrays
 * {@link List}s, numbers {@link Num} (keeping their text), {@code null} the {@link #NULL} marker.
 */
final class PredictionJson {
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** A JSON number with its source text. */
  record Num(String text) {}

  /** A syntax error at a character position. */
  static final class Error extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int pos;

    Error(String message, int pos) {
      super(message, null, false, false);
      this.pos = pos;
    }
  }

  private final String s;
  private int i;

  PredictionJson(String s) {
    this.s = s;
  }

  Object parse() {
    Object v = value();
    ws();
    if (i < s.length()) {
      throw new Error("unexpected text after the value", i);
    }
    return v;
  }

  private void ws() {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r'
        || s.charAt(i) == '\n')) {
      i++;
    }
  }

  private Object value() {
    ws();
    if (i >= s.length()) {
      throw new Error("unexpected end of line", i);
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
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
        throw new Error("unexpected character '" + c + "'", i);
    }
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, i)) {
      throw new Error("expected " + word, i);
    }
    i += word.length();
    return v;
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    ws();
    if (i < s.length() && s.charAt(i) == '}') {
      i++;
      return m;
    }
    while (true) {
      ws();
      if (i >= s.length() || s.charAt(i) != '"') {
        throw new Error("expected a key in quotes", i);
      }
      int at = i;
      String key = string();
      ws();
      expect(':');
      Object v = value();
      if (m.put(key, v) != null) {
        throw new Error("duplicate key \"" + key + "\"", at);
      }
      ws();
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
        continue;
      }
      expect('}');
      return m;
    }
  }

  private List<Object> array() {
    List<Object> l = new ArrayList<>();
    i++;
    ws();
    if (i < s.length() && s.charAt(i) == ']') {
      i++;
      return l;
    }
    while (true) {
      l.add(value());
      ws();
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
        continue;
      }
      expect(']');
      return l;
    }
  }

  private void expect(char c) {
    if (i >= s.length() || s.charAt(i) != c) {
      throw new Error("expected '" + c + "'", i);
    }
    i++;
  }

  private String string() {
    i++;
    StringBuilder b = new StringBuilder();
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        if (i >= s.length()) {
          break;
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw new Error("truncated \\u escape", i);
            }
            try {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException ex) {
              throw new Error("bad \\u escape", i);
            }
            i += 4;
          }
          default -> throw new Error("bad escape \\" + e, i - 1);
        }
      } else if (c < 0x20) {
        throw new Error("control character in a string", i - 1);
      } else {
        b.append(c);
      }
    }
    throw new Error("unterminated string", i);
  }

  private Num number() {
    int start = i;
    if (s.charAt(i) == '-') {
      i++;
    }
    int digits = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == digits) {
      throw new Error("expected a digit", i);
    }
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      int frac = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == frac) {
        throw new Error("expected a digit after '.'", i);
      }
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == exp) {
        throw new Error("expected a digit in the exponent", i);
      }
    }
    return new Num(s.substring(start, i));
  }
}
