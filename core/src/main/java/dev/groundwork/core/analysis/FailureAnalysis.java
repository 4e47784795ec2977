package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.model.Model;
import java.util.Objects;

/**
 * Entry points of failure-case analysis, one static factory per task.
 *
 * <pre>{@code
 * var fails = FailureAnalysis.classification(predictions).run();
 * fails.slices().top(5); fails.labelIssues().top(20); fails.collectionPlan();
 * var direct = FailureAnalysis.classification(model, test, 256).run();   // predicts test first
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

  /**
   * A classification analysis of {@code model} on {@code data}: predicts every example (in
   * dataset order, {@code batchSize} at a time) and analyses the predictions as {@link
   * #classification(ClassificationPredictions)} does. The dataset is kept, so image attributes
   * and raw-input clusters can decode its inputs.
   *
   * <pre>{@code
   * var a = FailureAnalysis.classification(model, fm.test(), 256).run();
   * }</pre>
   *
   * <p>Label issues from this entry point are only meaningful if {@code model} never trained on
   * {@code data}; for a training set use out-of-fold predictions ({@code
   * CrossValidation.outOfSample}).
   *
   * @throws InvalidParameterException if the batch size is below 1 or the model's classes differ
   *     from the dataset's
   */
  public static ClassificationAnalysis.Builder classification(Model model, Dataset data,
      int batchSize) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    InvalidParameterException.check(batchSize >= 1, "batchSize must be ≥ 1, got %d", batchSize);
    InvalidParameterException.check(model.spec().classes().equals(data.classes()),
        "model %s predicts the classes %s but %s has %s; use a model built for this dataset",
        model.name(), model.spec().classes(), data.name(), data.classes());
    data.requireNonEmpty("a failure analysis");
    float[] probs = model.predict(data, batchSize).values();
    return classification(ClassificationPredictions.fromDataset(data, probs));
  }
}
