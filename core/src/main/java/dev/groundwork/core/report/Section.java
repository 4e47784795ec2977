package dev.groundwork.core.report;

import java.util.Objects;

/**
 * One part of a report: an anchor id, a title, a one-line summary and the body as an HTML
 * fragment and as Markdown. Built by {@link Sections} from a result, or by hand with {@link
 * #of(String, String, String, String)}; assembled into a page by {@link Report}.
 *
 * @param id the anchor of the section ({@code [a-z0-9-]+})
 * @param title the heading, plain text
 * @param summary one line for the report's table of contents, plain text
 * @param html the body as an HTML fragment (no heading; everything from data already escaped)
 * @param markdown the body as Markdown (no heading)
 */
public record Section(String id, String title, String summary, String html, String markdown) {

  /** Checks the fields. */
  public Section {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(html, "html");
    Objects.requireNonNull(markdown, "markdown");
    if (!id.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("a section id must match [a-z0-9][a-z0-9-]*, got '"
          + id + "'");
    }
  }

  /** A section with an id made from the title. */
  public static Section of(String title, String summary, String html, String markdown) {
    return new Section(Html.anchor(title), title, summary, html, markdown);
  }

  /** The same section under another title and id (e.g. numbered as a step of a workflow). */
  public Section titled(String newTitle) {
    return new Section(Html.anchor(newTitle), newTitle, summary, html, markdown);
  }
}
