package dev.groundwork.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Assumptions;

/** Small files that claim or do something large, for the bad-input tests of every reader. */
public final class HostileFiles {
  private HostileFiles() {}

  /** Makes a FIFO at {@code path} with {@code mkfifo}; skips the test where there is none. */
  public static Path fifo(Path path) {
    try {
      Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
      boolean done = p.waitFor(10, TimeUnit.SECONDS);
      Assumptions.assumeTrue(done && p.exitValue() == 0, "mkfifo is not available");
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not available: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Assumptions.abort("interrupted");
    }
    assertThat(Files.isRegularFile(path)).isFalse();
    return path;
  }

  /**
   * Runs {@code call}, which must fail within a few seconds (a reader that opened a FIFO would
   * block forever), and returns what it threw.
   */
  public static Throwable failsQuickly(ThrowingCallable call) {
    return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      try {
        call.call();
      } catch (Throwable t) {
        return t;
      }
      throw new AssertionError("expected an exception");
    });
  }

  /** IDX header bytes (unsigned bytes) with these dimensions, followed by {@code payload} bytes. */
  public static byte[] idxHeader(int[] dims, int payload) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(0x00000800 | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(new byte[payload]);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A valid 1-bit grayscale PNG of {@code width × height} black pixels, written without ever
   * holding the image: the IHDR declares the size and the IDAT deflates the all-zero rows
   * (20,000 × 20,000 is about 50 KB on disk).
   */
  public static Path blackPng(Path file, int width, int height) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat,
        new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
      byte[] row = new byte[1 + (width + 7) / 8];
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(png);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream h = new DataOutputStream(ihdr);
    h.writeInt(width);
    h.writeInt(height);
    h.write(new byte[] {1, 0, 0, 0, 0});
    chunk(out, "IHDR", ihdr.toByteArray());
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    Files.createDirectories(file.getParent());
    return Files.write(file, png.toByteArray());
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}
