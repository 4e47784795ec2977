package dev.groundwork.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void aFailedWriteLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("sub/model.bin");
    AtomicFiles.write(file, "test data", out -> out.writeInt(7));
    assertThat(Files.readAllBytes(file)).containsExactly(0, 0, 0, 7);
    assertThatThrownBy(() -> AtomicFiles.write(file, "test data", out -> {
      out.writeInt(8);
      throw new IOException("disk full");
    })).isInstanceOf(GroundworkException.class).hasMessageContaining("test data")
        .hasMessageContaining("disk full").hasMessageContaining("unchanged");
    assertThat(Files.readAllBytes(file)).containsExactly(0, 0, 0, 7);
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }
}
