package dev.groundwork.onnx;

import static dev.groundwork.onnx.OnnxGraphs.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.weights.DType;
import dev.groundwork.core.weights.Pretrained;
import dev.groundwork.core.weights.Tensor;
import dev.groundwork.onnx.OnnxGraphs.Msg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OnnxInitializerReader} on initializers encoded by hand: every way ONNX stores numbers,
 * and every malformed case as a {@link DataFormatException} naming the file and the initializer.
 */
class OnnxInitializerReaderTest {
  static final String SOURCE = "/data/w.onnx";
  static final OnnxInitializerReader READER = new OnnxInitializerReader();

  // ---- fixtures: TensorProto as torch.onnx.export writes it (dims, data_type, name, raw_data)

  static Msg tensor(String name, int type, long... dims) {
    Msg t = new Msg();
    for (long d : dims) {
      t.varint(1, d);
    }
    return t.varint(2, type).string(8, name);
  }

  static byte[] zeros(int bytes) {
    return new byte[bytes];
  }

  static ByteBuffer buffer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  static byte[] onnx(Msg... initializers) {
    return model(List.of(), List.of(initializers), List.of(), List.of());
  }

  static List<Tensor> read(Msg... initializers) {
    return READER.read(onnx(initializers), SOURCE, null);
  }

  static Tensor one(Msg initializer) {
    List<Tensor> t = read(initializer);
    assertThat(t).hasSize(1);
    return t.get(0);
  }

  // ---- the ways ONNX stores values

  @Test
  void rawFloatDataIsReadLittleEndianWithItsShapeAndName() {
    ByteBuffer b = buffer(24);
    for (int i = 0; i < 6; i++) {
      b.putFloat(i * 0.5f - 1);
    }
    Tensor t = one(tensor("features.0.weight", 1, 2, 3).bytes(9, b.array()));
    assertThat(t).isEqualTo(Tensor.of("features.0.weight", new int[] {2, 3},
        new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}));
  }

  @Test
  void floatDataPackedAndUnpackedAndSplitOverSeveralFieldsAreOneList() {
    Tensor packed = one(tensor("w", 1, 3).floats(4, new float[] {1f, -2f, 3.25f}));
    Tensor unpacked = one(tensor("w", 1, 3).fixed32(4, 1f).fixed32(4, -2f).fixed32(4, 3.25f));
    Tensor mixed = one(tensor("w", 1, 3).floats(4, new float[] {1f}).fixed32(4, -2f)
        .floats(4, new float[] {3.25f}));
    Tensor expected = Tensor.of("w", new int[] {3}, new float[] {1f, -2f, 3.25f});
    assertThat(List.of(packed, unpacked, mixed)).containsOnly(expected);
  }

  @Test
  void float16FromRawDataAndFromInt32DataConvertsExactly() {
    byte[] raw = {0x00, 0x3C, 0x00, (byte) 0xC0, 0x01, 0x00, 0x00, 0x7C}; // 1, -2, 2^-24, +inf
    Tensor fromRaw = one(tensor("h", 10, 2, 2).bytes(9, raw));
    Tensor fromInt32 = one(tensor("h", 10, 2, 2)
        .longs(5, new long[] {0x3C00, 0xC000, 0x0001, 0x7C00}));
    Tensor expected = new Tensor("h", new int[] {2, 2},
        new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY}, DType.F16);
    assertThat(fromRaw).isEqualTo(expected);
    assertThat(fromInt32).isEqualTo(expected);
  }

  @Test
  void doubleFromRawPackedAndUnpackedIsRoundedToFloat() {
    ByteBuffer b = buffer(16).putDouble(0.1).putDouble(-1e300);
    Msg packed = tensor("d", 11, 2).bytes(10, buffer(16).putDouble(0.1).putDouble(-1e300).array());
    for (Msg m : List.of(tensor("d", 11, 2).bytes(9, b.array()), packed,
        tensor("d", 11, 2).fixed64(10, 0.1).fixed64(10, -1e300))) {
      assertThat(one(m)).isEqualTo(new Tensor("d", new int[] {2},
          new float[] {0.1f, Float.NEGATIVE_INFINITY}, DType.F64));
    }
  }

  @Test
  void int64FromRawAndFromInt64DataWithNegativeValues() {
    long[] v = {3, -1, 1L << 40};
    ByteBuffer b = buffer(24);
    for (long x : v) {
      b.putLong(x);
    }
    Tensor expected = new Tensor("steps", new int[] {3}, new float[] {3f, -1f, 0x1p40f},
        DType.I64);
    assertThat(one(tensor("steps", 7, 3).bytes(9, b.array()))).isEqualTo(expected);
    assertThat(one(tensor("steps", 7, 3).longs(7, v))).isEqualTo(expected);
  }

  @Test
  void theOtherNumericTypesFromTheirTypedFields() {
    assertThat(one(tensor("i8", 3, 2).longs(5, new long[] {-5, 127})).values())
        .containsExactly(-5f, 127f);
    assertThat(one(tensor("u8", 2, 2).longs(5, new long[] {255, 0})).values())
        .containsExactly(255f, 0f);
    assertThat(one(tensor("b", 9, 2).longs(5, new long[] {1, 0})).values())
        .containsExactly(1f, 0f);
    assertThat(one(tensor("i32", 6, 1).longs(5, new long[] {-70000})).values())
        .containsExactly(-70000f);
    assertThat(one(tensor("u32", 12, 1).longs(11, new long[] {4_000_000_000L})).values())
        .containsExactly(4e9f);
    assertThat(one(tensor("u64", 13, 1).longs(11, new long[] {-1})).values())
        .containsExactly(18446744073709551615f);
    assertThat(one(tensor("bf", 16, 1).longs(5, new long[] {0x3F80})).values())
        .containsExactly(1f);
    assertThat(one(tensor("f8", 17, 2).bytes(9, new byte[] {0x38, (byte) 0xB8})).values())
        .containsExactly(1f, -1f);
  }

  @Test
  void scalarsEmptyTensorsAndSeveralInitializersKeepFileOrder() {
    List<Tensor> t = read(
        tensor("scale", 1).floats(4, new float[] {2f}),
        tensor("none", 1, 0, 4),
        tensor("bias", 1, 2).bytes(9, buffer(8).putFloat(1f).putFloat(2f).array()));
    assertThat(t).extracting(Tensor::toString)
        .containsExactly("scale F32 []", "none F32 [0, 4]", "bias F32 [2]");
    assertThat(t.get(0).values()).containsExactly(2f);
  }

  @Test
  void theReaderIsFoundByNameOrByItsFirstBytesAndNotForOtherFormats() {
    assertThat(Pretrained.readers()).containsKey("onnx");
    assertThat(Pretrained.readers().get("onnx")).isInstanceOf(OnnxInitializerReader.class);
    byte[] model = OnnxGraphs.linear(false);
    assertThat(READER.accepts("weights.bin", Arrays.copyOf(model, 64))).isTrue();
    assertThat(READER.accepts("model.onnx", new byte[0])).isTrue();
    byte[] safetensors = {0x10, 0, 0, 0, 0, 0, 0, 0, '{', '"', '_', '_'};
    assertThat(READER.accepts("model.safetensors", safetensors)).isFalse();
    assertThat(READER.accepts("x.params", "PT\u0000\u0001".getBytes())).isFalse();
    assertThat(READER.accepts("empty", new byte[0])).isFalse();
  }

  @Test
  void theParameterListingOfOnnxModelsStillReadsNamesAndShapes() {
    assertThat(OnnxInitializers.parameters(OnnxGraphs.linear(true), SOURCE, "backbone_"))
        .containsExactly(new ParameterInfo("backbone_W", new int[] {4, 3}, 12, false),
            new ParameterInfo("backbone_B", new int[] {3}, 3, false));
    try (OnnxModel m = OnnxModels.fromBytes("linear", OnnxGraphs.linear(true))) {
      assertThat(m.initializers()).extracting(ParameterInfo::name)
          .containsExactly("backbone_W", "backbone_B");
    }
    assertThat(READER.read(OnnxGraphs.linear(true), SOURCE, null)).extracting(Tensor::name)
        .containsExactly("W", "B");
    assertThat(READER.read(OnnxGraphs.linear(true), SOURCE, null).get(0).values())
        .containsExactly(OnnxGraphs.W);
  }

  @Test
  void everyInitializerOfAPublishedQuantizedModelReadsWithTheShapesTheListingGives()
      throws Exception {
    byte[] miniLm;
    try (var in = getClass().getClassLoader().getResourceAsStream(OnnxTextTest.MINILM)) {
      miniLm = in.readAllBytes();
    }
    List<Tensor> tensors = READER.read(miniLm, OnnxTextTest.MINILM, null);
    assertThat(tensors).hasSizeGreaterThan(50);
    assertThat(tensors).extracting(t -> new ParameterInfo(t.name(), t.shape(), t.values().length,
        false)).containsExactlyElementsOf(OnnxInitializers.parameters(miniLm, "", ""));
    assertThat(tensors).extracting(Tensor::sourceType).contains(DType.F32, DType.I8, DType.U8);
  }

  // ---- malformed: DataFormatException naming the file and the initializer

  static Stream<Arguments> malformed() {
    byte[] f24 = new byte[24];
    return Stream.of(
        Arguments.of("raw data of the wrong size", onnx(tensor("w", 1, 2, 3).bytes(9, zeros(20))),
            0, "initializer 'w' (#0 in the graph)", "6 elements × 4 bytes = 24 bytes, but its "
                + "raw_data holds 20 bytes"),
        Arguments.of("typed data of the wrong count",
            onnx(tensor("ok", 1, 1).floats(4, new float[1]),
                tensor("w", 1, 2, 3).floats(4, new float[5])),
            1, "initializer 'w' (#1 in the graph)", "6 elements, but its float_data holds 5"),
        Arguments.of("packed floats not a multiple of 4",
            onnx(tensor("w", 1, 1).bytes(4, zeros(5))),
            0, "'w'", "packed float_data of 5 bytes is not a whole number of 4-byte values"),
        Arguments.of("unknown data type", onnx(tensor("w", 99, 1).bytes(9, zeros(4))),
            0, "'w'", "data type code 99, unknown to ONNX"),
        Arguments.of("a string tensor", onnx(tensor("w", 8, 1).string(6, "a")),
            0, "'w'", "data type STRING (8), which does not convert to float32"),
        Arguments.of("no data type", onnx(new Msg().varint(1, 1).string(8, "w")
                .bytes(9, zeros(4))), 0, "'w'", "has no data type"),
        Arguments.of("missing data", onnx(tensor("w", 1, 2, 3)),
            0, "'w'", "has no data: neither raw_data nor float_data holds its 6 elements"),
        Arguments.of("values in the wrong typed field", onnx(tensor("w", 1, 2)
                .longs(7, new long[] {1, 2})), 0, "'w'", "holds values in int64_data; an ONNX "
                + "FLOAT tensor keeps them in raw_data or float_data"),
        Arguments.of("raw and typed data", onnx(tensor("w", 1, 1).bytes(9, zeros(4))
                .floats(4, new float[1])), 0, "'w'", "both in raw_data and in float_data"),
        Arguments.of("negative dimension", onnx(tensor("w", 1, 2, -3).bytes(9, f24)),
            0, "'w'", "negative dimension 1"),
        Arguments.of("too many elements for an array", onnx(tensor("w", 1, 1 << 20, 1 << 20)
                .bytes(9, zeros(4))), 0, "'w'", "more than the 2147483639 elements"),
        Arguments.of("no name", onnx(new Msg().varint(1, 1).varint(2, 1).bytes(9, zeros(4))),
            0, "initializer (#0 in the graph)", "has no name"),
        Arguments.of("truncated varint inside an initializer",
            onnx(tensor("w", 1, 1).bytes(9, zeros(4)).append(0x08, 0x80)),
            0, "'w'", "is malformed: the varint at byte"),
        Arguments.of("a length past the end of the initializer",
            onnx(tensor("w", 1, 1).append(0x4A, 100, 0, 0, 0, 0)),
            0, "'w'", "declares 100 bytes but only 4 remain"),
        Arguments.of("a length of 2^64 − 1",
            onnx(tensor("w", 1, 1).append(0x4A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0x01)), 0, "'w'", "declares 18446744073709551615 bytes but only 0 remain"),
        Arguments.of("a graph longer than the file", new Msg().varint(1, 8)
                .append(0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x2A, 0x00).toBytes(), -1,
            "the graph (ModelProto field 7) declares 4294967295 bytes but only 2 follow",
            "export or download it again"),
        Arguments.of("a wire type protobuf 3 does not use",
            onnx(tensor("w", 1, 1).append(0x0B)), 0, "'w'", "has wire type 3"),
        Arguments.of("a file cut inside the second initializer",
            cut(onnx(tensor("a", 1, 1).bytes(9, zeros(4)), tensor("b", 1, 64).bytes(9, zeros(256))),
                100), 1, "initializer 'b' (#1 in the graph) is cut: the file ends inside it",
            "the graph (ModelProto field 7) declares"),
        Arguments.of("a truncated varint at the end of the file",
            new byte[] {0x08, (byte) 0x80}, -1, SOURCE + ": the varint at byte 1 is truncated",
            "export or download it again"),
        Arguments.of("bytes that are not an ONNX model", "hello, world".getBytes(), -1,
            SOURCE + ":", "not an ONNX model: export or download it again"),
        Arguments.of("a protobuf message without a graph", new Msg().varint(1, 8).toBytes(), -1,
            SOURCE + ": not an ONNX model", "hold no graph"),
        Arguments.of("a sparse initializer", withSparse(), -1,
            SOURCE + ": the graph holds a sparse initializer 's'",
            "export with dense initializers"));
  }

  static byte[] cut(byte[] b, int keep) {
    return Arrays.copyOf(b, keep);
  }

  static byte[] withSparse() {
    Msg g = new Msg().msg(15, new Msg().msg(1, tensor("s", 1, 1).bytes(9, zeros(4))));
    return new Msg().varint(1, 8).msg(7, g).toBytes();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedInitializersAreDataFormatErrorsNamingTheFileAndTheInitializer(String what,
      byte[] bytes, long record, String where, String message) {
    assertThatThrownBy(() -> READER.read(bytes, SOURCE, null))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(SOURCE + ": ")
        .hasMessageContaining(where).hasMessageContaining(message)
        .satisfies(e -> {
          DataFormatException d = (DataFormatException) e;
          assertThat(d.source()).contains(SOURCE);
          assertThat(d.record()).isEqualTo(record < 0 ? OptionalLong.empty()
              : OptionalLong.of(record));
        });
  }

  @Test
  void externalDataIsRefusedNamingTheFileTheTensorAndWhereItsDataLives() {
    Msg location = new Msg().string(1, "location").string(2, "weights.bin");
    byte[] external = onnx(tensor("features.0.weight", 1, 32, 1, 3, 3).msg(13, location)
        .msg(13, new Msg().string(1, "offset").string(2, "0")).varint(14, 1));
    assertThatThrownBy(() -> READER.read(external, SOURCE, null))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(SOURCE).hasMessageContaining("'features.0.weight'")
        .hasMessageContaining("location 'weights.bin'")
        .hasMessageContaining("external data is not supported; save with all tensors inside the "
            + "file");
    // the listing of an ONNX Runtime model still works: names and shapes need no data
    assertThat(OnnxInitializers.parameters(external, SOURCE, ""))
        .containsExactly(new ParameterInfo("features.0.weight", new int[] {32, 1, 3, 3}, 288,
            false));
  }

  @Test
  void damagedBytesAreReadOrRefusedWithADataFormatExceptionNeverAnotherException() {
    byte[] good = onnx(tensor("a", 1, 2, 2).bytes(9, zeros(16)),
        tensor("b", 10, 3).longs(5, new long[] {0x3C00, 1, 2}),
        tensor("c", 11, 2).fixed64(10, 1).fixed64(10, 2),
        tensor("d", 7, 2).longs(7, new long[] {-1, 5}));
    Random random = new Random(7);
    for (int run = 0; run < 3000; run++) {
      byte[] b = run % 3 == 0 ? Arrays.copyOf(good, random.nextInt(good.length)) : good.clone();
      for (int k = run % 3 == 0 ? 0 : 1 + random.nextInt(3); k > 0; k--) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      try {
        READER.read(b, SOURCE, null);
      } catch (DataFormatException e) {
        assertThat(e.getMessage()).startsWith(SOURCE + ": ");
      }
      try {
        OnnxInitializers.parameters(b, SOURCE, "");
      } catch (DataFormatException e) {
        assertThat(e.getMessage()).startsWith(SOURCE + ": ");
      }
      OnnxInitializers.looksLikeModel(b);
      READER.accepts("x", Arrays.copyOf(b, Math.min(64, b.length)));
    }
  }

  @Test
  void aHugeDeclaredSizeAllocatesNothingBeforeItIsRefused() {
    // 2^31 − 9 declared elements (8 GB as floats) behind 4 bytes of data: an allocation first
    // would fail with OutOfMemoryError, not with this message
    byte[] b = onnx(tensor("w", 1, Integer.MAX_VALUE - 8).bytes(9, zeros(4)));
    assertThatThrownBy(() -> READER.read(b, SOURCE, null)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("8589934556 bytes, but its raw_data holds 4 bytes");
    byte[] typed = onnx(tensor("w", 7, Integer.MAX_VALUE - 8).longs(7, new long[] {1}));
    assertThatThrownBy(() -> READER.read(typed, SOURCE, null))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("2147483639 elements, but its int64_data holds 1");
  }
}
