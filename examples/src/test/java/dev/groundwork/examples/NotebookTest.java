package dev.groundwork.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.groundwork.examples.results.DocFigures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jupyter notebook {@code examples/notebooks/groundwork-quickstart.ipynb}, run as a Java
 * kernel runs it: its code cells in order, through JShell against the module's class path, with
 * the kernels' {@code display(Object, String...)} stood in for by a function that saves each
 * displayed HTML. Checks what each cell prints, that every display is a self-contained Groundwork
 * fragment, and the report the last cell writes.
 */
class NotebookTest {

  /** The kernels' display function, for JShell: writes each HTML display to display-N.html. */
  static final String DISPLAY = """
      int displays = 0;
      String display(Object o, String... mimeTypes) {
        try {
          java.nio.file.Files.writeString(java.nio.file.Path.of("display-" + (++displays)
              + ".html"), String.valueOf(o));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        System.out.println("[display " + displays + " " + String.join(",", mimeTypes) + "]");
        return "display-" + displays;
      }
      """;

  static List<String> codeCells(Path notebook) throws Exception {
    JsonObject nb = JsonParser.parseString(Files.readString(notebook, StandardCharsets.UTF_8))
        .getAsJsonObject();
    List<String> cells = new ArrayList<>();
    for (JsonElement e : nb.getAsJsonArray("cells")) {
      JsonObject cell = e.getAsJsonObject();
      if (cell.get("cell_type").getAsString().equals("code")) {
        StringBuilder src = new StringBuilder();
        cell.getAsJsonArray("source").forEach(line -> src.append(line.getAsString()));
        cells.add(src.toString());
      }
    }
    return cells;
  }

  /**
   * The complete snippets of a cell, each on one line, as a kernel splits a cell (JShell's {@code
   * analyzeCompletion}); the JShell command line reads a script line by line, so a statement
   * continued on the next line ({@code .options(...)}) must be joined first.
   */
  static List<String> snippets(SourceCodeAnalysis analysis, String cell) {
    assertThat(cell).as("code cells use /* */ comments, so a snippet can be joined into a line")
        .doesNotContain("//");
    List<String> out = new ArrayList<>();
    String rest = cell;
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
      assertThat(info.completeness().isComplete()).as("complete snippet in %s", rest).isTrue();
      out.add(info.source().replaceAll("\\s*\\R\\s*", " ").strip());
      rest = info.remaining();
    }
    return out;
  }

  @Test
  void theNotebooksCodeCellsRunInOrderAndDisplayRichResults(@TempDir Path dir) throws Exception {
    Path notebook = DocFigures.repositoryRoot(Path.of(""))
        .resolve("examples/notebooks/groundwork-quickstart.ipynb");
    List<String> cells = codeCells(notebook);
    assertThat(cells).hasSize(6);
    assertThat(String.join("\n", cells)).as("no kernel magics: the cells must run in JShell")
        .doesNotContainPattern("(?m)^\\s*%");
    StringBuilder script = new StringBuilder(DISPLAY);
    try (JShell analysisOnly = JShell.builder().executionEngine("local").build()) {
      for (int i = 0; i < cells.size(); i++) {
        script.append("System.out.println(\"[cell ").append(i + 1).append("]\");\n");
        for (String snippet : snippets(analysisOnly.sourceCodeAnalysis(), cells.get(i))) {
          script.append(snippet).append('\n');
        }
      }
    }
    script.append("/exit\n");
    Path jsh = Files.writeString(dir.resolve("notebook.jsh"), script);
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
    Path out = dir.resolve("notebook.out");
    Process p = new ProcessBuilder(List.of(jshell.toString(), "--class-path", classPath,
        "-R-Dai.djl.offline=true", "-R-DOPT_OUT_TRACKING=true", "-R-Xmx1g",
        "-J-Djava.util.prefs.userRoot=" + dir.resolve("jshell-prefs"), jsh.toString()))
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    p.getOutputStream().close();
    boolean ended = p.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(ended).as("jshell ended by itself; output:%n%s", text).isTrue();
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).as(text).doesNotContain("Error:").doesNotContain("|  Error").doesNotContain("Exception")
        .doesNotContain("jshell>").contains("[cell 6]")
        .contains("Fashion-MNIST").containsPattern("overfit check: (PASS|WARN)")
        .contains("[display 1 text/html]").contains("[display 4 text/html]");
    // the numbers the cells print are the ones the displays show
    Matcher acc = Pattern.compile("test accuracy: (0\\.\\d{3})").matcher(text);
    assertThat(acc.find()).as(text).isTrue();
    double accuracy = Double.parseDouble(acc.group(1));
    assertThat(accuracy).isBetween(0.65, 0.95);
    Matcher val = Pattern.compile("validation accuracy after 3 epochs: (0\\.\\d{3})").matcher(text);
    assertThat(val.find()).as(text).isTrue();
    assertThat(Double.parseDouble(val.group(1))).isBetween(0.65, 0.95);

    String overfit = Files.readString(dir.resolve("display-1.html"));
    String fit = Files.readString(dir.resolve("display-2.html"));
    String analysis = Files.readString(dir.resolve("display-3.html"));
    String gallery = Files.readString(dir.resolve("display-4.html"));
    assertThat(overfit).startsWith("<div class=\"groundwork-report\">").contains("<style>")
        .contains("Overfit check").contains("<svg");
    assertThat(fit).contains("Fit: ").contains("data-series=\"validation\" data-points=\"3\"");
    assertThat(analysis).contains(String.format(java.util.Locale.ROOT, ">%.1f%%<",
        100 * accuracy)).contains("class=\"cell\"");
    assertThat(gallery).startsWith("<figure class=\"groundwork-gallery\">")
        .contains("data:image/png;base64,");
    Path page = dir.resolve("notebook-report/index.html");
    assertThat(Files.readString(page)).startsWith("<!DOCTYPE html>")
        .contains("<a href=\"#failure-analysis\">").contains("dataset fingerprint");
    assertThat(dir.resolve("notebook-report/report.md")).exists();
  }
}
