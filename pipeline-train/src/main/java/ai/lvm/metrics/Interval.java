package ai.lvm.metrics;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

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

  /** One target document's windows and the windows a scorer hit in it. */
  public record DocumentHits(long windows, long hits) {
    public DocumentHits {
      if (windows <= 0 || hits < 0 || hits > windows) {
        throw new IllegalArgumentException(
            "a document's hits " + hits + " in " + windows + " windows");
      }
    }
  }

  /**
   * A hit rate over documents' windows with a 95% interval that counts each target document as one
   * unit of evidence. {@link #wilson} treats windows as independent, but evaluation cuts many from
   * each held-out document (every C/10 chunks by default, or closer: neighbouring windows share
   * most of their context), and a document that suits a scorer raises its hits on all of them: two
   * Wilson intervals can then be apart where the documents do not support it (docs/protocols.md, "C
   * = 500 with targets every 10 chunks"). The rate is {@code p = H / N} over all windows; its
   * interval the cluster-robust (CR1) one of {@link #clustered} on the residuals {@code h_g - n_g
   * p}, never narrower than the Wilson interval of the totals and clamped to [0, 1]. Null below two
   * documents, where nothing is known about how documents vary.
   */
  public static Interval byDocument(List<DocumentHits> documents) {
    if (documents.size() < 2) {
      return null;
    }
    long n = 0;
    long hits = 0;
    for (DocumentHits d : documents) {
      n += d.windows();
      hits += d.hits();
    }
    double p = (double) hits / n;
    double squares = 0;
    for (DocumentHits d : documents) {
      double e = d.hits() - d.windows() * p;
      squares += e * e;
    }
    return clustered(p, squares, documents.size(), n, wilson(hits, n), 0, 1);
  }

  /**
   * The mean {@code value} over {@code windows} windows from {@code documents} documents with its
   * 95% interval by document, given the sum over documents of the squared residual totals (a
   * document's sum minus its windows times the mean): the CR1 variance {@code G / (G - 1) * squares
   * / N^2} with Student's t on G - 1 degrees of freedom (Cameron and Miller, 2015), never narrower
   * than {@code plain} (the window-level interval, whose small-count correction it keeps) and
   * clamped to [{@code min}, {@code max}]. With few documents it still runs a little narrow: read
   * it as the least width the documents call for.
   */
  static Interval clustered(
      double value,
      double squares,
      int documents,
      long windows,
      Interval plain,
      double min,
      double max) {
    double half =
        studentT975(documents - 1) * Math.sqrt(squares * documents / (documents - 1.0)) / windows;
    return new Interval(
        value,
        Math.max(min, Math.min(plain.low(), value - half)),
        Math.min(max, Math.max(plain.high(), value + half)));
  }

  /** The 97.5th percentile of Student's t with {@code df} degrees of freedom. */
  static double studentT975(int df) {
    return new TDistribution(df).inverseCumulativeProbability(0.975);
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
