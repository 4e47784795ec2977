package dev.groundwork.core.weights;

import java.util.Optional;

/**
 * An element type of the safetensors format, named as in a file's header ({@code "F32"},
 * {@code "BF16"}, {@code "F8_E4M3"}, …), with its size in bytes.
 *
 * <p>Every type here is read into float32 by {@link SafeTensors#read}: F32 as is, F16, BF16 and the
 * 8-bit floats exactly, F64 rounded to the nearest float, integers rounded to the nearest float (exact
 * up to 2<sup>24</sup>), BOOL as 0 or 1. The sub-byte and complex types of recent safetensors
 * versions (F4, F6_*, C64) are not supported.
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
}
