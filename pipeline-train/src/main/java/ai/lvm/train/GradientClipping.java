package ai.lvm.train;

import java.util.Collection;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Clipping by the global L2 norm of all gradients, as {@code torch.nn.utils.clip_grad_norm_}: when
 * the norm exceeds {@code maxNorm} every gradient is scaled by {@code maxNorm / (norm + 1e-6)}. The
 * reference clipped at 1.0 before each optimizer step.
 */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales {@code gradients} in place so their global norm is at most {@code maxNorm} (no clipping
   * when {@code maxNorm <= 0}); returns the norm before clipping (NaN or infinite if a gradient is,
   * which callers treat as a failed step).
   */
  public static double clipByGlobalNorm(Collection<INDArray> gradients, double maxNorm) {
    double sumOfSquares = 0;
    for (INDArray g : gradients) {
      double n = g.norm2Number().doubleValue();
      sumOfSquares += n * n;
    }
    double norm = Math.sqrt(sumOfSquares);
    if (maxNorm > 0 && Double.isFinite(norm)) {
      double coefficient = maxNorm / (norm + 1e-6);
      if (coefficient < 1) {
        for (INDArray g : gradients) {
          g.muli(coefficient);
        }
      }
    }
    return norm;
  }
}
