package dev.groundwork.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which model input gets what part of a batch, resolved and checked against the model once, when an
 * adapter is made; then turns each batch into named ONNX tensors.
 */
final class InputPlan {

  private final String model;
  private final TextTokenizer tokenizer;
  // tensor data
  private final OnnxTensorInfo tensorInput;
  // text data
  private final OnnxTensorInfo ids;
  private final OnnxTensorInfo mask;
  private final OnnxTensorInfo types;

  private InputPlan(String model, TextTokenizer tokenizer, OnnxTensorInfo tensorInput,
      OnnxTensorInfo ids, OnnxTensorInfo mask, OnnxTensorInfo types) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.tensorInput = tensorInput;
    this.ids = ids;
    this.mask = mask;
    this.types = types;
  }

  /**
   * Maps the model's inputs from the options.
   *
   * @throws OnnxInputException naming the model and the input for a name the model does not have,
   *     an input of the wrong type, or model inputs that nothing feeds
   */
  static InputPlan resolve(OnnxModel m, OnnxOptions o) {
    String name = m.name();
    List<OnnxTensorInfo> inputs = m.inputs();
    Set<String> fed = new LinkedHashSet<>();
    InputPlan plan;
    if (o.tokenizer().isEmpty()) {
      OnnxTensorInfo in;
      if (o.tensorInput().isPresent()) {
        in = find(m, o.tensorInput().get(), "tensorInput");
      } else if (inputs.size() == 1) {
        in = inputs.get(0);
      } else {
        throw new OnnxInputException(name, "model " + name + " has " + inputs.size() + " inputs "
            + names(inputs) + "; say which one takes the batch with tensorInput(name)"
            + (inputs.stream().anyMatch(i -> i.name().contains("input_ids"))
                ? ", or give a tokenizer(...) for text" : ""));
      }
      if (!in.type().equals("FLOAT")) {
        throw new OnnxInputException(name, "input '" + in.name() + "' of " + name + " takes "
            + in.type() + " values, but a tensor batch holds floats"
            + (in.type().startsWith("INT") ? "; is it a text model that needs a tokenizer(...)?"
                : ""));
      }
      fed.add(in.name());
      plan = new InputPlan(name, null, in, null, null, null);
    } else {
      OnnxTensorInfo idsIn = o.idsInput().map(n -> find(m, n, "ids input"))
          .orElseGet(() -> m.input("input_ids").orElseThrow(() -> new OnnxInputException(name,
              "model " + name + " has no input 'input_ids' " + names(inputs) + "; name the token "
                  + "id input with textInputs(ids, mask, typeIds)")));
      OnnxTensorInfo maskIn = optional(m, o.maskInput().orElse(null), "attention_mask");
      OnnxTensorInfo typesIn = optional(m, o.typeIdsInput().orElse(null), "token_type_ids");
      for (OnnxTensorInfo t : new OnnxTensorInfo[] {idsIn, maskIn, typesIn}) {
        if (t != null) {
          if (!t.type().equals("INT64") && !t.type().equals("INT32")) {
            throw new OnnxInputException(name, "input '" + t.name() + "' of " + name + " takes "
                + t.type() + " values, but token ids, masks and types are integers; map another "
                + "input with textInputs(...)");
          }
          if (t.rank() != 2) {
            throw new OnnxInputException(name, "input '" + t.name() + "' of " + name + " has shape "
                + t.shapeText() + ", but tokens come as [batch, tokens]");
          }
          if (!fed.add(t.name())) {
            throw new OnnxInputException(name, "input '" + t.name() + "' of " + name + " is "
                + "mapped to two roles (ids, mask, type ids); map each role to its own input "
                + "with textInputs(...)");
          }
        }
      }
      plan = new InputPlan(name, o.tokenizer().get(), null, idsIn, maskIn, typesIn);
    }
    List<String> unfed = inputs.stream().map(OnnxTensorInfo::name).filter(n -> !fed.contains(n))
        .toList();
    if (!unfed.isEmpty()) {
      throw new OnnxInputException(name, "model " + name + " has " + unfed.size() + " input"
          + (unfed.size() == 1 ? "" : "s") + " that nothing feeds: " + unfed + " (fed: " + fed
          + "); a batch gives one tensor, or the token ids, mask and types of a text — use a model "
          + "whose other inputs are these, or map them with tensorInput/textInputs");
    }
    return plan;
  }

  private static OnnxTensorInfo find(OnnxModel m, String input, String what) {
    return m.input(input).orElseThrow(() -> new OnnxInputException(m.name(), "model " + m.name()
        + " has no input '" + input + "' (given as " + what + "); its inputs are "
        + names(m.inputs())));
  }

  /** An explicitly named input ("" = none), or the default name when the model has it. */
  private static OnnxTensorInfo optional(OnnxModel m, String explicit, String defaultName) {
    if (explicit == null) {
      return m.input(defaultName).orElse(null);
    }
    return explicit.isEmpty() ? null : find(m, explicit, defaultName + " input");
  }

  static String names(List<OnnxTensorInfo> infos) {
    return infos.stream().map(t -> t.name() + " " + t.type() + t.shapeText())
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** The batch size the model's input fixes, or -1 when its batch dimension is free. */
  long fixedBatch() {
    long[] shape = (tokenizer == null ? tensorInput : ids).shape();
    return shape.length > 0 && shape[0] > 0 ? shape[0] : -1;
  }

  /** Whether the plan reads text. */
  boolean text() {
    return tokenizer != null;
  }

  /** The tokenizer, for text plans. */
  TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The input the tensor batch goes to, for tensor plans. */
  OnnxTensorInfo tensorInput() {
    return tensorInput;
  }

  /**
   * Checks that examples of this shape (no batch dimension) fit the tensor input: the same fixed
   * dimensions, or the same number of values when every non-batch dimension of the model is fixed
   * (then the batch is reshaped).
   *
   * @return the shape to give the tensor for a batch of {@code n}
   * @throws OnnxInputException naming the model, the input and both shapes
   */
  long[] tensorShape(int n, int[] exampleShape) {
    long[] want = tensorInput.shape();
    long[] got = new long[exampleShape.length + 1];
    got[0] = n;
    for (int i = 0; i < exampleShape.length; i++) {
      got[i + 1] = exampleShape[i];
    }
    if (want.length == 0) {
      throw mismatch(got, "");
    }
    if (want[0] > 0 && want[0] != n) {
      throw mismatch(got, "; the model takes batches of exactly " + want[0]
          + " — use batch size " + want[0]);
    }
    if (want.length == got.length) {
      boolean ok = true;
      for (int i = 1; i < want.length; i++) {
        ok &= want[i] < 0 || want[i] == got[i];
      }
      if (ok) {
        return got;
      }
    }
    long wantSize = 1;
    for (int i = 1; i < want.length; i++) {
      wantSize = want[i] < 0 ? -1 : wantSize * want[i];
      if (wantSize < 0) {
        break;
      }
    }
    long gotSize = 1;
    for (int d : exampleShape) {
      gotSize *= d;
    }
    if (wantSize == gotSize) {
      long[] reshaped = want.clone();
      reshaped[0] = n;
      return reshaped;
    }
    throw mismatch(got, "");
  }

  private OnnxInputException mismatch(long[] got, String advice) {
    return new OnnxInputException(model, "input '" + tensorInput.name() + "' of " + model
        + " takes shape " + tensorInput.shapeText() + " but the batch has shape "
        + Arrays.toString(got) + advice + (advice.isEmpty()
            ? "; give data of the model's input shape (resize or reshape it first)" : ""));
  }

  /**
   * Puts the batch's tensors into {@code feed} (which the caller closes, also when this throws).
   *
   * @return the tokens of a text batch, else null
   */
  TextTokenizer.Tokens feed(OrtEnvironment env, dev.groundwork.core.data.Batch batch,
      Map<String, OnnxTensor> feed) throws OrtException {
    check(batch);
    if (tokenizer == null) {
      int[] shape = batch.shape();
      long[] tensorShape = tensorShape(batch.size(), Arrays.copyOfRange(shape, 1, shape.length));
      feed.put(tensorInput.name(), OnnxTensor.createTensor(env,
          java.nio.FloatBuffer.wrap(batch.inputs()), tensorShape));
      return null;
    }
    TextTokenizer.Tokens t = tokenizer.encode(batch.texts(), batch.ids(), model);
    long[] shape = {t.rows(), t.length()};
    put(env, feed, ids, t.ids(), shape);
    put(env, feed, mask, t.mask(), shape);
    put(env, feed, types, t.types(), shape);
    return t;
  }

  /**
   * Checks that a whole batch fits the plan — its kind, its tensor shape, no blank text — without
   * making any tensor; {@link #feed} checks the same.
   *
   * @throws OnnxInputException naming the model (and the example, for a blank text)
   */
  void check(dev.groundwork.core.data.Batch batch) {
    if (tokenizer == null) {
      if (batch.inputs().length == 0 && !batch.texts().isEmpty()) {
        throw new OnnxInputException(model, "model " + model + " was given a text batch but has "
            + "no tokenizer; pass OnnxOptions.builder().tokenizer(TextTokenizer.fromFile(...)) "
            + "with the model's tokenizer.json");
      }
      int[] shape = batch.shape();
      tensorShape(batch.size(), Arrays.copyOfRange(shape, 1, shape.length));
      return;
    }
    if (batch.texts().size() != batch.size()) {
      throw new OnnxInputException(model, "model " + model + " reads text but was given a tensor "
          + "batch of shape " + Arrays.toString(batch.shape()) + "; give a text dataset");
    }
    TextTokenizer.requireWords(batch.texts(), batch.ids(), model);
  }

  private static void put(OrtEnvironment env, Map<String, OnnxTensor> feed, OnnxTensorInfo in,
      long[] values, long[] shape) throws OrtException {
    if (in == null) {
      return;
    }
    if (in.type().equals("INT32")) {
      int[] ints = new int[values.length];
      for (int i = 0; i < ints.length; i++) {
        ints[i] = (int) values[i];
      }
      feed.put(in.name(), OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape));
    } else {
      feed.put(in.name(), OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape));
    }
  }

  /** The names of the inputs this plan feeds. */
  List<String> fedInputs() {
    List<String> out = new ArrayList<>();
    for (OnnxTensorInfo t : new OnnxTensorInfo[] {tensorInput, ids, mask, types}) {
      if (t != null) {
        out.add(t.name());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return tokenizer == null ? "tensor → " + tensorInput.name()
        : "text → " + String.join(", ", fedInputs()) + " via " + tokenizer;
  }
}
