package ai.lvm.train;

/** Derived seeds: independent streams per (seed, purpose, epoch) without shared generator state. */
final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser of {@code seed} combined with {@code n}. */
  static long mix(long seed, long n) {
    long z = seed * 0x9E3779B97F4A7C15L + n * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
