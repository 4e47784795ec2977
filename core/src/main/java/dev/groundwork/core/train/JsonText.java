package dev.groundwork.core.train;

import dev.groundwork.core.Provenance;
import java.util.Map;

/** Writes the few JSON values the fit loop's files need. Internal. */
final class JsonText {

  private JsonText() {}

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** A JSON object of strings. */
  static String object(Map<String, String> map) {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> e : map.entrySet()) {
      sb.append(first ? "" : ",").append(quote(e.getKey())).append(':').append(quote(e.getValue()));
      first = false;
    }
    return sb.append('}').toString();
  }

  /** A provenance as a JSON object. */
  static String provenance(Provenance p) {
    return "{\"seed\":" + p.seed() + ",\"backend\":" + quote(p.backend()) + ",\"dataset\":"
        + quote(p.datasetFingerprint()) + ",\"runtime\":" + quote(p.runtime()) + ",\"config\":"
        + object(p.config()) + "}";
  }
}
