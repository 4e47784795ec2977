package dev.groundwork.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.backend.Backends;
import dev.groundwork.core.backend.Capability;
import org.junit.jupiter.api.Test;

class OnnxBackendTest {

  @Test
  void foundByServiceLoaderAndTheNativeRuntimeLoads() {
    assertThat(Backends.require(Capability.ONNX_MODELS)).isInstanceOf(OnnxBackend.class);
    assertThat(Backends.require(Capability.PREDICT).name()).isEqualTo("onnxruntime");
    assertThat(new OnnxBackend().engineVersion()).isEqualTo("ONNX Runtime 1.24.2");
  }
}
