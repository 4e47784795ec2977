package dev.groundwork.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.BackendNotFoundException;
import org.junit.jupiter.api.Test;

/** Core alone has no backend: the errors must say which jar to add. */
class BackendsTest {

  @Test
  void coreAloneHasNoBackend() {
    assertThat(Backends.available()).isEmpty();
  }

  @Test
  void missingBackendNamesTheArtifactToAdd() {
    assertThatThrownBy(() -> Backends.require(Capability.TRAIN))
        .isInstanceOf(BackendNotFoundException.class)
        .hasMessageContaining("dev.groundwork:groundwork-djl-backend")
        .hasMessageContaining("found: none");
    assertThatThrownBy(() -> Backends.require(Capability.ONNX_MODELS))
        .hasMessageContaining("dev.groundwork:groundwork-onnx-backend");
    assertThatThrownBy(() -> Backends.named("onnxruntime"))
        .isInstanceOf(BackendNotFoundException.class)
        .hasMessageContaining("groundwork-onnx-backend");
  }
}
