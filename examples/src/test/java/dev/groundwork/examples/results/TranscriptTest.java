package dev.groundwork.examples.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Printed output as the docs quote it: timings elided, settings shortened, sections cut. */
class TranscriptTest {

  private static final String RUN = String.join("\n",
      "== header ==",
      "",
      "-- step 1: choose",
      "  scorecard: training mlp (seed 42)  done in 0:12 · 5 epochs",
      "  candidate           kind        accuracy         parameters       size   train s    p50 ms",
      "  majority-class      baseline     10.0 ± 0.0 %            10      168 B       0.0     0.001",
      "  small-cnn           trained      81.6 ± 0.0 %       421,546    1647 KB       2.9     0.486",
      "  FLAG  mlp does not beat the baseline softmax-regression",
      "  recommend small-cnn: 81.6% mean accuracy, p99 0.661 ms at batch 1",
      "  over budget  mlp: p99 ≤ 5.0 ms at batch 1: 57.272 ms, missed by 52.272 ms (1045% over)",
      "",
      "",
      "  provenance: seed 42 · djl-pytorch PyTorch 2.7.1 · data train sha256:d81d (n=1600) · "
          + "{budget=p99 ≤ 5.0 ms, seeds=[42]} · groundwork 0.1.0 · Java 17",
      "",
      "-- step 3: overfit",
      "  overfit check  40/100 (40%) · loss 2.231 · 0:10 elapsed, ETA 0:15",
      "  overfit check  done in 0:02 · target reached at step 108",
      "OverfitCheck  PASS  100/100 fit at step 108 · 108 steps · 2.7 s",
      "  throughput 2,325 examples/s · 25.15 ms/step",
      "-- step 3: the learning-rate range test",
      "  epoch   7  train loss 0.3045 acc  90.0%  ·  lr 4.11e-05  ·  0.6 s (3,608 ex/s)  ← best",
      "",
      "-- step 6: runtime",
      "RuntimeProfile  small-cnn  WITHIN BUDGET",
      "  batch 1, end to end  p50 0.659 ms · p99 0.859 · max 1.489 ms (1,000 calls)",
      "  memory: heap in use 414 MB · resident 1,440 MB",
      "");

  @Test
  void timingsAreElidedAndTheRestKeptLineForLine() {
    assertThat(Transcript.forDocs(Transcript.section(RUN, "-- step 1:"), true))
        .isEqualTo(String.join("\n",
            "-- step 1: choose",
            "  scorecard: training mlp (seed 42)  done in … · 5 epochs",
            "  candidate           kind        accuracy         parameters       size   "
                + "(train time, latency, throughput, budget: …)",
            "  majority-class      baseline     10.0 ± 0.0 %            10      168 B   …",
            "  small-cnn           trained      81.6 ± 0.0 %       421,546    1647 KB   …",
            "  FLAG  mlp does not beat the baseline softmax-regression",
            "  recommend …  (the recommendation rests on the runtime budget, so it is elided here)",
            "",
            "  provenance: seed 42 · djl-pytorch PyTorch 2.7.1 · data train sha256:d81d (n=1600) "
                + "· {…} · …"));
    assertThat(Transcript.forDocs(Transcript.section(RUN, "-- step 3:"), true))
        .isEqualTo(String.join("\n",
            "-- step 3: overfit",
            "  overfit check  done in … · target reached at step 108",
            "OverfitCheck  PASS  100/100 fit at step 108 · 108 steps · … s",
            "  throughput … examples/s · … ms/step",
            "-- step 3: the learning-rate range test",
            "  epoch   7  train loss 0.3045 acc  90.0%  ·  lr 4.11e-05  ·  … s (… ex/s)  ← best"));
    assertThat(Transcript.forDocs(Transcript.section(RUN, "-- step 6:"), true))
        .isEqualTo(String.join("\n",
            "-- step 6: runtime",
            "RuntimeProfile  small-cnn  …",
            "  (latencies, throughputs, memory and the budget verdict elided: the run shared its "
                + "cores with other jobs)"));
  }

  @Test
  void aQuietRunKeepsItsTimings() {
    String step6 = Transcript.forDocs(Transcript.section(RUN, "-- step 6:"), false);
    assertThat(step6).contains("WITHIN BUDGET").contains("p99 0.859").contains("resident 1,440 MB");
    String step3 = Transcript.forDocs(Transcript.section(RUN, "-- step 3:"), false);
    assertThat(step3).contains("done in 0:02").contains("· 2.7 s").doesNotContain("ETA");
    String step1 = Transcript.forDocs(Transcript.section(RUN, "-- step 1:"), false);
    assertThat(step1).contains("missed by 52.272 ms").contains("train s    p50 ms")
        .contains("\n\n  provenance").doesNotContain("\n\n\n");
  }

  @Test
  void stepsAreCutAtTheirHeadingsAndTheCopyIsWhatWasPrinted() {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    Transcript t = Transcript.capture(new PrintStream(screen, true, StandardCharsets.UTF_8));
    t.out().print(RUN);
    assertThat(t.text()).isEqualTo(RUN).isEqualTo(screen.toString(StandardCharsets.UTF_8));
    var steps = Transcript.steps(t.text(), 6);
    assertThat(steps).containsOnlyKeys("step1", "step3", "step6");
    assertThat(steps.get("step3")).startsWith("-- step 3: overfit")
        .endsWith("(… ex/s)  ← best").contains("-- step 3: the learning-rate range test");
    assertThat(Transcript.section(RUN, "-- step 9:")).isEmpty();
  }
}
