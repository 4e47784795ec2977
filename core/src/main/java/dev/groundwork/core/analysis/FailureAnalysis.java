package dev.groundwork.core.analysis;

import java.util.Objects;

/**
 * Entry points of failure-case analysis, one static factory per task.
 *
 * <pre>{@code
 * var fails = FailureAnalysis.classification(predictions).run();
 * fails.slices().top(5); fails.labelIssues().top(20); fails.collectionPlan();
 * }</pre>
 */
public final class FailureAnalysis {

  private FailureAnalysis() {}

  /**
   * A classification analysis of {@code predictions}: metrics, confusions, top losses, slices,
   * failure clusters, label issues, calibration and a collection plan. Configure it with {@code
   * .options(...)} and start it with {@code .run()}.
   */
  public static ClassificationAnalysis.Builder classification(
      ClassificationPredictions predictions) {
    return new ClassificationAnalysis.Builder(Objects.requireNonNull(predictions, "predictions"));
  }
}
