package ai.lvm.train;

/**
 * The windows a run trains and validates on. The trainer asks for each epoch's batches afresh, and
 * their order must be a pure function of (seed, epoch): that is what makes a resumed run equal an
 * uninterrupted one.
 */
public interface TrainingData {
  /** The snapshot id recorded in checkpoints (a resume on another snapshot is refused). */
  String snapshotId();

  /** Training micro-batches of 1-based {@code epoch}, shuffled by (seed, epoch) only. */
  BatchStream training(long seed, int epoch, int microBatch);

  /** Validation batches in storage order (the order does not change Hit@K). */
  BatchStream validation(int batchSize);
}
