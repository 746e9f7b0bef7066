package ai.lvm.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The last step of every model: its unit output becomes the prediction as {@link PredictionMode}
 * says, {@code normalize(out + x_last)} (residual, the reference) or {@code out} (direct). The last
 * context vector is input, so only {@code out} receives a gradient.
 */
final class PredictionHead {
  private final PredictionMode mode;
  private final L2Norm norm = new L2Norm();

  PredictionHead(PredictionMode mode) {
    this.mode = mode;
  }

  /**
   * @param out the model's unit output {@code [B, D]}
   * @param contexts the model's input as a dense c-order {@code [B, C, D]} ({@link
   *     Tensors#contexts})
   */
  INDArray forward(INDArray out, INDArray contexts) {
    if (mode != PredictionMode.RESIDUAL) {
      return out;
    }
    long b = contexts.size(0);
    long c = contexts.size(1);
    long d = contexts.size(2);
    INDArray xLast =
        Nd4j.create(contexts.data(), new long[] {b, d}, new long[] {c * d, 1}, (c - 1) * d, 'c');
    return norm.forward(out.add(xLast));
  }

  /** dLoss/dOut from dLoss/dPrediction. */
  INDArray backward(INDArray dPrediction) {
    return mode == PredictionMode.RESIDUAL ? norm.backward(dPrediction) : dPrediction;
  }
}
