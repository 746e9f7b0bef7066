package ai.lvm.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The no-training predictions every model is measured against, from the context alone. {@code
 * mean-last-k} is the unit mean of the last k context vectors; k = 1 is copy-last. The {@code base}
 * prediction mode starts a model exactly here ({@link PredictionHead}), so one function serves
 * both.
 */
public final class Baselines {
  private Baselines() {}

  /**
   * The name of the mean-last-k baseline: {@code copy-last} for k = 1, else {@code mean-last-k}.
   */
  public static String name(int k) {
    return k == 1 ? "copy-last" : "mean-last-" + k;
  }

  /**
   * Unit {@code mean-last-k} predictions {@code [B, D]} (float32) of contexts {@code [B, C, D]}; k
   * above C is capped at C (the mean of the whole context).
   */
  public static INDArray meanLastK(INDArray contexts, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    INDArray x = contexts.castTo(DataType.FLOAT).dup('c');
    return L2Norm.unitRows(PredictionHead.base(x, k, Readout.LAST));
  }
}
