package dev.groundwork.onnx;

import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.weights.DType;
import dev.groundwork.core.weights.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a model's initializers (its weights) straight from the ONNX protobuf bytes: ONNX Runtime's
 * Java API does not expose them, and no protobuf library is needed for the few fields involved.
 *
 * <p>Decoded: {@code ModelProto.graph} (7); {@code GraphProto.initializer} (5) and
 * {@code sparse_initializer} (15, refused); {@code TensorProto.dims} (1), {@code data_type} (2),
 * {@code segment} (3, refused), {@code float_data} (4), {@code int32_data} (5), {@code string_data}
 * (6), {@code int64_data} (7), {@code name} (8), {@code raw_data} (9), {@code double_data} (10),
 * {@code uint64_data} (11), {@code external_data} (13) and {@code data_location} (14). Repeated
 * numeric fields are read packed or not. Every other field is skipped.
 *
 * <p>Two modes share the one parser: {@link #parameters} lists names and shapes and skips the
 * data; {@link #tensors} also decodes the data to float32 with {@link DType#toFloat} and checks it
 * strictly. Every malformed input is a {@link DataFormatException} naming the source and, inside
 * the graph, the initializer (its index as the record); nothing is allocated from a declared size
 * before the bytes behind it are known to be present.
 */
final class OnnxInitializers {

  /** The largest element count of one tensor, a Java array's limit. */
  static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private static final int VARINT = 0;
  private static final int I64 = 1;
  private static final int LEN = 2;
  private static final int I32 = 5;

  // TensorProto field numbers
  private static final int DIMS = 1;
  private static final int DATA_TYPE = 2;
  private static final int SEGMENT = 3;
  private static final int FLOAT_DATA = 4;
  private static final int INT32_DATA = 5;
  private static final int STRING_DATA = 6;
  private static final int INT64_DATA = 7;
  private static final int NAME = 8;
  private static final int RAW_DATA = 9;
  private static final int DOUBLE_DATA = 10;
  private static final int UINT64_DATA = 11;
  private static final int EXTERNAL_DATA = 13;
  private static final int DATA_LOCATION = 14;

  private static final String REDO =
      "the file is truncated or corrupt: export or download it again";
  private static final String NOT_ONNX =
      "the file is truncated, corrupt or not an ONNX model: export or download it again";
  private static final String SAVE_INSIDE = "external data is not supported; save with all "
      + "tensors inside the file (in Python: onnx.save_model(onnx.load(path), out_path, "
      + "save_as_external_data=False), possible below 2 GB)";

  /**
   * An ONNX element type that converts to float32: its {@code TensorProto.DataType} code, the
   * {@link DType} with the same little-endian layout, and the typed field that can hold its values
   * instead of {@code raw_data}.
   */
  private enum ElementType {
    FLOAT(1, DType.F32, FLOAT_DATA),
    UINT8(2, DType.U8, INT32_DATA),
    INT8(3, DType.I8, INT32_DATA),
    UINT16(4, DType.U16, INT32_DATA),
    INT16(5, DType.I16, INT32_DATA),
    INT32(6, DType.I32, INT32_DATA),
    INT64(7, DType.I64, INT64_DATA),
    BOOL(9, DType.BOOL, INT32_DATA),
    FLOAT16(10, DType.F16, INT32_DATA),
    DOUBLE(11, DType.F64, DOUBLE_DATA),
    UINT32(12, DType.U32, UINT64_DATA),
    UINT64(13, DType.U64, UINT64_DATA),
    BFLOAT16(16, DType.BF16, INT32_DATA),
    FLOAT8E4M3FN(17, DType.F8_E4M3, INT32_DATA),
    FLOAT8E5M2(19, DType.F8_E5M2, INT32_DATA);

    final int code;
    final DType dtype;
    final int typedField;

    ElementType(int code, DType dtype, int typedField) {
      this.code = code;
      this.dtype = dtype;
      this.typedField = typedField;
    }

    static ElementType of(long code) {
      for (ElementType t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return null;
    }
  }

  /** The ONNX types that are not read, by code, for messages. */
  private static final String[] OTHER_TYPES = {"UNDEFINED", null, null, null, null, null, null,
      null, "STRING", null, null, null, null, null, "COMPLEX64", "COMPLEX128", null, null,
      "FLOAT8E4M3FNUZ", null, "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1"};

  /** A wire-level fault: the bytes are not valid protobuf where they were read. */
  private static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private final byte[] buf;
  private final String source;
  private final boolean withData;
  private int pos;
  private int graphCount;

  // the field last read by next(): its number, wire type, varint value and value bytes
  private int field;
  private int wire;
  private long value;
  private int start;
  private int stop;

  // the initializer being read, for messages
  private int index = -1;
  private String name;

  private OnnxInitializers(byte[] buf, String source, boolean withData) {
    this.buf = buf;
    this.source = source;
    this.withData = withData;
  }

  /**
   * The model's initializers as frozen parameters named {@code prefix + name}, without their data.
   *
   * @throws DataFormatException if the bytes are not a well-formed protobuf message or an
   *     initializer's shape is invalid
   */
  static List<ParameterInfo> parameters(byte[] model, String source, String prefix) {
    List<ParameterInfo> out = new ArrayList<>();
    new OnnxInitializers(model, source, false).graphs((name, shape, values) -> {
      long count = 1;
      for (int d : shape) {
        count *= d; // each dimension and the product were checked
      }
      out.add(new ParameterInfo(prefix + name, shape, count, false));
    });
    return out;
  }

  /**
   * The model's initializers with their values as float32, in file order.
   *
   * @param source the file or resource, for messages
   * @throws DataFormatException naming the source and the initializer if the bytes are not an
   *     ONNX model, an initializer is malformed, of a type that does not convert to float32 or
   *     stored outside the file
   */
  static List<Tensor> tensors(byte[] model, String source) {
    List<Tensor> out = new ArrayList<>();
    OnnxInitializers r = new OnnxInitializers(model, source, true);
    r.graphs((name, shape, values) -> out.add(new Tensor(name, shape, values.values,
        values.type)));
    if (r.graphCount == 0) {
      throw r.bad("not an ONNX model: its " + model.length + " bytes hold no graph (ModelProto "
          + "field 7)", "give the .onnx file itself");
    }
    return out;
  }

  /** Whether the bytes parse as a protobuf message whose fields include a graph (field 7). */
  static boolean looksLikeModel(byte[] model) {
    OnnxInitializers r = new OnnxInitializers(model, "", false);
    boolean graph = false;
    try {
      while (r.pos < model.length) {
        r.next(model.length);
        graph |= r.field == 7 && r.wire == LEN;
      }
      return graph;
    } catch (Malformed e) {
      return false;
    }
  }

  /**
   * Whether the first bytes of a file begin an ONNX {@code ModelProto} up to its graph: every field
   * before the graph is one that {@code ModelProto} declares, with its wire type, and lies within
   * {@code head}; the graph itself may run past the end of {@code head}.
   */
  static boolean looksLikeModelHead(byte[] head) {
    OnnxInitializers r = new OnnxInitializers(head, "", false);
    try {
      while (r.pos < head.length) {
        long key = r.varint(head.length);
        long number = key >>> 3;
        int w = (int) (key & 7);
        boolean known = number == 1 || number == 5 ? w == VARINT
            : (number >= 2 && number <= 8 || number == 14 || number == 20 || number == 25)
                && w == LEN;
        if (!known) {
          return false;
        }
        if (number == 7) {
          return true;
        }
        if (w == VARINT) {
          r.varint(head.length);
        } else {
          long len = r.varint(head.length);
          if (Long.compareUnsigned(len, head.length - r.pos) > 0) {
            return false; // a field before the graph reaches past the head: cannot tell
          }
          r.pos += (int) len;
        }
      }
      return false;
    } catch (Malformed e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ structure

  private interface Sink {
    void accept(String name, int[] shape, Values values);
  }

  /** Decoded data: float32 values and the element type they came from. */
  private record Values(float[] values, DType type) {}

  /** Walks the ModelProto's graphs (one, normally) and passes each initializer to {@code sink}. */
  private void graphs(Sink sink) {
    try {
      int count = 0;
      while (pos < buf.length) {
        int keyAt = pos;
        long key = varint(buf.length);
        if (key >>> 3 == 7 && (key & 7) == LEN) {
          long len = varint(buf.length);
          if (Long.compareUnsigned(len, buf.length - pos) > 0) {
            throw truncatedGraph(pos, len);
          }
          int end = pos + (int) len;
          graphCount++;
          count = graph(end, count, sink);
          pos = end;
        } else {
          pos = keyAt;
          next(buf.length);
        }
      }
    } catch (Malformed e) {
      throw index < 0 ? bad(e.getMessage(), NOT_ONNX)
          : bad("is malformed: " + e.getMessage(), REDO);
    }
  }

  /** Reads the initializers of one GraphProto ending at {@code end}; returns the count so far. */
  private int graph(int end, int count, Sink sink) {
    while (pos < end) {
      next(end);
      if (field == 5 && wire == LEN) {
        int tensorEnd = stop;
        pos = start;
        index = count++;
        name = null;
        tensor(tensorEnd, sink);
        index = -1;
        name = null;
        pos = tensorEnd;
      } else if (field == 15 && wire == LEN && withData) {
        int sparseEnd = stop;
        pos = start;
        String values = null;
        while (pos < sparseEnd && values == null) {
          next(sparseEnd);
          values = field == 1 && wire == LEN ? nameIn(start, stop) : null;
        }
        throw bad("the graph holds a sparse initializer" + (values == null ? "" : " '" + values
            + "'") + " (GraphProto.sparse_initializer), which is not supported",
            "export with dense initializers");
      }
    }
    return count;
  }

  /** Reads one TensorProto ending at {@code end}. */
  private void tensor(int end, Sink sink) {
    long[] dims = new long[4];
    int rank = 0;
    long dataType = 0;
    boolean segment = false;
    boolean external = false;
    String location = null;
    int rawStart = -1;
    int rawEnd = -1;
    List<int[]> typed = new ArrayList<>(); // {field, wire, start, stop} in file order
    while (pos < end) {
      next(end);
      int after = stop;
      switch (field) {
        case DIMS -> {
          if (wire == VARINT) {
            dims = grow(dims, rank);
            dims[rank++] = value;
          } else if (wire == LEN) {
            int chunkEnd = stop;
            pos = start;
            while (pos < chunkEnd) {
              dims = grow(dims, rank);
              dims[rank++] = varint(chunkEnd);
            }
          } else {
            throw bad("has dims with wire type " + wire + ", expected varints", REDO);
          }
        }
        case DATA_TYPE -> {
          if (wire != VARINT) {
            throw bad("has a data_type with wire type " + wire + ", expected a varint", REDO);
          }
          dataType = value;
        }
        case NAME -> {
          if (wire != LEN) {
            throw bad("has a name with wire type " + wire + ", expected a string", REDO);
          }
          name = new String(buf, start, stop - start, StandardCharsets.UTF_8);
        }
        case SEGMENT -> segment = true;
        case RAW_DATA -> {
          if (wire != LEN) {
            throw bad("has raw_data with wire type " + wire + ", expected bytes", REDO);
          }
          rawStart = start; // the last occurrence wins, as in protobuf
          rawEnd = stop;
        }
        case FLOAT_DATA, INT32_DATA, STRING_DATA, INT64_DATA, DOUBLE_DATA, UINT64_DATA ->
            typed.add(new int[] {field, wire, start, stop});
        case EXTERNAL_DATA -> {
          external = true;
          if (wire == LEN) {
            location = location == null ? location(start, stop) : location;
          }
        }
        case DATA_LOCATION -> external |= wire == VARINT && value == 1;
        default -> { } // doc_string, metadata_props, ...: not needed
      }
      pos = after;
    }
    if (name == null || name.isEmpty()) {
      if (withData) {
        throw bad("has no name; an initializer needs one (TensorProto.name) to be matched to a "
            + "parameter", REDO);
      }
      name = "?";
    }
    int[] shape = shape(dims, rank);
    if (!withData) {
      sink.accept(name, shape, null);
      return;
    }
    if (external) {
      throw bad("is stored outside the file (data_location EXTERNAL"
          + (location == null ? "" : ", location '" + location + "'") + ")", SAVE_INSIDE);
    }
    if (segment) {
      throw bad("is one segment of a larger tensor (TensorProto.segment), which is not "
          + "supported", "save the tensor whole");
    }
    ElementType type = ElementType.of(dataType);
    if (type == null) {
      String known = dataType >= 0 && dataType < OTHER_TYPES.length
          ? OTHER_TYPES[(int) dataType] : null;
      throw bad(dataType == 0 ? "has no data type (data_type UNDEFINED)"
          : "has data type " + (known == null ? "code " + dataType + ", unknown to ONNX"
              : known + " (" + dataType + ")") + ", which does not convert to float32; the "
              + "readable types are " + Arrays.toString(ElementType.values()),
          dataType == 0 ? REDO : "convert the weights to FLOAT before exporting");
    }
    int count = elements(shape);
    String what = type + " " + Arrays.toString(shape);
    for (int[] t : typed) {
      if (t[0] != type.typedField) {
        throw bad("is " + what + " but holds values in " + fieldName(t[0]) + "; an ONNX " + type
            + " tensor keeps them in raw_data or " + fieldName(type.typedField), REDO);
      }
    }
    float[] values;
    if (rawStart >= 0) {
      if (!typed.isEmpty()) {
        throw bad("holds values both in raw_data and in " + fieldName(type.typedField) + "; a "
            + "tensor keeps them in exactly one", REDO);
      }
      long bytes = (long) count * type.dtype.byteSize();
      if (rawEnd - rawStart != bytes) {
        throw bad("is " + what + ": " + count + " elements × " + type.dtype.byteSize()
            + " bytes = " + bytes + " bytes, but its raw_data holds " + (rawEnd - rawStart)
            + " bytes", REDO);
      }
      values = new float[count];
      type.dtype.toFloat(buf, rawStart, values, 0, count);
    } else if (!typed.isEmpty()) {
      values = typed(typed, type, what, count);
    } else if (count == 0) {
      values = new float[0];
    } else {
      throw bad("is " + what + " but has no data: neither raw_data nor "
          + fieldName(type.typedField) + " holds its " + count + " elements", REDO);
    }
    sink.accept(name, shape, new Values(values, type.dtype));
  }

  /** The dimensions as ints, each in [0, MAX_ELEMENTS] with a product in the same range. */
  private int[] shape(long[] dims, int rank) {
    int[] shape = new int[rank];
    long count = 1;
    for (int i = 0; i < rank; i++) {
      long d = dims[i];
      String all = d < 0 || d > MAX_ELEMENTS || count * d > MAX_ELEMENTS
          ? Arrays.toString(Arrays.copyOf(dims, rank)) : "";
      if (d < 0) {
        throw bad("has shape " + all + " with a negative dimension " + i, REDO);
      }
      if (d > MAX_ELEMENTS || count * d > MAX_ELEMENTS) {
        throw bad("has shape " + all + ", more than the " + MAX_ELEMENTS + " elements one Java "
            + "array holds", "split the tensor");
      }
      shape[i] = (int) d;
      count *= d;
    }
    return shape;
  }

  private static int elements(int[] shape) {
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    return (int) count;
  }

  /**
   * Decodes values held in typed fields ({@code float_data}, {@code int32_data}, ...): counted
   * first, then converted in blocks through {@link DType#toFloat}, packed fixed-width chunks
   * directly from the buffer.
   */
  private float[] typed(List<int[]> chunks, ElementType type, String what, int count) {
    boolean fixed = type.typedField == FLOAT_DATA || type.typedField == DOUBLE_DATA;
    int width = type.typedField == FLOAT_DATA ? 4 : 8;
    int elementWire = type.typedField == FLOAT_DATA ? I32 : type.typedField == DOUBLE_DATA ? I64
        : VARINT;
    long found = 0;
    for (int[] c : chunks) {
      int wireType = c[1];
      int length = c[3] - c[2];
      if (wireType == LEN) {
        if (fixed) {
          if (length % width != 0) {
            throw bad("is " + what + ": its packed " + fieldName(c[0]) + " of " + length
                + " bytes is not a whole number of " + width + "-byte values", REDO);
          }
          found += length / width;
        } else {
          pos = c[2];
          while (pos < c[3]) {
            varint(c[3]);
            found++;
          }
        }
      } else if (wireType == elementWire) {
        found++;
      } else {
        throw bad("is " + what + ": its " + fieldName(c[0]) + " has an element of wire type "
            + wireType + ", expected " + elementWire + " (or 2 when packed)", REDO);
      }
    }
    if (found != count) {
      throw bad("is " + what + ", " + count + " elements, but its " + fieldName(type.typedField)
          + " holds " + found, REDO);
    }
    float[] out = new float[count];
    int size = type.dtype.byteSize();
    byte[] block = new byte[1024 * size];
    int done = 0;
    int pending = 0;
    for (int[] c : chunks) {
      if (c[1] == LEN && fixed) { // packed float_data or double_data: already little-endian
        type.dtype.toFloat(block, 0, out, done, pending);
        done += pending;
        pending = 0;
        int n = (c[3] - c[2]) / width;
        type.dtype.toFloat(buf, c[2], out, done, n);
        done += n;
        continue;
      }
      pos = c[2];
      while (pos < c[3]) {
        long bits;
        if (c[1] == I32) {
          bits = littleEndian(pos, 4);
          pos += 4;
        } else if (c[1] == I64) {
          bits = littleEndian(pos, 8);
          pos += 8;
        } else {
          bits = varint(c[3]);
        }
        for (int k = 0; k < size; k++) { // the low bytes: int32_data narrows as numpy's astype
          block[pending * size + k] = (byte) (bits >>> (8 * k));
        }
        if (++pending == 1024) {
          type.dtype.toFloat(block, 0, out, done, pending);
          done += pending;
          pending = 0;
        }
      }
    }
    type.dtype.toFloat(block, 0, out, done, pending);
    return out;
  }

  private long littleEndian(int at, int bytes) {
    long v = 0;
    for (int k = 0; k < bytes; k++) {
      v |= (buf[at + k] & 0xFFL) << (8 * k);
    }
    return v;
  }

  /** The {@code location} entry of an {@code external_data} key-value pair, if it is one. */
  private String location(int from, int to) {
    int saved = pos;
    pos = from;
    String key = null;
    String val = null;
    while (pos < to) {
      next(to);
      if (wire == LEN && (field == 1 || field == 2)) {
        String s = new String(buf, start, stop - start, StandardCharsets.UTF_8);
        if (field == 1) {
          key = s;
        } else {
          val = s;
        }
      }
      pos = stop;
    }
    pos = saved;
    return "location".equals(key) ? val : null;
  }

  private static String fieldName(int number) {
    return switch (number) {
      case FLOAT_DATA -> "float_data";
      case INT32_DATA -> "int32_data";
      case STRING_DATA -> "string_data";
      case INT64_DATA -> "int64_data";
      case DOUBLE_DATA -> "double_data";
      case UINT64_DATA -> "uint64_data";
      default -> "field " + number;
    };
  }

  private static long[] grow(long[] a, int used) {
    return used < a.length ? a : Arrays.copyOf(a, a.length * 2);
  }

  /**
   * The graph runs past the end of the bytes: the file was cut. Names the initializer it was cut
   * in when the initializers read so far are whole up to it.
   */
  private DataFormatException truncatedGraph(int graphStart, long declared) {
    String what = "the graph (ModelProto field 7) declares " + Long.toUnsignedString(declared)
        + " bytes but only "
        + (buf.length - graphStart) + " follow";
    try {
      int count = 0;
      pos = graphStart;
      while (pos < buf.length) {
        int keyAt = pos;
        long key = varint(buf.length);
        if ((key & 7) != LEN) {
          pos = keyAt;
          next(buf.length);
          continue;
        }
        long len = varint(buf.length);
        boolean init = key >>> 3 == 5;
        if (Long.compareUnsigned(len, buf.length - pos) > 0) {
          if (init) {
            index = count;
            name = nameIn(pos, buf.length);
            return bad("is cut: the file ends inside it; " + what, REDO);
          }
          break;
        }
        count += init ? 1 : 0;
        pos += (int) len;
      }
    } catch (Malformed e) {
      // the cut cannot be placed
    }
    index = -1;
    name = null;
    return bad(what, REDO);
  }

  /** The name field of a (possibly cut) TensorProto starting at {@code from}, or null. */
  private String nameIn(int from, int to) {
    pos = from;
    try {
      while (pos < to) {
        next(to);
        if (field == NAME && wire == LEN) {
          return new String(buf, start, stop - start, StandardCharsets.UTF_8);
        }
      }
    } catch (Malformed e) {
      // the name comes after the cut
    }
    return null;
  }

  // ------------------------------------------------------------------ wire format

  /**
   * Reads the next field of a message ending at {@code end}: sets {@link #field}, {@link #wire},
   * {@link #value} (varints) and the value's bytes [{@link #start}, {@link #stop}), and moves past
   * it.
   */
  private void next(int end) {
    int keyAt = pos;
    long key = varint(end);
    long number = key >>> 3;
    if (number == 0 || number > (1 << 29) - 1) {
      throw new Malformed("field number " + number + " at byte " + keyAt + " is not a valid "
          + "protobuf field number");
    }
    field = (int) number;
    wire = (int) (key & 7);
    switch (wire) {
      case VARINT -> {
        start = pos;
        value = varint(end);
      }
      case I64 -> {
        start = pos;
        skip(8, end);
      }
      case I32 -> {
        start = pos;
        skip(4, end);
      }
      case LEN -> {
        long len = varint(end);
        if (Long.compareUnsigned(len, end - pos) > 0) {
          throw new Malformed("field " + field + " at byte " + keyAt + " declares "
              + Long.toUnsignedString(len) + " bytes but only " + (end - pos) + " remain in "
              + "its message");
        }
        start = pos;
        pos += (int) len;
      }
      default -> throw new Malformed("field " + field + " at byte " + keyAt + " has wire type "
          + wire + ", which protobuf 3 does not use");
    }
    stop = pos;
  }

  private long varint(int end) {
    int from = pos;
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new Malformed("the varint at byte " + from + " is truncated: "
            + (end == buf.length ? "the bytes end" : "its message ends") + " at byte " + end);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new Malformed("the varint at byte " + from + " is longer than 10 bytes");
  }

  private void skip(int n, int end) {
    if (n > end - pos) {
      throw new Malformed("a " + n + "-byte value at byte " + pos + " runs past the end of its "
          + "message at byte " + end);
    }
    pos += n;
  }

  private DataFormatException bad(String what, String todo) {
    String where = index < 0 ? ""
        : "initializer " + (name == null ? "" : "'" + name + "' ") + "(#" + index
            + " in the graph) "; // followed by "is ..." or "has ..."
    return new DataFormatException(source + ": " + where + what + "; " + todo, source, index,
        null);
  }
}
