package dev.groundwork.examples.results;

import static org.assertj.core.api.Assertions.assertThat;

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
}
