package dev.groundwork.core;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a result came from: the seed, the configuration, the backend and its version, the dataset
 * fingerprint and the JVM, so that a run can be tied to its inputs and repeated.
 *
 * @param seed the seed every random choice of the run derived from
 * @param config the settings that shaped the result, by name (sorted)
 * @param backend the backend and engine version, e.g. {@code djl-pytorch PyTorch 2.7.1 (DJL 0.36.0)}
 * @param datasetFingerprint the SHA-256 fingerprint of the data the run saw
 * @param runtime the Groundwork version, JVM and OS
 */
public record Provenance(long seed, Map<String, String> config, String backend,
    String datasetFingerprint, String runtime) {

  /** The version of Groundwork recorded in every provenance. */
  public static final String GROUNDWORK_VERSION = "0.1.0-SNAPSHOT";

  /** Copies the configuration in name order. */
  public Provenance {
    config = java.util.Collections.unmodifiableMap(new TreeMap<>(config));
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(datasetFingerprint, "datasetFingerprint");
    Objects.requireNonNull(runtime, "runtime");
  }

  /** A provenance for this JVM. */
  public static Provenance of(long seed, Map<String, String> config, String backend,
      String datasetFingerprint) {
    return new Provenance(seed, config, backend, datasetFingerprint, currentRuntime());
  }

  /** {@code groundwork 0.1.0 · Java 17.0.15 · Linux amd64}. */
  public static String currentRuntime() {
    return "groundwork " + GROUNDWORK_VERSION + " · Java " + System.getProperty("java.version")
        + " · " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
  }

  @Override
  public String toString() {
    return "seed " + seed + " · " + backend + " · data " + datasetFingerprint + " · " + config
        + " · " + runtime;
  }
}
