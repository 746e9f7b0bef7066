package ai.lvm.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Layer normalisation over the last axis of {@code [N, F]} rows, as PyTorch's {@code
 * nn.LayerNorm(F)} (biased variance, epsilon 1e-5 inside the square root, gamma 1 and beta 0 at
 * start).
 */
public final class LayerNorm {
  static final double EPS = 1e-5;
  private final INDArray gamma;
  private final INDArray beta;
  private final INDArray gammaGrad;
  private final INDArray betaGrad;
  private INDArray xhat;
  private INDArray invStd;

  /** Registers {@code <name>.weight} (gamma) and {@code <name>.bias} (beta). */
  public LayerNorm(Parameters params, String name, int features) {
    this.gamma =
        params.add(
            name + ".weight", org.nd4j.linalg.factory.Nd4j.ones(params.dataType(), features));
    this.beta =
        params.add(name + ".bias", org.nd4j.linalg.factory.Nd4j.zeros(params.dataType(), features));
    this.gammaGrad = params.gradient(name + ".weight");
    this.betaGrad = params.gradient(name + ".bias");
  }

  /** Normalises each row of {@code x [N, F]}. */
  public INDArray forward(INDArray x) {
    long n = x.size(0);
    INDArray centered = x.subColumnVector(x.mean(1).reshape(n, 1));
    INDArray var = centered.mul(centered).mean(1).reshape(n, 1);
    invStd = Transforms.pow(var.addi(EPS), -0.5, false);
    xhat = centered.muliColumnVector(invStd);
    return xhat.mulRowVector(gamma).addiRowVector(beta);
  }

  /**
   * dx = invStd (g - mean(g) - xhat mean(g xhat)) with g = dy gamma: the standard layer-norm
   * backward, one pass over the rows.
   */
  public INDArray backward(INDArray dy) {
    long n = dy.size(0);
    gammaGrad.addi(dy.mul(xhat).sum(0));
    betaGrad.addi(dy.sum(0));
    INDArray g = dy.mulRowVector(gamma);
    INDArray meanG = g.mean(1).reshape(n, 1);
    INDArray meanGx = g.mul(xhat).mean(1).reshape(n, 1);
    return g.subiColumnVector(meanG).subi(xhat.mulColumnVector(meanGx)).muliColumnVector(invStd);
  }
}
