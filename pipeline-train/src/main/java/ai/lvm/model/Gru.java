package ai.lvm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * A stack of {@link GruLayer}s as PyTorch's {@code nn.GRU(num_layers=L, dropout=p)}: dropout on the
 * outputs of every layer but the last, in training only; h0 = 0. Parameters are named as PyTorch's
 * ({@code <name>.weight_ih_l<l>} etc.). Inputs and outputs are time-major {@code [T*B, F]}
 * matrices; the first layer may take a per-sample constant input (see {@link GruLayer}).
 */
public final class Gru {
  private final List<GruLayer> layers = new ArrayList<>();
  private final List<Dropout> dropouts = new ArrayList<>();

  /**
   * @param nIn per-step input width of the first layer
   * @param nConst width of the first layer's constant input (0 for none)
   */
  public Gru(
      Parameters params,
      String name,
      int nIn,
      int nConst,
      int hidden,
      int numLayers,
      double dropout,
      SplittableRandom init,
      Random dropoutRng) {
    for (int l = 0; l < numLayers; l++) {
      layers.add(
          new GruLayer(params, name, l, l == 0 ? nIn : hidden, l == 0 ? nConst : 0, hidden, init));
      if (l < numLayers - 1) {
        dropouts.add(new Dropout(dropout, dropoutRng));
      }
    }
  }

  /** Trainable scalars of such a stack (PyTorch's count). */
  public static long parameterCount(int nIn, int hidden, int numLayers) {
    long n = GruLayer.parameterCount(nIn, hidden);
    return n + (numLayers - 1) * GruLayer.parameterCount(hidden, hidden);
  }

  /**
   * Top-layer hidden states {@code [T*B, H]} for inputs {@code x [T*B, nIn]} (time-major) and
   * optional constant input {@code c [B, nConst]}.
   */
  public INDArray forward(INDArray x, INDArray c, int steps, int batch, boolean training) {
    INDArray in = x;
    for (int l = 0; l < layers.size(); l++) {
      INDArray out = layers.get(l).forward(in, l == 0 ? c : null, steps, batch);
      in = l < dropouts.size() ? dropouts.get(l).forward(out, training) : out;
    }
    return in;
  }

  /**
   * Backward given dL/d(top states) for all steps ({@code dSeq}, may be null) and for the last step
   * only ({@code dLast [B, H]}, may be null); returns dL/dx.
   */
  public INDArray backward(INDArray dSeq, INDArray dLast) {
    INDArray dx = null;
    for (int l = layers.size() - 1; l >= 0; l--) {
      boolean top = l == layers.size() - 1;
      dx = layers.get(l).backward(top ? dSeq : dx, top ? dLast : null);
      if (l > 0) {
        dx = dropouts.get(l - 1).backward(dx);
      }
    }
    return dx;
  }

  /** dL/dc of the first layer's constant input after backward (null without one). */
  public INDArray constantGradient() {
    return layers.get(0).constantGradient();
  }
}
