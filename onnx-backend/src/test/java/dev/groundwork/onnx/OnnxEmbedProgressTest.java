package dev.groundwork.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.RecordSource;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.model.Embeddings;
import dev.groundwork.core.progress.ProgressUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Embedding a whole dataset reports one step per example, ending at the dataset's size. */
class OnnxEmbedProgressTest {

  @Test
  void embeddingADatasetReportsEveryBatchAndEndsAtItsSize() {
    float[] x = OnnxAdaptersTest.randomInputs(10, 7);
    Dataset data = Dataset.of("ten", DatasetSpec.features(4, List.of("a", "b", "c")),
        new RecordSource() {
          @Override
          public int size() {
            return 10;
          }

          @Override
          public String id(int index) {
            return "r" + index;
          }

          @Override
          public int label(int index) {
            return index % 3;
          }

          @Override
          public Input decode(int index) {
            return new TensorInput(Arrays.copyOfRange(x, 4 * index, 4 * index + 4), new int[] {4});
          }
        });
    List<ProgressUpdate> seen = new ArrayList<>();
    try (OnnxModel m = OnnxModels.fromBytes("linear", OnnxGraphs.linear(false));
        OnnxEmbedder e = m.embedder(OnnxOptions.defaults())) {
      Embeddings v = e.embed(data, 4, seen::add);
      assertThat(v.rows()).isEqualTo(10);
      // the same vectors as without a listener
      assertThat(v.values()).containsExactly(e.embed(data, 4).values());
    }
    assertThat(seen).extracting(ProgressUpdate::task).containsOnly("embedding ten");
    assertThat(seen).extracting(ProgressUpdate::step).containsExactly(0L, 4L, 8L, 10L);
    assertThat(seen).extracting(ProgressUpdate::total).containsOnly(10L);
    assertThat(seen.get(3).message()).isEqualTo("10 vectors of 3");
    assertThat(seen.get(1).message()).isEqualTo("linear");
  }
}
