package ai.lvm.eval;

import ai.lvm.metrics.BankProduct;
import ai.lvm.metrics.Ranking;
import ai.lvm.metrics.RowKeys;
import ai.lvm.metrics.ScoreScan;

/**
 * Ranks a block of queries against a block of candidates: one dense float32 matrix product for all
 * scores ({@link BankProduct}, reused from pair to pair), then per query one pass that counts the
 * candidates beating the true target ({@link Ranking}) and keeps the best {@code k}. Excluded
 * candidates are contiguous ranges of the sorted block: their above-count is subtracted range by
 * range, so the hot loop has no branch for them.
 */
final class BlockRanker {
  private BlockRanker() {}

  static PartialRank[] rank(QueryBlock q, BankBlock b, int k, BankProduct kernel) {
    if (q.dimension != b.dimension) {
      throw new IllegalArgumentException(
          "queries of dimension " + q.dimension + " against a bank of dimension " + b.dimension);
    }
    PartialRank[] out = new PartialRank[q.size];
    if (b.size == 0) {
      for (int i = 0; i < q.size; i++) {
        out[i] = new PartialRank(0, 0, new Neighbours(k));
      }
      return out;
    }
    BankProduct.ScoreRows rows = kernel.rows(q.matrix(), b.matrix());
    int n = b.size;
    int[] ranges = new int[0];
    for (int i = 0; i < q.size; i++) {
      ranges = excludedRanges(q, i, b, ranges);
      float[] scores = rows.row(i);
      double target = q.targetScores[i];
      // One pass over the row: the above-target count (exclusions subtracted after, range by
      // range) and the best k, whose entry bar only rises, so the exclusion check and the offer
      // run for few candidates (ScoreScan proves a vector register of scores below the bar at
      // once).
      Neighbours best = new Neighbours(k);
      int[] excludedRanges = ranges;
      long above =
          ScoreScan.countAndScan(
              scores,
              0,
              n,
              Ranking.floatBar(target),
              new ScoreScan.Entries() {
                @Override
                public float bar() {
                  // A stored float score once the list is full (minus infinity before).
                  return (float) best.bar();
                }

                @Override
                public void offer(int j) {
                  if (!RowKeys.inRanges(excludedRanges, j)) {
                    best.offer(scores[j], b.docIds[j], b.chunkIndexes[j]);
                  }
                }
              });
      long excluded = 0;
      for (int r = 1; r <= ranges[0]; r++) {
        int lo = ranges[2 * r - 1];
        int hi = ranges[2 * r];
        above -= Ranking.countAbove(scores, lo, hi, target);
        excluded += hi - lo;
      }
      out[i] = new PartialRank(above, n - excluded, best);
    }
    return out;
  }

  /** Query {@code i}'s excluded rows of {@code b} ({@link RowKeys#ranges}). */
  static int[] excludedRanges(QueryBlock q, int i, BankBlock b, int[] buffer) {
    return b.keys.ranges(
        q.excludedDoc,
        q.excludedFirst,
        q.excludedLength,
        q.exclusionStart[i],
        q.exclusionStart[i + 1],
        buffer);
  }
}
