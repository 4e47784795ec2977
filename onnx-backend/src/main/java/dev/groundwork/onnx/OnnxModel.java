package dev.groundwork.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.model.ParameterInfo;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A loaded ONNX model: one ONNX Runtime session, its inputs and outputs, and the adapters that run
 * it as a classifier, an embedder (feature extractor) or a detector.
 *
 * <pre>{@code
 * try (OnnxModel m = OnnxModels.load(Path.of("resnet.onnx"))) {
 *   System.out.println(m);                                   // the inputs/outputs table
 *   try (OnnxClassifier c = m.classifier(spec, OnnxOptions.defaults())) { c.predict(batch); }
 * }
 * }</pre>
 *
 * <p>Adapters share the session; the session is freed when the model and every adapter made from it
 * are closed. Running is safe from several threads at once.
 */
public final class OnnxModel implements AutoCloseable {

  /** The prefix of the model's initializers when they are listed as (frozen) parameters. */
  static final String BACKBONE_PREFIX = "backbone_";

  private final Shared shared;
  private final AtomicBoolean closed = new AtomicBoolean();

  OnnxModel(String name, OrtEnvironment env, OrtSession session, OnnxSessionOptions options,
      Supplier<List<ParameterInfo>> initializers) {
    this.shared = new Shared(name, env, session, options, initializers);
  }

  private OnnxModel(Shared shared) {
    this.shared = shared;
  }

  /** The model's file, resource or given name. */
  public String name() {
    return shared.name;
  }

  /** The model's inputs, in graph order. */
  public List<OnnxTensorInfo> inputs() {
    return shared.inputs;
  }

  /** The model's outputs, in graph order. */
  public List<OnnxTensorInfo> outputs() {
    return shared.outputs;
  }

  /** The input with this name. */
  public Optional<OnnxTensorInfo> input(String name) {
    return shared.inputs.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** The output with this name. */
  public Optional<OnnxTensorInfo> output(String name) {
    return shared.outputs.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** The session options the model was loaded with. */
  public OnnxSessionOptions sessionOptions() {
    return shared.options;
  }

  /**
   * The model's initializers (its weights) with names {@code backbone_<initializer>} and shapes, all
   * frozen; empty if they could not be read.
   */
  public List<ParameterInfo> initializers() {
    return shared.initializers.get();
  }

  /**
   * A classifier over this model: predicts class probabilities for {@code spec}'s classes.
   *
   * @throws OnnxInputException if the model's inputs or outputs do not fit the spec and options
   */
  public OnnxClassifier classifier(DatasetSpec spec, OnnxOptions options) {
    return new OnnxClassifier(share(), spec, options);
  }

  /**
   * An embedder over this model: any float output becomes one vector per example.
   *
   * @throws OnnxInputException if the model's inputs or outputs do not fit the options
   */
  public OnnxEmbedder embedder(OnnxOptions options) {
    return new OnnxEmbedder(share(), options);
  }

  /**
   * A detector over this model: boxes, scores and labels decoded with {@code layout}.
   *
   * @throws OnnxInputException if the model's outputs do not have the layout's names
   */
  public OnnxDetector detector(DetectionLayout layout, OnnxOptions options) {
    return new OnnxDetector(share(), layout, options);
  }

  /** The inputs/outputs table. */
  public String describe() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "ONNX model %s  (%s)%n",
        shared.name, shared.options));
    int width = Math.max(6, java.util.stream.Stream.concat(shared.inputs.stream(),
        shared.outputs.stream()).mapToInt(t -> t.name().length()).max().orElse(6));
    String row = "  %-6s %-" + width + "s %-8s %s%n";
    sb.append(String.format(Locale.ROOT, row, "", "name", "type", "shape"));
    for (OnnxTensorInfo t : shared.inputs) {
      sb.append(String.format(Locale.ROOT, row, "input", t.name(), t.type(), t.shapeText()));
    }
    for (OnnxTensorInfo t : shared.outputs) {
      sb.append(String.format(Locale.ROOT, row, "output", t.name(), t.type(), t.shapeText()));
    }
    return sb.toString().stripTrailing();
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Releases this handle; the session is freed when no model or adapter holds it. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      shared.release();
    }
  }

  // ------------------------------------------------------------------ package internals

  /** Another handle on the same session (the session lives until every handle is closed). */
  OnnxModel share() {
    if (closed.get() || !shared.acquire()) {
      throw new GroundworkException("ONNX model " + shared.name + " is closed; load it again");
    }
    return new OnnxModel(shared);
  }

  OrtEnvironment env() {
    return shared.env;
  }

  /**
   * Runs the model on a batch fed by {@code plan} and copies the requested outputs out; every native
   * tensor and the result are closed on every path.
   */
  Outputs run(InputPlan plan, Batch batch, Set<String> outputNames) {
    if (closed.get()) {
      throw new GroundworkException("ONNX model " + shared.name + " is closed; load it again");
    }
    dev.groundwork.core.data.NonFiniteInputException.check(batch, "ONNX model " + shared.name);
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    shared.life.readLock().lock();
    try {
      if (shared.refs.get() == 0) {
        throw new GroundworkException("ONNX model " + shared.name + " is closed; load it again");
      }
      TextTokenizer.Tokens tokens = plan.feed(shared.env, batch, feed);
      try (OrtSession.Result result = shared.session.run(feed, outputNames)) {
        Map<String, OutputArray> out = new LinkedHashMap<>();
        for (String name : outputNames) {
          out.put(name, copy(name, result.get(name).orElseThrow()));
        }
        return new Outputs(out, tokens);
      }
    } catch (OrtException e) {
      throw new OnnxModelException(shared.name, "ONNX Runtime failed to run " + shared.name
          + " on " + batch + ": " + e.getMessage(), e);
    } finally {
      for (OnnxTensor t : feed.values()) {
        t.close();
      }
      shared.life.readLock().unlock();
    }
  }

  /** A session output copied to the Java heap as floats. */
  private OutputArray copy(String name, OnnxValue value) {
    if (!(value instanceof OnnxTensor t)) {
      throw new OnnxInputException(shared.name, "output '" + name + "' of " + shared.name
          + " is a " + value.getType() + ", not a tensor; pick a tensor output");
    }
    long[] shape = t.getInfo().getShape();
    int n = (int) t.getInfo().getNumElements();
    float[] values = new float[n];
    switch (t.getInfo().type) {
      case FLOAT -> t.getFloatBuffer().get(values);
      case DOUBLE -> {
        java.nio.DoubleBuffer b = t.getDoubleBuffer();
        for (int i = 0; i < n; i++) {
          values[i] = (float) b.get(i);
        }
      }
      case INT64 -> {
        java.nio.LongBuffer b = t.getLongBuffer();
        for (int i = 0; i < n; i++) {
          values[i] = b.get(i);
        }
      }
      case INT32 -> {
        java.nio.IntBuffer b = t.getIntBuffer();
        for (int i = 0; i < n; i++) {
          values[i] = b.get(i);
        }
      }
      default -> throw new OnnxInputException(shared.name, "output '" + name + "' of "
          + shared.name + " holds " + t.getInfo().type + " values; only float, double, int32 "
          + "and int64 outputs can be decoded");
    }
    return new OutputArray(name, shape, values);
  }

  /** Wraps a float array as a tensor of this shape. */
  OnnxTensor floatTensor(float[] values, long[] shape) throws OrtException {
    return OnnxTensor.createTensor(shared.env, FloatBuffer.wrap(values), shape);
  }

  /** An output copied to the heap: its shape and values as floats. */
  record OutputArray(String name, long[] shape, float[] values) {

    /** The product of the dimensions after the first. */
    int rowSize() {
      long n = 1;
      for (int i = 1; i < shape.length; i++) {
        n *= shape[i];
      }
      return (int) n;
    }

    String shapeText() {
      return Arrays.toString(shape);
    }
  }

  /** The outputs of one run, and the tokens of a text batch (else null). */
  record Outputs(Map<String, OutputArray> arrays, TextTokenizer.Tokens tokens) {
    OutputArray get(String name) {
      return arrays.get(name);
    }
  }

  private static final class Shared {
    final String name;
    final OrtEnvironment env;
    final OrtSession session;
    final OnnxSessionOptions options;
    final List<OnnxTensorInfo> inputs;
    final List<OnnxTensorInfo> outputs;
    final Supplier<List<ParameterInfo>> initializers;
    final AtomicInteger refs = new AtomicInteger(1);
    /** Runs hold the read lock; the last release closes the session under the write lock. */
    final java.util.concurrent.locks.ReadWriteLock life =
        new java.util.concurrent.locks.ReentrantReadWriteLock();

    Shared(String name, OrtEnvironment env, OrtSession session, OnnxSessionOptions options,
        Supplier<List<ParameterInfo>> initializers) {
      this.name = name;
      this.env = env;
      this.session = session;
      this.options = options;
      this.initializers = initializers;
      try {
        this.inputs = infos(session.getInputInfo());
        this.outputs = infos(session.getOutputInfo());
      } catch (OrtException e) {
        closeQuietly(session);
        throw new OnnxModelException(name, "cannot read the inputs and outputs of " + name + ": "
            + e.getMessage(), e);
      }
    }

    /** Takes another reference unless the session is already closed. */
    boolean acquire() {
      while (true) {
        int r = refs.get();
        if (r == 0) {
          return false;
        }
        if (refs.compareAndSet(r, r + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (refs.decrementAndGet() == 0) {
        life.writeLock().lock();
        try {
          closeQuietly(session);
        } finally {
          life.writeLock().unlock();
        }
      }
    }

    private static void closeQuietly(OrtSession session) {
      try {
        session.close();
      } catch (OrtException e) {
        // nothing left to do with a session that cannot close
      }
    }

    private static List<OnnxTensorInfo> infos(Map<String, NodeInfo> nodes) {
      List<OnnxTensorInfo> out = new ArrayList<>();
      for (NodeInfo n : nodes.values()) {
        if (n.getInfo() instanceof TensorInfo ti) {
          String[] names = ti.getDimensionNames();
          out.add(new OnnxTensorInfo(n.getName(), ti.type.name(), ti.getShape(),
              names == null ? List.of() : Arrays.asList(names)));
        } else {
          String kind = n.getInfo().getClass().getSimpleName().replace("Info", "").toUpperCase(
              Locale.ROOT);
          out.add(new OnnxTensorInfo(n.getName(), kind, new long[0], List.of()));
        }
      }
      return List.copyOf(out);
    }
  }
}
