package ai.lvm.window;

/**
 * A seeded pseudo-random bijection of {@code [0, n)}: a 4-round Feistel network on the smallest
 * even-bit power-of-two domain that holds n, with cycle walking to stay inside {@code [0, n)}. Pure
 * and O(1) expected per call, so executors can rank windows without sharing any state.
 */
public record Permutation(long n, long seed) {
  private static final int ROUNDS = 4;

  public Permutation {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0");
    }
  }

  public long apply(long x) {
    if (x < 0 || x >= n) {
      throw new IndexOutOfBoundsException(x + " not in [0, " + n + ")");
    }
    int halfBits = Math.max(1, (64 - Long.numberOfLeadingZeros(Math.max(1, n - 1)) + 1) / 2);
    long mask = (1L << halfBits) - 1;
    long y = x;
    do {
      y = feistel(y, halfBits, mask);
    } while (y >= n);
    return y;
  }

  private long feistel(long x, int halfBits, long mask) {
    long left = (x >>> halfBits) & mask;
    long right = x & mask;
    for (int round = 0; round < ROUNDS; round++) {
      long f = mix(right ^ (seed * 0x9E3779B97F4A7C15L) ^ round * 0xBF58476D1CE4E5B9L) & mask;
      long next = left ^ f;
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }

  /** SplitMix64's finaliser: a good 64-bit mixer. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
