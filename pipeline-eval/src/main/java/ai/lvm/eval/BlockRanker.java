package ai.lvm.eval;

import ai.lvm.metrics.BankProduct;
import ai.lvm.metrics.Ranking;

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
    float[] scores = kernel.scores(q.matrix(), b.matrix());
    int n = b.size;
    int[] ranges = new int[0];
    for (int i = 0; i < q.size; i++) {
      ranges = excludedRanges(q, i, b, ranges);
      int offset = i * n;
      double target = q.targetScores[i];
      // Two passes over the row (32 KB at the default block, so the second reads cache): the
      // above-target count, which the JIT vectorises (exclusions subtracted after, range by
      // range), then the best k, whose entry bar only rises, so its branch is almost never taken
      // and the exclusion check runs for few candidates. One fused pass vectorises neither.
      long above = Ranking.countAbove(scores, offset, offset + n, target);
      Neighbours best = new Neighbours(k);
      // The entry bar is a stored float score once the list is full (minus infinity before).
      float entry = (float) best.bar();
      for (int j = 0; j < n; j++) {
        float s = scores[offset + j];
        if (s >= entry && !inRanges(ranges, j)) {
          best.offer(s, b.docIds[j], b.chunkIndexes[j]);
          entry = (float) best.bar();
        }
      }
      long excluded = 0;
      for (int r = 1; r <= ranges[0]; r++) {
        int lo = ranges[2 * r - 1];
        int hi = ranges[2 * r];
        above -= Ranking.countAbove(scores, offset + lo, offset + hi, target);
        excluded += hi - lo;
      }
      out[i] = new PartialRank(above, n - excluded, best);
    }
    return out;
  }

  /**
   * Query {@code i}'s excluded rows of {@code b} as sorted, disjoint ranges: {@code [count, lo1,
   * hi1, lo2, hi2, ...]} (reusing {@code buffer} when it is large enough).
   */
  static int[] excludedRanges(QueryBlock q, int i, BankBlock b, int[] buffer) {
    int from = q.exclusionStart[i];
    int to = q.exclusionStart[i + 1];
    int[] r = buffer.length >= 1 + 2 * (to - from) ? buffer : new int[1 + 2 * (to - from)];
    int count = 0;
    for (int e = from; e < to; e++) {
      int lo = b.lowerBound(q.excludedDoc[e], q.excludedFirst[e]);
      int hi = b.lowerBound(q.excludedDoc[e], q.excludedFirst[e] + q.excludedLength[e]);
      if (lo < hi) {
        r[1 + 2 * count] = lo;
        r[2 + 2 * count] = hi;
        count++;
      }
    }
    // Sort by start and merge overlaps, so no candidate is subtracted twice.
    for (int a = 1; a < count; a++) {
      for (int c = a; c > 0 && r[1 + 2 * c] < r[1 + 2 * (c - 1)]; c--) {
        swap(r, 1 + 2 * c, 1 + 2 * (c - 1));
        swap(r, 2 + 2 * c, 2 + 2 * (c - 1));
      }
    }
    int merged = 0;
    for (int c = 0; c < count; c++) {
      int lo = r[1 + 2 * c];
      int hi = r[2 + 2 * c];
      if (merged > 0 && lo <= r[2 * merged]) {
        r[2 * merged] = Math.max(r[2 * merged], hi);
      } else {
        merged++;
        r[2 * merged - 1] = lo;
        r[2 * merged] = hi;
      }
    }
    r[0] = merged;
    return r;
  }

  private static boolean inRanges(int[] ranges, int j) {
    for (int r = 1; r <= ranges[0]; r++) {
      if (j >= ranges[2 * r - 1] && j < ranges[2 * r]) {
        return true;
      }
    }
    return false;
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
