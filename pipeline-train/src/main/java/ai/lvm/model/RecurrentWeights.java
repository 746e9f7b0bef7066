package ai.lvm.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A recurrent weight matrix W_hh {@code [n, k]} copied to the heap and laid out for the per-step
 * product {@code out += h_{t-1} W_hh^T} of {@link JavaGates} (GRU) and {@link JavaLstm}: one window
 * (inference latency) streams the stored rows ({@link VectorGemm#rowDotAdd}); a batch uses a
 * transposed copy, where each weight loaded serves every row of the batch ({@link
 * VectorGemm#multiplyAdd}). Loads {@link VectorGemm}, so only for {@link JavaGates#available}.
 */
final class RecurrentWeights {
  private final float[] stored; // [n, k]
  private final float[] transposed; // [k, n]: row i is what h[., i] multiplies; null at batch 1
  private final int n;
  private final int k;
  private final int batch;

  RecurrentWeights(INDArray wHh, int batch) {
    this.n = Math.toIntExact(wHh.size(0));
    this.k = Math.toIntExact(wHh.size(1));
    this.batch = batch;
    this.stored = NativeFloats.heap(wHh);
    this.transposed = batch == 1 ? null : transpose(stored, n, k);
  }

  /** {@code out [batch, n] += hPrev [batch, k] W_hh^T}. */
  void multiplyAdd(float[] hPrev, float[] out) {
    if (transposed == null) {
      VectorGemm.rowDotAdd(hPrev, k, stored, n, out);
    } else {
      VectorGemm.multiplyAdd(hPrev, batch, k, transposed, n, out);
    }
  }

  /** {@code w [rows, cols]} (row-major) transposed: {@code [cols, rows]}. */
  private static float[] transpose(float[] w, int rows, int cols) {
    float[] t = new float[w.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = w[i * cols + j];
      }
    }
    return t;
  }
}
