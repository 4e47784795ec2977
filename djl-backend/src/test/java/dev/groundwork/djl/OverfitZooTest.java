package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.train.OverfitReport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The bug zoo: every broken set-up of {@link OverfitZoo} must get its verdict and name its cause
 * (the diagnosis and a fragment of the cause line); every healthy control must pass.
 */
class OverfitZooTest {
  private static int threads;

  /** The zoo's models are tiny: one intra-op thread is faster, and fair to other processes. */
  @BeforeAll
  static void oneThread() {
    threads = DjlRuntime.intraOpThreads();
    DjlRuntime.intraOpThreads(1);
  }

  @AfterAll
  static void restoreThreads() {
    DjlRuntime.intraOpThreads(threads);
  }

  @TestFactory
  Stream<DynamicTest> everySetUpGetsItsVerdictAndItsCause() {
    return OverfitZoo.all().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
      OverfitReport r = s.run().get();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(s.verdict());
      assertThat(r.diagnosis().name()).as(r.toString()).isEqualTo(s.diagnosis());
      assertThat(r.cause()).as(r.toString()).contains(s.cause());
      // "often mislabeled" only where a few examples never fit in a run that trained
      if (!s.diagnosis().equals("FEW_NEVER_FIT")) {
        assertThat(r.toString()).doesNotContain("mislabeled");
      }
      // a report that does not pass shows its evidence
      assertThat(r.toString().contains("\n  evidence\n")).isEqualTo(!r.passed());
    }));
  }
}
