package dev.groundwork.core.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;

/**
 * An element type of the safetensors format, named as in a file's header ({@code "F32"},
 * {@code "BF16"}, {@code "F8_E4M3"}, …), with its size in bytes.
 *
 * <p>Every type here is read into float32 by {@link #toFloat} (which {@link SafeTensors#read} and
 * the other weight readers share): F32 as is, F16, BF16 and the 8-bit floats exactly, F64 rounded to
 * the nearest float, integers rounded to the nearest float (exact up to 2<sup>24</sup>), BOOL as 0
 * or 1. The sub-byte and complex types of recent safetensors versions (F4, F6_*, C64) are not
 * supported.
 *
 * <pre>{@code
 * float[] out = new float[2];
 * DType.F16.toFloat(new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0}, 0, out, 0, 2);  // [1.0, -2.0]
 * }</pre>
 */
public enum DType {
  /** 64-bit IEEE float. */
  F64(8),
  /** 32-bit IEEE float. */
  F32(4),
  /** 16-bit IEEE float (half precision). */
  F16(2),
  /** bfloat16: the upper half of a float32. */
  BF16(2),
  /** 8-bit float, 5 exponent and 2 mantissa bits (with infinities and NaNs). */
  F8_E5M2(1),
  /** 8-bit float, 4 exponent and 3 mantissa bits, no infinities ({@code float8_e4m3fn}). */
  F8_E4M3(1),
  /** 8-bit scale: an unsigned exponent, value 2<sup>e−127</sup>, 0xFF is NaN. */
  F8_E8M0(1),
  /** 64-bit signed integer. */
  I64(8),
  /** 64-bit unsigned integer. */
  U64(8),
  /** 32-bit signed integer. */
  I32(4),
  /** 32-bit unsigned integer. */
  U32(4),
  /** 16-bit signed integer. */
  I16(2),
  /** 16-bit unsigned integer. */
  U16(2),
  /** 8-bit signed integer. */
  I8(1),
  /** 8-bit unsigned integer. */
  U8(1),
  /** Boolean, one byte; zero is false, anything else true. */
  BOOL(1);

  private final int byteSize;

  DType(int byteSize) {
    this.byteSize = byteSize;
  }

  /** The size of one element in bytes. */
  public int byteSize() {
    return byteSize;
  }

  /** The type a header names, if it is one of these ({@code "F16"} → {@code F16}). */
  public static Optional<DType> forName(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * Converts {@code count} little-endian elements of this type, starting at byte {@code srcOffset}
   * of {@code src}, to float32 values written to {@code dst} from index {@code dstOffset}.
   *
   * @throws IndexOutOfBoundsException if {@code src} holds fewer than {@code count × byteSize()}
   *     bytes from {@code srcOffset} or {@code dst} fewer than {@code count} places from
   *     {@code dstOffset}
   */
  public void toFloat(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
    Objects.checkFromIndexSize(dstOffset, count, dst.length);
    Objects.checkFromIndexSize(srcOffset, (long) count * byteSize, (long) src.length);
    ByteBuffer b = ByteBuffer.wrap(src, srcOffset, count * byteSize).slice()
        .order(ByteOrder.LITTLE_ENDIAN);
    convert(b, this, dst, dstOffset, count);
  }

  private static void convert(ByteBuffer b, DType type, float[] out, int off, int k) {
    switch (type) {
      case F32 -> b.asFloatBuffer().get(out, off, k);
      case F64 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = (float) b.getDouble(8 * i);
        }
      }
      case F16 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = halfToFloat(b.getShort(2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = Float.intBitsToFloat(b.getShort(2 * i) << 16);
        }
      }
      case F8_E5M2 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = halfToFloat((short) (b.get(i) << 8));
        }
      }
      case F8_E4M3 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = e4m3ToFloat(b.get(i));
        }
      }
      case F8_E8M0 -> {
        for (int i = 0; i < k; i++) {
          int e = b.get(i) & 0xFF;
          out[off + i] = e == 0xFF ? Float.NaN : Math.scalb(1f, e - 127);
        }
      }
      case I64 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = (float) b.getLong(8 * i);
        }
      }
      case U64 -> {
        for (int i = 0; i < k; i++) {
          long v = b.getLong(8 * i);
          // above 2^63: halve, keeping the lowest bit as a sticky bit so rounding stays exact
          out[off + i] = v >= 0 ? (float) v : (float) ((v >>> 1) | (v & 1)) * 2f;
        }
      }
      case I32 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = (float) b.getInt(4 * i);
        }
      }
      case U32 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = (float) Integer.toUnsignedLong(b.getInt(4 * i));
        }
      }
      case I16 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = b.getShort(2 * i);
        }
      }
      case U16 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = b.getShort(2 * i) & 0xFFFF;
        }
      }
      case I8 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = b.get(i);
        }
      }
      case U8 -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = b.get(i) & 0xFF;
        }
      }
      case BOOL -> {
        for (int i = 0; i < k; i++) {
          out[off + i] = b.get(i) != 0 ? 1f : 0f;
        }
      }
      default -> throw new AssertionError(type);
    }
  }

  /** IEEE half to float, exactly (subnormals, infinities and NaN payloads included). */
  static float halfToFloat(short half) {
    int sign = (half & 0x8000) << 16;
    int exponent = (half >>> 10) & 0x1F;
    int mantissa = half & 0x3FF;
    if (exponent == 0) { // zero or subnormal: mantissa × 2^-24
      float v = mantissa * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7F800000 | mantissa << 13);
    }
    return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
  }

  /** float8 e4m3fn to float, exactly: bias 7, no infinities, S.1111.111 is NaN. */
  static float e4m3ToFloat(byte b) {
    int sign = (b & 0x80) << 24;
    int exponent = (b >>> 3) & 0xF;
    int mantissa = b & 0x7;
    if (exponent == 15 && mantissa == 7) {
      return Float.NaN;
    }
    if (exponent == 0) { // zero or subnormal: mantissa × 2^-9
      float v = mantissa * 0x1p-9f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | (exponent + 120) << 23 | mantissa << 20);
  }
}
