package dev.groundwork.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.Model;
import dev.groundwork.core.model.ModelSummary;
import java.util.Objects;
import java.util.Set;

/**
 * A pretrained ONNX classifier as a Groundwork {@link Model}: a batch goes to the mapped input(s),
 * the chosen output is read as logits (softmax applied) or probabilities.
 *
 * <pre>{@code
 * OnnxClassifier c = OnnxModels.load(path).classifier(DatasetSpec.image(3, 224, 224, classes),
 *     OnnxOptions.builder().output("logits").scores(Scores.LOGITS).build());
 * ClassProbabilities p = c.predict(batch);
 * }</pre>
 *
 * <p>Safe to call from several threads at once. Close it to release its hold on the session.
 */
public final class OnnxClassifier implements Model {

  private final OnnxModel model;
  private final DatasetSpec spec;
  private final OnnxOptions options;
  private final InputPlan plan;
  private final OnnxTensorInfo output;
  private final Set<String> outputs;

  OnnxClassifier(OnnxModel model, DatasetSpec spec, OnnxOptions options) {
    this.model = model;
    try {
      this.spec = Objects.requireNonNull(spec, "spec");
      this.options = Objects.requireNonNull(options, "options");
      this.plan = InputPlan.resolve(model, options);
      String name = model.name();
      if (spec.inputKind() == InputKind.TEXT && !plan.text()) {
        throw new OnnxInputException(name, "the data is text but no tokenizer is given for model "
            + name + "; pass OnnxOptions.builder().tokenizer(TextTokenizer.fromFile(...)) with the "
            + "model's tokenizer.json");
      }
      if (spec.inputKind() == InputKind.TENSOR && plan.text()) {
        throw new OnnxInputException(name, "a tokenizer is given but the data is tensors of shape "
            + java.util.Arrays.toString(spec.inputShape()) + "; drop the tokenizer for model "
            + name);
      }
      if (!plan.text()) {
        long first = plan.tensorInput().shape()[0];
        plan.tensorShape(first > 0 ? (int) first : 1, spec.inputShape());
      }
      this.output = Decoding.output(model, options, "class scores");
      long perRow = Decoding.staticRowSize(output);
      if (perRow > 0 && perRow != spec.numClasses()) {
        throw new OnnxInputException(name, "output '" + output.name() + "' of " + name + " has "
            + "shape " + output.shapeText() + ", i.e. " + perRow + " scores per example, but the "
            + "spec has " + spec.numClasses() + " classes " + spec.classes());
      }
      this.outputs = Set.of(output.name());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public DatasetSpec spec() {
    return spec;
  }

  /** The options the adapter was made with. */
  public OnnxOptions options() {
    return options;
  }

  /**
   * Class probabilities for a batch.
   *
   * @throws OnnxInputException if the batch does not fit the model's input, or the output has not
   *     one score per class
   */
  @Override
  public ClassProbabilities predict(Batch batch) {
    OnnxModel.OutputArray out = model.run(plan, batch, outputs).get(output.name());
    int n = batch.size();
    int c = spec.numClasses();
    if (out.values().length != (long) n * c) {
      throw new OnnxInputException(name(), "output '" + output.name() + "' of " + name()
          + " came back with shape " + out.shapeText() + " for a batch of " + n + ", but "
          + n + " × " + c + " class scores were expected");
    }
    return new ClassProbabilities(n, c, Decoding.probabilities(out.values(), n, c,
        options.scores()));
  }

  /** The tokenizer's counts (texts, truncated), for text models. */
  public java.util.Optional<TokenizationReport> tokenization() {
    return plan.text() ? java.util.Optional.of(plan.tokenizer().report())
        : java.util.Optional.empty();
  }

  @Override
  public String threading() {
    return "ONNX Runtime session " + model.sessionOptions();
  }

  @Override
  public ModelSummary summary() {
    return new ModelSummary(name(), engine(), model.initializers());
  }

  /** The model's inputs/outputs table, with how the batch is fed and the output decoded. */
  public String describe() {
    return model.describe() + System.lineSeparator() + "  feed: " + plan + System.lineSeparator()
        + "  decode: " + output.name() + " as " + options.scores() + " → " + spec.numClasses()
        + " classes";
  }

  @Override
  public String toString() {
    return describe();
  }

  @Override
  public void close() {
    model.close();
  }

  static String engine() {
    return OnnxBackend.NAME + " " + OrtEnvironment.getEnvironment().getVersion();
  }
}
