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
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Batch;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DataNotFoundException;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.LabelException;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.ModelSummary;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.StepResult;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
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
 * the end of the call, on every path, so no native memory outlives a call. Prediction runs with
 * autograd off, from any number of threads; training steps are serialised JVM-wide, because DJL's
 * PyTorch gradient collector allows one collecting thread at a time.
 */
final class DjlTrainableModel implements TrainableModel {

  private static final String FILE_HEADER = "groundwork-djl-parameters/1";
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
    Optimizer optimizer = switch (config.optimizer()) {
      case ADAM -> Optimizer.adam().optLearningRateTracker(learningRate)
          .optWeightDecays((float) config.weightDecay()).build();
      case SGD -> Optimizer.sgd().setLearningRateTracker(learningRate)
          .optMomentum((float) config.momentum()).optWeightDecays((float) config.weightDecay())
          .build();
    };
    DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(optimizer).optDevices(new Device[] {Device.cpu()});
    return model.newTrainer(tc);
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
      NDArray x = m.create(FloatBuffer.wrap(batch.inputs()), inputShape(batch.size()));
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
        NDArray x = m.create(FloatBuffer.wrap(batch.inputs()), inputShape(batch.size()));
        NDArray y = m.create(labels);
        float[] exampleLoss;
        int[] predicted;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
          NDArray perExample = logits.logSoftmax(1).mul(y.oneHot(spec.numClasses()))
              .sum(new int[] {1}).neg();
          collector.backward(perExample.mean());
          exampleLoss = perExample.toFloatArray();
          predicted = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
        }
        Map<String, Double> norms = collectGradients ? gradientNorms() : Map.of();
        double lr = learningRate.get();
        trainer.step();
        double mean = 0;
        for (float l : exampleLoss) {
          mean += l;
        }
        return new StepResult(mean / exampleLoss.length, exampleLoss, predicted, norms, lr);
      }
    }
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
    AtomicFiles.write(file, "the parameters of model " + name, out -> {
      out.writeUTF(FILE_HEADER);
      out.writeUTF(name);
      out.writeInt(parameters.size());
      for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue().getShape().toString());
      }
      block.saveParameters(out);
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
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(file)))) {
      String header;
      try {
        header = in.readUTF();
      } catch (IOException e) {
        header = "";
      }
      if (!FILE_HEADER.equals(header)) {
        throw new DataFormatException(source + " is not a Groundwork DJL parameter file (saved "
            + "by TrainableModel.save)", source);
      }
      String savedName = in.readUTF();
      int count = in.readInt();
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
        throw new DataFormatException(source + " holds parameters of model '" + savedName
            + "' that do not fit model " + name + ": " + mismatches, source);
      }
      // Read the whole payload into a scratch copy of the block first: a truncated or corrupt
      // file then leaves this model untouched, and no array is replaced (nothing to leak).
      synchronized (ENGINE_LOCK) {
        try (NDManager scratch = model.getNDManager().newSubManager()) {
          Block copy = factory.get();
          copy.initialize(scratch, DataType.FLOAT32, inputShape(1));
          copy.loadParameters(scratch, in);
          List<Parameter> loaded = new ArrayList<>();
          for (Pair<String, Parameter> p : copy.getParameters()) {
            loaded.add(p.getValue());
          }
          int i = 0;
          for (Parameter p : parameters.values()) {
            p.getArray().set(loaded.get(i++).getArray().toByteBuffer());
          }
        }
      }
    } catch (IOException | MalformedModelException e) {
      throw new DataFormatException("could not read parameters from " + source + ": "
          + e.getMessage(), source, -1, e);
    }
  }

  @Override
  public TrainableModel newInstance(TrainConfig newConfig) {
    return new DjlTrainableModel(name, factory, spec, newConfig);
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
