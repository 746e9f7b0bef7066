package ai.lvm.eval;

/**
 * Unit-vector arithmetic on flat float arrays, and the baselines every model is reported beside.
 * Sums run in double so a baseline does not depend on the order of its inputs' rounding.
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

  /** Mean of context: each window's mean context vector, normalised (mean-last-k at k = C). */
  static float[] meanOfContext(float[] contexts, int b, int c, int d) {
    return meanLast(contexts, b, c, d, c);
  }

  /**
   * Mean-last-k: each window's mean of its last {@code k} context vectors, normalised. A {@code k}
   * of {@code c} or more averages the whole context (the same floats as {@link #meanOfContext}): a
   * window has no vectors before its first, and one k list serves every context size.
   */
  static float[] meanLast(float[] contexts, int b, int c, int d, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    int n = Math.min(k, c);
    float[] out = new float[b * d];
    double[] sum = new double[d];
    for (int i = 0; i < b; i++) {
      java.util.Arrays.fill(sum, 0);
      for (int t = c - n; t < c; t++) {
        int off = (i * c + t) * d;
        for (int j = 0; j < d; j++) {
          sum[j] += contexts[off + j];
        }
      }
      for (int j = 0; j < d; j++) {
        out[i * d + j] = (float) (sum[j] / n);
      }
      normalise(out, i * d, d);
    }
    return out;
  }

  /** A baseline's unit predictions for {@code b} windows of {@code c x d} context. */
  static float[] predict(Scorer baseline, float[] contexts, int b, int c, int d) {
    return switch (baseline.kind()) {
      case COPY_LAST -> copyLast(contexts, b, c, d);
      case MEAN_OF_CONTEXT -> meanOfContext(contexts, b, c, d);
      case MEAN_LAST -> meanLast(contexts, b, c, d, baseline.k());
      case MODEL -> throw new IllegalArgumentException("the model is not a baseline");
    };
  }
}
