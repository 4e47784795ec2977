package dev.groundwork.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts, written by hand: line charts (linear or log x), a heatmap, a
 * reliability diagram and horizontal bars with intervals. Every label is escaped; every chart has
 * a {@code <title>} and an {@code aria-label}, and its marks carry {@code data-} attributes with
 * the numbers they draw, so a test can read them back from the DOM.
 */
final class Svg {

  static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
      "#8c564b"};
  private static final int W = 640;
  private static final int H = 300;
  private static final int LEFT = 72;
  private static final int RIGHT = 16;
  private static final int TOP = 30;
  private static final int BOTTOM = 44;

  private Svg() {}

  /** A named series of points; non-finite y values break the line. */
  record Series(String name, double[] x, double[] y, boolean dashed) {}

  /** One horizontal bar: a value with an optional interval ({@code NaN} ends for none). */
  record Bar(String label, double value, double low, double high, String note) {}

  /** A line chart; {@code markerX} (NaN for none) draws a labelled vertical line. */
  static String lines(String title, String xLabel, String yLabel, List<Series> series,
      boolean logX, double markerX, String markerLabel) {
    return lines(title, xLabel, yLabel, series, logX, markerX, markerLabel, Double.NaN);
  }

  /**
   * A line chart whose y axis ends at {@code yMax} when the data go higher (NaN: at the data's
   * maximum); points above it are drawn on the top edge.
   */
  static String lines(String title, String xLabel, String yLabel, List<Series> series,
      boolean logX, double markerX, String markerLabel, double yMax) {
    double[] xr = range(series, true, logX);
    double[] yr = range(series, false, false);
    if (Double.isFinite(yMax) && yMax > yr[0] && yMax < yr[1]) {
      yr[1] = yMax;
    }
    if (yr[0] == yr[1]) {
      yr = new double[] {yr[0] - 0.5, yr[1] + 0.5};
    }
    if (xr[0] == xr[1]) {
      xr = logX ? new double[] {xr[0] / 10, xr[1] * 10} : new double[] {xr[0] - 1, xr[1] + 1};
    }
    double[] xRange = xr;
    double[] yRange = yr;
    StringBuilder b = open(title, "line-chart");
    axes(b, xLabel, yLabel);
    // y ticks
    List<Double> yt = ticks(yRange[0], yRange[1]);
    for (double t : yt) {
      double py = py(t, yRange);
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
          + "stroke=\"#e5e5e5\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
          + "font-size=\"11\">%s</text>", LEFT, W - RIGHT, py, py, LEFT - 6, py + 4,
          tick(t, yt)));
    }
    // x ticks
    List<Double> xt = logX ? logTicks(xRange[0], xRange[1]) : ticks(xRange[0], xRange[1]);
    for (double t : xt) {
      double px = px(t, xRange, logX);
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
          + "font-size=\"11\">%s</text>", px, H - BOTTOM + 16,
          logX ? String.format(Locale.ROOT, "%.0e", t) : tick(t, xt)));
    }
    for (int s = 0; s < series.size(); s++) {
      Series ser = series.get(s);
      String color = PALETTE[s % PALETTE.length];
      StringBuilder d = new StringBuilder();
      boolean pen = false;
      for (int i = 0; i < ser.x().length; i++) {
        double x = ser.x()[i];
        double y = ser.y()[i];
        if (!Double.isFinite(y) || !Double.isFinite(x) || (logX && x <= 0)) {
          pen = false;
          continue;
        }
        d.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f",
            px(x, xRange, logX), py(y, yRange)));
        pen = true;
      }
      b.append("<path class=\"series\" data-series=\"").append(Html.escape(ser.name()))
          .append("\" data-points=\"").append(ser.x().length).append("\" fill=\"none\" stroke=\"")
          .append(color).append("\" stroke-width=\"1.8\"")
          .append(ser.dashed() ? " stroke-dasharray=\"5 3\"" : "").append(" d=\"")
          .append(d.toString().trim()).append("\"/>");
      if (ser.x().length <= 30) {
        for (int i = 0; i < ser.x().length; i++) {
          if (Double.isFinite(ser.y()[i])) {
            b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
                + "fill=\"%s\"/>", px(ser.x()[i], xRange, logX), py(ser.y()[i], yRange), color));
          }
        }
      }
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" "
          + "fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
          W - RIGHT - 150, TOP + 4 + 14 * s, color, W - RIGHT - 134, TOP + 9 + 14 * s,
          Html.escape(ser.name())));
    }
    if (Double.isFinite(markerX) && (!logX || markerX > 0)) {
      double px = px(markerX, xRange, logX);
      b.append(String.format(Locale.ROOT, "<line class=\"marker\" data-x=\"%s\" x1=\"%.1f\" "
          + "x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#444\" stroke-dasharray=\"3 3\"/>"
          + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>", Html.num(markerX), px, px,
          TOP, H - BOTTOM, px + 4, H - BOTTOM - 6, Html.escape(markerLabel)));
    }
    return b.append("</svg>").toString();
  }

  /**
   * A heatmap of counts (rows true, columns predicted), shaded by the row's share; every cell is a
   * {@code <rect class="cell">} with {@code data-row}, {@code data-col} and {@code data-count}.
   */
  static String heatmap(String title, List<String> labels, long[][] counts) {
    int c = labels.size();
    int cell = Math.max(18, Math.min(44, 440 / Math.max(1, c)));
    int left = 120;
    int top = 110;
    int w = left + c * cell + 20;
    int h = top + c * cell + 40;
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart heatmap\" role=\"img\" "
            + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" aria-label=\"%s\"><title>%s</title>",
        w, h, w, h, Html.escape(title), Html.escape(title)));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" font-size=\"12\" "
        + "font-weight=\"bold\">%s</text>", left, Html.escape(title)));
    for (int i = 0; i < c; i++) {
      String label = Html.escape(shorten(labels.get(i), 16));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
          + "font-size=\"11\">%s</text>", left - 6, top + i * cell + cell / 2 + 4, label));
      int x = left + i * cell + cell / 2;
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" "
          + "transform=\"rotate(-45 %d %d)\">%s</text>", x, top - 6, x, top - 6, label));
    }
    for (int r = 0; r < c; r++) {
      long sum = 0;
      for (long v : counts[r]) {
        sum += v;
      }
      for (int k = 0; k < c; k++) {
        long v = counts[r][k];
        double share = sum == 0 ? 0 : (double) v / sum;
        String fill = r == k ? shade(share, 31, 119, 180) : shade(share, 214, 39, 40);
        b.append(String.format(Locale.ROOT, "<rect class=\"cell\" data-row=\"%d\" data-col=\"%d\" "
            + "data-count=\"%d\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
            + "stroke=\"#fff\"><title>%s → %s: %d (%s of the row)</title></rect>", r, k, v,
            left + k * cell, top + r * cell, cell, cell, fill, Html.escape(labels.get(r)),
            Html.escape(labels.get(k)), v, Html.pct(share)));
        if (v > 0) {
          b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
              + "font-size=\"%d\" fill=\"%s\" pointer-events=\"none\">%d</text>",
              left + k * cell + cell / 2, top + r * cell + cell / 2 + 4, cell < 26 ? 8 : 11,
              share > 0.5 ? "#fff" : "#222", v));
        }
      }
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">rows: true "
        + "class · columns: predicted class · shade: share of the row</text>", left,
        top + c * cell + 24));
    return b.append("</svg>").toString();
  }

  /**
   * A reliability diagram: one bar per non-empty confidence bin at its accuracy, the mean
   * confidence as a dot, and the diagonal of perfect calibration.
   */
  static String reliability(String title, double[] lower, double[] upper, int[] count,
      double[] confidence, double[] accuracy) {
    double[] unit = {0, 1};
    StringBuilder b = open(title, "reliability");
    axes(b, "confidence (top-class probability)", "accuracy");
    for (double t : new double[] {0, 0.25, 0.5, 0.75, 1}) {
      double py = py(t, unit);
      double px = px(t, unit, false);
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
          + "font-size=\"11\">%.2f</text><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
          + "font-size=\"11\">%.2f</text>", LEFT - 6, py + 4, t, px, H - BOTTOM + 16, t));
    }
    b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
        + "stroke=\"#888\" stroke-dasharray=\"4 3\"/>", px(0, unit, false), py(0, unit),
        px(1, unit, false), py(1, unit)));
    for (int i = 0; i < count.length; i++) {
      if (count[i] == 0) {
        continue;
      }
      double x0 = px(lower[i], unit, false);
      double x1 = px(upper[i], unit, false);
      double y = py(accuracy[i], unit);
      b.append(String.format(Locale.ROOT, "<rect class=\"bin\" data-count=\"%d\" "
          + "data-accuracy=\"%s\" data-confidence=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
          + "height=\"%.1f\" fill=\"#1f77b4\" fill-opacity=\"0.75\" stroke=\"#fff\"><title>"
          + "[%.2f, %.2f): n=%d, accuracy %s, mean confidence %s</title></rect>", count[i],
          Html.num(accuracy[i]), Html.num(confidence[i]), x0, y, x1 - x0, H - BOTTOM - y,
          lower[i], upper[i], count[i], Html.pct(accuracy[i]), Html.pct(confidence[i])));
      b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
          + "fill=\"#d62728\"/>", px(confidence[i], unit, false), y));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">bars: "
        + "accuracy per bin · red dot: mean confidence · dashed: perfect calibration</text>",
        LEFT + 8, TOP + 12));
    return b.append("</svg>").toString();
  }

  /**
   * Horizontal bars (values in [0, 1], shown as percentages) with interval whiskers and a dashed
   * reference line; each bar is a {@code <rect class="bar">} with its numbers as data attributes.
   */
  static String bars(String title, String axisLabel, List<Bar> bars, double reference,
      String referenceLabel) {
    int row = 24;
    int left = 290;
    int top = 34;
    int w = W;
    int h = top + bars.size() * row + 40;
    double max = Double.isFinite(reference) ? reference : 0;
    for (Bar bar : bars) {
      double end = Double.isFinite(bar.high()) ? bar.high() : bar.value();
      max = Double.isFinite(end) ? Math.max(max, end) : max;
    }
    max = Math.min(1, Math.max(0.05, max * 1.1));
    int plot = w - left - 90;
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart bars\" role=\"img\" "
            + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" aria-label=\"%s\"><title>%s</title>",
        w, h, w, h, Html.escape(title), Html.escape(title)));
    b.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"16\" font-size=\"12\" "
        + "font-weight=\"bold\">%s</text>", Html.escape(title)));
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int y = top + i * row;
      double bw = Double.isFinite(bar.value()) ? plot * Math.max(0, bar.value()) / max : 0;
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
          + "font-size=\"11\">%s<title>%s</title></text>", left - 6, y + 15,
          Html.escape(shorten(bar.label(), 38)), Html.escape(bar.label())));
      b.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-value=\"%s\" data-low=\"%s\" "
          + "data-high=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"><title>"
          + "%s: %s%s</title></rect>", Html.num(bar.value()), Html.num(bar.low()),
          Html.num(bar.high()), left, y + 3, bw, PALETTE[0], Html.escape(bar.label()),
          Html.pct(bar.value()), Double.isFinite(bar.low()) ? " [" + Html.pct(bar.low()) + ", "
              + Html.pct(bar.high()) + "]" : ""));
      if (Double.isFinite(bar.low()) && Double.isFinite(bar.high())) {
        double lo = left + plot * bar.low() / max;
        double hi = left + plot * Math.min(bar.high(), max) / max;
        b.append(String.format(Locale.ROOT, "<path class=\"interval\" d=\"M%.1f %d V%d M%.1f %d "
            + "H%.1f M%.1f %d V%d\" stroke=\"#222\" stroke-width=\"1.3\" fill=\"none\"/>", lo,
            y + 6, y + 16, lo, y + 11, hi, hi, y + 6, y + 16));
      }
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s%s</text>",
          left + plot + 6, y + 15, Html.pct(bar.value()),
          bar.note().isEmpty() ? "" : " " + Html.escape(bar.note())));
    }
    if (Double.isFinite(reference)) {
      double x = left + plot * reference / max;
      b.append(String.format(Locale.ROOT, "<line class=\"reference\" x1=\"%.1f\" x2=\"%.1f\" "
          + "y1=\"%d\" y2=\"%d\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/><text x=\"%.1f\" "
          + "y=\"%d\" font-size=\"11\" fill=\"#d62728\">%s</text>", x, x, top,
          top + bars.size() * row, x + 3, top + bars.size() * row + 14,
          Html.escape(referenceLabel)));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s (0 – %s)"
        + "</text>", left, h - 6, Html.escape(axisLabel), Html.pct(max)));
    return b.append("</svg>").toString();
  }

  private static StringBuilder open(String title, String kind) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart %s\" role=\"img\" "
            + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" aria-label=\"%s\"><title>%s</title>",
        kind, W, H, W, H, Html.escape(title), Html.escape(title)));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"12\" "
        + "font-weight=\"bold\">%s</text>", LEFT, Html.escape(title)));
    return b;
  }

  private static void axes(StringBuilder b, String xLabel, String yLabel) {
    b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
        + "stroke=\"#333\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
        LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, LEFT, TOP, LEFT, H - BOTTOM));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
        + "font-size=\"11\">%s</text>", (LEFT + W - RIGHT) / 2, H - 8, Html.escape(xLabel)));
    b.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" "
        + "font-size=\"11\" transform=\"rotate(-90 14 %d)\">%s</text>", (TOP + H - BOTTOM) / 2,
        (TOP + H - BOTTOM) / 2, Html.escape(yLabel)));
  }

  private static double px(double x, double[] r, boolean log) {
    double t = log ? (Math.log10(x) - Math.log10(r[0])) / (Math.log10(r[1]) - Math.log10(r[0]))
        : (x - r[0]) / (r[1] - r[0]);
    return LEFT + t * (W - LEFT - RIGHT);
  }

  private static double py(double y, double[] r) {
    return H - BOTTOM - (Math.min(y, r[1]) - r[0]) / (r[1] - r[0]) * (H - TOP - BOTTOM);
  }

  /** A tick label with as many decimals as the tick step needs ({@code 2}, {@code 0.2}, {@code 8e-04}). */
  static String tick(double v, List<Double> ticks) {
    double step = ticks.size() > 1 ? Math.abs(ticks.get(1) - ticks.get(0)) : Math.abs(v);
    if (v == 0) {
      return "0";
    }
    if (step < 1e-3 || Math.abs(v) >= 1e6) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static double[] range(List<Series> series, boolean xAxis, boolean log) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      double[] v = xAxis ? s.x() : s.y();
      for (double d : v) {
        if (Double.isFinite(d) && (!log || d > 0)) {
          lo = Math.min(lo, d);
          hi = Math.max(hi, d);
        }
      }
    }
    if (lo > hi) {
      return log ? new double[] {1e-3, 1} : new double[] {0, 1};
    }
    return new double[] {lo, hi};
  }

  /** About five round ticks within [lo, hi]. */
  static List<Double> ticks(double lo, double hi) {
    double span = hi - lo;
    double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (span / (step * m) <= 6) {
        step *= m;
        break;
      }
    }
    List<Double> t = new ArrayList<>();
    for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return t;
  }

  private static List<Double> logTicks(double lo, double hi) {
    List<Double> t = new ArrayList<>();
    for (int e = (int) Math.ceil(Math.log10(lo) - 1e-9); e <= Math.floor(Math.log10(hi) + 1e-9);
        e++) {
      t.add(Math.pow(10, e));
    }
    return t;
  }

  private static String shade(double share, int r, int g, int b) {
    double t = Math.sqrt(Math.max(0, Math.min(1, share)));
    return String.format(Locale.ROOT, "rgb(%d,%d,%d)", (int) Math.round(255 + (r - 255) * t),
        (int) Math.round(255 + (g - 255) * t), (int) Math.round(255 + (b - 255) * t));
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
