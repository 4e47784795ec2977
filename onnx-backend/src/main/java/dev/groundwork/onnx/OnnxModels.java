package dev.groundwork.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.model.ParameterInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Loads ONNX models from a file, from bytes or from a classpath resource (e.g. inside a jar).
 *
 * <pre>{@code
 * OnnxModel m = OnnxModels.fromClasspath("all-minilm-l6-v2-q.onnx");
 * System.out.println(m);                       // inputs and outputs with types and shapes
 * OnnxEmbedder e = m.embedder(OnnxOptions.builder()
 *     .tokenizer(TextTokenizer.fromClasspath("all-minilm-l6-v2-q-tokenizer.json")).build());
 * }</pre>
 *
 * <p>Each call opens one ONNX Runtime session; adapters made from the model share it (a session is
 * safe to run from several threads at once). Close the model and each adapter when done: the session
 * is freed when the last of them is closed.
 */
public final class OnnxModels {

  private OnnxModels() {}

  /** Loads an ONNX file with ONNX Runtime's default session options. */
  public static OnnxModel load(Path file) {
    return load(file, OnnxSessionOptions.defaults());
  }

  /**
   * Loads an ONNX file.
   *
   * @throws OnnxModelException naming the file if it does not exist or is not an ONNX model
   */
  public static OnnxModel load(Path file, OnnxSessionOptions options) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    String name = file.toAbsolutePath().normalize().toString();
    if (!Files.isRegularFile(file)) {
      throw new OnnxModelException(name, "ONNX model " + name + " does not exist or is not a file; "
          + "check the path", null);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = open(name, options, so -> env.createSession(name, so));
    return new OnnxModel(name, env, session, options, memo(() -> {
      try {
        return OnnxInitializers.parameters(Files.readAllBytes(file), name,
            OnnxModel.BACKBONE_PREFIX);
      } catch (IOException | DataFormatException e) {
        return List.of();
      }
    }));
  }

  /** Loads an ONNX model from its bytes, named {@code name} in messages. */
  public static OnnxModel fromBytes(String name, byte[] model) {
    return fromBytes(name, model, OnnxSessionOptions.defaults());
  }

  /**
   * Loads an ONNX model from its bytes.
   *
   * @param name the model's name in messages and {@code toString()}
   * @throws OnnxModelException naming the model if the bytes are not an ONNX model
   */
  public static OnnxModel fromBytes(String name, byte[] model, OnnxSessionOptions options) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(options, "options");
    if (!OnnxInitializers.looksLikeModel(model)) {
      throw new OnnxModelException(name, name + " is not an ONNX model (" + model.length
          + " bytes that are not an ONNX ModelProto with a graph); give the bytes of a .onnx file",
          null);
    }
    List<ParameterInfo> initializers;
    try {
      initializers = OnnxInitializers.parameters(model, name, OnnxModel.BACKBONE_PREFIX);
    } catch (DataFormatException e) {
      initializers = List.of();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = open(name, options, so -> env.createSession(model, so));
    List<ParameterInfo> params = initializers;
    return new OnnxModel(name, env, session, options, () -> params);
  }

  /** Loads an ONNX model from a classpath resource with the default session options. */
  public static OnnxModel fromClasspath(String resource) {
    return fromClasspath(resource, OnnxSessionOptions.defaults());
  }

  /**
   * Loads an ONNX model from a classpath resource, e.g. one shipped inside a jar.
   *
   * @param resource the resource path, with or without a leading {@code /}
   * @throws OnnxModelException naming the resource if it is missing or not an ONNX model
   */
  public static OnnxModel fromClasspath(String resource, OnnxSessionOptions options) {
    String path = resource.startsWith("/") ? resource.substring(1) : resource;
    String name = "classpath:" + path;
    byte[] bytes;
    try (InputStream in = classLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new OnnxModelException(name, "ONNX model resource " + path + " is not on the "
            + "classpath; add the jar that ships it, or load the file with OnnxModels.load(path)",
            null);
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new OnnxModelException(name, "ONNX model resource " + path + " cannot be read: "
          + e.getMessage(), e);
    }
    return fromBytes(name, bytes, options);
  }

  // ------------------------------------------------------------------ internals

  private interface SessionFactory {
    OrtSession create(OrtSession.SessionOptions options) throws OrtException;
  }

  private static OrtSession open(String name, OnnxSessionOptions options, SessionFactory factory) {
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      so.setOptimizationLevel(switch (options.optimization()) {
        case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
        case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
        case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
        case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
      });
      so.setExecutionMode(switch (options.executionMode()) {
        case SEQUENTIAL -> OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL;
        case PARALLEL -> OrtSession.SessionOptions.ExecutionMode.PARALLEL;
      });
      return factory.create(so);
    } catch (OrtException e) {
      throw new OnnxModelException(name, name + " is not an ONNX model ONNX Runtime can load ("
          + e.getMessage() + "); check that it is a .onnx file and not truncated", e);
    }
  }

  private static <T> Supplier<T> memo(Supplier<T> s) {
    return new Supplier<>() {
      private volatile T value;

      @Override
      public T get() {
        T v = value;
        if (v == null) {
          synchronized (this) {
            if (value == null) {
              value = s.get();
            }
            v = value;
          }
        }
        return v;
      }
    };
  }

  static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : OnnxModels.class.getClassLoader();
  }

  /** Makes DJL's tokenizers stay offline, unless the user decided otherwise. */
  static void offline() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
