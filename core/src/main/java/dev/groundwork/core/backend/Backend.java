package dev.groundwork.core.backend;

import java.util.Set;

/**
 * The small provider interface a backend jar implements and registers in {@code
 * META-INF/services/dev.groundwork.core.backend.Backend}; found with {@link java.util.ServiceLoader}.
 *
 * <p>Implementations must have a public no-argument constructor that does no heavy work: engines
 * are started lazily, when the backend is first used.
 */
public interface Backend {

  /** A short stable name, e.g. {@code djl-pytorch} or {@code onnxruntime}. */
  String name();

  /** What this backend can do. */
  Set<Capability> capabilities();

  /**
   * The version of the engine behind this backend, e.g. {@code PyTorch 2.7.1 (DJL 0.36.0)}; may
   * start the engine.
   */
  String engineVersion();

  /** Preference among backends with the same capability; higher wins. */
  default int priority() {
    return 0;
  }
}
