package ai.lvm.metrics;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Scores of queries against a bank of candidates, {@code scale Q B^T}: the one kernel behind
 * training's corpus negatives ({@code train.Loss}), validation's corpus bank ({@code
 * train.CorpusBank}) and evaluation's block ranking ({@code eval.BlockRanker}).
 *
 * <p>One BLAS GEMM per call, written into memory this kernel owns and reuses: the product of a
 * (query block, bank block) pair is megabytes, and allocating a fresh off-heap matrix plus a fresh
 * heap copy for each of thousands of pairs cost evaluation half of the matrix-multiply ceiling. The
 * buffers grow to the largest product seen and are then reused, so a loop over pairs allocates
 * nothing.
 *
 * <p>Results are views of that memory, valid until the next call. Not thread-safe: one kernel per
 * thread (a Spark task, a training run).
 */
public final class BankProduct {
  private INDArray buffer; // flat, off-heap, in the last queries' data type
  private float[] heap = new float[0];

  /**
   * {@code scale queries bank^T} as a c-order {@code [Q, N]} matrix in this kernel's memory, in the
   * queries' data type (so gradient checks can run in DOUBLE).
   *
   * @param queries {@code [Q, D]}
   * @param bank {@code [N, D]}, rows are candidates (no transposed copy is made)
   */
  public INDArray product(INDArray queries, INDArray bank, double scale) {
    if (queries.rank() != 2 || bank.rank() != 2 || queries.size(1) != bank.size(1)) {
      throw new IllegalArgumentException(
          "queries [Q, D] against a bank [N, D]; got "
              + java.util.Arrays.toString(queries.shape())
              + " and "
              + java.util.Arrays.toString(bank.shape()));
    }
    long q = queries.size(0);
    long n = bank.size(0);
    INDArray out = view(queries.dataType(), q, n);
    Nd4j.gemm(queries, bank.castTo(queries.dataType()), out, false, true, scale, 0.0);
    return out;
  }

  /**
   * The float32 product {@code queries bank^T} copied to a heap array this kernel reuses: row
   * {@code i}'s scores are {@code [i * N, (i + 1) * N)}; the array may be longer than {@code Q *
   * N}. For a few queries (validation's micro-batches); a large block reads {@link #rows} instead.
   */
  public float[] scores(INDArray queries, INDArray bank) {
    FloatBuffer scores = floatProduct(queries, bank);
    int length = scores.remaining();
    if (heap.length < length) {
      heap = new float[length];
    }
    scores.get(0, heap, 0, length);
    return heap;
  }

  /**
   * The float32 product {@code queries bank^T}, read a query at a time: {@link ScoreRows#row}
   * copies one query's N scores into a heap array this kernel reuses. At evaluation's block shape
   * (1,024 x 8,192) the product is 32 MB: copying it whole to the heap and scanning it there wrote
   * 32 MB and read it back from memory, where a row copied just before its scan (32 KB) stays in
   * the core's cache for both of its passes.
   */
  public ScoreRows rows(INDArray queries, INDArray bank) {
    FloatBuffer scores = floatProduct(queries, bank);
    int n = Math.toIntExact(bank.size(0));
    if (heap.length < n) {
      heap = new float[n];
    }
    return new ScoreRows(scores, n, heap);
  }

  /** One product's scores row by row; valid until the kernel's next call. */
  public static final class ScoreRows {
    private final FloatBuffer scores;
    private final int n;
    private final float[] row;

    private ScoreRows(FloatBuffer scores, int n, float[] row) {
      this.scores = scores;
      this.n = n;
      this.row = row;
    }

    /**
     * Query {@code i}'s scores in {@code [0, N)} of the returned array (shared: overwritten by the
     * next call; it may be longer than N).
     */
    public float[] row(int i) {
      scores.get(Math.multiplyExact(i, n), row, 0, n);
      return row;
    }
  }

  /** The float32 product as a view of the buffer, starting at its first element. */
  private FloatBuffer floatProduct(INDArray queries, INDArray bank) {
    if (queries.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("heap scores are float32; got " + queries.dataType());
    }
    INDArray out = product(queries, bank, 1.0);
    int length = Math.toIntExact(out.length());
    // The product starts at the buffer's first element: reads need no offset and no temporary.
    FloatBuffer scores = out.data().asNioFloat();
    scores.limit(length);
    return scores;
  }

  /** A c-order {@code [q, n]} view of the buffer's first {@code q n} elements. */
  private INDArray view(DataType type, long q, long n) {
    long length = Math.multiplyExact(q, n);
    if (buffer == null || buffer.dataType() != type || buffer.length() < length) {
      long capacity = length;
      if (buffer != null) {
        capacity = Math.max(capacity, buffer.length());
        buffer.close();
      }
      buffer = Nd4j.create(type, capacity);
    }
    INDArray prefix =
        length == buffer.length() ? buffer : buffer.get(NDArrayIndex.interval(0, length));
    return prefix.reshape('c', q, n);
  }
}
