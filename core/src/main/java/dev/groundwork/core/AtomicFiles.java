package dev.groundwork.core;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that an interrupted write never corrupts what was there: the content goes to a
 * temporary file beside the target, is forced to disk, then moved over the target atomically, and
 * the directory is forced too. Files get the usual {@code rw-r--r--}; temporaries left by a
 * crashed earlier write of the same target are removed by the next write.
 *
 * <pre>{@code
 * AtomicFiles.write(path, "model parameters", out -> out.writeInt(42));
 * }</pre>
 */
public final class AtomicFiles {

  /** Writes the content of a file. */
  @FunctionalInterface
  public interface Content {
    /** Writes everything to {@code out}; the stream is closed by the caller. */
    void writeTo(DataOutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Writes {@code file} atomically.
   *
   * @param what what is written, for the error message (e.g. {@code "model parameters"})
   * @throws GroundworkException if the file cannot be written; the previous file, if any, is then
   *     unchanged and no temporary file is left behind
   */
  public static void write(Path file, String what, Content content) {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      removeStaleTemporaries(target);
      tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
      usualPermissions(tmp);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream raw = Channels.newOutputStream(channel);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      forceDirectory(target.getParent());
    } catch (IOException e) {
      throw new GroundworkException("could not write " + what + " to " + target + ": "
          + e.getMessage() + "; the previous file, if any, is unchanged — check that the "
          + "directory is writable and has space", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temporary file stays behind; the target is intact either way
        }
      }
    }
  }

  /**
   * Deletes temporary files of earlier writes of the same target that a crash or {@code kill -9}
   * left behind ({@code <name><digits>.tmp} beside it). Two processes must not write the same
   * target at once anyway: the last rename would win.
   */
  private static void removeStaleTemporaries(Path target) {
    String name = target.getFileName().toString();
    try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(target.getParent())) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (n.startsWith(name) && n.endsWith(".tmp")
            && n.substring(name.length(), n.length() - 4).matches("-?\\d+")) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException ignored) {
      // a temporary that cannot be listed or deleted costs only space
    }
  }

  /** {@code rw-r--r--} instead of the temporary file's {@code rw-------}, where POSIX applies. */
  private static void usualPermissions(Path tmp) throws IOException {
    if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(tmp,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /** Forces the directory entry of the rename to disk (POSIX); ignored where unsupported. */
  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // some file systems cannot open a directory; the rename itself is still atomic
    }
  }
}
