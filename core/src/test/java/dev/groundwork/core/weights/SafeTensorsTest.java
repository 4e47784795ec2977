package dev.groundwork.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DataNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeTensorsTest {
  @TempDir Path dir;

  // ---- fixtures built from the spec, not from SafeTensors.write

  /** An 8-byte little-endian size, the header bytes as given, then the data. */
  static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return raw(h.length, h, data);
  }

  static byte[] raw(long declaredSize, byte[] header, byte[] data) {
    return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(declaredSize).put(header).put(data).array();
  }

  static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private Path save(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  // ---- round trip

  @Test
  void writeThenReadGivesTheSameTensorsMetadataAndOrder() throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("zeta \"quoted\" \\ back", "line\nbreak\ttab \u0001 é 😀");
    metadata.put("alpha", "");
    List<Tensor> tensors = List.of(
        Tensor.of("z_last_alphabetically", new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, -0f, 6}),
        Tensor.of("scalar", new int[] {}, new float[] {42}),
        Tensor.of("empty", new int[] {0, 4}, new float[0]),
        Tensor.of("non_finite", new int[] {4},
            new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE}),
        Tensor.of("名前 \"with\" \\ and \n", new int[] {1, 1, 1}, new float[] {7}));
    Path file = dir.resolve("sub/model.safetensors");

    SafeTensors.write(file, metadata, tensors);
    SafeTensorsFile read = SafeTensors.read(file);

    assertThat(read.tensors()).containsExactlyElementsOf(tensors);
    assertThat(read.metadata()).containsExactlyEntriesOf(metadata);
    assertThat(read.source()).isEqualTo(file.toAbsolutePath().toString());
    assertThat(read.get("scalar")).contains(tensors.get(1));
    assertThat(read.get("missing")).isEmpty();
    assertThat(Files.readAllBytes(file)).isEqualTo(SafeTensors.toBytes(metadata, tensors));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left
    }
  }

  @Test
  void writtenHeaderFollowsTheReferenceLayout() {
    byte[] bytes = SafeTensors.toBytes(Map.of("k", "v"), List.of(
        Tensor.of("b", new int[] {2}, new float[] {1, 2}),
        Tensor.of("a", new int[] {1}, new float[] {3})));
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) b.getLong();
    String header = new String(bytes, 8, n, StandardCharsets.UTF_8);

    assertThat(n % 8).isZero();
    assertThat(header.stripTrailing()).isEqualTo("{\"__metadata__\":{\"k\":\"v\"},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}");
    assertThat(header.substring(header.stripTrailing().length())).matches(" {0,7}");
    assertThat(bytes).hasSize(8 + n + 12);
    b.position(8 + n);
    assertThat(new float[] {b.getFloat(), b.getFloat(), b.getFloat()}).containsExactly(1, 2, 3);
  }

  @Test
  void writesNoMetadataObjectWhenThereIsNone() {
    byte[] bytes = SafeTensors.toBytes(Map.of(), List.of());
    assertThat(new String(bytes, 8, bytes.length - 8, StandardCharsets.UTF_8))
        .isEqualTo("{}      ");
    SafeTensorsFile read = SafeTensors.read(bytes, "empty");
    assertThat(read.tensors()).isEmpty();
    assertThat(read.metadata()).isEmpty();
  }

  @Test
  void writeRefusesDuplicateAndReservedNames() {
    Path file = dir.resolve("dup.safetensors");
    Tensor a = Tensor.of("layer.weight", new int[] {1}, new float[] {1});
    Tensor b = Tensor.of("other", new int[] {1}, new float[] {2});
    assertThatThrownBy(() -> SafeTensors.write(file, Map.of(), List.of(a, b, a)))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("tensors 0 and 2").hasMessageContaining("'layer.weight'");
    assertThatThrownBy(() -> SafeTensors.write(file, Map.of(),
        List.of(Tensor.of("__metadata__", new int[] {1}, new float[] {1}))))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("reserves");
    assertThatThrownBy(() -> SafeTensors.toBytes(Map.of(),
        List.of(Tensor.of("bad\uD800", new int[] {1}, new float[] {1}))))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("unpaired surrogate");
    assertThat(file).doesNotExist();
  }

  // ---- a hand-built file with every dtype

  @Test
  void readsEveryDtypeOfAHandBuiltFileExactly() {
    ByteBuffer d = le(89);
    d.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x7BFF)
        .putShort((short) 0x0001);                                      // half   [0, 8)
    d.putShort((short) 0x3F80).putShort((short) 0xC040).putShort((short) 0x7F80); // brain [8, 14)
    d.putDouble(0.1).putDouble(1e300);                                  // double [14, 30)
    d.putLong(-5).putLong(1L << 40);                                    // long   [30, 46)
    d.put((byte) 0).put((byte) 1).put((byte) 2);                        // flags  [46, 49)
    d.put((byte) 255).put((byte) 0);                                    // ubytes [49, 51)
    d.put((byte) -128).put((byte) 127);                                 // sbytes [51, 53)
    d.putShort((short) 0xFFFF);                                         // u16    [53, 55)
    d.putInt(-7);                                                       // i32    [55, 59)
    d.putInt(0xFFFFFFFF);                                               // u32    [59, 63)
    d.putLong(-1L);                                                     // u64    [63, 71)
    d.putShort((short) -300);                                           // i16    [71, 73)
    d.put((byte) 0x38).put((byte) 0x7E).put((byte) 0x01).put((byte) 0xB8); // e4m3 [73, 77)
    d.put((byte) 0x3C).put((byte) 0xFC);                                // e5m2   [77, 79)
    d.put((byte) 127).put((byte) 0);                                    // e8m0   [79, 81)
    d.putFloat(1.5f).putFloat(-0f);                                     // f32    [81, 89)
    String header = "{"
        + "\"f32\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[81,89]},"
        + "\"half\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
        + "\"brain\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[8,14]},"
        + "\"__metadata__\":{\"format\":\"pt\",\"note\":\"hand built\"},"
        + "\"double\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[14,30]},"
        + "\"long\":{\"dtype\":\"I64\",\"shape\":[2,1],\"data_offsets\":[30,46]},"
        + "\"flags\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[46,49]},"
        + "\"ubytes\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[49,51]},"
        + "\"sbytes\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[51,53]},"
        + "\"u16\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[53,55]},"
        + "\"i32\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[55,59]},"
        + "\"u32\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[59,63]},"
        + "\"u64\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[63,71]},"
        + "\"i16\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[71,73]},"
        + "\"e4m3\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[73,77]},"
        + "\"e5m2\":{\"dtype\":\"F8_E5M2\",\"shape\":[2],\"data_offsets\":[77,79]},"
        + "\"e8m0\":{\"dtype\":\"F8_E8M0\",\"shape\":[2],\"data_offsets\":[79,81]},"
        + "\"nothing\":{\"dtype\":\"F16\",\"shape\":[0,3],\"data_offsets\":[81,81]}"
        + "}    ";

    SafeTensorsFile f = SafeTensors.read(file(header, d.array()), "hand-built");

    assertThat(f.tensors()).extracting(Tensor::name).containsExactly("f32", "half", "brain",
        "double", "long", "flags", "ubytes", "sbytes", "u16", "i32", "u32", "u64", "i16", "e4m3",
        "e5m2", "e8m0", "nothing");
    assertThat(f.metadata()).containsExactly(Map.entry("format", "pt"),
        Map.entry("note", "hand built"));
    assertThat(values(f, "f32")).containsExactly(1.5f, -0f);
    assertThat(values(f, "half")).containsExactly(1.0f, -2.0f, 65504f, 0x1p-24f);
    assertThat(0x1p-24f).isCloseTo(5.96e-8f, org.assertj.core.data.Offset.offset(1e-10f));
    assertThat(values(f, "brain")).containsExactly(1.0f, -3.0f, Float.POSITIVE_INFINITY);
    assertThat(values(f, "double")).containsExactly(0.1f, Float.POSITIVE_INFINITY);
    assertThat(values(f, "long")).containsExactly(-5f, 1099511627776f);
    assertThat(values(f, "flags")).containsExactly(0f, 1f, 1f);
    assertThat(values(f, "ubytes")).containsExactly(255f, 0f);
    assertThat(values(f, "sbytes")).containsExactly(-128f, 127f);
    assertThat(values(f, "u16")).containsExactly(65535f);
    assertThat(values(f, "i32")).containsExactly(-7f);
    assertThat(values(f, "u32")).containsExactly(4294967295f);
    assertThat(values(f, "u64")).containsExactly(18446744073709551615f);
    assertThat(values(f, "i16")).containsExactly(-300f);
    assertThat(values(f, "e4m3")).containsExactly(1f, 448f, 0x1p-9f, -1f);
    assertThat(values(f, "e5m2")).containsExactly(1f, Float.NEGATIVE_INFINITY);
    assertThat(values(f, "e8m0")).containsExactly(1f, 0x1p-127f);
    assertThat(values(f, "nothing")).isEmpty();
    assertThat(f.get("i32").orElseThrow().shape()).isEmpty();
    assertThat(f.get("half").orElseThrow().sourceType()).isEqualTo(DType.F16);
    assertThat(f.get("long").orElseThrow()).hasToString("long I64 [2, 1]");
  }

  private static float[] values(SafeTensorsFile f, String name) {
    return f.get(name).orElseThrow().values();
  }

  @Test
  void halfPrecisionConversionIsExactForAllBitPatterns() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = DType.halfToFloat((short) bits);
      int exponent = (bits >>> 10) & 0x1F;
      int mantissa = bits & 0x3FF;
      double expected = exponent == 0 ? mantissa * Math.pow(2, -24)
          : exponent == 31 ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
          : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
      expected = (bits & 0x8000) != 0 ? -expected : expected;
      assertThat(Double.valueOf(f)).as("half 0x%04X", bits).isEqualTo(Double.valueOf(expected));
      if (Double.isNaN(expected)) { // the payload is kept
        assertThat(Float.floatToRawIntBits(f)).isEqualTo((bits & 0x8000) << 16 | 0x7F800000
            | mantissa << 13);
      }
    }
  }

  @Test
  void readsTensorsLargerThanOneReadChunkFromAFile() throws IOException {
    int n = 750_000; // 3 MB of F32 and 1.5 MB of F16: several 1 MB chunks each
    ByteBuffer d = le(n * 6);
    float[] expected32 = new float[n];
    float[] expected16 = new float[n];
    for (int i = 0; i < n; i++) {
      expected32[i] = i * 0.5f - 1000;
      d.putFloat(expected32[i]);
    }
    for (int i = 0; i < n; i++) {
      short h = (short) (i % 0x7C00); // finite halves, sign bit clear
      expected16[i] = DType.halfToFloat(h);
      d.putShort(h);
    }
    String header = "{\"w32\":{\"dtype\":\"F32\",\"shape\":[750,1000],\"data_offsets\":[0,"
        + 4 * n + "]},\"w16\":{\"dtype\":\"F16\",\"shape\":[" + n + "],\"data_offsets\":["
        + 4 * n + "," + 6 * n + "]}}";
    Path file = save("big.safetensors", file(header, d.array()));

    SafeTensorsFile f = SafeTensors.read(file);

    assertThat(values(f, "w32")).isEqualTo(expected32);
    assertThat(values(f, "w16")).isEqualTo(expected16);
  }

  // ---- the bad-input corpus

  static Stream<Arguments> badFiles() {
    String f32 = "\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]";
    byte[] four = new byte[4];
    return Stream.of(
        bad("empty", new byte[0], "0 bytes long", null, -1),
        bad("shorter-than-8", new byte[5], "5 bytes long", null, -1),
        bad("header-beyond-file", raw(1L << 40, new byte[0], new byte[92]),
            "header of 1099511627776 bytes, but only 92", null, -1),
        bad("header-size-above-2^63", raw(-1L, new byte[0], new byte[92]),
            "18446744073709551615", null, -1),
        bad("header-not-utf8", raw(3, new byte[] {'{', (byte) 0xFF, '}'}, new byte[0]),
            "not valid UTF-8", null, -1),
        bad("header-not-json", file("{\"w\": {", new byte[0]), "not valid JSON", null, -1),
        bad("header-trailing-garbage", file("{} x", new byte[0]), "not valid JSON", null, -1),
        bad("header-not-object", file("[1, 2]", new byte[0]), "the header is an array", null, -1),
        bad("header-leading-space", file(" {}", new byte[0]), "'{' as its first byte", null, -1),
        bad("entry-not-object", file("{\"w\": 5}", new byte[0]), "is 5, expected an object",
            "w", 0),
        bad("missing-dtype", file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", four),
            "no \"dtype\"", "w", 0),
        bad("missing-shape", file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", four),
            "no \"shape\"", "w", 0),
        bad("missing-offsets", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", four),
            "no \"data_offsets\"", "w", 0),
        bad("unknown-dtype", file("{\"a\":{" + f32 + "},\"w\":{\"dtype\":\"F128\",\"shape\":[1],"
            + "\"data_offsets\":[4,8]}}", new byte[8]), "dtype \"F128\", expected one of", "w", 1),
        bad("sub-byte-dtype", file("{\"w\":{\"dtype\":\"F4\",\"shape\":[2],"
            + "\"data_offsets\":[0,1]}}", new byte[1]), "dtype \"F4\"", "w", 0),
        bad("dtype-not-string", file("{\"w\":{\"dtype\":4,\"shape\":[1],"
            + "\"data_offsets\":[0,4]}}", four), "dtype 4", "w", 0),
        bad("shape-not-array", file("{\"w\":{\"dtype\":\"F32\",\"shape\":1,"
            + "\"data_offsets\":[0,4]}}", four), "shape 1, expected an array", "w", 0),
        bad("negative-dim", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],"
            + "\"data_offsets\":[0,4]}}", four), "dimension 1 is negative (-1)", "w", 0),
        bad("fractional-dim", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],"
            + "\"data_offsets\":[0,4]}}", four), "dimension 0 is 1.0, expected a non-negative "
            + "integer", "w", 0),
        bad("exponent-dim", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1e0],"
            + "\"data_offsets\":[0,4]}}", four), "dimension 0 is 1e0", "w", 0),
        bad("string-dim", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"1\"],"
            + "\"data_offsets\":[0,4]}}", four), "dimension 0 is \"1\"", "w", 0),
        bad("dim-beyond-java-arrays", file("{\"w\":{\"dtype\":\"U8\",\"shape\":[3000000000,0],"
            + "\"data_offsets\":[0,0]}}", new byte[0]), "more than one Java array holds", "w", 0),
        bad("shape-product-overflow", file("{\"w\":{\"dtype\":\"U8\",\"shape\":[2000000000,"
            + "2000000000,2000000000,2000000000,0],\"data_offsets\":[0,0]}}", new byte[0]),
            "element count overflows 64 bits", "w", 0),
        bad("offsets-one-number", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":[4]}}", four), "data_offsets [4], expected two integers", "w", 0),
        bad("offsets-three-numbers", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":[0,4,4]}}", four), "expected two integers", "w", 0),
        bad("offsets-not-array", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":{}}}", four), "data_offsets an object", "w", 0),
        bad("offset-not-integer", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":[0,4.0]}}", four), "end is 4.0", "w", 0),
        bad("offset-negative", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],"
            + "\"data_offsets\":[-4,0]}}", four), "begin is negative (-4)", "w", 0),
        bad("begin-after-end", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":[4,0]}}", four), "begin after they end", "w", 0),
        bad("end-beyond-data", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],"
            + "\"data_offsets\":[0,8]}}", four), "end beyond the data section, which has 4 bytes",
            "w", 0),
        bad("huge-end", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":[0,99999999999999999999999]}}", four), "end beyond", "w", 0),
        bad("size-mismatch", file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],"
            + "\"data_offsets\":[0,4]}}", four), "1 elements × 8 bytes = 8 bytes, but its "
            + "data_offsets [0, 4] hold 4 bytes", "w", 0),
        bad("overlap", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
            "overlapping tensor 'a'", "b", 1),
        bad("zero-size-inside-another", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
            + "\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[0],"
            + "\"data_offsets\":[4,4]}}", new byte[8]), "overlapping tensor 'a'", "b", 1),
        bad("hole-between", file("{\"a\":{" + f32 + "},\"b\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":[8,12]}}", new byte[12]), "bytes [4, 8) belong to no tensor",
            "b", 1),
        bad("hole-at-start", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
            + "\"data_offsets\":[4,8]}}", new byte[8]), "no tensor starts at byte 0", "w", 0),
        bad("trailing-bytes", file("{\"w\":{" + f32 + "}}", new byte[8]),
            "4 trailing bytes belong to no tensor", "w", -1),
        bad("bytes-but-no-tensors", file("{}", four), "4 trailing bytes", null, -1),
        bad("duplicate-name", file("{\"w\":{" + f32 + "},\"w\":{" + f32 + "}}", four),
            "duplicate key 'w'", null, -1),
        bad("metadata-not-object", file("{\"__metadata__\":\"pt\"}", new byte[0]),
            "\"__metadata__\" is \"pt\", expected an object", null, -1),
        bad("metadata-number", file("{\"__metadata__\":{\"epochs\":3}}", new byte[0]),
            "entry \"epochs\" is 3, expected a string", null, -1),
        bad("metadata-null", file("{\"__metadata__\":{\"note\":null}}", new byte[0]),
            "entry \"note\" is null", null, -1));
  }

  private static Arguments bad(String name, byte[] content, String expected, String tensor,
      long record) {
    return Arguments.of(name, content, expected, tensor, record);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void badFileIsADataFormatExceptionNamingFileAndTensor(String name, byte[] content,
      String expected, String tensor, long record) throws IOException {
    Path file = save(name + ".safetensors", content);

    DataFormatException e = catchThrowableOfType(DataFormatException.class,
        () -> SafeTensors.read(file));

    assertThat(e).as("exception for " + name).isNotNull();
    assertThat(e.getMessage()).contains(file.toAbsolutePath().toString()).contains(expected);
    assertThat(e.source()).contains(file.toAbsolutePath().toString());
    if (tensor != null) {
      assertThat(e.getMessage()).contains("tensor '" + tensor + "'");
    }
    assertThat(e.record()).isEqualTo(record < 0 ? OptionalLong.empty() : OptionalLong.of(record));
    // the same bytes from memory give the same message, naming the source given
    assertThatThrownBy(() -> SafeTensors.read(content, "mem:" + name))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(e.getMessage().replace(file.toAbsolutePath().toString(), "mem:" + name));
  }

  @Test
  void aHeaderClaimingATerabyteFailsFastWithoutAllocating() throws IOException {
    Path file = save("liar.safetensors", raw(1L << 40, new byte[0], new byte[92]));
    assertThat(file).hasSize(100);
    // measured on the thread that reads (assertTimeoutPreemptively would read on another one)
    long[] allocated = new long[1];
    assertTimeout(Duration.ofSeconds(5), () -> allocated[0] = allocatedBytes(
        () -> assertThatThrownBy(() -> SafeTensors.read(file))
            .isInstanceOf(DataFormatException.class) // an OutOfMemoryError would fail here
            .hasMessageContaining("liar.safetensors")
            .hasMessageContaining("1099511627776")));
    assertThat(allocated[0]).isLessThan(1 << 20);
  }

  @Test
  void tensorOffsetsClaimingGigabytesFailWithoutAllocating() throws IOException {
    Path file = save("greedy.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000000],"
        + "\"data_offsets\":[0,4000000000]}}", new byte[4]));
    long allocated = allocatedBytes(() -> assertThatThrownBy(() -> SafeTensors.read(file))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("tensor 'w'")
        .hasMessageContaining("end beyond the data section"));
    assertThat(allocated).isLessThan(1 << 20);
  }

  @Test
  void aHeaderAboveTheLimitIsRefusedBeforeItIsRead() throws IOException {
    Path file = dir.resolve("sparse.safetensors");
    long declared = SafeTensors.MAX_HEADER_BYTES + 1;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(8 + declared); // sparse: the header size fits in the file, but not the limit
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declared).array());
    }
    long allocated = allocatedBytes(() -> assertThatThrownBy(() -> SafeTensors.read(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("sparse.safetensors")
        .hasMessageContaining("more than the 100000000-byte limit"));
    assertThat(allocated).isLessThan(10 << 20);
  }

  /** Bytes the current thread allocates while running {@code r}. */
  private static long allocatedBytes(Runnable r) {
    var threads = ManagementFactory.getThreadMXBean();
    assumeTrue(threads instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled());
    var t = (com.sun.management.ThreadMXBean) threads;
    long id = Thread.currentThread().getId();
    long before = t.getThreadAllocatedBytes(id);
    r.run();
    return t.getThreadAllocatedBytes(id) - before;
  }

  @Test
  void missingFileIsDataNotFound() {
    Path file = dir.resolve("nowhere.safetensors");
    assertThatThrownBy(() -> SafeTensors.read(file)).isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("nowhere.safetensors").hasMessageContaining("does not exist");
  }

  @Test
  void aDirectoryIsRefused() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("model.safetensors"));
    assertThatThrownBy(() -> SafeTensors.read(sub)).isInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("model.safetensors").hasMessageContaining("not a regular file");
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("pipe.safetensors");
    int exit;
    try {
      exit = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
    } catch (IOException e) {
      exit = -1; // no mkfifo on this system
    }
    assumeTrue(exit == 0 && Files.exists(fifo), "mkfifo is not available");
    assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        assertThatThrownBy(() -> SafeTensors.read(fifo)).isInstanceOf(DataNotFoundException.class)
            .hasMessageContaining("pipe.safetensors").hasMessageContaining("not a regular file"));
  }

  // ---- Tensor

  @Test
  void tensorChecksItsShapeAndComparesByValue() {
    assertThatThrownBy(() -> Tensor.of("w", new int[] {2, 3}, new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'w'").hasMessageContaining("5 values")
        .hasMessageContaining("[2, 3]").hasMessageContaining("needs 6");
    assertThatThrownBy(() -> Tensor.of("w", new int[] {-1, -1}, new float[1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> Tensor.of("w", new int[] {1 << 30, 1 << 30, 0, 1 << 30},
        new float[1])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 0");
    assertThatThrownBy(() -> Tensor.of("w", new int[] {1 << 30, 1 << 30, 1 << 30},
        new float[1])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 2147483647");
    assertThatThrownBy(() -> new Tensor("w", new int[0], new float[1], null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("sourceType");

    int[] shape = {128, 3136};
    Tensor t = new Tensor("backbone_fc1_weight", shape, new float[128 * 3136], DType.F32);
    shape[0] = 1;
    t.shape()[1] = 1;
    assertThat(t.shape()).containsExactly(128, 3136);
    assertThat(t).hasToString("backbone_fc1_weight F32 [128, 3136]");
    Tensor same = Tensor.of("backbone_fc1_weight", new int[] {128, 3136}, new float[128 * 3136]);
    assertThat(t).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(t).isNotEqualTo(new Tensor("backbone_fc1_weight", new int[] {128, 3136},
        new float[128 * 3136], DType.BF16));
    assertThat(Tensor.of("n", new int[] {1}, new float[] {Float.NaN}))
        .isEqualTo(Tensor.of("n", new int[] {1}, new float[] {Float.NaN}))
        .isNotEqualTo(Tensor.of("n", new int[] {1}, new float[] {0}));
    assertThat(DType.BF16.byteSize()).isEqualTo(2);
    assertThat(DType.forName("F8_E4M3")).contains(DType.F8_E4M3);
    assertThat(DType.forName("f32")).isEmpty();
  }
}
