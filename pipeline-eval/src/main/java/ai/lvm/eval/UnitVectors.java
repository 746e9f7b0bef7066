package ai.lvm.eval;

/**
 * Unit vectors on flat float arrays, for targets and predictions on their way to the ranking (the
 * baselines' own predictions come from {@link Scorer#predict}).
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
}
