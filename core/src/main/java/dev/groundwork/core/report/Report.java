package dev.groundwork.core.report;

import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.Provenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report people open: a title, the provenance of the run (dataset fingerprint, seeds, versions,
 * configuration), a table of contents linking each section by its anchor, and the sections. It
 * renders to one self-contained HTML page (inline CSS, charts as inline SVG, pictures as {@code
 * data:} URIs, no script and no external URL) and to Markdown.
 *
 * <pre>{@code
 * Report report = Report.builder("Fashion-MNIST workflow")
 *     .provenance(fit.provenance())
 *     .fact("seeds", "42")
 *     .section(Sections.overfit(check).titled("Step 3: overfit"))
 *     .section(Sections.fit(fit))
 *     .build();
 * report.writeHtml(Path.of("report/index.html"));
 * report.writeMarkdown(Path.of("report/report.md"));
 * }</pre>
 */
public final class Report {

  /** The style of every report, scoped under {@code .groundwork-report}. */
  static final String CSS = """
      .groundwork-report{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;\
      color:#222;line-height:1.4;max-width:1100px}
      .groundwork-report h1{font-size:1.6em;margin:.2em 0}
      .groundwork-report h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;\
      margin-top:1.6em}
      .groundwork-report h3{font-size:1.1em}
      .groundwork-report h4{font-size:1em;margin:1em 0 .3em}
      .groundwork-report table{border-collapse:collapse;margin:.4em 0;font-size:.9em}
      .groundwork-report th,.groundwork-report td{border:1px solid #ddd;padding:2px 8px;\
      text-align:left;vertical-align:top}
      .groundwork-report th{background:#f4f4f4}
      .groundwork-report td.num,.groundwork-report th.num{text-align:right;\
      font-variant-numeric:tabular-nums}
      .groundwork-report tr.wrong td,.groundwork-report tr.fail td{background:#fdecea}
      .groundwork-report tr.warn td{background:#fff6e0}
      .groundwork-report tr.chosen td{background:#e6f4ea}
      .groundwork-report .figures{display:flex;flex-wrap:wrap;gap:12px;margin:.5em 0}
      .groundwork-report .figure{border:1px solid #ddd;border-radius:6px;padding:6px 12px;\
      min-width:110px}
      .groundwork-report .figure .value{display:block;font-size:1.35em;font-weight:600}
      .groundwork-report .figure .label{display:block;font-size:.8em;color:#666}
      .groundwork-report .verdict-pass{color:#1a7f37;font-weight:600}
      .groundwork-report .verdict-warn{color:#9a6700;font-weight:600}
      .groundwork-report .verdict-fail{color:#cf222e;font-weight:600}
      .groundwork-report .chart-box{overflow-x:auto;margin:.4em 0}
      .groundwork-report svg.chart{font-family:inherit;background:#fff}
      .groundwork-report pre{background:#f6f8fa;padding:8px;overflow-x:auto;font-size:.8em}
      .groundwork-report nav ol{padding-left:1.4em}
      .groundwork-report .muted{color:#666;font-size:.9em}
      .groundwork-report figure.groundwork-gallery{margin:.5em 0}
      .groundwork-report figure.groundwork-gallery img{image-rendering:pixelated;max-width:100%;\
      height:auto;border:1px solid #ddd}
      """;

  private final String title;
  private final Map<String, String> facts;
  private final List<Section> sections;

  private Report(String title, Map<String, String> facts, List<Section> sections) {
    this.title = title;
    this.facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    this.sections = List.copyOf(sections);
  }

  /** Starts a report with this title. */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  /** The title. */
  public String title() {
    return title;
  }

  /** The provenance rows, in the order added. */
  public Map<String, String> facts() {
    return facts;
  }

  /** The sections, in order, with unique ids. */
  public List<Section> sections() {
    return sections;
  }

  /** A self-contained HTML fragment of one section, with the style it needs (for notebooks). */
  public static String fragment(Section s) {
    return "<div class=\"groundwork-report\">\n<style>\n" + CSS + "</style>\n<section id=\""
        + s.id() + "\">\n<h3>" + Html.escape(s.title()) + "</h3>\n" + s.html()
        + "</section>\n</div>\n";
  }

  /** The whole page: doctype, head with the style, provenance, contents and every section. */
  public String toHtml() {
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(Html.escape(title)).append("</title>\n<style>\n")
        .append("body{margin:24px}\n").append(CSS).append("</style>\n</head>\n<body>\n")
        .append("<div class=\"groundwork-report\" id=\"top\">\n<h1>").append(Html.escape(title))
        .append("</h1>\n");
    if (!facts.isEmpty()) {
      b.append("<section id=\"provenance\">\n<h2>Provenance</h2>\n<table class=\"provenance\">\n");
      facts.forEach((k, v) -> b.append("<tr><th>").append(Html.escape(k)).append("</th><td>")
          .append(Html.escape(v)).append("</td></tr>\n"));
      b.append("</table>\n</section>\n");
    }
    if (sections.size() > 1) {
      b.append("<nav id=\"contents\">\n<h2>Contents</h2>\n<ol>\n");
      for (Section s : sections) {
        b.append("<li><a href=\"#").append(s.id()).append("\">").append(Html.escape(s.title()))
            .append("</a>").append(s.summary().isEmpty() ? "" : " <span class=\"muted\">— "
                + Html.escape(s.summary()) + "</span>").append("</li>\n");
      }
      b.append("</ol>\n</nav>\n");
    }
    for (Section s : sections) {
      b.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(Html.escape(s.title()))
          .append("</h2>\n").append(s.html());
      if (sections.size() > 1) {
        b.append("<p class=\"muted\"><a href=\"#top\">back to the top</a></p>\n");
      }
      b.append("</section>\n");
    }
    return b.append("</div>\n</body>\n</html>\n").toString();
  }

  /**
   * The report as Markdown: title, provenance table, contents with anchor links, sections; charts
   * and pictures inline as {@code data:} URIs (self-contained, e.g. for a notebook). {@link
   * #writeMarkdown(Path)} writes them as files instead, for viewers that do not show {@code data:}
   * images (GitHub's web view among them).
   */
  public String toMarkdown() {
    return markdown((id, body) -> body);
  }

  /** The Markdown, each section's body passed through {@code body} (section id, body). */
  private String markdown(java.util.function.BinaryOperator<String> body) {
    StringBuilder b = new StringBuilder("# ").append(Html.markdown(title)).append("\n\n");
    if (!facts.isEmpty()) {
      b.append("## Provenance\n\n| | |\n|---|---|\n");
      facts.forEach((k, v) -> b.append("| ").append(Html.markdown(k)).append(" | ")
          .append(Html.markdown(v)).append(" |\n"));
      b.append('\n');
    }
    if (sections.size() > 1) {
      b.append("## Contents\n\n");
      int i = 1;
      for (Section s : sections) {
        b.append(i++).append(". [").append(Html.markdown(s.title())).append("](#").append(s.id())
            .append(")").append(s.summary().isEmpty() ? "" : " — " + Html.markdown(s.summary()))
            .append('\n');
      }
      b.append('\n');
    }
    for (Section s : sections) {
      b.append("<a id=\"").append(s.id()).append("\"></a>\n\n## ").append(Html.markdown(s.title()))
          .append("\n\n").append(body.apply(s.id(), s.markdown())).append('\n');
    }
    return b.toString();
  }

  /** Writes {@link #toHtml()} to {@code file} atomically and returns the file. */
  public Path writeHtml(Path file) {
    byte[] bytes = toHtml().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, "the HTML report", out -> out.write(bytes));
    return file;
  }

  /**
   * Writes the Markdown report to {@code file} with its charts and pictures as files beside it,
   * linked relatively: {@code NAME-SECTION-K.svg} (a chart) or {@code .png} (a gallery), where
   * {@code NAME} is the file's name without {@code .md} (characters other than letters, digits,
   * {@code .}, {@code _} and {@code -} replaced by {@code -}) and {@code K} counts the section's
   * images from 1. GitHub's web view and most Markdown viewers show these; they do not show
   * {@code data:} images. Every file is written atomically, the Markdown last; then the pictures
   * that the report this one replaces linked, and this one does not, are deleted (only those: any
   * other file in the folder is left alone). Returns {@code file}.
   */
  public Path writeMarkdown(Path file) {
    Objects.requireNonNull(file, "file");
    Path dir = file.toAbsolutePath().getParent();
    String name = file.getFileName().toString();
    String stem = (name.endsWith(".md") ? name.substring(0, name.length() - 3) : name)
        .replaceAll("[^A-Za-z0-9._-]", "-"); // a link without spaces or brackets to escape
    Map<String, byte[]> images = new LinkedHashMap<>();
    String md = markdown((id, body) -> {
      Matcher m = DATA_IMAGE.matcher(body);
      StringBuilder out = new StringBuilder();
      int k = 0;
      while (m.find()) {
        String image = stem + "-" + id + "-" + (++k) + (m.group(1).equals("png") ? ".png" : ".svg");
        images.put(image, Base64.getDecoder().decode(m.group(2)));
        m.appendReplacement(out, Matcher.quoteReplacement("](" + image + ")"));
      }
      return m.appendTail(out).toString();
    });
    Set<String> before = linkedImages(file, stem);
    images.forEach((image, bytes) -> AtomicFiles.write(dir.resolve(image),
        "a picture of the Markdown report", out -> out.write(bytes)));
    byte[] bytes = md.getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, "the Markdown report", out -> out.write(bytes));
    // the pictures the report written here before linked and this one does not: written by
    // Groundwork under the report's name, now linked by nothing
    before.removeAll(images.keySet());
    for (String stale : before) {
      try {
        Files.deleteIfExists(dir.resolve(stale));
      } catch (IOException e) {
        throw new GroundworkException("could not delete " + dir.resolve(stale) + ", a picture "
            + "an earlier report at " + file + " linked and this one does not (" + e.getMessage()
            + "); delete it by hand", e);
      }
    }
    return file;
  }

  /**
   * The picture files an existing Markdown report at {@code file} links under its own naming
   * ({@code STEM-SECTION-K.svg|png}); empty when there is none.
   */
  private static Set<String> linkedImages(Path file, String stem) {
    Set<String> linked = new HashSet<>();
    if (!Files.isRegularFile(file)) {
      return linked;
    }
    try {
      Matcher m = Pattern.compile("\\]\\((" + Pattern.quote(stem)
          + "-[a-z0-9-]+-[0-9]+\\.(?:svg|png))\\)").matcher(Files.readString(file,
              StandardCharsets.UTF_8));
      while (m.find()) {
        linked.add(m.group(1));
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return linked; // not readable as the report's own Markdown: leave every file as it is
    }
    return linked;
  }

  /** An image in Markdown whose target is a base64 {@code data:} URI: type, payload. */
  private static final Pattern DATA_IMAGE = Pattern.compile(
      "\\]\\(data:image/(svg\\+xml|png);base64,([A-Za-z0-9+/=]+)\\)");

  @Override
  public String toString() {
    return "Report " + title + " (" + sections.size() + " sections: "
        + sections.stream().map(Section::id).toList() + ")";
  }

  /** Collects the provenance and the sections of a report. */
  public static final class Builder {
    private final String title;
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<Section> sections = new ArrayList<>();
    private final Set<String> ids = new HashSet<>(Set.of("top", "provenance", "contents"));

    Builder(String title) {
      this.title = Objects.requireNonNull(title, "title");
    }

    /** One provenance row, e.g. {@code fact("seeds", "42")}; a later value replaces an earlier. */
    public Builder fact(String name, String value) {
      facts.put(Objects.requireNonNull(name, "name"), String.valueOf(value));
      return this;
    }

    /**
     * The rows of a result's provenance: seed, backend, dataset fingerprint, runtime (Groundwork,
     * Java, OS) and each configuration entry as {@code config: name}.
     */
    public Builder provenance(Provenance p) {
      Objects.requireNonNull(p, "provenance");
      fact("seed", Long.toString(p.seed()));
      fact("backend", p.backend());
      fact("dataset fingerprint", p.datasetFingerprint());
      fact("runtime", p.runtime());
      p.config().forEach((k, v) -> fact("config: " + k, v));
      return this;
    }

    /** Adds a section; an id already used gets a suffix ({@code -2}, {@code -3}, ...). */
    public Builder section(Section s) {
      Objects.requireNonNull(s, "section");
      String id = s.id();
      for (int k = 2; !ids.add(id); k++) {
        id = s.id() + "-" + k;
      }
      sections.add(id.equals(s.id()) ? s
          : new Section(id, s.title(), s.summary(), s.html(), s.markdown()));
      return this;
    }

    /** Adds a result's section. */
    public Builder section(Renderable r) {
      return section(r.toSection());
    }

    /** The report. */
    public Report build() {
      return new Report(title, facts, sections);
    }
  }
}
