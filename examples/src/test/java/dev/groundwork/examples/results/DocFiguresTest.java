package dev.groundwork.examples.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The docs' figures equal the results files the runs wrote. */
class DocFiguresTest {

  @Test
  void everyMarkedFigureInTheDocsEqualsItsResultsFile() throws Exception {
    Path root = DocFigures.repositoryRoot(Path.of(""));
    assertThat(DocFigures.check(root)).isEmpty();
    // the check has something to check: every results file is quoted, and the benchmarks page
    // takes its figures from them (a page whose markers were dropped would pass the check above)
    StringBuilder all = new StringBuilder();
    for (Path page : DocFigures.documents(root)) {
      all.append(Files.readString(page)).append('\n');
    }
    for (String name : DocFigures.load(root.resolve("docs/results")).keySet()) {
      assertThat(all.toString()).as("docs/results/%s.json is quoted somewhere", name)
          .contains("<!--r:" + name + "/");
    }
    String benchmarks = Files.readString(root.resolve("docs/benchmarks.md"));
    assertThat(DocFigures.MARKER.matcher(benchmarks).results().count())
        .isGreaterThanOrEqualTo(80);
    // the pages that quote measured figures outside the benchmarks page take them from files too
    for (String page : List.of("README.md", "docs/training.md", "docs/architecture.md",
        "docs/onnx.md", "docs/scale.md", "docs/analysis.md")) {
      assertThat(DocFigures.MARKER.matcher(Files.readString(root.resolve(page))).results().count())
          .as("figures marked in %s", page).isGreaterThanOrEqualTo(3);
    }
    // printed outputs come from runs too: the overfit reports and the zoo's table, detection's
    // printouts, and each guide page's step of the main job
    Map<String, Integer> blocks = Map.of("docs/training.md", 3, "docs/detection.md", 2,
        "docs/scale.md", 1, "docs/guide/1-choose.md", 1, "docs/guide/2-look.md", 1,
        "docs/guide/3-overfit.md", 1, "docs/guide/4-scale.md", 1, "docs/guide/5-research.md", 1,
        "docs/guide/6-collect.md", 1);
    blocks.forEach((page, n) -> {
      try {
        assertThat(DocFigures.BLOCK.matcher(Files.readString(root.resolve(page))).results()
            .count()).as("printed outputs marked in %s", page).isGreaterThanOrEqualTo(n);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void aNumberIsRewrittenInItsWrittenForm() {
    assertThat(DocFigures.format(0.99912, "1.007")).isEqualTo("0.999");
    assertThat(DocFigures.format(1234.5, "1,000")).isEqualTo("1,235");
    assertThat(DocFigures.format(12345.0, "900")).isEqualTo("12345");
    assertThat(DocFigures.format(0.0123, "+1.23")).isEqualTo("+0.01");
    assertThat(DocFigures.format(-0.02, "+1.2")).isEqualTo("-0.0".replace("-", "+"));
    assertThat(DocFigures.format(-3.25, "+1.2")).isEqualTo("-3.3");
    assertThat(DocFigures.format(9.4e-8, "9e-8")).isEqualTo("9e-8");
    assertThat(DocFigures.format(0.000812, "8.1e-4")).isEqualTo("8.1e-4");
    assertThat(DocFigures.format(1234.0, "1.5e3")).isEqualTo("1.2e3");
    assertThat(DocFigures.format(-0.4912, "\u22120.49")).isEqualTo("\u22120.49");
    assertThat(DocFigures.format(0.4912, "\u22120.49")).isEqualTo("0.49");
  }

  @Test
  void markedNumbersAreReplacedAndBadMarkersReported() {
    Map<String, Map<String, Double>> results = Map.of("fit-bench",
        Map.of("test_accuracy_pct", 92.534, "epoch_ratio", 1.0071));
    List<String> problems = new ArrayList<>();
    String text = "accuracy **91.00 %**<!--r:fit-bench/test_accuracy_pct--> and ratio "
        + "(1.2)<!--r:fit-bench/epoch_ratio--> and 7<!--r:fit-bench/missing--> and "
        + "<!--r:fit-bench/epoch_ratio--> and 3 ms<!--r:other/x-->";
    String out = DocFigures.render(text, results, "page.md", problems);
    assertThat(out).isEqualTo("accuracy **92.53 %**<!--r:fit-bench/test_accuracy_pct--> and "
        + "ratio (1.0)<!--r:fit-bench/epoch_ratio--> and 7<!--r:fit-bench/missing--> and "
        + "<!--r:fit-bench/epoch_ratio--> and 3 ms<!--r:other/x-->");
    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).contains("page.md:1").contains("no figure 'missing'");
    assertThat(problems.get(1)).contains("follows no number");
    assertThat(problems.get(2)).contains("no results file docs/results/other.json");
  }

  @Test
  void aMarkedBlockIsTheRunsTextAndADifferentBlockIsReported() {
    Map<String, Map<String, String>> notes = Map.of("zoo", Map.of(
        "report", "OverfitCheck  PASS  50/50 fit at step 58\n  data  ok\n",
        "table", "| set-up | verdict |\n|---|---|\n| healthy | PASS |"));
    String page = "text\n<!--r:zoo/report:block-->\n```\nOverfitCheck  PASS  50/50 fit at step 57\n"
        + "```\nmore 12\n<!--r:zoo/table:block-->\n| set-up | verdict |\n|---|---|\n"
        + "| healthy | WARN |\n\nend\n";
    List<String> problems = new ArrayList<>();
    String out = DocFigures.render(page, Map.of(), notes, "training.md", problems);
    assertThat(problems).isEmpty();
    assertThat(out).isEqualTo("text\n<!--r:zoo/report:block-->\n```\nOverfitCheck  PASS  50/50 "
        + "fit at step 58\n  data  ok\n```\nmore 12\n<!--r:zoo/table:block-->\n| set-up | "
        + "verdict |\n|---|---|\n| healthy | PASS |\n\nend\n");
    // rendering again changes nothing: the page now agrees with its results
    assertThat(DocFigures.render(out, Map.of(), notes, "training.md", problems)).isEqualTo(out);
    // the check names the first line that differs and that the block's length changed
    List<String> diff = DocFigures.differences("training.md", page, out);
    assertThat(diff).hasSize(2);
    assertThat(diff.get(0)).isEqualTo("training.md:4 says 'OverfitCheck  PASS  50/50 fit at step "
        + "57' but its results give 'OverfitCheck  PASS  50/50 fit at step 58'");
    assertThat(diff.get(1)).contains("fewer lines than its results (13 lines in the page, 14");
    // same length, one line changed: that line alone
    String changed = out.replace("| healthy | PASS |", "| healthy | FAIL |");
    assertThat(DocFigures.differences("training.md", changed, out)).containsExactly(
        "training.md:11 says '| healthy | FAIL |' but its results give '| healthy | PASS |'");
  }

  @Test
  void blockMarkersWithoutABlockOrANoteAreReported() {
    Map<String, Map<String, String>> notes = Map.of("zoo", Map.of("report", "x"));
    List<String> problems = new ArrayList<>();
    String page = "<!--r:zoo/report:block-->\nprose\n<!--r:zoo/missing:block-->\n```\nold\n```\n"
        + "<!--r:nofile/report:block-->\n| a |\n<!--r:zoo/report:block-->\n```\nnever closed\n";
    assertThat(DocFigures.render(page, Map.of(), notes, "p.md", problems)).isEqualTo(page);
    assertThat(problems).hasSize(4);
    assertThat(problems.get(0)).startsWith("p.md:1: block marker").contains("neither a fenced");
    assertThat(problems.get(1)).startsWith("p.md:3").contains("has no note 'missing'");
    assertThat(problems.get(2)).startsWith("p.md:7").contains("no results file docs/results/nofile");
    assertThat(problems.get(3)).startsWith("p.md:9").contains("never closed");
  }
}
