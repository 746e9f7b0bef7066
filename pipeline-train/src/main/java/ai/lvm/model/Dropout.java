package ai.lvm.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: in training each element is kept with probability {@code 1 - p} and scaled by
 * {@code 1 / (1 - p)}, so inference is the identity (as PyTorch). Masks come from the model's
 * seeded generator, so a seed reproduces a run.
 */
public final class Dropout {
  private final double p;
  private final Random rng;
  private INDArray mask;

  public Dropout(double p, Random rng) {
    this.p = p;
    this.rng = rng;
  }

  /** Applies a fresh mask in training (when p > 0); identity otherwise. */
  public INDArray forward(INDArray x, boolean training) {
    if (!training || p == 0) {
      mask = null;
      return x;
    }
    INDArray u = Nd4j.createUninitialized(x.dataType(), x.shape());
    Nd4j.rand(u, rng);
    mask = u.gte(p).castTo(x.dataType()).muli(1 / (1 - p));
    return x.mul(mask);
  }

  public INDArray backward(INDArray dy) {
    return mask == null ? dy : dy.mul(mask);
  }
}
