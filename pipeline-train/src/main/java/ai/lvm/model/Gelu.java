package ai.lvm.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GELU in its exact form {@code 0.5 x (1 + erf(x / sqrt 2))}, PyTorch's default ({@code
 * approximate='none'}); ND4J's own GELU ops are approximations, so this one is built from erf.
 */
public final class Gelu {
  private static final double INV_SQRT2 = 1 / Math.sqrt(2);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
  private INDArray input;
  private INDArray cdf;

  public INDArray forward(INDArray x) {
    input = x;
    INDArray erf = x.mul(INV_SQRT2);
    Nd4j.getExecutioner().exec(new Erf(erf, erf));
    cdf = erf.addi(1).muli(0.5);
    return x.mul(cdf);
  }

  /** d/dx = Phi(x) + x phi(x). */
  public INDArray backward(INDArray dy) {
    INDArray pdf = Transforms.exp(input.mul(input).muli(-0.5), false).muli(INV_SQRT_2PI);
    return pdf.muli(input).addi(cdf).muli(dy);
  }
}
