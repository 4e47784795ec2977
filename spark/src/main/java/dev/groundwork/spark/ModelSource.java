package dev.groundwork.spark;

import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.model.Model;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.SparkFiles;

/**
 * How an executor gets its {@link Model}: a small serializable recipe (a file path and a loader),
 * shipped with the task instead of the model. Each JVM loads the model once per {@link #key()} and
 * reuses it for every partition and task (see {@link SparkScorer}).
 *
 * <pre>{@code
 * // a path every executor sees (shared file system, or the same path on every node)
 * ModelSource s = ModelSource.file("/models/cnn.onnx",
 *     p -> OnnxModels.load(p).classifier(spec, OnnxOptions.defaults()));
 * // a file shipped with spark-submit --files cnn.onnx
 * ModelSource s = ModelSource.sparkFile("cnn.onnx", p -> ...);
 * }</pre>
 *
 * <p>The loader must be serializable: a lambda whose target is {@link Loader} is, as long as it
 * captures only serializable values (the spec, the options), never a model.
 */
public final class ModelSource implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Loads a model from a local file; must be serializable (a lambda is). */
  @FunctionalInterface
  public interface Loader extends Serializable {
    /** Loads the model stored in {@code file}. */
    Model load(Path file);
  }

  private final String file;
  private final boolean shipped;
  private final Loader loader;
  private final String id = UUID.randomUUID().toString();

  private ModelSource(String file, boolean shipped, Loader loader) {
    this.file = Objects.requireNonNull(file, "file");
    this.shipped = shipped;
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  /**
   * A model file at the same path on the driver and on every executor (a shared file system, or
   * a path provisioned on every node).
   */
  public static ModelSource file(String path, Loader loader) {
    return new ModelSource(path, false, loader);
  }

  /** A model file shipped to every node by {@code spark-submit --files} (or {@code addFile}). */
  public static ModelSource sparkFile(String name, Loader loader) {
    return new ModelSource(name, true, loader);
  }

  /**
   * The cache key: one model per key per JVM. Each source made by a factory call has its own key
   * (the same file with two loaders, e.g. two output decodings, gives two models), and a source
   * keeps its key when Spark ships it: make one source per model and reuse it across jobs.
   */
  public String key() {
    return (shipped ? "spark-file:" : "file:") + file + "#" + id;
  }

  /**
   * The local path of the file on this JVM.
   *
   * @throws ModelFileException naming the file and the host if it is absent here
   */
  public Path resolve() {
    Path p;
    try {
      p = Path.of(shipped ? SparkFiles.get(file) : file);
    } catch (RuntimeException e) {
      throw new ModelFileException(file, "model file " + file + " cannot be located on "
          + host() + ": " + e.getMessage(), e);
    }
    if (!Files.isRegularFile(p)) {
      throw new ModelFileException(file, "model file " + p.toAbsolutePath() + " does not exist on "
          + host() + (shipped ? "; ship it with spark-submit --files " + file
              : "; put it at the same path on every node (or a shared file system), or ship it "
                  + "with spark-submit --files and use ModelSource.sparkFile"), null);
    }
    return p;
  }

  /** Resolves the file and loads the model (once per JVM: use {@link SparkScorer}, not this). */
  Model load() {
    Path p = resolve();
    try {
      return Objects.requireNonNull(loader.load(p), "the loader returned no model");
    } catch (GroundworkException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelFileException(file, "model file " + p.toAbsolutePath() + " could not be "
          + "loaded on " + host() + ": " + e, e);
    }
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "this host";
    }
  }

  @Override
  public String toString() {
    return "ModelSource[" + key() + "]";
  }
}
