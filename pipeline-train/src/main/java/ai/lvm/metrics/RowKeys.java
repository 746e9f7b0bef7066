package ai.lvm.metrics;

import java.io.Serializable;
import java.util.Comparator;

/**
 * Where each row of a candidate bank comes from, (doc id, chunk index), with the rows sorted by it
 * ({@link #ORDER}), so the rows a query must not be ranked against (its window's own context: runs
 * of consecutive chunks of one document) are found by binary search as contiguous row ranges.
 * Validation's corpus bank ({@code CorpusBank}) and evaluation's bank blocks ({@code BankBlock})
 * both leave a window's context out through it, so the two rank by the same rule.
 *
 * <p>A run whose chunks are partly missing from the bank (an unusable vector dropped, a block
 * holding part of a document) excludes exactly the rows that are there.
 */
public final class RowKeys implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The row order: doc id in Java's string order, then chunk index. */
  public static final Comparator<RowKeys.Key> ORDER =
      Comparator.comparing(Key::docId).thenComparingLong(Key::chunkIndex);

  /** Anything with a bank position. */
  public interface Key {
    String docId();

    long chunkIndex();
  }

  private final String[] docIds;
  private final long[] chunkIndexes;

  /**
   * Keys of rows already in {@link #ORDER}; the arrays are shared, not copied (the bank keeps them
   * to name its neighbours).
   */
  public RowKeys(String[] docIds, long[] chunkIndexes) {
    if (docIds.length != chunkIndexes.length) {
      throw new IllegalArgumentException(
          docIds.length + " doc ids but " + chunkIndexes.length + " chunk indexes");
    }
    for (int i = 1; i < docIds.length; i++) {
      if (before(docIds[i], chunkIndexes[i], docIds[i - 1], chunkIndexes[i - 1])) {
        throw new IllegalArgumentException("row keys out of order at row " + i);
      }
    }
    this.docIds = docIds;
    this.chunkIndexes = chunkIndexes;
  }

  public int size() {
    return docIds.length;
  }

  /** The first row at or after (docId, chunkIndex) in {@link #ORDER}. */
  public int lowerBound(String docId, long chunkIndex) {
    int lo = 0;
    int hi = docIds.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (before(docIds[mid], chunkIndexes[mid], docId, chunkIndex)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The rows of the runs {@code e} in {@code [from, to)} ({@code lengths[e]} chunks of {@code
   * docs[e]} from {@code firsts[e]}) as sorted, disjoint row ranges {@code [count, lo1, hi1, lo2,
   * hi2, ...]}, overlapping runs merged so no row is left out twice; {@code buffer} is reused when
   * it is large enough.
   */
  public int[] ranges(String[] docs, long[] firsts, int[] lengths, int from, int to, int[] buffer) {
    int[] r = buffer.length >= 1 + 2 * (to - from) ? buffer : new int[1 + 2 * (to - from)];
    int count = 0;
    for (int e = from; e < to; e++) {
      int lo = lowerBound(docs[e], firsts[e]);
      int hi = lowerBound(docs[e], firsts[e] + lengths[e]);
      if (lo < hi) {
        r[1 + 2 * count] = lo;
        r[2 + 2 * count] = hi;
        count++;
      }
    }
    // Sort by start (a window has a few runs: insertion sort) and merge overlaps.
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

  /** Whether row {@code j} is inside one of {@code ranges} (as {@link #ranges} gives them). */
  public static boolean inRanges(int[] ranges, int j) {
    for (int r = 1; r <= ranges[0]; r++) {
      if (j >= ranges[2 * r - 1] && j < ranges[2 * r]) {
        return true;
      }
    }
    return false;
  }

  private static boolean before(String docA, long indexA, String docB, long indexB) {
    int c = docA.compareTo(docB);
    return c < 0 || (c == 0 && indexA < indexB);
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
