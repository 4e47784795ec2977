package dev.groundwork.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DataNotFoundException;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.LabelException;
import dev.groundwork.core.data.NonFiniteInputException;
import dev.groundwork.core.model.BatchIndependence;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.GradientProbe;
import dev.groundwork.core.model.ModelSummary;
import dev.groundwork.core.model.NonFiniteLossException;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.model.TrainingState;
import dev.groundwork.core.weights.Tensor;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A trainable classification model on DJL's PyTorch engine, built from a block factory.
 *
 * <p>Each training step and each prediction works in its own {@link NDManager} that is closed at
 * the end of the call, on every path, so no array outlives a call. The inputs are copied into a
 * direct buffer owned by the calling thread and reused by its next call (see {@link #SCRATCH}):
 * it lives as long as the thread, sized for the largest batch the thread has seen, and is freed
 * by the garbage collector after the thread ends. Prediction runs with
 * autograd off, from any number of threads; training steps are serialised JVM-wide, because DJL's
 * PyTorch gradient collector allows one collecting thread at a time.
 */
final class DjlTrainableModel implements TrainableModel, GradientProbe,
    dev.groundwork.core.model.TrainingModeProbe {

  /** Version 2 ends with the SHA-256 of everything before it; version 1 had no checksum. */
  private static final String FILE_HEADER = "groundwork-djl-parameters/2";
  private static final String FILE_HEADER_V1 = "groundwork-djl-parameters/1";
  private static final int DIGEST_BYTES = 32;
  /** Guards seeding + initialisation and training steps (DJL allows one gradient collector). */
  private static final Object ENGINE_LOCK = new Object();
  /** Batches up to this size are predicted on one intra-op thread (see {@link #useThreads}). */
  static final int SMALL_BATCH = 8;

  private final String name;
  private final Supplier<Block> factory;
  private final DatasetSpec spec;
  private final TrainConfig config;
  private final Block block;
  private final Model model;
  private final MutableLearningRate learningRate;
  private final Map<String, Parameter> parameters;
  private final String backend;
  private Trainer trainer;
  private OwnedOptimizer optimizer;
  private volatile boolean closed;
  /** Predictions hold the read lock, {@link #close()} the write lock: no use after free. */
  private final java.util.concurrent.locks.ReadWriteLock life =
      new java.util.concurrent.locks.ReentrantReadWriteLock();

  DjlTrainableModel(String name, Supplier<Block> factory, DatasetSpec spec, TrainConfig config) {
    this.name = name;
    this.factory = factory;
    this.spec = spec;
    this.config = config;
    this.backend = new DjlBackend().name() + " " + new DjlBackend().engineVersion();
    this.learningRate = new MutableLearningRate(config.learningRate());
    synchronized (ENGINE_LOCK) {
      JniUtils.setSeed(config.seed());
      this.block = factory.get();
      if (block == null) {
        throw new InvalidParameterException("the block factory of model " + name
            + " returned null; it must return a new block each call");
      }
      this.model = Model.newInstance(name, Device.cpu(), DjlRuntime.ENGINE);
      try {
        model.setBlock(block);
        this.trainer = newTrainer();
        trainer.initialize(inputShape(1));
        Shape out = block.getOutputShapes(new Shape[] {inputShape(1)})[0];
        InvalidParameterException.check(out.equals(new Shape(1, spec.numClasses())),
            "model %s outputs %s for one example, but the dataset has %d classes; the last layer "
                + "must have one unit per class", name, out, spec.numClasses());
      } catch (InvalidParameterException e) {
        closeQuietly();
        throw e;
      } catch (RuntimeException e) {
        closeQuietly();
        throw new GroundworkException("model " + name + " could not be initialised for input "
            + Arrays.toString(spec.inputShape()) + ": " + e.getMessage()
            + "; check that the block accepts this input shape", e);
      }
    }
    this.parameters = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      parameters.put(displayName(p.getKey()), p.getValue());
    }
  }

  private void closeQuietly() {
    try {
      if (trainer != null) {
        trainer.close();
      }
    } finally {
      model.close();
    }
  }

  private Trainer newTrainer() {
    this.optimizer = new OwnedOptimizer(
        config.optimizer() == dev.groundwork.core.model.Optimizer.ADAM, (float) config.momentum(), (float) config.weightDecay(), learningRate);
    DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(optimizer).optDevices(new Device[] {Device.cpu()});
    Trainer t = model.newTrainer(tc);
    skipSignedGradientCheck(t);
    return t;
  }

  /**
   * DJL's trainer refuses its first step when the signed sum of all gradients is exactly zero,
   * which also happens to real gradients (a softmax on the last layer, batch norm over two
   * examples: gradients that cancel). The model checks its gradients itself (finite, and which
   * parameters get none), so the trainer's check is marked done.
   */
  private static void skipSignedGradientCheck(Trainer t) {
    try {
      java.lang.reflect.Field f = Trainer.class.getDeclaredField("gradientsChecked");
      f.setAccessible(true);
      f.setBoolean(t, true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // another DJL version: its own check stays on
    }
  }

  /** {@code 01backbone_02conv1_weight} → {@code backbone_conv1_weight}. */
  static String displayName(String djlName) {
    return djlName.replaceAll("(^|_)\\d{2}(?=[A-Za-z])", "$1");
  }

  private Shape inputShape(int batch) {
    int[] s = spec.inputShape();
    long[] dims = new long[s.length + 1];
    dims[0] = batch;
    for (int i = 0; i < s.length; i++) {
      dims[i + 1] = s[i];
    }
    return new Shape(dims);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("model " + name + " is closed");
    }
  }

  private void checkBatch(Batch batch) {
    int[] shape = batch.shape();
    InvalidParameterException.check(
        Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), spec.inputShape()),
        "batch of shape %s does not match the input %s of model %s", Arrays.toString(shape),
        Arrays.toString(spec.inputShape()), name);
    NonFiniteInputException.check(batch, "model " + name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DatasetSpec spec() {
    return spec;
  }

  @Override
  public TrainConfig config() {
    return config;
  }

  @Override
  public ClassProbabilities predict(Batch batch) {
    life.readLock().lock();
    try {
      return predictOpen(batch);
    } finally {
      life.readLock().unlock();
    }
  }

  private ClassProbabilities predictOpen(Batch batch) {
    checkOpen();
    checkBatch(batch);
    useThreads(batch.size() <= SMALL_BATCH ? 1 : DjlRuntime.intraOpThreads());
    boolean grad = JniUtils.isGradMode();
    if (grad) {
      JniUtils.setGradMode(false);
    }
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray x = inputs(m, batch);
      NDArray logits = block.forward(new ParameterStore(m, false), new NDList(x), false)
          .singletonOrThrow();
      return new ClassProbabilities(batch.size(), spec.numClasses(),
          logits.softmax(1).toFloatArray());
    } finally {
      if (grad) {
        JniUtils.setGradMode(true);
      }
    }
  }

  @Override
  public StepResult trainStep(Batch batch, boolean collectGradients) {
    life.readLock().lock();
    try {
      return trainStepOpen(batch, collectGradients);
    } finally {
      life.readLock().unlock();
    }
  }

  private StepResult trainStepOpen(Batch batch, boolean collectGradients) {
    checkOpen();
    checkBatch(batch);
    int[] labels = batch.labels();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= spec.numClasses()) {
        throw new LabelException("example " + batch.ids().get(i) + " has label " + labels[i]
            + ", outside the " + spec.numClasses() + " classes of model " + name, name, i);
      }
    }
    if (parameters.values().stream().noneMatch(DjlTrainableModel::trainable)) {
      throw new GroundworkException("all parameters of model " + name + " are frozen, so a "
          + "training step would change nothing; unfreeze some, e.g. unfreeze(\"head\")");
    }
    useThreads(DjlRuntime.intraOpThreads());
    synchronized (ENGINE_LOCK) {
      try (NDManager m = trainer.getManager().newSubManager()) {
        NDArray x = inputs(m, batch);
        NDArray y = labels(m, labels);
        float[] exampleLoss;
        int[] predicted;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
          NDArray perExample = logits.logSoftmax(1).mul(y.oneHot(spec.numClasses()))
              .sum(new int[] {1}).neg();
          collector.backward(perExample.mean());
          exampleLoss = perExample.toFloatArray();
          predicted = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
        } catch (ai.djl.engine.EngineException e) {
          zeroParameterGradients();
          throw new GroundworkException("a training step of model " + name + " on a batch of "
              + batch.size() + " examples " + NonFiniteLossException.preview(batch.ids())
              + " failed in PyTorch: " + String.valueOf(e.getMessage()).lines().findFirst()
              .orElse("") + "; the weights were not updated", e);
        }
        double mean = 0;
        for (float l : exampleLoss) {
          mean += l;
        }
        mean /= exampleLoss.length;
        if (!Double.isFinite(mean) || !gradientsFinite()) {
          zeroParameterGradients();
          throw new NonFiniteLossException("a training step of model " + name + " gave "
              + (Double.isFinite(mean) ? "non-finite gradients" : "loss " + mean) + " on a batch "
              + "of " + batch.size() + " examples " + NonFiniteLossException.preview(batch.ids())
              + "; the weights were not updated — lower the learning rate (now "
              + learningRate.get() + ") or check these examples", batch.ids());
        }
        Map<String, Double> norms = collectGradients ? gradientNorms() : Map.of();
        double lr = learningRate.get();
        trainer.step();
        return new StepResult(mean, exampleLoss, predicted, norms, lr);
      }
    }
  }

  /**
   * Per thread, direct buffers reused for every call's inputs and labels. PyTorch wraps a direct
   * buffer without copying ({@code from_blob}), and every array of a call is closed before the
   * call returns, so the next call on the thread may overwrite it. Without them DJL copies each
   * batch into a fresh direct buffer that only the garbage collector frees: +385 MB of resident
   * memory over 2,000 predictions at batch 64 before a collection happened to run.
   */
  private static final ThreadLocal<ByteBuffer[]> SCRATCH =
      ThreadLocal.withInitial(() -> new ByteBuffer[2]);

  private static ByteBuffer scratch(int slot, int bytes) {
    ByteBuffer[] buffers = SCRATCH.get();
    ByteBuffer b = buffers[slot];
    if (b == null || b.capacity() < bytes) {
      b = ByteBuffer.allocateDirect(Math.max(bytes, 4096)).order(ByteOrder.nativeOrder());
      buffers[slot] = b;
    }
    b.clear().limit(bytes);
    return b;
  }

  private NDArray inputs(NDManager m, Batch batch) {
    float[] values = batch.inputs();
    ByteBuffer b = scratch(0, values.length * Float.BYTES);
    b.asFloatBuffer().put(values);
    return m.create(b, inputShape(batch.size()), DataType.FLOAT32);
  }

  private static NDArray labels(NDManager m, int[] labels) {
    ByteBuffer b = scratch(1, labels.length * Integer.BYTES);
    b.asIntBuffer().put(labels);
    return m.create(b, new Shape(labels.length), DataType.INT32);
  }

  /**
   * Sets the calling thread's PyTorch intra-op threads, if not already so. Measured on 2 cores:
   * single-example predictions on 2 intra-op threads have a p99 of 6–8× their median (the second
   * OpenMP thread's wake-ups), on 1 thread 1.4–1.8×; training and large batches keep all threads.
   */
  static void useThreads(int n) {
    if (JniUtils.getNumThreads() != n) {
      JniUtils.setNumThreads(n);
    }
  }

  private static boolean trainable(Parameter p) {
    return p.requiresGradient() && !p.getType().name().startsWith("RUNNING");
  }

  private Map<String, Double> gradientNorms() {
    Map<String, Double> norms = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      Parameter p = e.getValue();
      if (!trainable(p)) {
        continue;
      }
      NDArray array = p.getArray();
      double norm = 0;
      if (array.hasGradient()) {
        try (NDArray g = array.getGradient(); NDArray n = g.norm()) {
          norm = n.getFloat();
        }
      }
      norms.put(e.getKey(), norm);
    }
    return norms;
  }

  @Override
  public void learningRate(double lr) {
    InvalidParameterException.check(lr > 0 && Double.isFinite(lr),
        "learning rate must be a positive finite number, got %s", lr);
    learningRate.set(lr);
  }

  @Override
  public double learningRate() {
    return learningRate.get();
  }

  @Override
  public List<ParameterInfo> parameters() {
    List<ParameterInfo> out = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      Parameter p = e.getValue();
      long[] dims = p.getShape().getShape();
      int[] shape = new int[dims.length];
      for (int i = 0; i < dims.length; i++) {
        shape[i] = (int) dims[i];
      }
      out.add(new ParameterInfo(e.getKey(), shape, p.getShape().size(), trainable(p)));
    }
    return List.copyOf(out);
  }

  @Override
  public int freeze(String prefix) {
    return setFrozen(prefix, true);
  }

  @Override
  public int unfreeze(String prefix) {
    return setFrozen(prefix, false);
  }

  private int setFrozen(String prefix, boolean frozen) {
    checkOpen();
    int n = 0;
    boolean matched = false;
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      Parameter p = e.getValue();
      if (e.getKey().startsWith(prefix)) {
        matched = true;
        // running statistics (batch norm) never take a gradient: nothing to freeze or unfreeze
        if (!p.getType().name().startsWith("RUNNING")) {
          p.freeze(frozen);
          n++;
        }
      }
    }
    if (!matched) {
      throw new InvalidParameterException("no parameter of model " + name + " starts with '"
          + prefix + "'; the parameters are " + parameters.keySet());
    }
    return n;
  }

  @Override
  public void save(Path file) {
    checkOpen();
    AtomicFiles.write(file, "the parameters of model " + name, raw -> {
      java.security.MessageDigest md = sha256();
      DataOutputStream out = new DataOutputStream(new java.security.DigestOutputStream(raw, md));
      out.writeUTF(FILE_HEADER);
      out.writeUTF(name);
      out.writeInt(parameters.size());
      for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue().getShape().toString());
      }
      block.saveParameters(out);
      out.flush();
      raw.write(md.digest());
    });
  }

  @Override
  public void load(Path file) {
    checkOpen();
    String source = file.toAbsolutePath().toString();
    if (!Files.isRegularFile(file)) {
      throw new DataNotFoundException("parameter file " + source + " does not exist", source,
          null);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DataFormatException("could not read parameters from " + source + ": " + e,
          source, -1, e);
    }
    assignParameters(readParameterFile(bytes, source));
  }

  private static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code head} starts like a file written by {@link #save(Path)} (either version). */
  static boolean isParameterFile(byte[] head) {
    return startsWith(head, FILE_HEADER) || startsWith(head, FILE_HEADER_V1);
  }

  private static boolean startsWith(byte[] head, String header) {
    byte[] magic = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (head.length < magic.length + 2 || head[0] != 0 || head[1] != magic.length) {
      return false;
    }
    return Arrays.equals(Arrays.copyOfRange(head, 2, 2 + magic.length), magic);
  }

  /**
   * Verifies a whole parameter file's checksum (version 2) and decodes it; see {@link
   * #readParameterFile(InputStream, String)}.
   *
   * @throws dev.groundwork.core.weights.ChecksumMismatchException if a byte changed
   */
  List<Tensor> readParameterFile(byte[] bytes, String source) {
    if (startsWith(bytes, FILE_HEADER)) {
      if (bytes.length < DIGEST_BYTES + FILE_HEADER.length() + 2) {
        throw new DataFormatException(source + " ends after " + bytes.length + " bytes, inside "
            + "its header; the file is truncated — save it again", source);
      }
      int payload = bytes.length - DIGEST_BYTES;
      java.security.MessageDigest md = sha256();
      md.update(bytes, 0, payload);
      byte[] actual = md.digest();
      byte[] recorded = Arrays.copyOfRange(bytes, payload, bytes.length);
      if (!Arrays.equals(actual, recorded)) {
        java.util.HexFormat hex = java.util.HexFormat.of();
        throw new dev.groundwork.core.weights.ChecksumMismatchException("parameter file " + source
            + " is damaged or truncated: its content hashes to " + hex.formatHex(actual)
            + " but it records " + hex.formatHex(recorded) + "; save the model again or use a "
            + "backup", source);
      }
      return readParameterFile(new java.io.ByteArrayInputStream(bytes, 0, payload), source);
    }
    return readParameterFile(new java.io.ByteArrayInputStream(bytes), source);
  }

  /**
   * Decodes a parameter file written by {@link #save(Path)} for this architecture into tensors,
   * without touching this model. DJL's parameter payload is not self-describing, so the file's
   * names and shapes (written before it) must equal this model's.
   */
  List<Tensor> readParameterFile(InputStream raw, String source) {
    checkOpen();
    DataInputStream in = new DataInputStream(raw);
    String savedName;
    try {
      String header;
      try {
        header = in.readUTF();
      } catch (IOException e) {
        header = "";
      }
      if (!FILE_HEADER.equals(header) && !FILE_HEADER_V1.equals(header)) {
        throw new DataFormatException(source + " is not a Groundwork DJL parameter file (saved "
            + "by TrainableModel.save)", source);
      }
      savedName = in.readUTF();
      int count = in.readInt();
      InvalidParameterException.check(count >= 0 && count < 1_000_000,
          "%s: parameter count %d is not plausible", source, count);
      List<String> mismatches = new ArrayList<>();
      Map<String, String> saved = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        saved.put(in.readUTF(), in.readUTF());
      }
      for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
        String shape = e.getValue().getShape().toString();
        String other = saved.remove(e.getKey());
        if (other == null) {
          mismatches.add(e.getKey() + " missing");
        } else if (!other.equals(shape)) {
          mismatches.add(e.getKey() + " is " + other + " in the file, " + shape + " here");
        }
      }
      saved.keySet().forEach(k -> mismatches.add(k + " unexpected"));
      if (!mismatches.isEmpty()) {
        throw new dev.groundwork.core.weights.WeightsMismatchException(source + " holds "
            + "parameters of model '" + savedName + "' that do not fit model " + name + ": "
            + mismatches + "; a DJL parameter file loads only into the architecture that saved "
            + "it (use safetensors to load across architectures)", source);
      }
    } catch (IOException e) {
      throw new DataFormatException(source + " ends inside its header (" + e + "); the file is "
          + "truncated or not a Groundwork DJL parameter file — save it again", source, -1, e);
    }
    // Decode into a scratch copy of the block: a truncated or corrupt payload then leaves this
    // model untouched.
    synchronized (ENGINE_LOCK) {
      try (NDManager scratch = model.getNDManager().newSubManager()) {
        Block copy = factory.get();
        copy.initialize(scratch, DataType.FLOAT32, inputShape(1));
        List<Tensor> out = new ArrayList<>();
        try {
          copy.loadParameters(scratch, in);
        } catch (IOException | RuntimeException e) {
          throw new DataFormatException(source + " ends or breaks inside the values of its "
              + parameters.size() + " parameters (" + e + "); the file is truncated or damaged — "
              + "save it again", source, -1, e);
        } catch (MalformedModelException e) {
          throw new DataFormatException(source + " has malformed parameter values: "
              + e.getMessage() + "; save it again", source, -1, e);
        }
        for (Pair<String, Parameter> p : copy.getParameters()) {
          out.add(tensor(displayName(p.getKey()), p.getValue().getArray()));
        }
        return out;
      }
    }
  }

  @Override
  public int scaleLearningRate(String prefix, double factor) {
    checkOpen();
    InvalidParameterException.check(factor > 0 && Double.isFinite(factor),
        "learning-rate factor must be a positive finite number, got %s", factor);
    int n = 0;
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        optimizer.scales.put(e.getValue().getId(), (float) factor);
        n++;
      }
    }
    if (n == 0) {
      throw new InvalidParameterException("no parameter of model " + name + " starts with '"
          + prefix + "'; the parameters are " + parameters.keySet());
    }
    return n;
  }

  @Override
  public List<Tensor> parameterValues() {
    life.readLock().lock();
    try {
      checkOpen();
      List<Tensor> out = new ArrayList<>(parameters.size());
      for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
        out.add(tensor(e.getKey(), e.getValue().getArray()));
      }
      return List.copyOf(out);
    } finally {
      life.readLock().unlock();
    }
  }

  private static Tensor tensor(String name, NDArray array) {
    long[] dims = array.getShape().getShape();
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = Math.toIntExact(dims[i]);
    }
    return Tensor.of(name, shape, array.toFloatArray());
  }

  @Override
  public void assignParameters(java.util.Collection<Tensor> values) {
    life.readLock().lock();
    try {
      checkOpen();
      List<String> problems = new ArrayList<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (Tensor t : values) {
        Parameter p = parameters.get(t.name());
        if (!seen.add(t.name())) {
          problems.add(t.name() + " given twice");
        } else if (p == null) {
          problems.add(t.name() + " is not a parameter");
        } else if (!Arrays.equals(p.getShape().getShape(), longs(t.shape()))) {
          problems.add(t.name() + " is " + Arrays.toString(t.shape()) + ", the model's is "
              + p.getShape());
        }
      }
      if (!problems.isEmpty()) {
        throw new InvalidParameterException("cannot assign these values to model " + name + ": "
            + problems + "; the model is unchanged (its parameters are " + parameters.keySet()
            + ")");
      }
      synchronized (ENGINE_LOCK) {
        for (Tensor t : values) {
          parameters.get(t.name()).getArray().set(FloatBuffer.wrap(t.values()));
        }
      }
    } finally {
      life.readLock().unlock();
    }
  }

  private static long[] longs(int[] shape) {
    long[] out = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = shape[i];
    }
    return out;
  }

  private static final String FIRST = "first";
  private static final String SECOND = "second";

  private String slotName(String slot) {
    if (optimizer.isAdam()) {
      return FIRST.equals(slot) ? "adam.m" : "adam.v";
    }
    return "sgd.velocity";
  }

  @Override
  public TrainingState trainingState() {
    life.readLock().lock();
    try {
      checkOpen();
      List<Tensor> params = new ArrayList<>();
      List<Tensor> slots = new ArrayList<>();
      Map<String, Long> updates = new LinkedHashMap<>();
      Map<String, Double> scales = new LinkedHashMap<>();
      java.util.Set<String> frozen = new java.util.LinkedHashSet<>();
      synchronized (ENGINE_LOCK) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
          String key = e.getKey();
          Parameter p = e.getValue();
          String id = p.getId();
          params.add(tensor(key, p.getArray()));
          NDArray m = optimizer.first.get(id);
          if (m != null) {
            slots.add(tensor(slotName(FIRST) + "/" + key, m));
          }
          NDArray v = optimizer.second.get(id);
          if (v != null) {
            slots.add(tensor(slotName(SECOND) + "/" + key, v));
          }
          Long count = optimizer.counts.get(id);
          if (count != null) {
            updates.put(key, count);
          }
          Float scale = optimizer.scales.get(id);
          if (scale != null) {
            scales.put(key, (double) scale);
          }
          if (!p.getType().name().startsWith("RUNNING") && !p.requiresGradient()) {
            frozen.add(key);
          }
        }
      }
      return new TrainingState(name, params, slots, updates, frozen, learningRate.get(), scales);
    } finally {
      life.readLock().unlock();
    }
  }

  @Override
  public void restore(TrainingState state) {
    life.readLock().lock();
    try {
      checkOpen();
      List<String> problems = new ArrayList<>();
      Map<String, Tensor> byName = new LinkedHashMap<>();
      state.parameters().forEach(t -> byName.put(t.name(), t));
      for (String key : parameters.keySet()) {
        if (!byName.containsKey(key)) {
          problems.add(key + " missing");
        }
      }
      Map<String, String> slots = new LinkedHashMap<>();
      for (Tensor t : state.optimizer()) {
        int slash = t.name().indexOf('/');
        String slot = slash < 0 ? "" : t.name().substring(0, slash);
        String key = slash < 0 ? t.name() : t.name().substring(slash + 1);
        Parameter p = parameters.get(key);
        boolean known = slot.equals(slotName(FIRST)) && optimizer.keepsFirst()
            || optimizer.isAdam() && slot.equals(slotName(SECOND));
        if (!known) {
          problems.add("optimizer state " + t.name() + " does not belong to a " + config.optimizer()
              + " optimizer" + (optimizer.keepsFirst() ? "" : " without momentum"));
        } else if (p == null) {
          problems.add("optimizer state " + t.name() + " names no parameter");
        } else if (!Arrays.equals(p.getShape().getShape(), longs(t.shape()))) {
          problems.add("optimizer state " + t.name() + " is " + Arrays.toString(t.shape())
              + ", the parameter is " + p.getShape());
        }
        slots.put(t.name(), slot);
      }
      for (String key : state.updates().keySet()) {
        if (!parameters.containsKey(key)) {
          problems.add("update count for unknown parameter " + key);
        }
      }
      for (String key : state.frozen()) {
        if (!parameters.containsKey(key)) {
          problems.add("frozen parameter " + key + " does not exist");
        }
      }
      if (!problems.isEmpty()) {
        throw new InvalidParameterException("the training state of model '" + state.model()
            + "' does not fit model " + name + ": " + problems + "; the model is unchanged");
      }
      assignParameters(byName.values());
      synchronized (ENGINE_LOCK) {
        optimizer.clearState();
        optimizer.scales.clear();
        NDManager owner = model.getNDManager();
        for (Tensor t : state.optimizer()) {
          String key = t.name().substring(t.name().indexOf('/') + 1);
          String id = parameters.get(key).getId();
          NDArray array = owner.create(FloatBuffer.wrap(t.values()), new Shape(longs(t.shape())));
          (slots.get(t.name()).equals(slotName(FIRST)) ? optimizer.first : optimizer.second)
              .put(id, array);
        }
        state.updates().forEach((k, v) -> optimizer.counts.put(parameters.get(k).getId(), v));
        state.learningRateScales().forEach((k, v) -> optimizer.scales.put(
            parameters.get(k).getId(), (float) v.doubleValue()));
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
          Parameter p = e.getValue();
          if (!p.getType().name().startsWith("RUNNING")) {
            p.freeze(state.frozen().contains(e.getKey()));
          }
        }
        learningRate.set(state.learningRate());
      }
    } finally {
      life.readLock().unlock();
    }
  }

  @Override
  public BatchIndependence batchIndependence(Batch batch, int example) {
    life.readLock().lock();
    try {
      checkOpen();
      checkBatch(batch);
      InvalidParameterException.check(example >= 0 && example < batch.size(),
          "example %d is outside the batch of %d", example, batch.size());
      synchronized (ENGINE_LOCK) {
        useThreads(DjlRuntime.intraOpThreads());
        Map<String, float[]> running = runningStatistics();
        try {
          float[] train = inputGradient(batch, example, true, -1);
          List<String> mixed = new ArrayList<>();
          double leak = rowLeak(train, batch, example, mixed);
          double own = rowMax(train, example, spec.inputSize());
          if (mixed.isEmpty()) {
            return new BatchIndependence(example, batch.size(), true, List.of(), leak, own,
                java.util.Optional.empty(), false);
          }
          List<Pair<String, Block>> leaves = new ArrayList<>();
          leaves(block, "", leaves);
          java.util.Optional<String> layer = java.util.Optional.empty();
          if (!leaves.isEmpty()) {
            for (int k = 1; k <= leaves.size(); k++) {
              float[] g = inputGradient(batch, example, true, k);
              if (rowLeak(g, batch, example, new ArrayList<>()) > 0) {
                layer = java.util.Optional.of(leaves.get(k - 1).getKey());
                break;
              }
            }
          }
          boolean batchNorm = leaves.stream().anyMatch(l -> l.getValue()
              instanceof ai.djl.nn.norm.BatchNorm) || hasBatchNorm(block);
          boolean byDesign = batchNorm && rowLeak(inputGradient(batch, example, false, -1),
              batch, example, new ArrayList<>()) == 0;
          return new BatchIndependence(example, batch.size(), false, mixed, leak, own, layer,
              byDesign);
        } finally {
          running.forEach((k, v) -> parameters.get(k).getArray().set(FloatBuffer.wrap(v)));
          zeroParameterGradients();
        }
      }
    } finally {
      life.readLock().unlock();
    }
  }

  @Override
  public ClassProbabilities predictInTrainingMode(Batch batch) {
    life.readLock().lock();
    try {
      checkOpen();
      checkBatch(batch);
      synchronized (ENGINE_LOCK) {
        useThreads(DjlRuntime.intraOpThreads());
        Map<String, float[]> running = runningStatistics();
        boolean grad = JniUtils.isGradMode();
        if (grad) {
          JniUtils.setGradMode(false);
        }
        try (NDManager m = model.getNDManager().newSubManager()) {
          NDArray logits = block.forward(new ParameterStore(m, false), new NDList(inputs(m, batch)),
              true).singletonOrThrow();
          return new ClassProbabilities(batch.size(), spec.numClasses(),
              logits.softmax(1).toFloatArray());
        } finally {
          if (grad) {
            JniUtils.setGradMode(true);
          }
          running.forEach((k, v) -> parameters.get(k).getArray().set(FloatBuffer.wrap(v)));
        }
      }
    } finally {
      life.readLock().unlock();
    }
  }

  /** A copy of every running statistic (batch norm), to put back after a training-mode pass. */
  private Map<String, float[]> runningStatistics() {
    Map<String, float[]> running = new LinkedHashMap<>();
    parameters.forEach((k, p) -> {
      if (p.getType().name().startsWith("RUNNING")) {
        running.put(k, p.getArray().toFloatArray());
      }
    });
    return running;
  }

  /** The gradient of example {@code i}'s loss (or, after {@code leaves} leaf blocks, of its row). */
  private float[] inputGradient(Batch batch, int i, boolean training, int prefixLeaves) {
    try (NDManager m = model.getNDManager().newSubManager();
        GradientCollector collector = trainer.newGradientCollector()) {
      NDArray x = inputs(m, batch);
      x.setRequiresGradient(true);
      ParameterStore store = new ParameterStore(m, false);
      NDArray target;
      if (prefixLeaves < 0) {
        NDArray logits = block.forward(store, new NDList(x), training).singletonOrThrow();
        target = logits.get(i).logSoftmax(0).get(batch.labels()[i]).neg();
      } else {
        List<Pair<String, Block>> leaves = new ArrayList<>();
        leaves(block, "", leaves);
        NDList current = new NDList(x);
        for (int k = 0; k < prefixLeaves; k++) {
          current = leaves.get(k).getValue().forward(store, current, training);
        }
        target = current.singletonOrThrow().get(i).square().sum();
      }
      collector.backward(target);
      return x.getGradient().toFloatArray();
    }
  }

  private static void leaves(Block b, String prefix, List<Pair<String, Block>> out) {
    if (b instanceof NamedSequential) {
      for (Pair<String, Block> c : b.getChildren()) {
        String n = displayName(c.getKey());
        leaves(c.getValue(), prefix.isEmpty() ? n : prefix + "_" + n, out);
      }
    } else if (!prefix.isEmpty()) {
      out.add(new Pair<>(prefix, b));
    }
  }

  private static boolean hasBatchNorm(Block b) {
    if (b instanceof ai.djl.nn.norm.BatchNorm) {
      return true;
    }
    for (Pair<String, Block> c : b.getChildren()) {
      if (hasBatchNorm(c.getValue())) {
        return true;
      }
    }
    return false;
  }

  private static double rowLeak(float[] g, Batch batch, int i, List<String> mixed) {
    int size = g.length / batch.size();
    double max = 0;
    for (int r = 0; r < batch.size(); r++) {
      if (r == i) {
        continue;
      }
      double m = rowMax(g, r, size);
      if (m > 0) {
        mixed.add(batch.ids().get(r));
      }
      max = Math.max(max, m);
    }
    return max;
  }

  private static double rowMax(float[] g, int r, int size) {
    double m = 0;
    for (int k = r * size; k < (r + 1) * size; k++) {
      m = Math.max(m, Math.abs(g[k]));
    }
    return m;
  }

  /** Whether every trainable parameter's gradient is finite (one reduction per parameter). */
  private boolean gradientsFinite() {
    for (Parameter p : parameters.values()) {
      NDArray a = p.getArray();
      if (trainable(p) && a.hasGradient()) {
        try (NDArray g = a.getGradient(); NDArray s = g.sum()) {
          if (!Float.isFinite(s.getFloat())) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Sets every parameter's gradient to zero (NaN and infinities included). */
  private void zeroParameterGradients() {
    for (Parameter p : parameters.values()) {
      NDArray a = p.getArray();
      if (a.hasGradient()) {
        JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) a);
      }
    }
  }

  @Override
  public TrainableModel newInstance(TrainConfig newConfig) {
    return new DjlTrainableModel(name, factory, spec, newConfig);
  }

  @Override
  public String threading() {
    return "PyTorch intra-op threads " + DjlRuntime.intraOpThreads() + " (1 for batches ≤ "
        + SMALL_BATCH + ")";
  }

  @Override
  public ModelSummary summary() {
    return new ModelSummary(name, backend, parameters());
  }

  @Override
  public void close() {
    life.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly();
    } finally {
      life.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    ModelSummary s = summary();
    return String.format(java.util.Locale.ROOT, "%s  %s → %d classes · %,d parameters (%,d "
        + "trainable) · %s · %s", name, Arrays.toString(spec.inputShape()), spec.numClasses(),
        s.totalCount(), s.trainableCount(), config, backend);
  }
}
