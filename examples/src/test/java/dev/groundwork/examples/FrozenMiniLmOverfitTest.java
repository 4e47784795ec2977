package dev.groundwork.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.TableOptions;
import dev.groundwork.core.data.Tables;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.train.OverfitCheck;
import dev.groundwork.core.train.OverfitReport;
import dev.groundwork.core.train.Verdict;
import dev.groundwork.onnx.FrozenBackboneClassifier;
import dev.groundwork.onnx.Head;
import dev.groundwork.onnx.OnnxEmbedder;
import dev.groundwork.onnx.OnnxModel;
import dev.groundwork.onnx.OnnxModels;
import dev.groundwork.onnx.OnnxOptions;
import dev.groundwork.onnx.TextTokenizer;
import org.junit.jupiter.api.Test;

/** The overfit check drives the ONNX backend's frozen-backbone head like any trainable model. */
class FrozenMiniLmOverfitTest {

  @Test
  void frozenMiniLmWithAHeadPassesTheOverfitCheckAndReportsTheBackboneFrozen() {
    Dataset data = Tables.jsonl(TextClassification.resourceFile(TextClassification.DATA),
        TableOptions.builder().label("label").text("text").id("id").build());
    Dataset eighty = data.stratifiedSample(80, 42);
    try (TextTokenizer tokenizer = TextTokenizer.fromClasspath(TextClassification.TOKENIZER);
        OnnxModel minilm = OnnxModels.fromClasspath(TextClassification.MODEL);
        OnnxEmbedder encoder = minilm.embedder(OnnxOptions.builder().tokenizer(tokenizer)
            .pooling(OnnxOptions.Pooling.MEAN).normalize(true).build());
        FrozenBackboneClassifier clf = FrozenBackboneClassifier.create(encoder, data.spec(),
            Head.mlp(64), TrainConfig.builder().learningRate(3e-3).seed(7).build())) {
      OverfitReport r = OverfitCheck.of(clf).on(eighty).run();
      assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.PASS);
      assertThat(r.finalAccuracy()).isEqualTo(1.0);
      assertThat(r.initialLoss()).isBetween(1.5, 3.0); // ln 8 = 2.08
      assertThat(r.frozenParameters()).isNotEmpty().allMatch(n -> n.startsWith("backbone_"));
      assertThat(r.baselineAccuracy().orElseThrow()).isLessThan(0.3);
    }
  }
}
