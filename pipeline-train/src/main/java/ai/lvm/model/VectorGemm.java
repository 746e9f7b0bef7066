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
   * each weight is used once per step and the product is bound by reading the weights. Four weight
   * rows are streamed side by side, each contiguous, which the hardware prefetcher follows; the
   * column blocks of {@link #multiplyAdd} stride through the matrix instead and ran ~3x slower at B
   * = 1, besides needing the transposed copy.
   */
  static void rowDotAdd(float[] a, int k, float[] w, int n, float[] out) {
    int upper = S.loopBound(k);
    int j = 0;
    for (; j + 4 <= n; j += 4) {
      int w0 = j * k;
      int w1 = w0 + k;
      int w2 = w1 + k;
      int w3 = w2 + k;
      FloatVector c0 = FloatVector.zero(S);
      FloatVector c1 = FloatVector.zero(S);
      FloatVector c2 = FloatVector.zero(S);
      FloatVector c3 = FloatVector.zero(S);
      int i = 0;
      for (; i < upper; i += L) {
        FloatVector x = FloatVector.fromArray(S, a, i);
        c0 = x.fma(FloatVector.fromArray(S, w, w0 + i), c0);
        c1 = x.fma(FloatVector.fromArray(S, w, w1 + i), c1);
        c2 = x.fma(FloatVector.fromArray(S, w, w2 + i), c2);
        c3 = x.fma(FloatVector.fromArray(S, w, w3 + i), c3);
      }
      float s0 = c0.reduceLanes(VectorOperators.ADD);
      float s1 = c1.reduceLanes(VectorOperators.ADD);
      float s2 = c2.reduceLanes(VectorOperators.ADD);
      float s3 = c3.reduceLanes(VectorOperators.ADD);
      for (; i < k; i++) {
        s0 += a[i] * w[w0 + i];
        s1 += a[i] * w[w1 + i];
        s2 += a[i] * w[w2 + i];
        s3 += a[i] * w[w3 + i];
      }
      out[j] += s0;
      out[j + 1] += s1;
      out[j + 2] += s2;
      out[j + 3] += s3;
    }
    for (; j < n; j++) { // rows left over: scalar
      float s = 0;
      for (int i = 0; i < k; i++) {
        s += a[i] * w[j * k + i];
      }
      out[j] += s;
    }
  }
}
