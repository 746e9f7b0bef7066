package ai.lvm.metrics;

/**
 * The rank of the true target among a bank of candidates, as pure functions.
 *
 * <p>Rank = 1 + the number of eligible candidates that score strictly higher than the true target
 * (cosine of unit vectors, i.e. dot product). Consequences, documented for analysts:
 *
 * <ul>
 *   <li>Ties never hurt the target: a candidate with exactly the target's score, in particular a
 *       copy of the target's vector (boilerplate sentences repeat in real text), counts as a hit.
 *   <li>Excluded candidates (the query window's own context chunks, and the target itself) do not
 *       count, whatever they score.
 *   <li>The rank is exact whatever the bank size, so it can be computed block by block and summed
 *       ({@link #countAbove} per block), with no top-K list needed for Hit@K or MRR.
 *   <li>k larger than the bank: Hit@k is 1 for every query (the target is always within the bank
 *       plus itself); chance level k / N is capped at 1.
 * </ul>
 */
public final class Ranking {
  private Ranking() {}

  /**
   * How many of {@code scores[from, to)} exceed {@code targetScore}, skipping indexes for which
   * {@code excluded} is true.
   */
  public static int countAbove(
      double[] scores,
      int from,
      int to,
      double targetScore,
      java.util.function.IntPredicate excluded) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (scores[i] > targetScore && !excluded.test(i)) {
        n++;
      }
    }
    return n;
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
}
