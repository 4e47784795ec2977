package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.NonFiniteInputException;
import dev.groundwork.core.model.NonFiniteLossException;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.train.Fit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad numbers stop at the door: no NaN reaches the weights or comes back as a prediction. */
class NonFiniteTest {
  static final Dataset DATA = Datasets.fashionMnistSubset().train().stratifiedSample(64, 2);
  static final Batch BATCH = DATA.batches(64).iterator().next();

  private static Batch with(float value, int... examples) {
    float[] x = BATCH.inputs().clone();
    for (int e : examples) {
      x[e * 784 + 300] = value;
    }
    return new Batch(BATCH.shape(), x, List.of(), BATCH.labels(), BATCH.ids());
  }

  @Test
  void aNanPixelIsRefusedInPredictionAndTrainingNamingTheExample() {
    try (TrainableModel m = DjlModels.smallCnn(DATA.spec())) {
      var before = m.parameterValues();
      Batch bad = with(Float.NaN, 17);
      assertThatThrownBy(() -> m.predict(bad)).isInstanceOf(NonFiniteInputException.class)
          .hasMessageContaining(BATCH.ids().get(17)).hasMessageContaining("model small-cnn");
      assertThatThrownBy(() -> m.trainStep(with(Float.NEGATIVE_INFINITY, 3, 40), false))
          .isInstanceOf(NonFiniteInputException.class)
          .satisfies(e -> assertThat(((NonFiniteInputException) e).ids())
              .containsExactly(BATCH.ids().get(3), BATCH.ids().get(40)));
      assertThat(m.parameterValues()).isEqualTo(before);
    }
  }

  @Test
  void aStepWhoseLossIsNotFiniteDoesNotTouchTheWeights() {
    float[] huge = BATCH.inputs().clone();
    for (int i = 0; i < huge.length; i++) {
      huge[i] = Float.MAX_VALUE; // finite inputs; the first layer's sums overflow
    }
    Batch overflow = new Batch(BATCH.shape(), huge, List.of(), BATCH.labels(), BATCH.ids());
    try (TrainableModel m = DjlModels.mlp(DATA.spec(), TrainConfig.defaults(), 64)) {
      var before = m.parameterValues();
      assertThatThrownBy(() -> m.trainStep(overflow, false))
          .isInstanceOf(NonFiniteLossException.class).hasMessageContaining("not updated")
          .hasMessageContaining(BATCH.ids().get(0));
      assertThat(m.parameterValues()).isEqualTo(before);
      // and the next good step trains from the untouched weights, with no stale gradient
      double loss = m.trainStep(BATCH, false).loss();
      assertThat(loss).isFinite();
      try (TrainableModel twin = DjlModels.mlp(DATA.spec(), TrainConfig.defaults(), 64)) {
        assertThat(twin.trainStep(BATCH, false).loss()).isEqualTo(loss);
        assertThat(twin.parameterValues()).isEqualTo(m.parameterValues());
      }
    }
  }

  @Test
  void oneNanImageInTwoThousandStopsTheFitAtItsBatchNotLater() {
    Dataset two = Datasets.fashionMnistSubset().train();
    String poisoned = two.id(1234);
    Dataset withNan = Dataset.of("poisoned", two.spec(), new PoisonedSource(two, 1234));
    try (TrainableModel m = DjlModels.mlp(two.spec(), TrainConfig.defaults(), 64)) {
      assertThatThrownBy(() -> Fit.of(m).on(withNan).epochs(1).quiet().run())
          .isInstanceOf(NonFiniteInputException.class).hasMessageContaining(poisoned);
    }
  }

  /** The dataset's records with one pixel of one image set to NaN. */
  private record PoisonedSource(Dataset base, int poisoned)
      implements dev.groundwork.core.data.RecordSource {
    @Override
    public int size() {
      return base.size();
    }

    @Override
    public String id(int index) {
      return base.id(index);
    }

    @Override
    public int label(int index) {
      return base.label(index);
    }

    @Override
    public dev.groundwork.core.data.Input decode(int index) {
      var in = (dev.groundwork.core.data.TensorInput) base.input(index);
      if (index != poisoned) {
        return in;
      }
      float[] v = in.values().clone();
      v[100] = Float.NaN;
      return new dev.groundwork.core.data.TensorInput(v, in.shape());
    }

    @Override
    public java.util.Map<String, String> metadata(int index) {
      return base.metadata(index);
    }

    @Override
    public String describe() {
      return "poisoned " + base.origin();
    }
  }
}
