package dev.groundwork.core.report;

import java.util.Base64;
import java.util.Locale;

/**
 * Text helpers for reports: HTML and Markdown escaping and the number formats every report uses.
 * Everything a report shows that came from data or from a user goes through {@link #escape}.
 */
public final class Html {

  private Html() {}

  /** Escapes text for HTML element content and attribute values ({@code < > & " '}). */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  /**
   * Escapes text for Markdown: table pipes, backslashes, HTML brackets and the characters that
   * start emphasis, links or code; newlines become spaces.
   */
  public static String markdown(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\', '|', '*', '_', '`', '[', ']', '#' -> b.append('\\').append(ch);
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '\n', '\r' -> b.append(' ');
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  /** An anchor id made of {@code [a-z0-9-]} from any text ({@code "Step 1: Choose"} → {@code step-1-choose}). */
  public static String anchor(String text) {
    String a = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+|-+$", "");
    return a.isEmpty() ? "section" : a;
  }

  /** A percentage with one decimal, {@code 81.3%}; {@code –} for NaN. */
  static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "–";
  }

  /** Four significant digits, {@code –} for NaN. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "−∞";
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  /** A fixed-point number with {@code decimals} decimals, {@code –} for NaN. */
  static String fixed(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "–";
  }

  /** A p- or q-value: 4 decimals, or scientific below 0.001. */
  static String p(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (v < 1e-300) {
      return "<1e-300";
    }
    return v < 1e-3 ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.4f", v);
  }

  /** A {@code data:} URI of an SVG document, for Markdown images. */
  static String svgDataUri(String svg) {
    return "data:image/svg+xml;base64,"
        + Base64.getEncoder().encodeToString(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
