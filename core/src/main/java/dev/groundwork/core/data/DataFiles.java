package dev.groundwork.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The check every Groundwork file reader makes before it opens a file: the path exists and is a
 * regular file (links are followed).
 *
 * <p>A FIFO, socket or device could block a reader forever or stream without end, and a directory
 * is not a file, so each is refused with a {@link DataNotFoundException} naming the path before
 * anything is opened. The IDX, CSV, JSONL, prediction and COCO readers call it; the image-folder
 * reader applies the same rule to each image file.
 *
 * <pre>{@code
 * long bytes = DataFiles.requireRegularFile(path, path.toString(), "COCO ground-truth file");
 * }</pre>
 */
public final class DataFiles {

  private DataFiles() {}

  /**
   * Checks that {@code file} is a regular file without opening it.
   *
   * @param file the path to check
   * @param source how the reader names the file in messages and in {@link DataException#source()}
   * @param what what the file should hold, e.g. {@code "COCO ground-truth file"}
   * @return the file's size in bytes
   * @throws DataNotFoundException if the path does not exist, is a broken link, a directory, or
   *     not a regular file (a FIFO, socket or device), or its attributes cannot be read
   */
  public static long requireRegularFile(Path file, String source, String what) {
    return requireRegularFile(file, source, what, "");
  }

  /**
   * Like {@link #requireRegularFile(Path, String, String)}, with a hint added to the message when
   * the file does not exist (where to get it, e.g. {@code "install dataset-fashion-mnist"}).
   */
  public static long requireRegularFile(Path file, String source, String what, String hint) {
    String extra = hint == null || hint.isEmpty() ? "" : " (" + hint + ")";
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      String why = irregular(file);
      throw new DataNotFoundException(String.format("%s %s %s; check the path (relative paths "
          + "start at %s)%s", what, source, why == null ? "does not exist" : why,
          Paths.get("").toAbsolutePath(), extra), source, e);
    } catch (IOException e) {
      throw new DataNotFoundException(what + " " + source + " cannot be read (" + e
          + "); check that it exists and its permissions", source, e);
    }
    if (!attributes.isRegularFile()) {
      throw new DataNotFoundException(what + " " + source + " " + describe(attributes) + ", not "
          + "a regular file; " + (attributes.isDirectory() ? "give the path of the " + what
          + " itself" : "Groundwork reads only regular files, which cannot block: copy the data "
          + "to a file and pass that path"), source, null);
    }
    return attributes.size();
  }

  /**
   * What keeps {@code file} from being read as a regular file, in words ({@code "is a
   * directory"}, {@code "is a FIFO, socket or device"}, {@code "is a broken link to …"}, {@code
   * "does not exist"}), or {@code null} if it is a regular file.
   */
  static String irregular(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.isRegularFile() ? null : describe(a);
    } catch (NoSuchFileException e) {
      if (Files.isSymbolicLink(file)) {
        String target;
        try {
          target = Files.readSymbolicLink(file).toString();
        } catch (IOException | UnsupportedOperationException x) {
          target = "a missing file";
        }
        return "is a broken link to " + target + ", which does not exist";
      }
      return "does not exist";
    } catch (IOException e) {
      return "cannot be read (" + e + ")";
    }
  }

  private static String describe(BasicFileAttributes a) {
    return a.isDirectory() ? "is a directory" : "is a FIFO, socket or device";
  }
}
