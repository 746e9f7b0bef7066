package ai.lvm.format;

/**
 * A window row's vectors as every reader takes them (training's Parquet reader, evaluation's Spark
 * rows): the context binary decoded into floats and the target's dimension, each checked against
 * the C and D the reader expects, so a snapshot read with the wrong context size or dimension fails
 * the same way, naming the window, wherever it is read.
 */
public final class WindowValues {
  private WindowValues() {}

  /**
   * Decodes window {@code windowId}'s {@code context} ({@code C x D} little-endian float32,
   * position-major) into {@code dst} from {@code offset}.
   *
   * @throws IllegalStateException when the binary is not {@code C x D x 4} bytes
   */
  public static void decodeContext(
      long windowId, byte[] context, int contextSize, int dimension, float[] dst, int offset) {
    long expected = (long) contextSize * dimension * Float.BYTES;
    if (context.length != expected) {
      throw new IllegalStateException(
          "window "
              + windowId
              + " has a context of "
              + context.length
              + " bytes, expected C x D x 4 = "
              + expected
              + ": wrong context size or dimension for this data");
    }
    Float32.decode(context, dst, offset);
  }

  /**
   * Checks that window {@code windowId}'s target has {@code dimension} elements.
   *
   * @throws IllegalStateException otherwise
   */
  public static void requireTargetDimension(long windowId, int elements, int dimension) {
    if (elements != dimension) {
      throw new IllegalStateException(
          "window "
              + windowId
              + " has a target of dimension "
              + elements
              + ", expected "
              + dimension);
    }
  }
}
