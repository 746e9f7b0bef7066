package ai.lvm.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The binary encoding of float vectors on disk and in shuffles: IEEE-754 float32, little-endian, no
 * header. A window's {@code context} is C x D of these, row-major. Decoding is one bulk copy.
 */
public final class Float32 {
  private Float32() {}

  /** Encodes {@code length} floats of {@code src} from {@code offset}. */
  public static byte[] encode(float[] src, int offset, int length) {
    ByteBuffer buf = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(src, offset, length);
    return buf.array();
  }

  /** Decodes all of {@code bytes} into {@code dst} from {@code offset}; returns the float count. */
  public static int decode(byte[] bytes, float[] dst, int offset) {
    int n = bytes.length / Float.BYTES;
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, offset, n);
    return n;
  }
}
