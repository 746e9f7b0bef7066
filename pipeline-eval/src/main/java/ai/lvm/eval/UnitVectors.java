package ai.lvm.eval;

/**
 * Unit-vector arithmetic on flat float arrays, and the two baselines every model is reported
 * beside. Sums run in double so a baseline does not depend on the order of its inputs' rounding.
 */
final class UnitVectors {
  private UnitVectors() {}

  /** Scales {@code v[off, off + d)} to unit L2 norm in place (a zero vector stays zero). */
  static void normalise(float[] v, int off, int d) {
    double s = 0;
    for (int i = 0; i < d; i++) {
      s += (double) v[off + i] * v[off + i];
    }
    if (s == 0) {
      return;
    }
    double inv = 1 / Math.sqrt(s);
    for (int i = 0; i < d; i++) {
      v[off + i] = (float) (v[off + i] * inv);
    }
  }

  static double dot(float[] a, int aOff, float[] b, int bOff, int d) {
    double s = 0;
    for (int i = 0; i < d; i++) {
      s += (double) a[aOff + i] * b[bOff + i];
    }
    return s;
  }

  /**
   * Copy-last: each window's last context vector, normalised. {@code contexts} holds {@code b}
   * windows of {@code c x d}, position major.
   */
  static float[] copyLast(float[] contexts, int b, int c, int d) {
    float[] out = new float[b * d];
    for (int i = 0; i < b; i++) {
      System.arraycopy(contexts, (i * c + c - 1) * d, out, i * d, d);
      normalise(out, i * d, d);
    }
    return out;
  }

  /** Mean of context: each window's mean context vector, normalised. */
  static float[] meanOfContext(float[] contexts, int b, int c, int d) {
    float[] out = new float[b * d];
    double[] sum = new double[d];
    for (int i = 0; i < b; i++) {
      java.util.Arrays.fill(sum, 0);
      for (int t = 0; t < c; t++) {
        int off = (i * c + t) * d;
        for (int j = 0; j < d; j++) {
          sum[j] += contexts[off + j];
        }
      }
      for (int j = 0; j < d; j++) {
        out[i * d + j] = (float) (sum[j] / c);
      }
      normalise(out, i * d, d);
    }
    return out;
  }
}
