package ai.lvm.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code out += a x w} for a few rows of {@code a} (the batch) on heap float arrays, with Java's
 * vector API: the GRU's per-step recurrent product ({@code [B, H] x [H, 3H]} forward, {@code [B,
 * 3H] x [3H, H]} backward, B = 8 at the reference size). BLAS is poor at this shape: OpenBLAS
 * 0.3.19 (ND4J's) packs the whole 3 MB weight matrix on every call and reached 15-19 GFLOP/s on one
 * core here, 550-800 us a step, where this kernel, which streams the weights once and keeps a 4 x
 * 2-vector block of the output in registers, took 110-300 us. Only loaded when the {@code
 * jdk.incubator.vector} module is present ({@link JavaGates#available}).
 */
final class VectorGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorGemm() {}

  /**
   * {@code out[r, j] += sum_k a[r, k] w[k, j]} for {@code r < rows}, all arrays dense row-major:
   * {@code a [rows, k]}, {@code w [k, n]}, {@code out [rows, n]}.
   */
  static void multiplyAdd(float[] a, int rows, int k, float[] w, int n, float[] out) {
    int j = 0;
    for (; j + 2 * L <= n; j += 2 * L) {
      int r = 0;
      for (; r + 4 <= rows; r += 4) {
        block4(a, r, k, w, n, out, j);
      }
      for (; r < rows; r++) {
        block1(a, r, k, w, n, out, j);
      }
    }
    for (; j < n; j++) { // columns left over: scalar
      for (int r = 0; r < rows; r++) {
        float s = out[r * n + j];
        for (int i = 0; i < k; i++) {
          s += a[r * k + i] * w[i * n + j];
        }
        out[r * n + j] = s;
      }
    }
  }

  /** Rows r..r+3, columns j..j+2L: eight accumulators held across the whole k loop. */
  private static void block4(float[] a, int r, int k, float[] w, int n, float[] out, int j) {
    int o0 = r * n + j;
    int o1 = o0 + n;
    int o2 = o1 + n;
    int o3 = o2 + n;
    FloatVector c00 = FloatVector.fromArray(S, out, o0);
    FloatVector c01 = FloatVector.fromArray(S, out, o0 + L);
    FloatVector c10 = FloatVector.fromArray(S, out, o1);
    FloatVector c11 = FloatVector.fromArray(S, out, o1 + L);
    FloatVector c20 = FloatVector.fromArray(S, out, o2);
    FloatVector c21 = FloatVector.fromArray(S, out, o2 + L);
    FloatVector c30 = FloatVector.fromArray(S, out, o3);
    FloatVector c31 = FloatVector.fromArray(S, out, o3 + L);
    int a0 = r * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
    for (int i = 0; i < k; i++) {
      int wi = i * n + j;
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      FloatVector x0 = FloatVector.broadcast(S, a[a0 + i]);
      c00 = x0.fma(w0, c00);
      c01 = x0.fma(w1, c01);
      FloatVector x1 = FloatVector.broadcast(S, a[a1 + i]);
      c10 = x1.fma(w0, c10);
      c11 = x1.fma(w1, c11);
      FloatVector x2 = FloatVector.broadcast(S, a[a2 + i]);
      c20 = x2.fma(w0, c20);
      c21 = x2.fma(w1, c21);
      FloatVector x3 = FloatVector.broadcast(S, a[a3 + i]);
      c30 = x3.fma(w0, c30);
      c31 = x3.fma(w1, c31);
    }
    c00.intoArray(out, o0);
    c01.intoArray(out, o0 + L);
    c10.intoArray(out, o1);
    c11.intoArray(out, o1 + L);
    c20.intoArray(out, o2);
    c21.intoArray(out, o2 + L);
    c30.intoArray(out, o3);
    c31.intoArray(out, o3 + L);
  }

  /** One row r, columns j..j+2L (rows left over after the groups of four). */
  private static void block1(float[] a, int r, int k, float[] w, int n, float[] out, int j) {
    int o = r * n + j;
    FloatVector c0 = FloatVector.fromArray(S, out, o);
    FloatVector c1 = FloatVector.fromArray(S, out, o + L);
    int a0 = r * k;
    for (int i = 0; i < k; i++) {
      int wi = i * n + j;
      FloatVector x = FloatVector.broadcast(S, a[a0 + i]);
      c0 = x.fma(FloatVector.fromArray(S, w, wi), c0);
      c1 = x.fma(FloatVector.fromArray(S, w, wi + L), c1);
    }
    c0.intoArray(out, o);
    c1.intoArray(out, o + L);
  }

  /**
   * {@code out[j] += sum_i a[i] w[j, i]} for one row {@code a [k]} against {@code w [n, k]}
   * row-major (a weight matrix in its stored layout, untransposed): the single-window case, where
   * each weight is used once per step and the product is bound by reading the weights. Eight weight
   * rows are streamed side by side, each contiguous, which the hardware prefetcher follows (eight
   * streams read ~8% faster than four at 1,536 x 512 from L3); the column blocks of {@link
   * #multiplyAdd} stride through the matrix instead and ran ~3x slower at B = 1, besides needing
   * the transposed copy.
   */
  static void rowDotAdd(float[] a, int k, float[] w, int n, float[] out) {
    int upper = S.loopBound(k);
    int j = 0;
    for (; j + 8 <= n; j += 8) {
      int w0 = j * k;
      FloatVector c0 = FloatVector.zero(S);
      FloatVector c1 = c0;
      FloatVector c2 = c0;
      FloatVector c3 = c0;
      FloatVector c4 = c0;
      FloatVector c5 = c0;
      FloatVector c6 = c0;
      FloatVector c7 = c0;
      int i = 0;
      for (; i < upper; i += L) {
        FloatVector x = FloatVector.fromArray(S, a, i);
        int p = w0 + i;
        c0 = x.fma(FloatVector.fromArray(S, w, p), c0);
        c1 = x.fma(FloatVector.fromArray(S, w, p + k), c1);
        c2 = x.fma(FloatVector.fromArray(S, w, p + 2 * k), c2);
        c3 = x.fma(FloatVector.fromArray(S, w, p + 3 * k), c3);
        c4 = x.fma(FloatVector.fromArray(S, w, p + 4 * k), c4);
        c5 = x.fma(FloatVector.fromArray(S, w, p + 5 * k), c5);
        c6 = x.fma(FloatVector.fromArray(S, w, p + 6 * k), c6);
        c7 = x.fma(FloatVector.fromArray(S, w, p + 7 * k), c7);
      }
      out[j] += rowSum(c0, a, w, w0, i, k);
      out[j + 1] += rowSum(c1, a, w, w0 + k, i, k);
      out[j + 2] += rowSum(c2, a, w, w0 + 2 * k, i, k);
      out[j + 3] += rowSum(c3, a, w, w0 + 3 * k, i, k);
      out[j + 4] += rowSum(c4, a, w, w0 + 4 * k, i, k);
      out[j + 5] += rowSum(c5, a, w, w0 + 5 * k, i, k);
      out[j + 6] += rowSum(c6, a, w, w0 + 6 * k, i, k);
      out[j + 7] += rowSum(c7, a, w, w0 + 7 * k, i, k);
    }
    for (; j < n; j++) { // rows left over: scalar
      float s = 0;
      for (int i = 0; i < k; i++) {
        s += a[i] * w[j * k + i];
      }
      out[j] += s;
    }
  }

  /** A row's vector partial sums reduced, plus its scalar tail {@code [from, k)}. */
  private static float rowSum(FloatVector c, float[] a, float[] w, int row, int from, int k) {
    float s = c.reduceLanes(VectorOperators.ADD);
    for (int t = from; t < k; t++) {
      s += a[t] * w[row + t];
    }
    return s;
  }
}
