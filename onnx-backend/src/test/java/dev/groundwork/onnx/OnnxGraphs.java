package dev.groundwork.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tiny ONNX models written in the protobuf wire format by hand (no onnx or protobuf library), with
 * weights the tests know, so outputs can be checked against values computed in Java.
 *
 * <p>Field numbers are those of onnx.proto3 (ONNX 1.x): ModelProto ir_version 1, graph 7,
 * opset_import 8; GraphProto node 1, name 2, initializer 5, input 11, output 12; NodeProto input 1,
 * output 2, name 3, op_type 4, attribute 5; TensorProto dims 1, data_type 2, float_data 4,
 * int32_data 5, int64_data 7, name 8, raw_data 9, double_data 10, uint64_data 11; ValueInfoProto name 1, type 2; TypeProto tensor_type 1; Tensor elem_type 1,
 * shape 2; TensorShapeProto dim 1; Dimension dim_value 1, dim_param 2; AttributeProto name 1, i 3,
 * type 20.
 */
final class OnnxGraphs {

  static final int FLOAT = 1;
  static final int INT64 = 7;

  private OnnxGraphs() {}

  /** A protobuf message being written. */
  static final class Msg {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    Msg varint(int field, long v) {
      raw((long) field << 3);
      raw(v);
      return this;
    }

    Msg bytes(int field, byte[] b) {
      raw(((long) field << 3) | 2);
      raw(b.length);
      out.write(b, 0, b.length);
      return this;
    }

    Msg string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Msg msg(int field, Msg m) {
      return bytes(field, m.toBytes());
    }

    Msg floats(int field, float[] v) {
      byte[] b = new byte[v.length * 4];
      for (int i = 0; i < v.length; i++) {
        int bits = Float.floatToIntBits(v[i]);
        for (int k = 0; k < 4; k++) {
          b[i * 4 + k] = (byte) (bits >>> (8 * k));
        }
      }
      return bytes(field, b);
    }

    /** One unpacked float (wire type 5). */
    Msg fixed32(int field, float v) {
      raw(((long) field << 3) | 5);
      int bits = Float.floatToIntBits(v);
      for (int k = 0; k < 4; k++) {
        out.write(bits >>> (8 * k));
      }
      return this;
    }

    /** One unpacked double (wire type 1). */
    Msg fixed64(int field, double v) {
      raw(((long) field << 3) | 1);
      long bits = Double.doubleToLongBits(v);
      for (int k = 0; k < 8; k++) {
        out.write((int) (bits >>> (8 * k)));
      }
      return this;
    }

    /** Bytes as they are (each the low 8 bits of an int), e.g. a broken field. */
    Msg append(int... b) {
      for (int x : b) {
        out.write(x);
      }
      return this;
    }

    Msg longs(int field, long[] v) {
      Msg packed = new Msg();
      for (long x : v) {
        packed.raw(x);
      }
      return bytes(field, packed.toBytes());
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }

  static Msg tensor(String name, long[] dims, float[] data) {
    Msg t = new Msg();
    for (long d : dims) {
      t.varint(1, d);
    }
    return t.varint(2, FLOAT).floats(4, data).string(8, name);
  }

  static Msg tensor(String name, long[] dims, long[] data) {
    Msg t = new Msg();
    for (long d : dims) {
      t.varint(1, d);
    }
    return t.varint(2, INT64).longs(7, data).string(8, name);
  }

  /** A graph input or output; each dim is a Long (fixed) or a String (symbolic). */
  static Msg value(String name, int elemType, Object... dims) {
    Msg shape = new Msg();
    for (Object d : dims) {
      shape.msg(1, d instanceof String s ? new Msg().string(2, s)
          : new Msg().varint(1, ((Number) d).longValue()));
    }
    Msg tensorType = new Msg().varint(1, elemType).msg(2, shape);
    return new Msg().string(1, name).msg(2, new Msg().msg(1, tensorType));
  }

  static Msg node(String op, List<String> in, List<String> out, Msg... attrs) {
    Msg n = new Msg();
    for (String s : in) {
      n.string(1, s);
    }
    for (String s : out) {
      n.string(2, s);
    }
    n.string(3, op + "_" + out.get(0)).string(4, op);
    for (Msg a : attrs) {
      n.msg(5, a);
    }
    return n;
  }

  static Msg intAttr(String name, long v) {
    return new Msg().string(1, name).varint(3, v).varint(20, 2);
  }

  static byte[] model(List<Msg> nodes, List<Msg> inits, List<Msg> inputs, List<Msg> outputs) {
    Msg g = new Msg();
    nodes.forEach(n -> g.msg(1, n));
    g.string(2, "test");
    inits.forEach(t -> g.msg(5, t));
    inputs.forEach(v -> g.msg(11, v));
    outputs.forEach(v -> g.msg(12, v));
    return new Msg().varint(1, 8).string(2, "groundwork-tests").msg(7, g)
        .msg(8, new Msg().string(1, "").varint(2, 13)).toBytes();
  }

  // ------------------------------------------------------------------ the test models

  /** Weights of {@link #linear}: 4 features → 3 classes, {@code W[i][c]}. */
  static final float[] W = {0.5f, -1f, 0.25f, 1.5f, 0.5f, -0.75f, -2f, 0.1f, 0.3f, 0.2f, 0.4f,
      -0.6f};
  static final float[] B = {0.1f, -0.2f, 0.3f};

  /** {@code logits = x · W + b}, x of shape [batch, 4]; with a Softmax node when {@code probs}. */
  static byte[] linear(boolean probs) {
    List<Msg> nodes = new java.util.ArrayList<>(List.of(
        node("MatMul", List.of("x", "W"), List.of("xw")),
        node("Add", List.of("xw", "B"), List.of(probs ? "logits" : "scores"))));
    if (probs) {
      nodes.add(node("Softmax", List.of("logits"), List.of("scores"), intAttr("axis", -1)));
    }
    return model(nodes,
        List.of(tensor("W", new long[] {4, 3}, W), tensor("B", new long[] {3}, B)),
        List.of(value("x", FLOAT, "batch", 4L)),
        List.of(value("scores", FLOAT, "batch", 3L)));
  }

  /** {@code sum = a + b}, two inputs of shape [batch, 2]. */
  static byte[] twoInputs() {
    return model(List.of(node("Add", List.of("a", "b"), List.of("sum"))), List.of(),
        List.of(value("a", FLOAT, "batch", 2L), value("b", FLOAT, "batch", 2L)),
        List.of(value("sum", FLOAT, "batch", 2L)));
  }

  /**
   * A stand-in for a transformer: {@code hidden[b, t, 0] = input_ids[b, t] × attention_mask[b, t]}
   * as floats, so mean pooling gives the mean token id of each text.
   */
  static byte[] tokens() {
    return model(List.of(
            node("Cast", List.of("input_ids"), List.of("idsf"), intAttr("to", FLOAT)),
            node("Cast", List.of("attention_mask"), List.of("maskf"), intAttr("to", FLOAT)),
            node("Mul", List.of("idsf", "maskf"), List.of("prod")),
            node("Unsqueeze", List.of("prod", "axes"), List.of("hidden"))),
        List.of(tensor("axes", new long[] {1}, new long[] {2})),
        List.of(value("input_ids", INT64, "batch", "seq"),
            value("attention_mask", INT64, "batch", "seq")),
        List.of(value("hidden", FLOAT, "batch", "seq", 1L)));
  }

  /**
   * A stand-in detector: the input {@code [batch, 2, 6]} holds two objects per image, each
   * {@code cx, cy, w, h, score, label}; the graph splits it into boxes, scores and int64 labels.
   */
  static byte[] detector() {
    return model(List.of(
            node("Split", List.of("image", "split"), List.of("boxes", "s3", "l3"),
                intAttr("axis", 2)),
            node("Squeeze", List.of("s3", "axes"), List.of("scores")),
            node("Squeeze", List.of("l3", "axes"), List.of("lf")),
            node("Cast", List.of("lf"), List.of("labels"), intAttr("to", INT64))),
        List.of(tensor("split", new long[] {3}, new long[] {4, 1, 1}),
            tensor("axes", new long[] {1}, new long[] {2})),
        List.of(value("image", FLOAT, "batch", 2L, 6L)),
        List.of(value("boxes", FLOAT, "batch", 2L, 4L), value("scores", FLOAT, "batch", 2L),
            value("labels", INT64, "batch", 2L)));
  }
}
