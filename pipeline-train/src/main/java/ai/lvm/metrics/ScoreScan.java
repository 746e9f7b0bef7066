package ai.lvm.metrics;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One pass over a row of scores that counts those above a target and offers those that could enter
 * a top-k list: the inner loop of ranking a block pair ({@code BlockRanker}). The top-k bar only
 * rises, so most of the pass proves scores below it; a vector compare proves it for a whole
 * register at once (16 scores at AVX-512, 8 at AVX2) and counts the register's scores above the
 * target with one more compare, where plain loops branch per score and read the row twice. Uses the
 * {@code jdk.incubator.vector} module (every launcher here adds it); {@link #countAndScan} falls
 * back to the plain loop without it.
 */
public final class ScoreScan {
  private static final boolean VECTOR_API =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private ScoreScan() {}

  /** Receives the scores a {@link #countAndScan} finds at or above its current bar. */
  public interface Entries {
    /** The bar a score must reach to be offered; read again after every offer. */
    float bar();

    /** Index {@code i}'s score reached the bar. */
    void offer(int i);
  }

  /**
   * One pass over {@code scores[from, to)} that counts the scores {@code > countBar} and offers
   * every index whose score is {@code >= entries.bar()} (the bar read again after each offer): the
   * above-target count and the top-k scan of a block pair's row, which as two passes read each row
   * twice and took a fifth of an evaluation's thread time beside the matrix product.
   */
  public static long countAndScan(
      float[] scores, int from, int to, float countBar, Entries entries) {
    return VECTOR_API
        ? Lanes.countAndScan(scores, from, to, countBar, entries)
        : plainCountAndScan(scores, from, to, countBar, entries);
  }

  /**
   * {@link #countAndScan} without the vector API: the reference the vector path is tested against.
   */
  public static long plainCountAndScan(
      float[] scores, int from, int to, float countBar, Entries entries) {
    long count = 0;
    float bar = entries.bar();
    for (int i = from; i < to; i++) {
      float s = scores[i];
      count += s > countBar ? 1 : 0;
      if (s >= bar) {
        entries.offer(i);
        bar = entries.bar();
      }
    }
    return count;
  }

  /** The vector path, in its own class so that loading {@link ScoreScan} needs no module. */
  static final class Lanes {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private Lanes() {}

    static long countAndScan(float[] scores, int from, int to, float countBar, Entries entries) {
      long count = 0;
      float bar = entries.bar();
      int i = from;
      int upper = from + SPECIES.loopBound(to - from);
      for (; i < upper; i += SPECIES.length()) {
        FloatVector v = FloatVector.fromArray(SPECIES, scores, i);
        count += v.compare(VectorOperators.GT, countBar).trueCount();
        if (v.compare(VectorOperators.GE, bar).anyTrue()) {
          for (int j = i; j < i + SPECIES.length(); j++) {
            if (scores[j] >= bar) {
              entries.offer(j);
              bar = entries.bar();
            }
          }
        }
      }
      return count + plainCountAndScan(scores, i, to, countBar, entries);
    }
  }
}
