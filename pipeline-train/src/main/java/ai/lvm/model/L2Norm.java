package ai.lvm.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Row-wise L2 normalisation {@code y = x / max(||x||, eps)} as PyTorch's {@code F.normalize} (eps
 * 1e-12), with its Jacobian-vector product {@code dx = (dy - y (y . dy)) / ||x||} for unclamped
 * rows and {@code dy / eps} for clamped ones.
 */
public final class L2Norm {
  static final double EPS = 1e-12;
  private INDArray y;
  private INDArray norm;
  private INDArray unclamped;

  /**
   * Each row of {@code x [N, F]} divided by {@code max(||row||, eps)}, as a new array of x's type:
   * the one unit-row function of the pipeline (predictions, targets, memory rows, baselines) when
   * no gradient is needed. A zero row stays zero.
   */
  public static INDArray unitRows(INDArray x) {
    INDArray norms = x.norm2(1).reshape(x.size(0), 1);
    return x.divColumnVector(Transforms.max(norms, EPS, false));
  }

  /** Normalises each row of {@code x [N, F]}, keeping what {@link #backward} needs. */
  public INDArray forward(INDArray x) {
    long n = x.size(0);
    INDArray raw = x.norm2(1).reshape(n, 1);
    unclamped = raw.gt(EPS).castTo(x.dataType());
    norm = Transforms.max(raw, EPS, false);
    y = x.divColumnVector(norm);
    return y;
  }

  /** dLoss/dx given dLoss/dy of the last forward. */
  public INDArray backward(INDArray dy) {
    long n = dy.size(0);
    INDArray proj = y.mul(dy).sum(1).reshape(n, 1).muli(unclamped);
    return dy.sub(y.mulColumnVector(proj)).diviColumnVector(norm);
  }
}
