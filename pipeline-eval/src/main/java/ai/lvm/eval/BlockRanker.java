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
      // Two passes over the row (32 KB at the default block, so the second reads cache): the
      // above-target count, which the JIT vectorises (exclusions subtracted after, range by
      // range), then the best k, whose entry bar only rises: ScoreScan skips a register of scores
      // below it at a time, so the exclusion check and the offer run for few candidates. One
      // fused pass vectorises neither.
      long above = Ranking.countAbove(scores, 0, n, target);
      Neighbours best = new Neighbours(k);
      // The entry bar is a stored float score once the list is full (minus infinity before).
      float entry = (float) best.bar();
      for (int j = ScoreScan.nextAtLeast(scores, 0, n, entry);
          j < n;
          j = ScoreScan.nextAtLeast(scores, j + 1, n, entry)) {
        if (!RowKeys.inRanges(ranges, j)) {
          best.offer(scores[j], b.docIds[j], b.chunkIndexes[j]);
          entry = (float) best.bar();
        }
      }
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
