package ai.lvm.window;

import ai.lvm.format.Split;

/**
 * The seed protocol's split, as the reference system did it: a seeded random {@code floor(0.1 n)}
 * of the n windows is held out (test), then a random {@code ceil(0.1 m)} of the remaining m is the
 * validation split the reference reported on; the rest is train. These roundings reproduce the
 * reference's reported train/val counts exactly from its corpus of 637,997 chunks (C = 500: 2,065 /
 * 230; C = 1000: 1,031 / 115; C = 2000: 514 / 58).
 *
 * <p>A seeded pseudo-random permutation ({@link Permutation}) ranks the windows, so each window's
 * split is a pure function of its index: exact counts, no shuffle, no driver-side list.
 */
public record SeedSplit(long windows, long seed, double heldOut, double validation)
    implements java.io.Serializable {

  public static final double REFERENCE_FRACTION = 0.1;

  public long testCount() {
    return (long) Math.floor(heldOut * windows + 1e-9);
  }

  public long valCount() {
    return (long) Math.ceil(validation * (windows - testCount()) - 1e-9);
  }

  public long trainCount() {
    return windows - testCount() - valCount();
  }

  public Split assign(long window) {
    long rank = new Permutation(windows, seed).apply(window);
    long test = testCount();
    if (rank < test) {
      return Split.TEST;
    }
    long inner = new Permutation(windows - test, seed + 1).apply(rank - test);
    return inner < valCount() ? Split.VAL : Split.TRAIN;
  }
}
