package ai.lvm.train;

import ai.lvm.metrics.Ranking;
import ai.lvm.model.L2Norm;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Hit@K as the reference measured it: each prediction is ranked by cosine against the targets of
 * the same split, which are the only candidates; its own target is the right answer. Pure functions
 * of the arrays.
 *
 * <p>The rank follows the project's one rule ({@link Ranking}): {@code 1 + #{j != i : cos(p_i, t_j)
 * > cos(p_i, t_i)}}, so a candidate scoring exactly as the true target (a duplicate of its vector:
 * boilerplate repeats in real text) counts as a hit, in training's validation as in the evaluation
 * job. A prediction whose score is NaN ranks last. With K at or above the pool size every
 * prediction is a hit.
 */
public final class HitAtK {
  /** Rows of the similarity matrix computed at once: bounds memory at ROWS x N floats. */
  private static final int ROWS = 512;

  private HitAtK() {}

  /**
   * Ranks (1-based) and pool size of an evaluation.
   *
   * @param ranks rank of each prediction's true target among all candidates
   * @param pool candidates each prediction was ranked among
   */
  public record Result(int[] ranks, int pool) {
    /** Ranked among the N targets themselves: the pool is N. */
    public Result(int[] ranks) {
      this(ranks, ranks.length);
    }

    /** Fraction of predictions whose true target ranks within the top {@code k}. */
    public double hit(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("k must be >= 1, got " + k);
      }
      if (ranks.length == 0) {
        return Double.NaN;
      }
      return (double) Arrays.stream(ranks).filter(r -> r <= k).count() / ranks.length;
    }

    public double meanRank() {
      return Arrays.stream(ranks).average().orElse(Double.NaN);
    }
  }

  /**
   * Evaluates predictions [N, D] against targets [N, D], where target {@code i} is the truth of
   * prediction {@code i} and all N targets are the candidates.
   */
  public static Result evaluate(INDArray predictions, INDArray targets) {
    if (predictions.rank() != 2 || !Arrays.equals(predictions.shape(), targets.shape())) {
      throw new IllegalArgumentException(
          "predictions and targets must both be [N, D]; got "
              + Arrays.toString(predictions.shape())
              + " and "
              + Arrays.toString(targets.shape()));
    }
    int n = (int) predictions.size(0);
    INDArray p = L2Norm.unitRows(predictions.castTo(DataType.DOUBLE));
    INDArray candidatesT = L2Norm.unitRows(targets.castTo(DataType.DOUBLE)).transpose().dup('c');
    int[] ranks = new int[n];
    for (int from = 0; from < n; from += ROWS) {
      int to = Math.min(n, from + ROWS);
      INDArray block = p.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
      double[] sims = block.mmul(candidatesT).dup('c').data().asDouble();
      for (int r = 0; r < to - from; r++) {
        int i = from + r;
        int offset = r * n;
        double own = sims[offset + i];
        if (Double.isNaN(own)) {
          ranks[i] = n;
          continue;
        }
        int self = offset + i;
        ranks[i] = 1 + Ranking.countAbove(sims, offset, offset + n, own, j -> j == self);
      }
    }
    return new Result(ranks);
  }

  /** Rows scaled to unit norm in float64, so cosine ranks do not depend on input precision. */
}
