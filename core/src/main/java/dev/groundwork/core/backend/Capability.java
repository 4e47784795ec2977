package dev.groundwork.core.backend;

/**
 * Something a backend can do; a backend declares the set it supports instead of stubbing the rest.
 */
public enum Capability {
  /** Build and train models from a {@code DatasetSpec} (DJL backend). */
  TRAIN("dev.groundwork:groundwork-djl-backend"),
  /** Run a model's predictions on batches. */
  PREDICT("dev.groundwork:groundwork-djl-backend or dev.groundwork:groundwork-onnx-backend"),
  /** Load pretrained ONNX models (ONNX backend). */
  ONNX_MODELS("dev.groundwork:groundwork-onnx-backend"),
  /** Use a pretrained model as a frozen feature extractor. */
  FROZEN_BACKBONE("dev.groundwork:groundwork-onnx-backend");

  private final String artifact;

  Capability(String artifact) {
    this.artifact = artifact;
  }

  /** The Maven artifact that provides this capability, for error messages. */
  public String artifact() {
    return artifact;
  }
}
