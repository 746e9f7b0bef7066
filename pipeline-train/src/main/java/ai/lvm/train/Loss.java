package ai.lvm.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The reference training loss on unit-norm predictions and targets, {@code MSE + 0.5 (1 - mean cos)
 * + alpha * InfoNCE}, with its gradient written out by hand so models with explicit backward passes
 * can consume it.
 *
 * <ul>
 *   <li>Targets are L2-normalised here (they are not trained, so no gradient flows into them).
 *   <li>MSE is PyTorch's {@code mse_loss}: the mean over all B x D elements.
 *   <li>cos is PyTorch's {@code cosine_similarity} (eps 1e-8) of each prediction with its target,
 *       so a prediction that is not exactly unit norm is still measured as the reference did.
 *   <li>InfoNCE is the cross-entropy of {@code yhat . y^T / 0.07} against the diagonal: the
 *       negatives of each prediction are the other targets of the same micro-batch.
 * </ul>
 *
 * <p>All arithmetic runs in the predictions' data type, so gradient checks can run in DOUBLE.
 */
public final class Loss {
  /** The reference InfoNCE temperature. */
  public static final double TEMPERATURE = 0.07;

  private static final double COSINE_EPS = 1e-8;

  private final double alpha;
  private final double temperature;

  public Loss(double alpha) {
    this(alpha, TEMPERATURE);
  }

  public Loss(double alpha, double temperature) {
    if (!(alpha >= 0) || !(temperature > 0)) {
      throw new IllegalArgumentException(
          "alpha must be >= 0 and temperature > 0, got " + alpha + ", " + temperature);
    }
    this.alpha = alpha;
    this.temperature = temperature;
  }

  /**
   * The loss of one micro-batch and its components.
   *
   * @param total {@code mse + 0.5 (1 - cosine) + alpha infonce}
   * @param mse mean squared error over all elements
   * @param cosine mean cosine between predictions and targets
   * @param infonce mean InfoNCE cross-entropy
   * @param gradient dTotal/dPredictions, [B, D], in the predictions' data type
   */
  public record Result(
      double total, double mse, double cosine, double infonce, INDArray gradient) {}

  /** Loss and gradient for predictions [B, D] against targets [B, D] (normalised here). */
  public Result compute(INDArray predictions, INDArray targets) {
    if (predictions.rank() != 2 || !java.util.Arrays.equals(predictions.shape(), targets.shape())) {
      throw new IllegalArgumentException(
          "predictions and targets must both be [B, D]; got "
              + java.util.Arrays.toString(predictions.shape())
              + " and "
              + java.util.Arrays.toString(targets.shape()));
    }
    DataType type = predictions.dataType();
    long b = predictions.size(0);
    long d = predictions.size(1);
    INDArray p = predictions;
    INDArray y = targets.castTo(type).dup('c');
    INDArray targetNorms = y.norm2(1).reshape(b, 1);
    y.diviColumnVector(Transforms.max(targetNorms, COSINE_EPS, true));

    // MSE and its gradient 2 (p - y) / (B D).
    INDArray diff = p.sub(y);
    double mse = diff.mul(diff).sumNumber().doubleValue() / (b * d);
    INDArray gradient = diff.muli(2.0 / (b * d));

    // Cosine as torch.cosine_similarity: p.y / max(|p| |y|, eps); |y| = 1 here.
    INDArray pNorms = p.norm2(1).reshape(b, 1);
    INDArray safeNorms = Transforms.max(pNorms, COSINE_EPS, true);
    INDArray cos = p.mul(y).sum(1).reshape(b, 1).divi(safeNorms);
    double meanCos = cos.meanNumber().doubleValue();
    // d cos_i / d p_i = y_i / |p_i| - cos_i p_i / |p_i|^2, times d(0.5 (1 - mean cos))/d cos_i.
    INDArray dCos =
        y.divColumnVector(safeNorms)
            .subi(p.mulColumnVector(cos.div(safeNorms.mul(safeNorms))))
            .muli(-0.5 / b);
    gradient.addi(dCos);

    // InfoNCE: softmax cross-entropy of the similarity logits against the diagonal.
    INDArray logits = p.mmul(y.transpose()).divi(temperature);
    INDArray rowMax = logits.max(1).reshape(b, 1);
    INDArray exp = Transforms.exp(logits.subColumnVector(rowMax), false);
    INDArray sumExp = exp.sum(1).reshape(b, 1);
    INDArray logSumExp = Transforms.log(sumExp, true).addi(rowMax);
    double diagonal = 0;
    for (long i = 0; i < b; i++) {
      diagonal += logits.getDouble(i, i);
    }
    double infonce = (logSumExp.sumNumber().doubleValue() - diagonal) / b;
    if (alpha != 0) {
      INDArray dLogits = exp.diviColumnVector(sumExp).subi(Nd4j.eye(b).castTo(type)).divi(b);
      gradient.addi(dLogits.mmul(y).muli(alpha / temperature));
    }
    double total = mse + 0.5 * (1 - meanCos) + alpha * infonce;
    return new Result(total, mse, meanCos, infonce, gradient);
  }
}
