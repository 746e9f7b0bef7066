package ai.lvm.train;

import ai.lvm.model.LatentVectorModel;
import ai.lvm.model.Readout;
import ai.lvm.reader.WindowBatch;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One training micro-batch as the recipe says: forward at the recipe's read-out, the targets it
 * implies, InfoNCE's negatives, the loss, backward (gradients accumulate in the model's
 * parameters). The trainer runs it; {@code bin/lvm bench-recipe} times it.
 *
 * <p>Dense targets ({@link Readout#EVERY}): the prediction at position t is scored against the
 * vector at t + 1 (the window's target at the last position); positions before {@code warm-up} get
 * no loss. Corpus negatives: {@code negative-count} rows drawn with replacement from the pool for
 * every micro-batch, from a generator the trainer re-seeds per epoch ({@link #reseed}), so a
 * resumed run draws what an uninterrupted one would.
 */
public final class TrainStep {
  private final Recipe recipe;
  private final Loss loss;
  private final Readout targets;
  private final INDArray pool; // null: in-batch negatives
  private final float[] poolRows;
  private SplittableRandom draws;

  /**
   * @param targets the read-out to train at (the recipe's, or LAST for a model without EVERY)
   * @param pool unit training-split vectors {@code [P, D]} to draw negatives from, or null for the
   *     recipe's in-batch negatives
   */
  public TrainStep(Recipe recipe, Loss loss, Readout targets, INDArray pool) {
    this.recipe = recipe;
    this.loss = loss;
    this.targets = targets;
    this.pool = pool;
    this.poolRows = pool == null ? null : pool.castTo(DataType.FLOAT).dup('c').data().asFloat();
    this.draws = new SplittableRandom(recipe.seed());
  }

  /** Restarts the negative draws from {@code seed} (the trainer: a function of seed and epoch). */
  public void reseed(long seed) {
    draws = new SplittableRandom(seed);
  }

  /** Forward, loss and backward of one micro-batch; returns the loss. */
  public Loss.Result run(LatentVectorModel model, WindowBatch b) {
    INDArray predictions = model.forward(b.contexts(), true, targets);
    if (targets == Readout.LAST) {
      Loss.Result r = loss.compute(predictions, b.targets(), drawNegatives(0));
      model.backward(r.gradient());
      return r;
    }
    long windows = b.size();
    long c = b.contexts().size(1);
    long d = b.contexts().size(2);
    long warm = Math.min(recipe.warmUp(), c - 1);
    // time-major targets: row t * B + b is the vector after position t of window b
    INDArray timeMajor = b.contexts().permute(1, 0, 2).dup('c').reshape('c', c * windows, d);
    INDArray next =
        Nd4j.vstack(
            rows(timeMajor, windows, c * windows), b.targets().castTo(timeMajor.dataType()));
    Loss.Result r =
        loss.compute(
            rows(predictions, warm * windows, c * windows),
            rows(next, warm * windows, c * windows),
            drawNegatives(recipe.hardNegatives() ? (int) windows : 0));
    INDArray gradient = Nd4j.zeros(predictions.dataType(), predictions.shape());
    gradient
        .get(NDArrayIndex.interval(warm * windows, c * windows), NDArrayIndex.all())
        .assign(r.gradient());
    model.backward(gradient);
    return r;
  }

  /** Targets scored per micro-batch of {@code windows} windows of {@code c} vectors. */
  public long targetsPerBatch(long windows, long c) {
    return targets == Readout.LAST ? windows : (c - Math.min(recipe.warmUp(), c - 1)) * windows;
  }

  /** The same negatives every time (the first rows of the pool): for the validation loss. */
  public Loss.Negatives fixedNegatives() {
    if (pool == null) {
      return Loss.Negatives.IN_BATCH;
    }
    return new Loss.Negatives(rows(pool, 0, Math.min(recipe.negativeCount(), pool.size(0))), 0);
  }

  private Loss.Negatives drawNegatives(int hardWindows) {
    if (pool == null) {
      return Loss.Negatives.IN_BATCH;
    }
    int poolSize = (int) pool.size(0);
    if (poolSize <= recipe.negativeCount()) {
      return new Loss.Negatives(pool, hardWindows);
    }
    int d = (int) pool.size(1);
    int n = recipe.negativeCount();
    float[] drawn = new float[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(poolRows, draws.nextInt(poolSize) * d, drawn, i * d, d);
    }
    return new Loss.Negatives(Nd4j.create(drawn, new long[] {n, d}, 'c'), hardWindows);
  }

  /** Rows {@code [from, to)} as a dense copy. */
  private static INDArray rows(INDArray a, long from, long to) {
    return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
  }
}
