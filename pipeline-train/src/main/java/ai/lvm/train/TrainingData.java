package ai.lvm.train;

import ai.lvm.config.InvalidInputException;
import ai.lvm.model.L2Norm;
import ai.lvm.reader.WindowBatch;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The windows a run trains and validates on. The trainer asks for each epoch's batches afresh, and
 * their order must be a pure function of (seed, epoch): that is what makes a resumed run equal an
 * uninterrupted one.
 */
public interface TrainingData {
  /** The snapshot id recorded in checkpoints (a resume on another snapshot is refused). */
  String snapshotId();

  /** The context size C of every window. */
  int contextSize();

  /** Training micro-batches of 1-based {@code epoch}, shuffled by (seed, epoch) only. */
  BatchStream training(long seed, int epoch, int microBatch);

  /**
   * Validation batches in storage order (the order does not change Hit@K), with each window's
   * context segments where the data has them (needed to rank against the corpus bank).
   */
  BatchStream validation(int batchSize);

  /** The whole corpus as validation's candidate bank, where the data has one. */
  default Optional<CorpusBank> corpusBank() {
    return Optional.empty();
  }

  /**
   * Up to {@code max} training-split vectors, unit rows {@code [n, D]}: a uniform sample (seeded
   * reservoir, a pure function of the data and {@code seed}) of the context and target vectors of
   * the training windows, the pool InfoNCE's corpus negatives are drawn from. Validation and test
   * vectors never enter it: under the article protocol a training window holds only training
   * documents.
   */
  default INDArray negativePool(int max, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] pool = null;
    int d = 0;
    long seen = 0;
    try (BatchStream batches = training(seed, 0, 256)) {
      while (batches.hasNext()) {
        WindowBatch b = batches.next();
        float[] contexts = b.contexts().castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] targets = b.targets().castTo(DataType.FLOAT).dup('c').data().asFloat();
        if (pool == null) {
          d = (int) b.targets().size(1);
          pool = new float[Math.multiplyExact(max, d)];
        }
        for (float[] rows : new float[][] {contexts, targets}) {
          for (int off = 0; off < rows.length; off += d) {
            // Algorithm R: row number `seen` replaces a random slot with probability max / seen
            long slot = seen < max ? seen : rng.nextLong(seen + 1);
            if (slot < max) {
              System.arraycopy(rows, off, pool, (int) slot * d, d);
            }
            seen++;
          }
        }
      }
    }
    if (pool == null) {
      throw new InvalidInputException(
          "Snapshot '" + snapshotId() + "' has no training windows: no corpus negatives to draw.");
    }
    int n = (int) Math.min(seen, max);
    INDArray rows = Nd4j.create(Arrays.copyOf(pool, n * d), new long[] {n, d}, 'c');
    return L2Norm.unitRows(rows);
  }
}
