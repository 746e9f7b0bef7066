package ai.lvm.window;

/** Small float-vector maths shared by the export and its tests. */
public final class Vectors {
  /** Vectors whose L2 norm differs from 1 by more than this are rescaled by the export. */
  public static final double UNIT_NORM_TOLERANCE = 1e-4;

  private Vectors() {}

  /** Cosine of a[aOff..aOff+d) and b[bOff..bOff+d); 0 when either is zero. */
  public static double cosine(float[] a, int aOff, float[] b, int bOff, int d) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < d; i++) {
      double x = a[aOff + i];
      double y = b[bOff + i];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  public static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
