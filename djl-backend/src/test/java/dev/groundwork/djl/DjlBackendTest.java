package dev.groundwork.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.groundwork.core.backend.Backend;
import dev.groundwork.core.backend.Backends;
import dev.groundwork.core.backend.Capability;
import org.junit.jupiter.api.Test;

class DjlBackendTest {

  @Test
  void foundByServiceLoaderAsTheTrainingBackend() {
    Backend b = Backends.require(Capability.TRAIN);
    assertThat(b).isInstanceOf(DjlBackend.class);
    assertThat(Backends.named("djl-pytorch")).isInstanceOf(DjlBackend.class);
  }

  @Test
  void pytorchStartsOfflineFromTheNativeJarAndComputes() {
    String version = new DjlBackend().engineVersion();
    assertThat(version).startsWith("PyTorch 2.7.1").contains("DJL 0.36.0");
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray product = a.matMul(a);
      assertThat(product.toFloatArray()).containsExactly(7f, 10f, 15f, 22f);
    }
  }
}
