package dev.groundwork.core.look;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.data.TextInput;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Examples picked by a {@link Look}, ready to look at: a PNG grid of captioned tiles for image
 * inputs, a table for any input (texts included), and Markdown/HTML fragments for reports.
 *
 * <p>The grid: a title strip (the pick and how many qualified, then a legend), then one cell per
 * example: the image upscaled by an integer factor (nearest neighbour, so pixels stay exact) over a
 * white caption strip of three lines — the true class (black), the predicted class (green when
 * right, red when wrong) and the confidence. Cells are {@value #GAP} pixels apart on a grey
 * background. Text is drawn with a built-in 5 × 7 bitmap font, so the PNG is the same on every
 * machine, with or without installed fonts.
 *
 * <pre>{@code
 * Gallery g = Look.at(test, probs).confidentMistakes(16);
 * g.writePng(Path.of("mistakes.png"));
 * g.items().get(0).id();                 // the most confident mistake
 * String html = g.toHtml();              // <figure> with the PNG as a data: URI and the table
 * }</pre>
 */
public final class Gallery {

  /** Which examples a gallery holds. */
  public enum Kind {
    /** The first examples of each true class. */
    PER_CLASS,
    /** Wrong predictions, most confident first. */
    CONFIDENT_MISTAKES,
    /** Right predictions, least confident first. */
    UNSURE_CORRECT
  }

  /** Pixels between cells and around the grid. */
  public static final int GAP = 4;
  /** The grey between cells. */
  public static final int BACKGROUND_RGB = 0xE0E0E0;
  /** The caption strip's background. */
  public static final int CAPTION_RGB = 0xFFFFFF;
  /** The true class and title text. */
  public static final int TEXT_RGB = 0x000000;
  /** The predicted class when it is right. */
  public static final int RIGHT_RGB = 0x1B7A1B;
  /** The predicted class when it is wrong. */
  public static final int WRONG_RGB = 0xC62828;
  /** Lines in a caption strip. */
  public static final int CAPTION_LINES = 3;
  /** The narrowest cell, in characters of the caption font. */
  public static final int MIN_CELL_CHARS = 10;

  private final Kind kind;
  private final String title;
  private final List<GalleryItem> items;
  private final int candidates;
  private final int perClass;
  private final ClassificationPredictions predictions;
  private final GalleryStyle style;

  Gallery(Kind kind, String title, List<GalleryItem> items, int candidates, int perClass,
      ClassificationPredictions predictions) {
    this(kind, title, items, candidates, perClass, predictions, GalleryStyle.defaults());
  }

  private Gallery(Kind kind, String title, List<GalleryItem> items, int candidates, int perClass,
      ClassificationPredictions predictions, GalleryStyle style) {
    this.kind = kind;
    this.title = title;
    this.items = List.copyOf(items);
    this.candidates = candidates;
    this.perClass = perClass;
    this.predictions = predictions;
    this.style = style;
  }

  /** Which pick this is. */
  public Kind kind() {
    return kind;
  }

  /** The title, e.g. {@code most confident mistakes: 16 of 87}. */
  public String title() {
    return title;
  }

  /** The picked examples, in the order shown. */
  public List<GalleryItem> items() {
    return items;
  }

  /** The number of picked examples. */
  public int size() {
    return items.size();
  }

  /** The ids of the picked examples, in the order shown. */
  public List<String> ids() {
    return items.stream().map(GalleryItem::id).toList();
  }

  /**
   * How many examples qualified for the pick (all mistakes, all right predictions, or every
   * example for a per-class gallery).
   */
  public int candidates() {
    return candidates;
  }

  /**
   * The predictions the examples were picked from: their {@code fingerprint()} ties the gallery
   * to the exact outputs, their {@code dataset()} holds the inputs.
   */
  public ClassificationPredictions predictions() {
    return predictions;
  }

  /** The drawing style. */
  public GalleryStyle style() {
    return style;
  }

  /** The same examples drawn with another style. */
  public Gallery withStyle(GalleryStyle newStyle) {
    Objects.requireNonNull(newStyle, "style");
    return new Gallery(kind, title, items, candidates, perClass, predictions, newStyle);
  }

  /** Whether the examples are images that {@link #image()} can draw. */
  public boolean hasImages() {
    return predictions.dataset().map(d -> imageSpec(d.spec())).orElse(false);
  }

  private static boolean imageSpec(DatasetSpec s) {
    int[] shape = s.inputShape();
    return s.inputKind() == InputKind.TENSOR && shape.length == 3
        && (shape[0] == 1 || shape[0] == 3);
  }

  // ------------------------------------------------------------------ drawing

  /**
   * The grid of captioned tiles.
   *
   * @throws InvalidParameterException if the predictions carry no dataset, the inputs are not
   *     C×H×W images with 1 or 3 channels, or a pixel value lies outside [0, 1]
   */
  public BufferedImage image() {
    Dataset d = predictions.dataset().orElseThrow(() -> new InvalidParameterException(
        "predictions from '" + predictions.source() + "' carry no dataset, so there are no "
            + "images to draw; use Look.at(dataset, predictions) or Look.at(dataset, "
            + "probabilities), or print the table (toString)"));
    DatasetSpec spec = d.spec();
    if (!imageSpec(spec)) {
      throw new InvalidParameterException("dataset '" + d.name() + "' has " + spec.inputKind()
          + " inputs of shape " + java.util.Arrays.toString(spec.inputShape()) + "; tiles need "
          + "images of C×H×W with C = 1 or 3 — for texts and features use toString(), "
          + "toMarkdown() or toHtml()");
    }
    int[] shape = spec.inputShape();
    int t = style.textScale();
    int s = style.scaleFor(shape[1], shape[2]);
    int tileW = shape[2] * s;
    int tileH = shape[1] * s;
    int cellW = Math.max(tileW, MIN_CELL_CHARS * BitmapFont.ADVANCE * t);
    int captionH = captionHeight(t);
    int titleH = 2 * BitmapFont.LINE * t;
    boolean byClass = kind == Kind.PER_CLASS && style.columns() == 0;
    int cols = style.columns() > 0 ? style.columns()
        : byClass ? perClass : Math.max(1, Math.min(items.size(), 8));
    int rows = byClass ? predictions.numClasses() : (items.size() + cols - 1) / cols;
    int width = GAP + cols * (cellW + GAP);
    int height = GAP + titleH + GAP + rows * (tileH + captionH + GAP);
    Raster r = new Raster(width, height, BACKGROUND_RGB);
    int chars = BitmapFont.fit(width - 2 * GAP, t);
    BitmapFont.draw(r, BitmapFont.clip(title, chars), GAP, GAP, t, TEXT_RGB);
    BitmapFont.draw(r, BitmapFont.clip("true / predicted / confidence", chars), GAP,
        GAP + BitmapFont.LINE * t, t, TEXT_RGB);
    int[] rank = new int[predictions.numClasses()];
    for (int k = 0; k < items.size(); k++) {
      GalleryItem it = items.get(k);
      int row = byClass ? it.label() : k / cols;
      int col = byClass ? rank[it.label()]++ : k % cols;
      int x = GAP + col * (cellW + GAP);
      int y = GAP + titleH + GAP + row * (tileH + captionH + GAP);
      String what = "example '" + it.id() + "' (index " + it.index() + ") of dataset '"
          + d.name() + "'";
      TensorInput img = Raster.checkImage(d.input(it.index()), what);
      if (!spec.matchesShape(img.shape())) {
        throw new InvalidParameterException(what + " has shape "
            + java.util.Arrays.toString(img.shape()) + " but the dataset's spec says "
            + java.util.Arrays.toString(shape) + "; a gallery needs one image size");
      }
      r.image(img, x + (cellW - tileW) / 2, y, s);
      caption(r, it, x, y + tileH, cellW, t);
    }
    return r.toImage();
  }

  /** The caption strip's height at text scale {@code t}. */
  static int captionHeight(int t) {
    return 2 * t + CAPTION_LINES * BitmapFont.LINE * t;
  }

  /** The three caption lines of an item. */
  static List<String> captionLines(GalleryItem it) {
    return List.of(it.labelName(), it.predictedName(),
        String.format(Locale.ROOT, "%.3f", it.confidence()));
  }

  private static void caption(Raster r, GalleryItem it, int x, int y, int cellW, int t) {
    r.fill(x, y, cellW, captionHeight(t), CAPTION_RGB);
    int chars = BitmapFont.fit(cellW - 2 * t, t);
    List<String> lines = captionLines(it);
    int[] colours = {TEXT_RGB, it.correct() ? RIGHT_RGB : WRONG_RGB, TEXT_RGB};
    for (int i = 0; i < lines.size(); i++) {
      BitmapFont.draw(r, BitmapFont.clip(lines.get(i), chars), x + t,
          y + 2 * t + i * BitmapFont.LINE * t, t, colours[i]);
    }
  }

  /** The grid as PNG bytes. */
  public byte[] png() {
    return Raster.png(image());
  }

  /**
   * Writes the grid as a PNG file, atomically.
   *
   * @return {@code file}
   */
  public Path writePng(Path file) {
    Objects.requireNonNull(file, "file");
    Raster.writePng(file, png(), "gallery PNG");
    return file;
  }

  // ------------------------------------------------------------------ text forms

  private Optional<String> text(GalleryItem it) {
    Optional<Dataset> d = predictions.dataset();
    if (d.isEmpty() || d.get().spec().inputKind() != InputKind.TEXT) {
      return Optional.empty();
    }
    Input in = d.get().input(it.index());
    return in instanceof TextInput ti ? Optional.of(ti.text()) : Optional.empty();
  }

  private boolean texts() {
    return predictions.dataset().map(d -> d.spec().inputKind() == InputKind.TEXT).orElse(false);
  }

  private static String fmt(float v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /**
   * A Markdown fragment: the title, the grid as an inline PNG ({@code data:} URI) when the inputs
   * are images, and the table (with the text of each example for text inputs).
   */
  public String toMarkdown() {
    return markdown(hasImages() ? Raster.dataUri(png()) : null);
  }

  /**
   * A Markdown fragment like {@link #toMarkdown()} that links the grid from {@code imageLink}
   * (e.g. the file {@link #writePng} wrote) instead of inlining it.
   */
  public String toMarkdown(String imageLink) {
    Objects.requireNonNull(imageLink, "imageLink");
    return markdown(imageLink);
  }

  private String markdown(String link) {
    StringBuilder b = new StringBuilder("**Gallery: ").append(Raster.markdown(title))
        .append("** (").append(Raster.markdown(predictions.source())).append(", predictions ")
        .append(predictions.fingerprint().shortHex()).append(")\n\n");
    if (link != null) {
      b.append("![").append(Raster.markdown(title)).append("](").append(link).append(")\n\n");
    }
    boolean texts = texts();
    b.append("| # | id | true | predicted | confidence | p(true) |").append(texts ? " text |" : "")
        .append('\n').append("|---:|---|---|---|---:|---:|").append(texts ? "---|" : "")
        .append('\n');
    for (int k = 0; k < items.size(); k++) {
      GalleryItem it = items.get(k);
      b.append("| ").append(k + 1).append(" | ").append(Raster.markdown(it.id())).append(" | ")
          .append(Raster.markdown(it.labelName())).append(" | ")
          .append(Raster.markdown(it.predictedName())).append(" | ").append(fmt(it.confidence()))
          .append(" | ").append(fmt(it.trueProbability())).append(" |");
      text(it).ifPresent(s -> b.append(' ').append(Raster.markdown(s)).append(" |"));
      b.append('\n');
    }
    return b.toString();
  }

  /**
   * An HTML fragment ({@code <figure class="groundwork-gallery">}): the grid as an {@code <img>}
   * with a {@code data:} URI when the inputs are images, the title, and the table (with the text
   * of each example for text inputs). Everything from the data is escaped.
   */
  public String toHtml() {
    StringBuilder b = new StringBuilder("<figure class=\"groundwork-gallery\">\n");
    if (hasImages()) {
      BufferedImage im = image();
      b.append("<img src=\"").append(Raster.dataUri(Raster.png(im))).append("\" width=\"")
          .append(im.getWidth()).append("\" height=\"").append(im.getHeight())
          .append("\" alt=\"").append(Raster.html(title)).append("\">\n");
    }
    b.append("<figcaption>").append(Raster.html(title)).append(" <small>(")
        .append(Raster.html(predictions.source())).append(", predictions ")
        .append(predictions.fingerprint().shortHex()).append(")</small></figcaption>\n");
    boolean texts = texts();
    b.append("<table>\n<tr><th>#</th><th>id</th><th>true</th><th>predicted</th>"
        + "<th>confidence</th><th>p(true)</th>").append(texts ? "<th>text</th>" : "")
        .append("</tr>\n");
    for (int k = 0; k < items.size(); k++) {
      GalleryItem it = items.get(k);
      b.append("<tr class=\"").append(it.correct() ? "right" : "wrong").append("\"><td>")
          .append(k + 1).append("</td><td>").append(Raster.html(it.id())).append("</td><td>")
          .append(Raster.html(it.labelName())).append("</td><td>")
          .append(Raster.html(it.predictedName())).append("</td><td>")
          .append(fmt(it.confidence())).append("</td><td>").append(fmt(it.trueProbability()))
          .append("</td>");
      text(it).ifPresent(s -> b.append("<td>").append(Raster.html(s)).append("</td>"));
      b.append("</tr>\n");
    }
    return b.append("</table>\n</figure>\n").toString();
  }

  /** A table: one row per picked example (id, true, predicted, confidence, p(true), text). */
  @Override
  public String toString() {
    int idW = "id".length();
    int yW = "true".length();
    int pW = "predicted".length();
    for (GalleryItem it : items) {
      idW = Math.max(idW, it.id().length());
      yW = Math.max(yW, it.labelName().length());
      pW = Math.max(pW, it.predictedName().length());
    }
    String row = "%4s  %-" + idW + "s  %-" + yW + "s  %-" + pW + "s  %10s  %7s%s%n";
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Gallery %s (%s, %d "
        + "examples, predictions %s)%n", title, predictions.source(), predictions.size(),
        predictions.fingerprint().shortHex()));
    boolean texts = texts();
    b.append(String.format(Locale.ROOT, row, "#", "id", "true", "predicted", "confidence",
        "p(true)", texts ? "  text" : ""));
    for (int k = 0; k < items.size(); k++) {
      GalleryItem it = items.get(k);
      String text = text(it).map(s -> s.replace('\n', ' ').replace('\r', ' '))
          .map(s -> "  " + (s.length() <= 60 ? s : s.substring(0, 57) + "...")).orElse("");
      b.append(String.format(Locale.ROOT, row, k + 1, it.id(), it.labelName(),
          it.predictedName(), fmt(it.confidence()), fmt(it.trueProbability()), text));
    }
    return b.toString();
  }
}
