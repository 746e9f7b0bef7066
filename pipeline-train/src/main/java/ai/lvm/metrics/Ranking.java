package ai.lvm.metrics;

/**
 * The rank of the true target among a bank of candidates, as pure functions.
 *
 * <p>Rank = 1 + the number of eligible candidates that score higher than the true target by more
 * than {@link #TIE_TOLERANCE} (cosine of unit vectors, i.e. dot product). Consequences, documented
 * for analysts:
 *
 * <ul>
 *   <li>Ties never hurt the target: a candidate with the target's score, in particular a copy of
 *       the target's vector (boilerplate sentences repeat in real text), counts as a hit. Scores
 *       come from float32 matrix products whose rounding depends on where a row sits in a block, so
 *       a copy of the target can score a few ulps above it; the tolerance keeps it a tie.
 *   <li>Excluded candidates (the query window's own context chunks, and the target itself) do not
 *       count, whatever they score.
 *   <li>The rank is exact whatever the bank size, so it can be computed block by block and summed
 *       ({@link #countAbove} per block), with no top-K list needed for Hit@K or MRR.
 *   <li>k larger than the bank: Hit@k is 1 for every query (the target is always within the bank
 *       plus itself); chance level k / N is capped at 1.
 * </ul>
 */
public final class Ranking {
  /**
   * Scores within this of the target's are ties. Float32 dot products of unit vectors at D = 768
   * carry rounding errors of order 1e-7 to 1e-6; two different sentences closer than 1e-5 in cosine
   * are indistinguishable for any purpose of this metric.
   */
  public static final double TIE_TOLERANCE = 1e-5;

  private Ranking() {}

  /**
   * How many of {@code scores[from, to)} beat {@code targetScore} (by more than {@link
   * #TIE_TOLERANCE}), skipping indexes for which {@code excluded} is true.
   */
  public static int countAbove(
      double[] scores,
      int from,
      int to,
      double targetScore,
      java.util.function.IntPredicate excluded) {
    double bar = bar(targetScore);
    int n = 0;
    for (int i = from; i < to; i++) {
      if (scores[i] > bar && !excluded.test(i)) {
        n++;
      }
    }
    return n;
  }

  /**
   * How many of {@code scores[from, to)} beat {@code targetScore} (by more than {@link
   * #TIE_TOLERANCE}): the hot loop of ranking against a bank block, without exclusions (they are
   * subtracted range by range).
   */
  public static int countAbove(float[] scores, int from, int to, double targetScore) {
    float bar = floatBar(targetScore);
    int n = 0;
    for (int i = from; i < to; i++) {
      n +=
          scores[i] > bar
              ? 1
              : 0; // branch-free: about half the candidates of a poor prediction beat it
    }
    return n;
  }

  /**
   * {@link #bar} as a float32 for float32 scores: the largest float {@code f} with {@code s > f} if
   * and only if {@code s > bar(targetScore)} for every float {@code s}, so the hot loops compare
   * floats without widening each score and count exactly what the double comparison counts.
   */
  public static float floatBar(double targetScore) {
    double bar = bar(targetScore);
    float f = (float) bar;
    return f <= bar ? f : Math.nextDown(f);
  }

  /** The score a candidate must exceed to beat a target scoring {@code targetScore}. */
  public static double bar(double targetScore) {
    return targetScore + TIE_TOLERANCE;
  }

  /** Dot product of two vectors stored at offsets of flat arrays, in double. */
  public static double dot(float[] a, int aOff, float[] b, int bOff, int d) {
    double s = 0;
    for (int i = 0; i < d; i++) {
      s += (double) a[aOff + i] * b[bOff + i];
    }
    return s;
  }

  /** Chance level of Hit@k among {@code bankSize} candidates: k / N, at most 1. */
  public static double chance(int k, long bankSize) {
    return Math.min(1.0, (double) k / bankSize);
  }

  /** {@link #chance} as a Spark SQL expression over a column of candidate counts. */
  public static String chanceSql(int k, String candidatesColumn) {
    return "least(1.0D, " + k + ".0D / " + candidatesColumn + ")";
  }
}
