package dev.groundwork.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link DType#toFloat}, the conversion the weight readers share (each type: SafeTensorsTest). */
class DTypeTest {

  @Test
  void convertsLittleEndianElementsFromAnOffsetIntoAnOffset() {
    byte[] src = {99, 0x00, 0x3C, 0x00, (byte) 0xC0}; // a skipped byte, then F16 1.0 and -2.0
    float[] dst = {7f, 7f, 7f};
    DType.F16.toFloat(src, 1, dst, 1, 2);
    assertThat(dst).containsExactly(7f, 1f, -2f);
    float[] one = new float[1];
    DType.U64.toFloat(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}, 0, one, 0, 1);
    assertThat(one).containsExactly(18446744073709551615f);
    DType.F32.toFloat(new byte[0], 0, new float[0], 0, 0); // nothing to do is fine
  }

  @Test
  void aRangeOutsideEitherArrayIsRefusedBeforeAnythingIsWritten() {
    float[] dst = new float[4];
    assertThatThrownBy(() -> DType.F32.toFloat(new byte[7], 0, dst, 0, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> DType.I8.toFloat(new byte[8], 0, dst, 3, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> DType.F64.toFloat(new byte[8], 1, dst, 0, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(dst).containsOnly(0f);
  }
}
