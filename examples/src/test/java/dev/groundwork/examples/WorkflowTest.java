package dev.groundwork.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's main job runs and says what it loaded. */
class WorkflowTest {

  @Test
  void mainJobLoadsTheEmbeddedSubsetAndFindsBothBackends() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Workflow.Result r = Workflow.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(r.data().train().size()).isEqualTo(2000);
    assertThat(r.split().train().size()).isEqualTo(1600);
    assertThat(r.split().test().size()).isEqualTo(400);
    assertThat(r.overfitSubset().classCounts()).containsOnly(10);
    assertThat(r.backends()).extracting(b -> b.name()).containsExactly("djl-pytorch", "onnxruntime");
    assertThat(out).contains("embedded Fashion-MNIST subset").contains("Ankle boot")
        .contains("PyTorch 2.7.1").contains("ONNX Runtime 1.24.2")
        .contains(r.fingerprint().shortHex());
    assertThat(r.overfit().verdict()).isEqualTo(dev.groundwork.core.train.Verdict.PASS);
    assertThat(r.overfit().finalAccuracy()).isEqualTo(1.0);
    assertThat(r.lrFinder().suggestion()).isBetween(1e-5, 1e-1);
    assertThat(out).contains("OverfitCheck  PASS").contains("LrFinder  suggestion");
    // a small CNN on 1,600 Fashion-MNIST images: about 80% on the held-out 1,000
    assertThat(r.testAccuracy()).isBetween(0.74, 0.92);
    assertThat(r.analysis().metrics().accuracy()).isEqualTo(r.testAccuracy(),
        org.assertj.core.data.Offset.offset(1e-9));
    // the fit loop ran every epoch, validated each, and its loss fell
    assertThat(r.fit().history()).hasSize(Workflow.EPOCHS);
    assertThat(r.fit().last().trainLoss()).isLessThan(r.fit().history().get(0).trainLoss());
    assertThat(r.fit().last().validationAccuracy()).isGreaterThan(0.7);
    assertThat(out).contains("Fit  small-cnn  COMPLETED after " + Workflow.EPOCHS + " epochs");
    // the runtime profile of the trained CNN, with its budget verdict printed
    assertThat(r.runtime().endToEnd().calls()).isEqualTo(1000);
    assertThat(r.runtime().endToEnd().p50()).isPositive().isLessThan(r.runtime().endToEnd().p99());
    assertThat(r.runtime().checks()).hasSize(2);
    assertThat(out).contains("RuntimeProfile  small-cnn").contains("p99 ≤ 5.0 ms at batch 1");
    assertThat(r.analysis().confusion().mostConfused(3)).isNotEmpty();
    assertThat(r.analysis().collectionPlan().toString()).isNotBlank();
  }
}
