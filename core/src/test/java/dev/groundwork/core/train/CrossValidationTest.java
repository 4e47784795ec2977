package dev.groundwork.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.RecordSource;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.ModelSummary;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cross-validation with a nearest-centroid model that records what it trained on. */
class CrossValidationTest {

  static final List<String> CLASSES = List.of("a", "b", "c");

  /** 3 Gaussian blobs in 2-d, 30/20/10 examples, in a shuffled order. */
  static Dataset blobs() {
    int[] sizes = {30, 20, 10};
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < sizes.length; c++) {
      for (int i = 0; i < sizes[c]; i++) {
        labels.add(c);
      }
    }
    java.util.Collections.shuffle(labels, new Random(1));
    Random rng = new Random(2);
    float[][] x = new float[labels.size()][];
    for (int i = 0; i < x.length; i++) {
      int c = labels.get(i);
      x[i] = new float[] {(float) (3 * c + rng.nextGaussian()), (float) rng.nextGaussian()};
    }
    return Dataset.of("blobs", DatasetSpec.features(2, CLASSES), new RecordSource() {
      @Override
      public int size() {
        return x.length;
      }

      @Override
      public String id(int index) {
        return "x" + index;
      }

      @Override
      public int label(int index) {
        return labels.get(index);
      }

      @Override
      public Input decode(int index) {
        return new TensorInput(x[index].clone(), new int[] {2});
      }
    });
  }

  @Test
  void everyExampleIsScoredByAModelThatNeverSawItAndEveryFoldModelIsClosed() {
    Dataset data = blobs();
    Centroids proto = new Centroids(data.spec(), TrainConfig.builder().batchSize(8).build());
    CrossValidationResult r = CrossValidation.of(proto).on(data).folds(4).epochs(3).seed(5).run();
    ClassificationPredictions p = r.predictions();
    assertThat(p.ids()).isEqualTo(data.ids());
    assertThat(p.labels()).isEqualTo(data.labels());
    assertThat(p.dataset()).contains(data);
    assertThat(proto.created).hasSize(4);
    assertThat(proto.created).allMatch(m -> m.closed);
    assertThat(proto.trainedIds).isEmpty();
    assertThat(proto.closed).isFalse();
    Set<String> scored = new HashSet<>();
    for (Centroids m : proto.created) {
      assertThat(m.passes(data.size() - m.predictedIds.size())).isEqualTo(3);
      assertThat(m.trainedIds).doesNotContainAnyElementsOf(m.predictedIds);
      assertThat(m.trainedIds.size() + m.predictedIds.size()).isEqualTo(data.size());
      scored.addAll(m.predictedIds);
    }
    assertThat(scored).hasSize(data.size());
    // stratified: every fold holds 7–8 of class a, 5 of b, 2–3 of c
    assertThat(r.foldSizes()).containsExactly(15, 15, 15, 15);
    for (Centroids m : proto.created) {
      long cCount = m.predictedIds.stream().filter(id -> data.label(data.indexOf(id).get()) == 2)
          .count();
      assertThat(cCount).isBetween(2L, 3L);
    }
    assertThat(r.accuracy()).isGreaterThan(0.9);
    assertThat(r.provenance().seed()).isEqualTo(5);
    assertThat(r.provenance().config()).containsEntry("folds", "4").containsEntry("epochs", "3")
        .containsEntry("model", "centroids").containsEntry("batchSize", "8");
    assertThat(r.provenance().datasetFingerprint()).isEqualTo(data.fingerprint().sha256());
    assertThat(r.toString()).contains("4 folds × 3 epochs").contains("fold 4: 15 held out");
    // the same seed gives the same probabilities; the short form gives the same predictions
    ClassificationPredictions again = CrossValidation.outOfSample(
        new Centroids(data.spec(), TrainConfig.builder().batchSize(8).build()), data, 4, 3, 5);
    assertThat(again.probabilities()).isEqualTo(p.probabilities());
  }

  @Test
  void typedErrorsNameTheProblem() {
    Dataset data = blobs();
    Centroids proto = new Centroids(data.spec(), TrainConfig.defaults());
    assertThatThrownBy(() -> CrossValidation.outOfSample(proto, data, 1, 3, 5))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("folds must be at "
            + "least 2").hasMessageContaining("got 1");
    assertThatThrownBy(() -> CrossValidation.outOfSample(proto, data, 5, 0, 5))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("epochs must be at least 1, got 0");
    assertThatThrownBy(() -> CrossValidation.outOfSample(proto, data, 11, 1, 5))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("class 'c' of blobs has 10 examples, fewer than the 11 folds");
    assertThatThrownBy(() -> CrossValidation.of(proto).run())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("on(dataset)");
    Centroids other = new Centroids(DatasetSpec.features(2, List.of("a", "b")),
        TrainConfig.defaults());
    assertThatThrownBy(() -> CrossValidation.outOfSample(other, data, 2, 1, 5))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("[a, b, c]");
    assertThat(proto.created).isEmpty();
  }

  @Test
  void failureAnalysisOfAModelOnADataset() {
    Dataset data = blobs();
    try (Centroids m = new Centroids(data.spec(), TrainConfig.defaults())) {
      for (Batch b : data.batches(16)) {
        m.trainStep(b, false);
      }
      var a = FailureAnalysis.classification(m, data, 7).run();
      assertThat(a.metrics().examples()).isEqualTo(data.size());
      assertThat(a.metrics().accuracy()).isGreaterThan(0.9);
      assertThatThrownBy(() -> FailureAnalysis.classification(m, data, 0))
          .isInstanceOf(InvalidParameterException.class).hasMessageContaining("batchSize");
    }
  }

  /** Nearest class centroid, probabilities softmax(−squared distance); records ids it saw. */
  static class Centroids implements TrainableModel {
    final DatasetSpec spec;
    final TrainConfig config;
    final List<Centroids> created = new ArrayList<>();
    final Set<String> trainedIds = new HashSet<>();
    final Set<String> predictedIds = new HashSet<>();
    int examplesTrained;
    boolean closed;
    private final double[][] sum;
    private final int[] count;

    Centroids(DatasetSpec spec, TrainConfig config) {
      this.spec = spec;
      this.config = config;
      this.sum = new double[spec.numClasses()][spec.inputSize()];
      this.count = new int[spec.numClasses()];
    }

    int passes(int trainSize) {
      return examplesTrained / trainSize;
    }

    @Override
    public String name() {
      return "centroids";
    }

    @Override
    public DatasetSpec spec() {
      return spec;
    }

    @Override
    public ClassProbabilities predict(Batch batch) {
      int d = spec.inputSize();
      int c = spec.numClasses();
      float[] out = new float[batch.size() * c];
      for (int r = 0; r < batch.size(); r++) {
        predictedIds.add(batch.ids().get(r));
        double[] s = new double[c];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
          double dist = 0;
          for (int t = 0; t < d; t++) {
            double mu = count[k] == 0 ? 0 : sum[k][t] / count[k];
            double diff = batch.inputs()[r * d + t] - mu;
            dist += diff * diff;
          }
          s[k] = -dist;
          max = Math.max(max, s[k]);
        }
        double z = 0;
        for (int k = 0; k < c; k++) {
          s[k] = Math.exp(s[k] - max);
          z += s[k];
        }
        for (int k = 0; k < c; k++) {
          out[r * c + k] = (float) (s[k] / z);
        }
      }
      return new ClassProbabilities(batch.size(), c, out);
    }

    @Override
    public ModelSummary summary() {
      return new ModelSummary(name(), "test", List.of());
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public TrainConfig config() {
      return config;
    }

    @Override
    public StepResult trainStep(Batch batch, boolean collectGradients) {
      int d = spec.inputSize();
      for (int r = 0; r < batch.size(); r++) {
        trainedIds.add(batch.ids().get(r));
        int y = batch.labels()[r];
        count[y]++;
        for (int t = 0; t < d; t++) {
          sum[y][t] += batch.inputs()[r * d + t];
        }
      }
      examplesTrained += batch.size();
      return new StepResult(0, new float[batch.size()], new int[batch.size()], Map.of(), 0);
    }

    @Override
    public void learningRate(double learningRate) {}

    @Override
    public double learningRate() {
      return config.learningRate();
    }

    @Override
    public List<ParameterInfo> parameters() {
      return List.of();
    }

    @Override
    public int scaleLearningRate(String prefix, double factor) {
      return 0;
    }

    @Override
    public List<dev.groundwork.core.weights.Tensor> parameterValues() {
      int c = spec.numClasses();
      int d = spec.inputSize();
      float[] sums = new float[c * d];
      float[] counts = new float[c];
      for (int k = 0; k < c; k++) {
        counts[k] = count[k];
        for (int t = 0; t < d; t++) {
          sums[k * d + t] = (float) sum[k][t];
        }
      }
      return List.of(dev.groundwork.core.weights.Tensor.of("sum", new int[] {c, d}, sums),
          dev.groundwork.core.weights.Tensor.of("count", new int[] {c}, counts));
    }

    @Override
    public void assignParameters(java.util.Collection<dev.groundwork.core.weights.Tensor> values) {
      int d = spec.inputSize();
      for (dev.groundwork.core.weights.Tensor t : values) {
        for (int i = 0; i < t.values().length; i++) {
          if (t.name().equals("sum")) {
            sum[i / d][i % d] = t.values()[i];
          } else {
            count[i] = (int) t.values()[i];
          }
        }
      }
    }

    @Override
    public dev.groundwork.core.model.TrainingState trainingState() {
      return new dev.groundwork.core.model.TrainingState(name(), parameterValues(), List.of(),
          Map.of(), Set.of(), config.learningRate(), Map.of());
    }

    @Override
    public void restore(dev.groundwork.core.model.TrainingState state) {
      assignParameters(state.parameters());
    }

    @Override
    public int freeze(String prefix) {
      return 0;
    }

    @Override
    public int unfreeze(String prefix) {
      return 0;
    }

    @Override
    public void save(Path file) {}

    @Override
    public void load(Path file) {}

    @Override
    public TrainableModel newInstance(TrainConfig cfg) {
      Centroids m = new Centroids(spec, cfg);
      created.add(m);
      return m;
    }
  }
}
