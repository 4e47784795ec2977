package dev.groundwork.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.groundwork.core.backend.Backend;
import dev.groundwork.core.backend.Capability;
import java.util.EnumSet;
import java.util.Set;

/**
 * The ONNX Runtime backend: pretrained ONNX models for inference and as frozen backbones.
 *
 * <p>Found by {@link dev.groundwork.core.backend.Backends}; the native runtime, shipped inside the
 * {@code com.microsoft.onnxruntime:onnxruntime} jar, loads on first use.
 */
public final class OnnxBackend implements Backend {

  /** The backend's name. */
  public static final String NAME = "onnxruntime";

  /** Public for {@link java.util.ServiceLoader}; starts nothing. */
  public OnnxBackend() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.PREDICT, Capability.ONNX_MODELS, Capability.FROZEN_BACKBONE);
  }

  @Override
  public String engineVersion() {
    return "ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion();
  }

  @Override
  public String toString() {
    return NAME + " " + capabilities();
  }
}
