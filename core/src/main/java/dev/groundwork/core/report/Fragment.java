package dev.groundwork.core.report;

import java.util.List;

/** Builds a section's HTML and Markdown bodies side by side, escaping every text it is given. */
final class Fragment {
  private final StringBuilder html = new StringBuilder();
  private final StringBuilder md = new StringBuilder();

  /** A paragraph of plain text; {@code css} is its class (may be empty). */
  Fragment para(String css, String text) {
    html.append("<p").append(css.isEmpty() ? "" : " class=\"" + css + "\"").append('>')
        .append(Html.escape(text)).append("</p>\n");
    md.append(Html.markdown(text)).append("\n\n");
    return this;
  }

  /** The key figure(s) of a section, large: label → value pairs. */
  Fragment figures(String... labelValue) {
    html.append("<div class=\"figures\">");
    for (int i = 0; i + 1 < labelValue.length; i += 2) {
      html.append("<div class=\"figure\" data-label=\"").append(Html.escape(labelValue[i]))
          .append("\"><span class=\"value\">").append(Html.escape(labelValue[i + 1]))
          .append("</span><span class=\"label\">").append(Html.escape(labelValue[i]))
          .append("</span></div>");
      md.append(i == 0 ? "" : " · ").append("**").append(Html.markdown(labelValue[i + 1]))
          .append("** ").append(Html.markdown(labelValue[i]));
    }
    html.append("</div>\n");
    md.append("\n\n");
    return this;
  }

  /** A small heading inside the section. */
  Fragment heading(String text) {
    html.append("<h4>").append(Html.escape(text)).append("</h4>\n");
    md.append("#### ").append(Html.markdown(text)).append("\n\n");
    return this;
  }

  /** A bulleted list. */
  Fragment list(List<String> items) {
    if (items.isEmpty()) {
      return this;
    }
    html.append("<ul>");
    for (String s : items) {
      html.append("<li>").append(Html.escape(s)).append("</li>");
      md.append("- ").append(Html.markdown(s)).append('\n');
    }
    html.append("</ul>\n");
    md.append('\n');
    return this;
  }

  /**
   * A table; a header starting with {@code '>'} is right-aligned (numbers). {@code css} is the
   * table's class (may be empty); a row's extra class may be given by {@link #rowClasses}.
   */
  Fragment table(String css, List<String> header, List<List<String>> rows) {
    return table(css, header, rows, null);
  }

  Fragment table(String css, List<String> header, List<List<String>> rows,
      List<String> rowClasses) {
    html.append("<table").append(css.isEmpty() ? "" : " class=\"" + css + "\"").append(">\n<tr>");
    StringBuilder rule = new StringBuilder("|");
    md.append('|');
    for (String h : header) {
      boolean right = h.startsWith(">");
      String name = right ? h.substring(1) : h;
      html.append("<th").append(right ? " class=\"num\"" : "").append('>')
          .append(Html.escape(name)).append("</th>");
      md.append(' ').append(Html.markdown(name)).append(" |");
      rule.append(right ? "---:|" : "---|");
    }
    html.append("</tr>\n");
    md.append('\n').append(rule).append('\n');
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      String rc = rowClasses == null ? "" : rowClasses.get(r);
      html.append("<tr").append(rc.isEmpty() ? "" : " class=\"" + rc + "\"").append('>');
      md.append('|');
      for (int c = 0; c < row.size(); c++) {
        boolean right = c < header.size() && header.get(c).startsWith(">");
        html.append("<td").append(right ? " class=\"num\"" : "").append('>')
            .append(Html.escape(row.get(c))).append("</td>");
        md.append(' ').append(Html.markdown(row.get(c))).append(" |");
      }
      html.append("</tr>\n");
      md.append('\n');
    }
    html.append("</table>\n");
    md.append('\n');
    return this;
  }

  /** A chart: inline SVG in HTML, an image with a {@code data:} URI in Markdown. */
  Fragment chart(String svg, String alt) {
    html.append("<div class=\"chart-box\">").append(svg).append("</div>\n");
    md.append("![").append(Html.markdown(alt)).append("](").append(Html.svgDataUri(svg))
        .append(")\n\n");
    return this;
  }

  /** Already-rendered parts (trusted: built by this package or escaped by their producer). */
  Fragment raw(String htmlPart, String markdownPart) {
    html.append(htmlPart);
    md.append(markdownPart);
    return this;
  }

  Section section(String id, String title, String summary) {
    return new Section(id, title, summary, html.toString(), md.toString());
  }
}
