package dev.groundwork.core.backend;

import dev.groundwork.core.BackendNotFoundException;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the backends on the classpath.
 *
 * <pre>{@code
 * Backend trainer = Backends.require(Capability.TRAIN);   // the DJL backend, if its jar is present
 * }</pre>
 */
public final class Backends {

  private Backends() {}

  /** Every backend on the classpath, highest priority first, then by name. */
  public static List<Backend> available() {
    return ServiceLoader.load(Backend.class, classLoader()).stream()
        .map(ServiceLoader.Provider::get)
        .sorted(Comparator.comparingInt(Backend::priority).reversed()
            .thenComparing(Backend::name))
        .toList();
  }

  /**
   * The highest-priority backend with this capability.
   *
   * @throws BackendNotFoundException naming the artifact to add when none is found
   */
  public static Backend require(Capability capability) {
    return available().stream().filter(b -> b.capabilities().contains(capability)).findFirst()
        .orElseThrow(() -> new BackendNotFoundException("no Groundwork backend on the classpath "
            + "can " + capability + " (found: " + names() + "); add the Maven dependency "
            + capability.artifact()));
  }

  /**
   * The backend with this name.
   *
   * @throws BackendNotFoundException listing the backends that are present
   */
  public static Backend named(String name) {
    return available().stream().filter(b -> b.name().equals(name)).findFirst()
        .orElseThrow(() -> new BackendNotFoundException("no Groundwork backend named '" + name
            + "' on the classpath (found: " + names() + "); add dev.groundwork:groundwork-"
            + (name.startsWith("onnx") ? "onnx" : "djl") + "-backend"));
  }

  private static String names() {
    String names = available().stream().map(Backend::name).collect(Collectors.joining(", "));
    return names.isEmpty() ? "none" : names;
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : Backends.class.getClassLoader();
  }
}
