package dev.groundwork.core.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * that is incomplete. That size is checked before the array is allocated, so a small file whose
 * header claims gigabytes fails at once: a plain file's claim is compared with its size on disk; a
 * gzip file's claim is trusted when its trailer (the uncompressed size modulo 2<sup>32</sup>) agrees
 * with it and the file is large enough to hold it at deflate's highest ratio (1032:1); otherwise
 * (a stream, a multi-member file, a trailer that disagrees) the claim is counted in a first
 * streaming pass that keeps nothing, unless it is at most {@link #DIRECT_READ_LIMIT}. A well-formed
 * file is therefore gunzipped once, and a payload shorter or longer than claimed is still reported
 * with the record where it ends.
 */
final class IdxFile {
  private static final int UNSIGNED_BYTE = 0x08;

  /**
   * The largest payload read without checking its size first, when the size of the uncompressed
   * data is not known (gzip): allocating it for a header that lies costs at most this much.
   */
  static final long DIRECT_READ_LIMIT = 8L << 20;

  /** Deflate's highest compression ratio (a 258-byte match per two bits, rounded up). */
  static final long DEFLATE_MAX_RATIO = 1032;

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
    long size = DataFiles.requireRegularFile(path, source, "IDX file",
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
    }, expectedDims, size, gzipTrailerSize(path, size));
  }

  /**
   * The uncompressed size modulo 2<sup>32</sup> that a gzip file's last four bytes state, or
   * {@code -1} if the file is too short to be gzip or cannot be read (the read then reports why).
   */
  private static long gzipTrailerSize(Path path, long size) {
    if (size < 18) {
      return -1;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      while (tail.hasRemaining()) {
        if (channel.read(tail, size - 4 + tail.position()) < 0) {
          return -1;
        }
      }
      return tail.getInt(0) & 0xffffffffL;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Reads an IDX stream (gzipped or plain) named {@code source} in messages. */
  static IdxFile read(String source, Supplier<InputStream> open, int expectedDims) {
    return read(source, open, expectedDims, -1, -1);
  }

  /**
   * Reads an IDX stream whose stored size is {@code fileSize} bytes ({@code -1}: unknown). The
   * header's claim is checked before the payload is allocated: against the file size for a plain
   * file; for gzip against {@code gzipTrailer}, the size modulo 2<sup>32</sup> its trailer states
   * ({@code -1}: unknown), and deflate's highest ratio; else by a first pass that counts the
   * bytes, unless the claim is at most {@link #DIRECT_READ_LIMIT}.
   */
  static IdxFile read(String source, Supplier<InputStream> open, int expectedDims,
      long fileSize, long gzipTrailer) {
    try {
      Header header;
      try (Opened in = new Opened(open.get())) {
        header = Header.read(source, in.data, expectedDims);
        if (!in.gzip && fileSize >= 0) {
          header.check(fileSize - header.bytes);
          return new IdxFile(source, header.dims, header.payload(in.data));
        }
        if (header.total <= DIRECT_READ_LIMIT
            || in.gzip && header.statedBy(fileSize, gzipTrailer)) {
          return new IdxFile(source, header.dims, header.payload(in.data));
        }
        header.check(countBytes(in.data, header.total + 1));
      }
      try (Opened in = new Opened(open.get())) {
        Header again = Header.read(source, in.data, expectedDims);
        if (!Arrays.equals(again.dims, header.dims)) {
          throw new DataFormatException(source + " changed while it was read (dimensions "
              + Arrays.toString(header.dims) + ", then " + Arrays.toString(again.dims)
              + "); read it again once it is no longer written", source, -1, null);
        }
        return new IdxFile(source, header.dims, header.payload(in.data));
      }
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

  /** An opened IDX stream: buffered and, when it starts with gzip's magic bytes, gunzipped. */
  private static final class Opened implements Closeable {
    final InputStream raw;
    final boolean gzip;
    final DataInputStream data;

    Opened(InputStream stream) throws IOException {
      this.raw = new BufferedInputStream(stream, 1 << 16);
      try {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        this.gzip = b0 == 0x1f && b1 == 0x8b;
        this.data = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw);
      } catch (IOException | RuntimeException e) {
        raw.close();
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }
  }

  /** Counts the bytes left in {@code in}, stopping at {@code limit}; keeps nothing. */
  private static long countBytes(InputStream in, long limit) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long n = 0;
    while (n < limit) {
      int r;
      try {
        r = in.read(buffer, 0, (int) Math.min(buffer.length, limit - n));
      } catch (EOFException e) {
        r = -1;
      }
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  /** The parsed header: dimensions, payload size and where errors point. */
  private static final class Header {
    final String source;
    final int[] dims;
    final int bytes;
    final long total;
    final long recordSize;

    private Header(String source, int[] dims, long total, long recordSize) {
      this.source = source;
      this.dims = dims;
      this.bytes = 4 + 4 * dims.length;
      this.total = total;
      this.recordSize = recordSize;
    }

    static Header read(String source, DataInputStream in, int expectedDims) throws IOException {
      int magic = in.readInt();
      int zero = magic >>> 16;
      int type = (magic >>> 8) & 0xff;
      int ndims = magic & 0xff;
      if (zero != 0 || ndims == 0) {
        throw new DataFormatException(String.format(Locale.ROOT,
            "%s has magic number 0x%08X, which is not an IDX header (expected 0x0000%02X%02X); is "
                + "this the right file?", source, magic, UNSIGNED_BYTE, expectedDims), source, -1,
            null);
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
      for (int i = 0; i < ndims; i++) {
        dims[i] = in.readInt();
        if (dims[i] < 0) {
          throw new DataFormatException(source + " declares a negative dimension " + dims[i]
              + "; the header is corrupt", source, -1, null);
        }
      }
      long recordSize = 1;
      for (int i = 1; i < ndims; i++) {
        if (dims[i] == 0) {
          throw new DataFormatException(String.format(Locale.ROOT, "%s declares the dimensions %s:"
              + " dimension %d is 0, so a record would hold no data; every dimension after the"
              + " record count must be at least 1, so the header is corrupt", source,
              Arrays.toString(dims), i), source, -1, null);
        }
        recordSize = Math.min(recordSize * dims[i], Integer.MAX_VALUE + 1L);
      }
      long total = recordSize > Integer.MAX_VALUE ? Long.MAX_VALUE : recordSize * dims[0];
      if (total > Integer.MAX_VALUE - 16) {
        throw new DataFormatException(source + " declares " + Arrays.toString(dims) + " = "
            + (total == Long.MAX_VALUE ? "more than 2^31" : Long.toString(total)) + " bytes, more"
            + " than one array can hold", source, -1, null);
      }
      return new Header(source, dims, total, recordSize);
    }

    /**
     * Whether a gzip file of {@code fileSize} bytes whose trailer states {@code trailer} bytes
     * (modulo 2<sup>32</sup>) agrees with this header's claim and can hold it: the payload is then
     * read at once (and still checked for its exact length as it is read).
     */
    boolean statedBy(long fileSize, long trailer) {
      long uncompressed = bytes + total;
      return fileSize > 0 && trailer >= 0 && (uncompressed & 0xffffffffL) == trailer
          && uncompressed <= fileSize * DEFLATE_MAX_RATIO;
    }

    /** Fails unless exactly {@link #total} payload bytes are {@code available}. */
    void check(long available) {
      if (available < total) {
        throw truncated(available);
      }
      if (available > total) {
        throw trailing();
      }
    }

    DataFormatException truncated(long read) {
      long record = read / recordSize;
      return new DataFormatException(String.format(Locale.ROOT,
          "%s is truncated: the header declares %d records (%s) but the data ends inside record "
              + "%d (%d of %d bytes); the file is incomplete or its header is wrong: copy it again",
          source, dims[0], Arrays.toString(dims), record, read, total), source, record, null);
    }

    DataFormatException trailing() {
      return new DataFormatException(String.format(Locale.ROOT,
          "%s has bytes after its %d declared records %s; the header or the file is corrupt",
          source, dims[0], Arrays.toString(dims)), source, dims[0], null);
    }

    /** Reads exactly the payload, whose size has been checked or is small. */
    byte[] payload(DataInputStream in) throws IOException {
      byte[] data = new byte[(int) total];
      int read = 0;
      while (read < data.length) {
        int n;
        try {
          n = in.read(data, read, data.length - read);
        } catch (EOFException e) {
          n = -1;
        }
        if (n < 0) {
          throw truncated(read);
        }
        read += n;
      }
      if (in.read() >= 0) {
        throw trailing();
      }
      return data;
    }
  }
}
