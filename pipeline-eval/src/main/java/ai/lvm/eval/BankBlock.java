package ai.lvm.eval;

import ai.lvm.metrics.RowKeys;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * A block of candidate vectors of one pool, unit-normalised, sorted by (doc id, chunk index) so the
 * rows of a query's excluded chunks (its context, its target) are found by binary search as
 * contiguous ranges.
 */
final class BankBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One candidate as read: position in the corpus and unit vector. */
  record Entry(String docId, long chunkIndex, float[] unit) implements RowKeys.Key, Serializable {}

  final String pool;
  final int size;
  final int dimension;
  final float[] vectors;
  final String[] docIds;
  final long[] chunkIndexes;

  /** The rows' positions, for leaving a query's context out ({@link BlockRanker}). */
  final RowKeys keys;

  /** The vectors as an off-heap ND4J matrix, built once per executor and reused by every pair. */
  private transient org.nd4j.linalg.api.ndarray.INDArray matrix;

  private BankBlock(String pool, int dimension, List<Entry> entries) {
    this.pool = pool;
    this.size = entries.size();
    this.dimension = dimension;
    this.vectors = new float[size * dimension];
    this.docIds = new String[size];
    this.chunkIndexes = new long[size];
    for (int i = 0; i < size; i++) {
      Entry e = entries.get(i);
      docIds[i] = e.docId();
      chunkIndexes[i] = e.chunkIndex();
      System.arraycopy(e.unit(), 0, vectors, i * dimension, dimension);
    }
    this.keys = new RowKeys(docIds, chunkIndexes);
  }

  /** A block of {@code entries} (any order; sorted here, in {@link RowKeys#ORDER}). */
  static BankBlock of(String pool, int dimension, List<Entry> entries) {
    Entry[] sorted = entries.toArray(new Entry[0]);
    Arrays.sort(sorted, RowKeys.ORDER);
    return new BankBlock(pool, dimension, Arrays.asList(sorted));
  }

  synchronized org.nd4j.linalg.api.ndarray.INDArray matrix() {
    if (matrix == null) {
      matrix = org.nd4j.linalg.factory.Nd4j.create(vectors, new long[] {size, dimension}, 'c');
    }
    return matrix;
  }
}
