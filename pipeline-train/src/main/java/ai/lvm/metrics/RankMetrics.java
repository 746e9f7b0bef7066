package ai.lvm.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * Hit@K, MRR and mean cosine of a set of queries, each with its 95% interval, computed once from
 * the queries' ranks and cosines.
 *
 * @param queries how many windows were scored
 * @param hits Hit@k by k
 * @param mrr mean reciprocal rank
 * @param meanCosine mean cosine between prediction and true target
 */
public record RankMetrics(
    long queries, Map<Integer, Interval> hits, Interval mrr, Interval meanCosine) {

  /** The Ks every table reports. */
  public static final int[] KS = {1, 5, 10};

  /**
   * @param ranks 1-based rank of each query's true target ({@link Ranking})
   * @param cosines cosine of each query's prediction with its true target
   */
  public static RankMetrics of(long[] ranks, double[] cosines) {
    if (ranks.length == 0 || ranks.length != cosines.length) {
      throw new IllegalArgumentException("need as many ranks as cosines, and at least one");
    }
    Map<Integer, Interval> hits = new TreeMap<>();
    for (int k : KS) {
      long h = 0;
      for (long r : ranks) {
        if (r < 1) {
          throw new IllegalArgumentException("ranks are 1-based, got " + r);
        }
        h += r <= k ? 1 : 0;
      }
      hits.put(k, Interval.wilson(h, ranks.length));
    }
    double[] reciprocal = new double[ranks.length];
    for (int i = 0; i < ranks.length; i++) {
      reciprocal[i] = 1.0 / ranks[i];
    }
    return new RankMetrics(
        ranks.length, Map.copyOf(hits), Interval.mean(reciprocal), Interval.mean(cosines));
  }
}
