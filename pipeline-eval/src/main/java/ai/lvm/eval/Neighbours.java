package ai.lvm.eval;

import java.io.Serializable;

/**
 * The best {@code k} candidates seen so far for one query, best first; ties broken by (doc id,
 * chunk index) so the result does not depend on how the bank was split into blocks.
 */
final class Neighbours implements Serializable {
  private static final long serialVersionUID = 1L;

  final int capacity;
  int size;
  final double[] scores;
  final String[] docIds;
  final long[] chunkIndexes;

  Neighbours(int capacity) {
    this.capacity = capacity;
    this.scores = new double[capacity];
    this.docIds = new String[capacity];
    this.chunkIndexes = new long[capacity];
  }

  /** The score a new candidate must beat to enter (minus infinity while not full). */
  double bar() {
    return size < capacity ? Double.NEGATIVE_INFINITY : scores[size - 1];
  }

  void offer(double score, String docId, long chunkIndex) {
    if (size == capacity && !better(score, docId, chunkIndex, size - 1)) {
      return;
    }
    int i = size < capacity ? size++ : size - 1;
    while (i > 0 && better(score, docId, chunkIndex, i - 1)) {
      scores[i] = scores[i - 1];
      docIds[i] = docIds[i - 1];
      chunkIndexes[i] = chunkIndexes[i - 1];
      i--;
    }
    scores[i] = score;
    docIds[i] = docId;
    chunkIndexes[i] = chunkIndex;
  }

  /** This list merged with {@code other}: the best {@code capacity} of both. */
  Neighbours merge(Neighbours other) {
    Neighbours out = new Neighbours(capacity);
    for (Neighbours n : new Neighbours[] {this, other}) {
      for (int i = 0; i < n.size; i++) {
        out.offer(n.scores[i], n.docIds[i], n.chunkIndexes[i]);
      }
    }
    return out;
  }

  private boolean better(double score, String docId, long chunkIndex, int i) {
    if (score != scores[i]) {
      return score > scores[i];
    }
    int c = docId.compareTo(docIds[i]);
    return c != 0 ? c < 0 : chunkIndex < chunkIndexes[i];
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      b.append(i == 0 ? "" : ", ").append(docIds[i]).append('#').append(chunkIndexes[i]);
      b.append('=').append(String.format("%.4f", scores[i]));
    }
    return b.append(']').toString();
  }
}
