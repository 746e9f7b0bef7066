package ai.lvm.metrics;

import java.util.List;

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
 * <p>Both treat windows as independent. They are not quite: evaluation cuts many windows from each
 * held-out document (every C/10 chunks by default), and a model that suits one document's style
 * wins on many of its windows together. Given each target document's counts ({@link #byDocument}),
 * {@link #documentInterval()} allows for that, and a verdict ({@link #aBetter()}, {@link
 * #bBetter()}) needs both intervals to clear 0.
 *
 * @param windows windows both scorers ranked
 * @param onlyA windows A hit and B missed
 * @param onlyB windows B hit and A missed
 * @param documents the same counts per target document, summing to the totals; empty when only the
 *     totals are known
 */
public record PairedDifference(long windows, long onlyA, long onlyB, List<Counts> documents) {
  /** One target document's windows and its discordant windows each way. */
  public record Counts(long windows, long onlyA, long onlyB) {
    public Counts {
      if (windows <= 0 || onlyA < 0 || onlyB < 0 || onlyA + onlyB > windows) {
        throw new IllegalArgumentException(
            "a document's counts " + onlyA + " and " + onlyB + " in " + windows + " windows");
      }
    }
  }

  /** Totals only: no {@link #documentInterval()}. */
  public PairedDifference(long windows, long onlyA, long onlyB) {
    this(windows, onlyA, onlyB, List.of());
  }

  /** The comparison from per-document counts (one entry per target document). */
  public static PairedDifference byDocument(List<Counts> documents) {
    long n = 0;
    long a = 0;
    long b = 0;
    for (Counts d : documents) {
      n += d.windows();
      a += d.onlyA();
      b += d.onlyB();
    }
    return new PairedDifference(n, a, b, documents);
  }

  public PairedDifference {
    documents = List.copyOf(documents);
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
    if (!documents.isEmpty()
        && (documents.stream().mapToLong(Counts::windows).sum() != windows
            || documents.stream().mapToLong(Counts::onlyA).sum() != onlyA
            || documents.stream().mapToLong(Counts::onlyB).sum() != onlyB)) {
      throw new IllegalArgumentException("the documents' counts do not sum to the totals");
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

  /**
   * {@link #value()} with a 95% interval that treats each target document's windows as one unit of
   * evidence: the cluster-robust (CR1) variance of a mean, {@code G / (G - 1) * sum_g ((a_g - b_g)
   * - n_g d)^2 / n^2} over the G documents (d = {@link #value()}), and Student's t with G - 1
   * degrees of freedom ({@link Interval#clustered}). Windows of one document that win or lose
   * together widen it; independent ones give about the plain paired interval's width. Never
   * narrower than {@link #interval()}, whose small-count correction it keeps; clamped to [-1, 1].
   * Null below two documents, where nothing is known about how documents vary. With few documents
   * (the Python documentation has 7 in its test split) CR1 with t(G - 1) still runs a little narrow
   * (Cameron and Miller, 2015): read it as the least width the documents call for.
   */
  public Interval documentInterval() {
    int g = documents.size();
    if (g < 2) {
      return null;
    }
    double d = value();
    double sum = 0;
    for (Counts c : documents) {
      double e = (c.onlyA() - c.onlyB()) - c.windows() * d;
      sum += e * e;
    }
    return Interval.clustered(d, sum, g, windows, interval(), -1, 1);
  }

  /**
   * Whether A beats B on these windows: the paired interval, and the document interval where there
   * is one, lie wholly above 0.
   */
  public boolean aBetter() {
    Interval byDocument = documentInterval();
    return interval().low() > 0 && (byDocument == null || byDocument.low() > 0);
  }

  /** Whether B beats A on these windows: both intervals, as {@link #aBetter()}, below 0. */
  public boolean bBetter() {
    Interval byDocument = documentInterval();
    return interval().high() < 0 && (byDocument == null || byDocument.high() < 0);
  }

  private static double logSumExp(double x, double y) {
    double max = Math.max(x, y);
    return max + Math.log(Math.exp(x - max) + Math.exp(y - max));
  }
}
