package dev.groundwork.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A compact text table for {@code toString()}: left-aligned text, right-aligned numbers. */
final class ClassificationTable {
  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] right;

  ClassificationTable(String... header) {
    rows.add(header);
    right = new boolean[header.length];
  }

  ClassificationTable row(Object... cells) {
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      Object c = cells[i];
      r[i] = c instanceof Double d ? num(d) : String.valueOf(c);
      if (c instanceof Number && i < right.length) {
        right[i] = true;
      }
    }
    rows.add(r);
    return this;
  }

  int size() {
    return rows.size() - 1;
  }

  static String num(double d) {
    if (Double.isNaN(d)) {
      return "–";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return String.format(Locale.ROOT, "%.3f", d);
  }

  static String pValue(double p) {
    if (p < 1e-300) {
      return "<1e-300";
    }
    return p < 1e-3 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f",
        p);
  }

  static String pct(double d) {
    return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * d);
  }

  String render(String indent) {
    int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] w = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      b.append(indent);
      for (int i = 0; i < r.length; i++) {
        String cell = r[i];
        String pad = " ".repeat(w[i] - cell.length());
        b.append(i < right.length && right[i] ? pad + cell : cell + pad);
        if (i < r.length - 1) {
          b.append("  ");
        }
      }
      int end = b.length();
      while (end > 0 && b.charAt(end - 1) == ' ') {
        end--;
      }
      b.setLength(end);
      b.append('\n');
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return render("");
  }
}
