package dev.groundwork.examples.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The audit lists unmarked figure-like numbers and unmarked printed outputs, nothing else. */
class DocAuditTest {

  @Test
  void listsUnmarkedFiguresAndOutputsOnly() {
    String page = String.join("\n",
        "Accuracy 92.5 % on 1,000 images, p99 1.50×<!--r:train-bench/x--> at batch 1.",
        "PyTorch 2.7.1, Java 17, `lr 0.05` and [a link](results/1.5.json) are not figures.",
        "It took 4.7 s and 12 MB.",
        "<!--r:zoo/report:block-->",
        "```",
        "OverfitCheck  PASS  50/50 fit at step 58 · 1.2 s",
        "```",
        "```java",
        "cnn.learningRate(0.001);",
        "```",
        "```",
        "loss 2.31 at step 3",
        "loss 2.20 at step 4",
        "```",
        "<!--r:zoo/table:block-->",
        "| healthy | 0.5 |",
        "| next | 0.25 |",
        "",
        "A plain count: 29 set-ups and 4 controls.");
    assertThat(DocAudit.scan("p.md", page)).containsExactly(
        "p.md:1: 92.5 % | Accuracy 92.5 % on 1,000 images, p99 1.50×<!--r:train-bench/x--> at "
            + "batch 1.",
        "p.md:3: 4.7 s | It took 4.7 s and 12 MB.",
        "p.md:11: printed output without a block marker | loss 2.31 at step 3");
  }

  /**
   * A ratchet: no page gains figure-like numbers without a marker. The counts are what the last
   * triage left (rule thresholds, API parameters, figures cited from published sources in
   * catalog.md, worked examples of a formula); a page may go below its count, never above. A new
   * figure from a run gets a marker ({@code <!--r:FILE/KEY-->}); a new parameter or threshold
   * raises its page's count here, in the same change, so that a reviewer sees it.
   */
  @Test
  void noPageGainsUnmarkedFigures() {
    Map<String, Integer> counts = new TreeMap<>();
    for (String finding : DocAudit.scan(DocFigures.repositoryRoot(Path.of("")))) {
      counts.merge(finding.substring(0, finding.indexOf(':')), 1, Integer::sum);
    }
    Map<String, Integer> triaged = Map.ofEntries(
        // BEGIN triaged counts
        Map.entry("README.md", 1),
        Map.entry("docs/analysis.md", 25),
        Map.entry("docs/architecture.md", 2),
        Map.entry("docs/backends.md", 1),
        Map.entry("docs/benchmarks.md", 17),
        Map.entry("docs/catalog.md", 62),
        Map.entry("docs/choose.md", 5),
        Map.entry("docs/collect.md", 4),
        Map.entry("docs/datasets.md", 3),
        Map.entry("docs/detection.md", 20),
        Map.entry("docs/guide/3-overfit.md", 2),
        Map.entry("docs/guide/6-collect.md", 1),
        Map.entry("docs/look.md", 4),
        Map.entry("docs/onnx.md", 6),
        Map.entry("docs/progress.md", 5),
        Map.entry("docs/report.md", 2),
        Map.entry("docs/runtime.md", 22),
        Map.entry("docs/scale.md", 7),
        Map.entry("docs/spark.md", 5),
        Map.entry("docs/training.md", 18),
        Map.entry("docs/troubleshooting.md", 1)
        // END triaged counts
    );
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      assertThat(e.getValue())
          .as("unmarked figure-like numbers on %s (run DocAudit to list them)", e.getKey())
          .isLessThanOrEqualTo(triaged.getOrDefault(e.getKey(), 0));
    }
  }
}
