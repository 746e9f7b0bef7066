package ai.lvm.model;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain-Java access to a float32 ND4J array's memory on the CPU backend, for the loops that beat a
 * chain of ND4J ops (the recurrences' {@link JavaGates} and {@link JavaLstm}, AdamW's fused step).
 * One place decides what "dense" means: offset 0, c order, and a buffer no longer than the array,
 * so index i of the view is element i of the array.
 */
public final class NativeFloats {
  private NativeFloats() {}

  /** Whether {@link #view} may be taken of {@code a}. */
  public static boolean isDense(INDArray a) {
    return a.dataType() == DataType.FLOAT
        && a.offset() == 0
        && a.ordering() == 'c'
        && a.data().length() == a.length();
  }

  /**
   * A view of {@code a}'s native memory. The view does not keep {@code a} alive: a caller must keep
   * the array reachable ({@link java.lang.ref.Reference#reachabilityFence}) until its last access,
   * or ND4J may free the memory under it.
   */
  public static FloatBuffer view(INDArray a) {
    if (!isDense(a)) {
      throw new IllegalStateException(
          "expected a dense float32 array, got " + a.shapeInfoToString());
    }
    return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** A row-major heap copy of a float32 array (one bulk copy when it is dense already). */
  public static float[] heap(INDArray a) {
    INDArray dense = isDense(a) ? a : a.dup('c');
    float[] out = new float[Math.toIntExact(dense.length())];
    view(dense).get(0, out);
    java.lang.ref.Reference.reachabilityFence(dense); // its memory is read through a raw view
    return out;
  }
}
