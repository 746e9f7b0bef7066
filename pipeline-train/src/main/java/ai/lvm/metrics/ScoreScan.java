package ai.lvm.metrics;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Finds the next score that could enter a top-k list: the first index in {@code [from, to)} whose
 * score is {@code >= bar}. The top-10 scan of a block pair ({@code BlockRanker}) spends most of its
 * time proving that scores are below its bar, which only rises; a vector compare proves it for a
 * whole register of scores at once (16 at AVX-512, 8 at AVX2) where the plain loop branches per
 * score. Uses the {@code jdk.incubator.vector} module (every launcher here adds it); {@link
 * #nextAtLeast} falls back to the plain loop without it.
 */
public final class ScoreScan {
  private static final boolean VECTOR_API =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private ScoreScan() {}

  /**
   * The first {@code i} in {@code [from, to)} with {@code scores[i] >= bar}; {@code to} if none.
   */
  public static int nextAtLeast(float[] scores, int from, int to, float bar) {
    return VECTOR_API ? Lanes.nextAtLeast(scores, from, to, bar) : plain(scores, from, to, bar);
  }

  /** The same without the vector API: the reference the vector path is tested against. */
  public static int plain(float[] scores, int from, int to, float bar) {
    for (int i = from; i < to; i++) {
      if (scores[i] >= bar) {
        return i;
      }
    }
    return to;
  }

  /** The vector path, in its own class so that loading {@link ScoreScan} needs no module. */
  static final class Lanes {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private Lanes() {}

    static int nextAtLeast(float[] scores, int from, int to, float bar) {
      int i = from;
      int upper = from + SPECIES.loopBound(to - from);
      for (; i < upper; i += SPECIES.length()) {
        if (FloatVector.fromArray(SPECIES, scores, i).compare(VectorOperators.GE, bar).anyTrue()) {
          return plain(scores, i, i + SPECIES.length(), bar);
        }
      }
      return plain(scores, i, to, bar);
    }
  }
}
