package ai.lvm.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link WindowValues}: exact decoding, and a wrong C or D named with the window. */
class WindowValuesTest {
  @Test
  void aContextDecodesExactlyAtItsOffset() {
    float[] values = {1.5f, -0f, Float.MIN_VALUE, 3e38f, -2.25f, 0.1f};
    byte[] bytes = Float32.encode(values, 0, values.length);
    float[] dst = new float[8];
    WindowValues.decodeContext(7, bytes, 3, 2, dst, 2);
    assertThat(dst).startsWith(0f, 0f).endsWith(values);
  }

  @Test
  void theWrongShapeIsRefusedNamingTheWindow() {
    byte[] bytes = new byte[3 * 2 * Float.BYTES];
    assertThatThrownBy(() -> WindowValues.decodeContext(7, bytes, 4, 2, new float[8], 0))
        .hasMessageContaining("window 7 has a context of 24 bytes, expected C x D x 4 = 32");
    assertThatThrownBy(() -> WindowValues.requireTargetDimension(9, 384, 768))
        .hasMessage("window 9 has a target of dimension 384, expected 768");
  }
}
