package dev.groundwork.core.report;

import java.nio.file.Path;

/**
 * A result that renders itself for people: {@link #toHtml()} (a self-contained fragment, which
 * Java notebook kernels display with {@code display(r.toHtml(), "text/html")}) and {@link
 * #toMarkdown()}; {@link #writeHtml(Path)} writes a whole page a browser opens offline.
 *
 * <pre>{@code
 * OverfitReport r = OverfitCheck.of(model).on(subset).run();
 * r.writeHtml(Path.of("report/overfit.html"));
 * }</pre>
 */
public interface Renderable {

  /** This result as one report section (title, summary, HTML and Markdown bodies). */
  Section toSection();

  /**
   * A self-contained HTML fragment (its own scoped style, charts as inline SVG, pictures as
   * {@code data:} URIs; no external URL), fit for a notebook cell or a page.
   */
  default String toHtml() {
    return Report.fragment(toSection());
  }

  /** The result as Markdown, with its heading; charts as inline SVG images ({@code data:} URIs). */
  default String toMarkdown() {
    Section s = toSection();
    return "## " + Html.markdown(s.title()) + "\n\n" + s.markdown();
  }

  /** Writes a whole HTML page of this result to {@code file} (atomically) and returns it. */
  default Path writeHtml(Path file) {
    return Report.builder(toSection().title()).section(toSection()).build().writeHtml(file);
  }
}
