package dev.groundwork.core.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small real IDX files for tests. */
public final class IdxFixtures {
  private IdxFixtures() {}

  /** IDX bytes of {@code n} images of {@code rows × cols}, pixel (i, p) = (i * 7 + p) mod 256. */
  public static byte[] images(int n, int rows, int cols) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(0x00000803);
      out.writeInt(n);
      out.writeInt(rows);
      out.writeInt(cols);
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < rows * cols; p++) {
          out.write((i * 7 + p) % 256);
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** IDX bytes of these labels. */
  public static byte[] labels(int... labels) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(0x00000801);
      out.writeInt(labels.length);
      for (int l : labels) {
        out.write(l);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Writes bytes to a file, gzipped if {@code gzip}. */
  public static Path write(Path file, byte[] content, boolean gzip) throws IOException {
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file))
        : Files.newOutputStream(file)) {
      out.write(content);
    }
    return file;
  }

  /** Expected value of pixel {@code p} of image {@code i} written by {@link #images}. */
  public static float pixel(int i, int p) {
    return ((i * 7 + p) % 256) / 255f;
  }
}
