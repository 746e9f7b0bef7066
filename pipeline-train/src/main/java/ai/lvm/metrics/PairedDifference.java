package ai.lvm.metrics;

/**
 * How much scorer A's hit rate exceeds scorer B's when both ranked the same windows: the paired
 * comparison behind "does the model beat the best baseline?".
 *
 * <p>Two Wilson intervals that overlap do not show that A and B are level: each interval carries
 * the variance of which windows happened to be in the split, which A and B share. On paired data
 * only the discordant windows carry information: {@code onlyA} windows A hit and B missed, {@code
 * onlyB} the reverse. The difference of the hit rates is {@code (onlyA - onlyB) / n}, and
 *
 * <ul>
 *   <li>{@link #interval()}: its 95% interval by Agresti and Min (2005): the Wald interval of a
 *       paired difference after adding 1/2 to each cell of the 2 x 2 table ({@code n + 2} windows,
 *       {@code onlyA + 1/2}, {@code onlyB + 1/2}). Its coverage stays near 95% down to a handful of
 *       discordant windows, where the plain Wald interval collapses to a point;
 *   <li>{@link #pValue()}: the exact two-sided McNemar test: under "A and B are level" each
 *       discordant window is a fair coin, so {@code p = min(1, 2 P(X <= min(onlyA, onlyB)))} with
 *       {@code X ~ Binomial(onlyA + onlyB, 1/2)}; 1 when no window is discordant.
 * </ul>
 *
 * @param windows windows both scorers ranked
 * @param onlyA windows A hit and B missed
 * @param onlyB windows B hit and A missed
 */
public record PairedDifference(long windows, long onlyA, long onlyB) {
  public PairedDifference {
    if (windows <= 0) {
      throw new IllegalArgumentException("no windows");
    }
    if (onlyA < 0 || onlyB < 0 || onlyA + onlyB > windows) {
      throw new IllegalArgumentException(
          "discordant counts "
              + onlyA
              + " and "
              + onlyB
              + " do not fit in "
              + windows
              + " windows");
    }
  }

  /** A's hit rate minus B's, a fraction in [-1, 1]. */
  public double value() {
    return (double) (onlyA - onlyB) / windows;
  }

  /** {@link #value()} with its 95% Agresti-Min interval, clamped to [-1, 1]. */
  public Interval interval() {
    double n = windows + 2.0;
    double a = onlyA + 0.5;
    double b = onlyB + 0.5;
    double centre = (a - b) / n;
    double variance = ((a + b) - (a - b) * (a - b) / n) / (n * n);
    double half = Interval.Z95 * Math.sqrt(Math.max(0, variance));
    return new Interval(value(), Math.max(-1, centre - half), Math.min(1, centre + half));
  }

  /** Exact two-sided McNemar p-value (see the class comment). */
  public double pValue() {
    long m = onlyA + onlyB;
    if (m == 0) {
      return 1;
    }
    long k = Math.min(onlyA, onlyB);
    // P(X <= k) summed in log space: C(m, i) / 2^m underflows a double from m ~ 1,075 on.
    double logHalfPower = -m * Math.log(2);
    double logChoose = 0; // log C(m, 0)
    double logTail = logHalfPower;
    for (long i = 1; i <= k; i++) {
      logChoose += Math.log((double) (m - i + 1) / i);
      logTail = logSumExp(logTail, logChoose + logHalfPower);
    }
    return Math.min(1, 2 * Math.exp(logTail));
  }

  /** Whether the interval lies wholly above 0: A beats B on these windows. */
  public boolean aBetter() {
    return interval().low() > 0;
  }

  /** Whether the interval lies wholly below 0: B beats A on these windows. */
  public boolean bBetter() {
    return interval().high() < 0;
  }

  private static double logSumExp(double x, double y) {
    double max = Math.max(x, y);
    return max + Math.log(Math.exp(x - max) + Math.exp(y - max));
  }
}
