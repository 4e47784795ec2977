package dev.groundwork.djl;

import ai.djl.engine.Engine;
import dev.groundwork.core.backend.Backend;
import dev.groundwork.core.backend.Capability;
import java.util.EnumSet;
import java.util.Set;

/**
 * The DJL backend: trainable models on DJL's PyTorch engine, offline, with the CPU native library
 * from the {@code pytorch-native-cpu} jar on the classpath.
 *
 * <p>Found by {@link dev.groundwork.core.backend.Backends}; the engine starts on first use, after
 * {@link DjlRuntime#engine()} has made DJL offline.
 */
public final class DjlBackend implements Backend {

  /** The backend's name. */
  public static final String NAME = "djl-pytorch";

  /** Public for {@link java.util.ServiceLoader}; starts nothing. */
  public DjlBackend() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.TRAIN, Capability.PREDICT);
  }

  @Override
  public String engineVersion() {
    Engine engine = DjlRuntime.engine();
    return engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion()
        + ")";
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public String toString() {
    return NAME + " " + capabilities();
  }
}
