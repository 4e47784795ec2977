package dev.groundwork.core.baseline;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.weights.Tensor;
import java.util.List;

/**
 * The majority-class baseline: predicts the training set's class frequencies for every input, so
 * its predicted class is the most frequent training class (the lowest label among equals).
 *
 * <pre>{@code
 * MajorityClass m = MajorityClass.train(split.train());
 * m.majority();   // 0 for a balanced dataset
 * }</pre>
 */
public final class MajorityClass implements ClassicalModel {

  private final DatasetSpec spec;
  private final float[] priors;

  private MajorityClass(DatasetSpec spec, float[] priors) {
    this.spec = spec;
    this.priors = priors;
  }

  /**
   * Counts the training labels.
   *
   * @throws dev.groundwork.core.data.EmptyDatasetException if {@code train} has no examples
   */
  public static MajorityClass train(Dataset train) {
    train.requireNonEmpty("the majority-class baseline");
    int[] counts = train.classCounts();
    float[] priors = new float[counts.length];
    for (int c = 0; c < counts.length; c++) {
      priors[c] = (float) counts[c] / train.size();
    }
    return new MajorityClass(train.spec(), priors);
  }

  /** The class every input is predicted as. */
  public int majority() {
    return new ClassProbabilities(1, priors.length, priors).argmax(0);
  }

  @Override
  public String name() {
    return "majority-class";
  }

  @Override
  public DatasetSpec spec() {
    return spec;
  }

  @Override
  public ClassProbabilities predict(Batch batch) {
    int n = batch.size();
    float[] values = new float[n * priors.length];
    for (int r = 0; r < n; r++) {
      System.arraycopy(priors, 0, values, r * priors.length, priors.length);
    }
    return new ClassProbabilities(n, priors.length, values);
  }

  @Override
  public List<Tensor> parameterValues() {
    return List.of(Tensor.of("class_priors", new int[] {priors.length}, priors.clone()));
  }
}
