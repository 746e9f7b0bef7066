package ai.lvm.eval;

import java.io.Serializable;
import java.util.List;

/**
 * A block of queries ranked against the same pool: unit predictions, each query's score of its true
 * target, and the corpus positions its ranking must ignore (its own context chunks when excluded,
 * and its target, which is the answer rather than a competitor), as runs of chunks.
 */
final class QueryBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  final String pool;
  final int size;
  final int dimension;
  final QueryKey[] keys;
  final float[] predictions;
  final double[] targetScores;

  /** Query q's excluded runs are {@code [exclusionStart[q], exclusionStart[q + 1])}. */
  final int[] exclusionStart;

  final String[] excludedDoc;
  final long[] excludedFirst;
  final int[] excludedLength;

  /** The predictions as an off-heap ND4J matrix, built once per block and reused by every pair. */
  private transient org.nd4j.linalg.api.ndarray.INDArray matrix;

  QueryBlock(String pool, int dimension, List<ScoredWindow> queries) {
    this.pool = pool;
    this.size = queries.size();
    this.dimension = dimension;
    this.keys = new QueryKey[size];
    this.predictions = new float[size * dimension];
    this.targetScores = new double[size];
    this.exclusionStart = new int[size + 1];
    int runs = 0;
    for (ScoredWindow q : queries) {
      runs += q.excludedDoc().length;
    }
    this.excludedDoc = new String[runs];
    this.excludedFirst = new long[runs];
    this.excludedLength = new int[runs];
    int r = 0;
    for (int i = 0; i < size; i++) {
      ScoredWindow q = queries.get(i);
      keys[i] = q.key();
      System.arraycopy(q.prediction(), 0, predictions, i * dimension, dimension);
      targetScores[i] = q.cosine();
      exclusionStart[i] = r;
      for (int j = 0; j < q.excludedDoc().length; j++, r++) {
        excludedDoc[r] = q.excludedDoc()[j];
        excludedFirst[r] = q.excludedFirst()[j];
        excludedLength[r] = q.excludedLength()[j];
      }
    }
    exclusionStart[size] = r;
  }

  synchronized org.nd4j.linalg.api.ndarray.INDArray matrix() {
    if (matrix == null) {
      matrix = org.nd4j.linalg.factory.Nd4j.create(predictions, new long[] {size, dimension}, 'c');
    }
    return matrix;
  }
}
