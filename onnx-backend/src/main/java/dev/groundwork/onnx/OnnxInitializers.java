package dev.groundwork.onnx;

import dev.groundwork.core.model.ParameterInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the names and shapes of a model's initializers (its weights) straight from the ONNX
 * protobuf bytes, skipping their data: ONNX Runtime's Java API does not expose them.
 *
 * <p>Only the fields needed are decoded: {@code ModelProto.graph} (7), {@code GraphProto.initializer}
 * (5), {@code TensorProto.dims} (1) and {@code name} (8).
 */
final class OnnxInitializers {

  private final byte[] buf;
  private int pos;

  private OnnxInitializers(byte[] buf) {
    this.buf = buf;
  }

  /**
   * The model's initializers as frozen parameters named {@code prefix + name}.
   *
   * @throws IllegalArgumentException if the bytes are not a protobuf message
   */
  static List<ParameterInfo> read(byte[] model, String prefix) {
    OnnxInitializers r = new OnnxInitializers(model);
    List<ParameterInfo> out = new ArrayList<>();
    r.message(model.length, (field, wire, end) -> {
      if (field == 7 && wire == 2) {
        r.message(end, (gField, gWire, gEnd) -> {
          if (gField == 5 && gWire == 2) {
            out.add(r.tensor(gEnd, prefix));
            return true;
          }
          return false;
        });
        return true;
      }
      return false;
    });
    return out;
  }

  /** Whether the bytes parse as a protobuf message whose fields include a graph (field 7). */
  static boolean looksLikeModel(byte[] model) {
    try {
      OnnxInitializers r = new OnnxInitializers(model);
      boolean[] graph = {false};
      r.message(model.length, (field, wire, end) -> {
        graph[0] |= field == 7 && wire == 2;
        return false;
      });
      return graph[0];
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private interface FieldHandler {
    /** Handles a field whose value spans to {@code end} (wire type 2); returns false to skip it. */
    boolean handle(int field, int wire, int end);
  }

  private void message(int end, FieldHandler handler) {
    while (pos < end) {
      long key = varint();
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (field <= 0) {
        throw new IllegalArgumentException("field number " + field + " at byte " + pos);
      }
      switch (wire) {
        case 0 -> varint();
        case 1 -> skip(8);
        case 5 -> skip(4);
        case 2 -> {
          long len = varint();
          if (len < 0 || pos + len > end) {
            throw new IllegalArgumentException("length " + len + " runs past the message at byte "
                + pos);
          }
          int stop = (int) (pos + len);
          if (!handler.handle(field, wire, stop)) {
            pos = stop;
          } else if (pos != stop) {
            pos = stop;
          }
        }
        default -> throw new IllegalArgumentException("wire type " + wire + " at byte " + pos);
      }
    }
    if (pos != end) {
      throw new IllegalArgumentException("message overruns its length at byte " + pos);
    }
  }

  private ParameterInfo tensor(int end, String prefix) {
    List<Long> dims = new ArrayList<>();
    String[] name = {"?"};
    while (pos < end) {
      long key = varint();
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (field == 1 && wire == 0) {
        dims.add(varint());
      } else if (field == 1 && wire == 2) {
        int stop = (int) (pos + varint());
        while (pos < stop) {
          dims.add(varint());
        }
      } else if (field == 8 && wire == 2) {
        int len = (int) varint();
        name[0] = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
      } else {
        switch (wire) {
          case 0 -> varint();
          case 1 -> skip(8);
          case 5 -> skip(4);
          case 2 -> skip((int) varint());
          default -> throw new IllegalArgumentException("wire type " + wire + " at byte " + pos);
        }
      }
    }
    int[] shape = dims.stream().mapToInt(Long::intValue).toArray();
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    return new ParameterInfo(prefix + name[0], shape, count, false);
  }

  private long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= buf.length) {
        throw new IllegalArgumentException("truncated varint at byte " + pos);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("malformed varint at byte " + pos);
  }

  private void skip(int n) {
    if (n < 0 || pos + n > buf.length) {
      throw new IllegalArgumentException("field runs past the end at byte " + pos);
    }
    pos += n;
  }
}
