package dev.groundwork.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One IDX file (the MNIST format) read into memory: its dimensions and its unsigned-byte payload.
 *
 * <p>Gzip is recognised by its magic bytes, not the file name. The payload is read straight into an
 * array of the size the header announces, so a truncated file is reported with the first record
 * that is incomplete.
 */
final class IdxFile {
  private static final int UNSIGNED_BYTE = 0x08;

  final String source;
  final int[] dims;
  final byte[] data;

  private IdxFile(String source, int[] dims, byte[] data) {
    this.source = source;
    this.dims = dims;
    this.data = data;
  }

  /** The number of records (the first dimension). */
  int count() {
    return dims[0];
  }

  /** Bytes per record (the product of the other dimensions). */
  int recordSize() {
    int n = 1;
    for (int i = 1; i < dims.length; i++) {
      n *= dims[i];
    }
    return n;
  }

  /** Reads an IDX file, gzipped or plain, expecting {@code expectedDims} dimensions. */
  static IdxFile read(Path path, int expectedDims) {
    String source = path.toAbsolutePath().toString();
    DataFiles.requireRegularFile(path, source, "IDX file",
        "Fashion-MNIST: apt-get install dataset-fashion-mnist");
    return read(source, () -> {
      try {
        return Files.newInputStream(path);
      } catch (NoSuchFileException e) {
        throw new DataNotFoundException("IDX file " + source + " does not exist", source, e);
      } catch (IOException e) {
        throw new DataNotFoundException("cannot open IDX file " + source + ": " + e.getMessage(),
            source, e);
      }
    }, expectedDims);
  }

  /** Reads an IDX stream (gzipped or plain) named {@code source} in messages. */
  static IdxFile read(String source, Supplier<InputStream> open, int expectedDims) {
    try (InputStream raw = new BufferedInputStream(open.get(), 1 << 16)) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
      return parse(source, new DataInputStream(in), expectedDims);
    } catch (ZipException e) {
      throw new DataFormatException(source + " is not a valid gzip stream (" + e.getMessage()
          + "); the file is corrupt: download or copy it again", source, -1, e);
    } catch (EOFException e) {
      throw new DataFormatException(source + " ends inside its IDX header: the file is truncated",
          source, -1, e);
    } catch (IOException e) {
      throw new DataFormatException("cannot read " + source + ": " + e.getMessage(), source, -1, e);
    }
  }

  private static IdxFile parse(String source, DataInputStream in, int expectedDims)
      throws IOException {
    int magic = in.readInt();
    int zero = magic >>> 16;
    int type = (magic >>> 8) & 0xff;
    int ndims = magic & 0xff;
    if (zero != 0 || ndims == 0) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "%s has magic number 0x%08X, which is not an IDX header (expected 0x0000%02X%02X); is "
              + "this the right file?", source, magic, UNSIGNED_BYTE, expectedDims), source, -1, null);
    }
    if (type != UNSIGNED_BYTE) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "%s has IDX data type 0x%02X; only unsigned bytes (0x08) are supported", source, type),
          source, -1, null);
    }
    if (ndims != expectedDims) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "%s has %d dimensions (magic 0x%08X) but %d were expected: %s", source, ndims, magic,
          expectedDims, expectedDims == 1 ? "is this a labels file?" : "is this an images file?"),
          source, -1, null);
    }
    int[] dims = new int[ndims];
    long total = 1;
    for (int i = 0; i < ndims; i++) {
      dims[i] = in.readInt();
      if (dims[i] < 0) {
        throw new DataFormatException(source + " declares a negative dimension " + dims[i]
            + "; the header is corrupt", source, -1, null);
      }
      total = total > Integer.MAX_VALUE ? total : total * dims[i];
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new DataFormatException(source + " declares " + Arrays.toString(dims)
          + " = " + total + " bytes, more than one array can hold", source, -1, null);
    }
    byte[] data = new byte[(int) total];
    int recordSize = dims[0] == 0 ? 1 : (int) (total / dims[0]);
    int read = 0;
    while (read < data.length) {
      int n;
      try {
        n = in.read(data, read, data.length - read);
      } catch (EOFException e) {
        n = -1;
      }
      if (n < 0) {
        int record = recordSize == 0 ? 0 : read / recordSize;
        throw new DataFormatException(String.format(Locale.ROOT,
            "%s is truncated: the header declares %d records (%s) but the data ends inside record "
                + "%d (%d of %d bytes); the file is incomplete, copy it again", source, dims[0],
            Arrays.toString(dims), record, read, data.length), source, record, null);
      }
      read += n;
    }
    if (in.read() >= 0) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "%s has bytes after its %d declared records %s; the header or the file is corrupt",
          source, dims[0], Arrays.toString(dims)), source, dims[0], null);
    }
    return new IdxFile(source, dims, data);
  }
}
