package dev.groundwork.core.weights;

import com.google.common.base.Utf8;
import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DataNotFoundException;
import dev.groundwork.core.data.Json;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads and writes weight files in the
 * <a href="https://github.com/huggingface/safetensors">safetensors</a> format, converting every
 * tensor to float32.
 *
 * <p>A file is an 8-byte little-endian header size N, N bytes of UTF-8 JSON whose first byte is an
 * opening brace, then the data section. The JSON maps each tensor name to {@code {"dtype", "shape",
 * "data_offsets": [begin, end]}} (offsets relative to the data section), plus an optional
 * {@code "__metadata__"} object of strings. Reading is strict: every byte of the data section
 * belongs to exactly one tensor, each tensor's byte range matches its shape and dtype, names are
 * unique, and the header size is checked against the real file size (and a 100 MB limit) before
 * anything is allocated. A violation is a {@link DataFormatException} naming the file and, as its
 * record, the tensor's entry index in the header; a missing or non-regular file is a
 * {@link DataNotFoundException}. Non-finite values are kept as they are.
 *
 * <pre>{@code
 * SafeTensorsFile f = SafeTensors.read(Path.of("model.safetensors"));
 * f.tensors().forEach(System.out::println);     // backbone_fc1_weight F32 [128, 3136] ...
 * SafeTensors.write(Path.of("copy.safetensors"), f.metadata(), f.tensors());
 * }</pre>
 */
public final class SafeTensors {
  /** The largest header read, as in the reference implementation. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA = "__metadata__";
  private static final int CHUNK = 1 << 20;
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
  private static final String REDO =
      "the file is corrupt or was written by a faulty tool: export or download it again";
  private static final String FULLY_INDEXED =
      "the format requires every byte of the data section to belong to exactly one tensor; " + REDO;

  private SafeTensors() {}

  /**
   * Reads a safetensors file.
   *
   * @throws DataNotFoundException if the file does not exist, is not a regular file (a directory,
   *     a pipe) or cannot be read
   * @throws DataFormatException if the file is not valid safetensors
   */
  public static SafeTensorsFile read(Path file) {
    Objects.requireNonNull(file, "file");
    String source = file.toAbsolutePath().toString();
    if (!Files.exists(file)) {
      throw new DataNotFoundException(source + " does not exist; check the path (relative paths "
          + "start at " + Path.of("").toAbsolutePath() + ")", source, null);
    }
    if (!Files.isRegularFile(file)) {
      throw new DataNotFoundException(source + " is not a regular file (a directory, pipe or "
          + "device); give the path of the .safetensors file itself", source, null);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return parse(new ChannelBytes(channel), source);
    } catch (NoSuchFileException e) {
      throw new DataNotFoundException(source + " was removed while being opened; check the path",
          source, e);
    } catch (EOFException e) {
      throw new DataFormatException(source + ": " + e.getMessage() + "; the file changed while it "
          + "was read: read it again once it is complete", source, -1, e);
    } catch (IOException e) {
      throw new DataNotFoundException(source + " cannot be read (" + e + "); check its permissions",
          source, e);
    }
  }

  /**
   * Reads safetensors content held in memory.
   *
   * @param sourceName what to call the bytes in messages, e.g. a URL or resource name
   * @throws DataFormatException if the bytes are not valid safetensors
   */
  public static SafeTensorsFile read(byte[] bytes, String sourceName) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(sourceName, "sourceName");
    try {
      return parse(new ArrayBytes(bytes), sourceName);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not thrown by an array
    }
  }

  /**
   * Writes tensors as an F32 safetensors file, atomically (temporary file, fsync, atomic move).
   *
   * <p>The header lists the metadata (omitted when empty), then the tensors in the given order,
   * their data contiguous in the same order; it is padded with spaces to a multiple of 8 bytes.
   * Tensors read from other dtypes are written as F32.
   *
   * @param metadata string entries for {@code "__metadata__"}, in iteration order
   * @throws InvalidParameterException if two tensors have the same name, a name is
   *     {@code "__metadata__"} or a string has an unpaired surrogate
   * @throws dev.groundwork.core.GroundworkException if the file cannot be written; the previous
   *     file, if any, is then unchanged
   */
  public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) {
    Objects.requireNonNull(file, "file");
    byte[] header = header(metadata, tensors);
    AtomicFiles.write(file, "safetensors file", out -> body(out, header, tensors));
  }

  /**
   * The bytes {@link #write} would write.
   *
   * @throws InvalidParameterException as {@link #write}, or if the result exceeds one array (2 GB)
   */
  public static byte[] toBytes(Map<String, String> metadata, List<Tensor> tensors) {
    byte[] header = header(metadata, tensors);
    long total = 8L + header.length
        + 4L * tensors.stream().mapToLong(t -> t.values().length).sum();
    InvalidParameterException.check(total <= MAX_ARRAY, "the tensors need %d bytes, more than one "
        + "byte array holds; use write(Path, ...) instead", total);
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) total);
    try {
      body(out, header, tensors);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not thrown by a ByteArrayOutputStream
    }
    return out.toByteArray();
  }

  // ---- reading

  /** Random access to the content: a file channel or an array. */
  private interface Bytes {
    long size() throws IOException;

    /** {@code len} bytes from {@code pos}, little-endian, from index 0; valid until the next call. */
    ByteBuffer get(long pos, int len) throws IOException;
  }

  private static final class ChannelBytes implements Bytes {
    private final FileChannel channel;
    private ByteBuffer buffer = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);

    ChannelBytes(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public ByteBuffer get(long pos, int len) throws IOException {
      if (buffer.capacity() < len) {
        buffer = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
      }
      buffer.clear().limit(len);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, pos + buffer.position()) < 0) {
          throw new EOFException("it ended at byte " + (pos + buffer.position()) + " where "
              + len + " bytes from byte " + pos + " were expected");
        }
      }
      return buffer.flip();
    }
  }

  private record ArrayBytes(byte[] bytes) implements Bytes {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public ByteBuffer get(long pos, int len) {
      return ByteBuffer.wrap(bytes, (int) pos, len).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  /** A validated header entry; {@code index} is its position among the tensors of the header. */
  private record Entry(int index, String name, DType type, int[] shape, int count, long begin,
      long end) {
    String where() {
      return where(index, name);
    }

    static String where(int index, String name) {
      return "tensor '" + name + "' (entry " + index + " of the header)";
    }
  }

  private static SafeTensorsFile parse(Bytes in, String source) throws IOException {
    long size = in.size();
    if (size < 8) {
      throw bad(source, -1, "the file is " + size + " bytes long, too short for the 8-byte header "
          + "size a safetensors file starts with", "it is truncated or not a safetensors file: "
          + "export or download it again");
    }
    long n = in.get(0, 8).getLong();
    if (n < 0 || n > size - 8) {
      throw bad(source, -1, "the first 8 bytes declare a header of " + Long.toUnsignedString(n)
          + " bytes, but only " + (size - 8) + " bytes follow them", "the file is truncated or not "
          + "a safetensors file (is it a PyTorch .bin or a Git LFS pointer?): export or download it "
          + "again");
    }
    if (n > MAX_HEADER_BYTES) {
      throw bad(source, -1, "the first 8 bytes declare a header of " + n + " bytes, more than the "
          + MAX_HEADER_BYTES + "-byte limit of the format", REDO);
    }
    ByteBuffer raw = in.get(8, (int) n);
    int offset = raw.arrayOffset() + raw.position();
    if (!Utf8.isWellFormed(raw.array(), offset, (int) n)) {
      throw bad(source, -1, "the header is not valid UTF-8", REDO);
    }
    String text = new String(raw.array(), offset, (int) n, StandardCharsets.UTF_8);
    Object root;
    try {
      root = new Json(text).document();
    } catch (Json.Error e) {
      throw new DataFormatException(source + ": the header is not valid JSON: " + e.getMessage()
          + " at character " + (e.pos + 1) + " of the header; it must be one JSON object with "
          + "unique keys; " + REDO, source, -1, e);
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw bad(source, -1, "the header is " + Json.typeName(root) + ", expected a JSON object "
          + "{\"name\": {\"dtype\": ..., \"shape\": [...], \"data_offsets\": [begin, end]}, ...}",
          REDO);
    }
    if (!text.startsWith("{")) {
      throw bad(source, -1, "the header begins with whitespace; the format requires '{' as its "
          + "first byte", REDO);
    }

    long dataLength = size - 8 - n;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getKey().equals(METADATA)) {
        metadata(source, e.getValue(), metadata);
      } else {
        entries.add(entry(source, entries.size(), (String) e.getKey(), e.getValue(), dataLength));
      }
    }
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    checkLayout(source, byOffset, dataLength);

    float[][] values = new float[entries.size()][];
    for (Entry e : byOffset) { // in file order, so that a channel reads forward
      values[e.index] = decode(in, 8 + n + e.begin, e);
    }
    List<Tensor> tensors = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      tensors.add(new Tensor(e.name, e.shape, values[e.index], e.type));
    }
    return new SafeTensorsFile(source, metadata, tensors);
  }

  private static void metadata(String source, Object value, Map<String, String> out) {
    if (!(value instanceof Map<?, ?> map)) {
      throw bad(source, -1, "\"" + METADATA + "\" is " + show(value) + ", expected an object of "
          + "string values", "write the metadata as {\"key\": \"value\", ...}");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw bad(source, -1, "\"" + METADATA + "\" entry \"" + e.getKey() + "\" is "
            + show(e.getValue()) + ", expected a string", "the format allows only string "
            + "metadata: write it as a string, e.g. \"3\" instead of 3");
      }
      out.put((String) e.getKey(), s);
    }
  }

  private static Entry entry(String source, int index, String name, Object value, long dataLength) {
    String where = Entry.where(index, name);
    if (!(value instanceof Map<?, ?> info)) {
      throw bad(source, index, where + " is " + show(value) + ", expected an object {\"dtype\": "
          + "..., \"shape\": [...], \"data_offsets\": [begin, end]}", REDO);
    }
    for (String key : List.of("dtype", "shape", "data_offsets")) {
      if (!info.containsKey(key)) {
        throw bad(source, index, where + " has no \"" + key + "\"", REDO);
      }
    }
    Object dtype = info.get("dtype");
    DType type = dtype instanceof String s ? DType.forName(s).orElse(null) : null;
    if (type == null) {
      throw bad(source, index, where + " has dtype " + show(dtype) + ", expected one of "
          + Arrays.toString(DType.values()), "convert the tensor to one of these types "
          + "before saving");
    }
    if (!(info.get("shape") instanceof List<?> dims)) {
      throw bad(source, index, where + " has shape " + show(info.get("shape")) + ", expected an "
          + "array of non-negative integers such as [128, 3136]", REDO);
    }
    int[] shape = new int[dims.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      long d = natural(source, index, dims.get(i), where + " has shape " + show(dims)
          + ": dimension " + i);
      if (d > MAX_ARRAY) {
        throw bad(source, index, where + " has shape " + show(dims) + ": dimension " + i + " is "
            + d + ", more than one Java array holds (" + MAX_ARRAY + ")", "split the tensor");
      }
      shape[i] = (int) d;
      try {
        count = Math.multiplyExact(count, d);
      } catch (ArithmeticException e) {
        throw bad(source, index, where + " has shape " + show(dims) + " whose element count "
            + "overflows 64 bits", REDO);
      }
    }
    long bytes;
    try {
      bytes = Math.multiplyExact(count, type.byteSize());
    } catch (ArithmeticException e) {
      throw bad(source, index, where + " is " + type + " " + show(dims) + ", whose byte size "
          + "overflows 64 bits", REDO);
    }
    if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
      throw bad(source, index, where + " has data_offsets " + show(info.get("data_offsets"))
          + ", expected two integers [begin, end]", REDO);
    }
    long begin = natural(source, index, offsets.get(0), where + " has data_offsets "
        + show(offsets) + ": begin");
    long end = natural(source, index, offsets.get(1), where + " has data_offsets "
        + show(offsets) + ": end");
    if (begin > end) {
      throw bad(source, index, where + " has data_offsets " + show(offsets) + " that begin after "
          + "they end", REDO);
    }
    if (end > dataLength) {
      throw bad(source, index, where + " has data_offsets " + show(offsets) + " that end beyond "
          + "the data section, which has " + dataLength + " bytes", "the file is truncated or "
          + "corrupt: export or download it again");
    }
    if (end - begin != bytes) {
      throw bad(source, index, where + " is " + type + " " + show(dims) + ": " + count
          + " elements × " + type.byteSize() + " bytes = " + bytes + " bytes, but its "
          + "data_offsets " + show(offsets) + " hold " + (end - begin) + " bytes", REDO);
    }
    if (count > MAX_ARRAY) {
      throw bad(source, index, where + " has " + count + " elements, more than one Java array "
          + "holds (" + MAX_ARRAY + ")", "split the tensor into smaller ones");
    }
    return new Entry(index, name, type, shape, (int) count, begin, end);
  }

  /** A JSON integer ≥ 0 written without fraction or exponent, saturated at Long.MAX_VALUE. */
  private static long natural(String source, int index, Object value, String what) {
    String text = value instanceof Json.Num num ? num.text() : "";
    if (!text.matches("-?[0-9]+")) {
      throw bad(source, index, what + " is " + show(value) + ", expected a non-negative integer",
          REDO);
    }
    if (text.startsWith("-")) {
      throw bad(source, index, what + " is negative (" + text + ")", REDO);
    }
    return text.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text);
  }

  private static void checkLayout(String source, List<Entry> byOffset, long dataLength) {
    Entry previous = null;
    long expected = 0;
    for (Entry e : byOffset) {
      if (e.begin < expected) {
        throw bad(source, e.index, e.where() + " occupies bytes [" + e.begin + ", " + e.end
            + ") of the data section, overlapping " + previous.where() + " at ["
            + previous.begin + ", " + previous.end + ")", FULLY_INDEXED);
      }
      if (e.begin > expected) {
        throw bad(source, e.index, e.where() + " starts at byte " + e.begin + " of the data "
            + "section, but " + (previous == null ? "no tensor starts at byte 0"
            : previous.where() + " ends at byte " + expected) + ": bytes [" + expected + ", "
            + e.begin + ") belong to no tensor", FULLY_INDEXED);
      }
      expected = e.end;
      previous = e;
    }
    if (expected != dataLength) {
      throw bad(source, -1, "the data section has " + dataLength + " bytes but the tensors use "
          + "only the first " + expected + ": " + (dataLength - expected) + " trailing bytes "
          + "belong to no tensor" + (previous == null ? "" : " (the last is " + previous.where()
          + ")"), FULLY_INDEXED);
    }
  }

  private static float[] decode(Bytes in, long start, Entry e) throws IOException {
    float[] out = new float[e.count];
    int size = e.type.byteSize();
    for (int done = 0; done < out.length; ) {
      int k = Math.min(CHUNK / size, out.length - done);
      ByteBuffer b = in.get(start + (long) done * size, k * size);
      e.type.toFloat(b.array(), b.arrayOffset() + b.position(), out, done, k);
      done += k;
    }
    return out;
  }

  /** A JSON value for a message: its text when short, its type otherwise. */
  private static String show(Object v) {
    String text;
    if (v instanceof Json.Num num) {
      text = num.text();
    } else if (v instanceof String s) {
      text = "\"" + s + "\"";
    } else if (v instanceof List<?> list) {
      text = list.stream().map(SafeTensors::show).collect(Collectors.joining(", ", "[", "]"));
    } else if (v instanceof Map) {
      return "an object";
    } else {
      text = String.valueOf(v);
    }
    return text.length() <= 60 ? text : Json.typeName(v);
  }

  private static DataFormatException bad(String source, long record, String what, String todo) {
    return new DataFormatException(source + ": " + what + "; " + todo, source, record, null);
  }

  // ---- writing

  private static byte[] header(Map<String, String> metadata, List<Tensor> tensors) {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(tensors, "tensors");
    StringBuilder sb = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      sb.append('"').append(METADATA).append("\":{");
      String separator = "";
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        String key = Objects.requireNonNull(e.getKey(), "metadata key");
        sb.append(separator);
        quote(sb, key, "metadata key");
        sb.append(':');
        quote(sb, Objects.requireNonNull(e.getValue(), () -> "metadata value of " + key),
            "metadata value of " + key);
        separator = ",";
      }
      sb.append('}');
    }
    Map<String, Integer> seen = new HashMap<>();
    long offset = 0;
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = Objects.requireNonNull(tensors.get(i), "tensor " + i);
      InvalidParameterException.check(!t.name().equals(METADATA), "tensor %d is named '%s', "
          + "which the format reserves for the metadata; rename it", i, METADATA);
      Integer first = seen.putIfAbsent(t.name(), i);
      InvalidParameterException.check(first == null, "tensors %s and %d are both named '%s'; "
          + "names in a safetensors file must be unique", first, i, t.name());
      long end = offset + 4L * t.values().length;
      sb.append(sb.length() > 1 ? "," : "");
      quote(sb, t.name(), "tensor name");
      sb.append(":{\"dtype\":\"F32\",\"shape\":[")
          .append(Arrays.stream(t.shape()).mapToObj(Integer::toString)
              .collect(Collectors.joining(",")))
          .append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    byte[] json = sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    InvalidParameterException.check(json.length <= MAX_HEADER_BYTES, "the header would take %d "
        + "bytes, more than the format's %d; use shorter names or fewer tensors", json.length,
        MAX_HEADER_BYTES);
    byte[] header = Arrays.copyOf(json, (json.length + 7) & ~7);
    Arrays.fill(header, json.length, header.length, (byte) ' ');
    return header;
  }

  /** Appends {@code s} as a JSON string; non-ASCII characters stay as they are (UTF-8). */
  private static void quote(StringBuilder sb, String s, String what) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        throw new InvalidParameterException(what + " '" + s + "' has an unpaired surrogate at "
            + "index " + i + ", which UTF-8 cannot encode");
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  private static void body(OutputStream out, byte[] header, List<Tensor> tensors)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    out.write(buffer.putLong(0, header.length).array(), 0, 8);
    out.write(header);
    FloatBuffer floats = buffer.asFloatBuffer();
    for (Tensor t : tensors) {
      float[] v = t.values();
      for (int i = 0; i < v.length; ) {
        int k = Math.min(floats.capacity(), v.length - i);
        floats.clear();
        floats.put(v, i, k);
        out.write(buffer.array(), 0, 4 * k);
        i += k;
      }
    }
  }
}
