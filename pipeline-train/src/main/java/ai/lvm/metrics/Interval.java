package ai.lvm.metrics;

/**
 * A point estimate with its 95% confidence interval.
 *
 * @param value the estimate
 * @param low the lower bound
 * @param high the upper bound
 */
public record Interval(double value, double low, double high) {
  /** z for a two-sided 95% interval. */
  public static final double Z95 = 1.959963984540054;

  /**
   * Wilson score interval of a proportion {@code hits / n}: unlike the normal approximation it
   * stays inside [0, 1] and is honest for small n and for proportions near 0 or 1, which Hit@K at a
   * small validation split is.
   */
  public static Interval wilson(long hits, long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive");
    }
    if (hits < 0 || hits > n) {
      throw new IllegalArgumentException("hits must be in [0, n]");
    }
    double p = (double) hits / n;
    double z2 = Z95 * Z95;
    double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
    double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
    // At p = 0 and p = 1 the bound is exactly 0 or 1; rounding would otherwise miss it by an ulp.
    double low = hits == 0 ? 0 : Math.max(0, centre - half);
    double high = hits == n ? 1 : Math.min(1, centre + half);
    return new Interval(p, low, high);
  }

  /**
   * Mean with the normal-approximation interval {@code mean +- z * s / sqrt(n)} (s the sample
   * standard deviation): for MRR and mean cosine over many windows.
   */
  public static Interval mean(double[] values) {
    double sum = 0;
    double sumOfSquares = 0;
    for (double v : values) {
      sum += v;
      sumOfSquares += v * v;
    }
    return mean(values.length, sum, sumOfSquares);
  }

  /**
   * The same from sufficient statistics (count, sum, sum of squares), as a distributed aggregation
   * produces them.
   */
  public static Interval mean(long n, double sum, double sumOfSquares) {
    if (n <= 0) {
      throw new IllegalArgumentException("no values");
    }
    double mean = sum / n;
    if (n == 1) {
      return new Interval(mean, mean, mean);
    }
    // Clamped: rounding can make the difference of two close sums slightly negative.
    double variance = Math.max(0, (sumOfSquares - sum * mean) / (n - 1));
    double half = Z95 * Math.sqrt(variance / n);
    return new Interval(mean, mean - half, mean + half);
  }
}
