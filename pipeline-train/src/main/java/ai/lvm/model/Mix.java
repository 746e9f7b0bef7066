package ai.lvm.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code mix}: a learned weighting of the last L context vectors plus a linear correction, the
 * smallest model that starts at the best no-training baseline and can move away from it.
 *
 * <pre>
 *   m_t        = base_t + sum_{j < L} delta_j x_{t-j}      (x before the window's start: 0)
 *   raw_t      = sum_{j < L} delta_j x_{t-j} + W dropout(m_t) + b
 *   prediction = normalize(base_t + raw_t) = normalize(m_t + W dropout(m_t) + b)
 * </pre>
 *
 * with {@code base_t} the {@link PredictionHead}'s base (the mean of the last base-k vectors, or
 * context-ar with base-lags). {@code delta} (L scalars, {@code mix.lag_weights}) and the D x D map
 * {@code mix.correction} start at zero, so a new model predicts exactly its base; training learns
 * how much each recent vector should count (decaying weights, or a pull away from the last one) and
 * a fixed linear turn of the recency mean. It has {@code L + D^2 + D} parameters (147,850 at D =
 * 384, L = 10) and reads every position of a window in one pass, so with dense targets an epoch
 * costs a few matrix products.
 *
 * <p>Why it exists: on real text the recurrent models rarely beat mean-last-3 on whole-corpus
 * retrieval (docs/protocols.md); this model, which can represent mean-last-3 exactly and little
 * else, is the honest lower rung of the ladder a bigger model must climb.
 *
 * <p>Backward: with {@code g = dL/draw} and {@code s_t = sum_j delta_j x_{t-j}}, raw depends on s
 * directly and through m, so {@code dL/ds = g + dropout'(W^T g)} and {@code dL/ddelta_j = sum_t
 * <dL/ds_t, x_{t-j}>}; W and b get the linear layer's usual gradients. Only the {@code base}
 * prediction mode is accepted ({@link Models#validate}): the model is defined around its base.
 */
public final class Mix extends ModelBase {
  public static final String TYPE = "mix";

  private final int lags;
  private final INDArray lagWeights;
  private final INDArray lagGradients;
  private final Linear correction;
  private final Dropout dropout;
  private final PredictionHead prediction = new PredictionHead(spec, params);
  private INDArray inputs; // time-major [C * B, D]
  private int batch;
  private int steps;
  private int first; // the first read-out position

  Mix(ModelSpec spec, DataType dataType) {
    super(spec, dataType);
    this.lags = spec.lags();
    this.lagWeights = params.add("mix.lag_weights", Nd4j.zeros(dataType, lags));
    this.lagGradients = params.gradient("mix.lag_weights");
    int d = spec.dimension();
    this.correction =
        new Linear(params, "mix.correction", d, d, new java.util.SplittableRandom(spec.seed()));
    correction.zero();
    this.dropout = new Dropout(spec.dropout(), dropoutRng);
  }

  /** Trainable scalars of this architecture. */
  public static long parameterCount(ModelSpec s) {
    long d = s.dimension();
    return s.lags() + d * d + d;
  }

  @Override
  public boolean supports(Readout r) {
    return true;
  }

  @Override
  public INDArray forward(INDArray contexts, boolean training, Readout readout) {
    INDArray x = Tensors.contexts(contexts, spec.dimension(), dataType);
    batch = (int) contexts.size(0);
    steps = (int) contexts.size(1);
    first = readout == Readout.EVERY ? 0 : steps - 1;
    inputs = Tensors.timeMajor(x);
    INDArray s = Nd4j.zeros(dataType, (long) (steps - first) * batch, spec.dimension());
    for (int j = 0; j < Math.min(lags, steps); j++) {
      double w = lagWeights.getDouble(j);
      if (w != 0) {
        lagged(s, j).addi(lag(j).mul(w));
      }
    }
    INDArray base = PredictionHead.base(x, spec.baseK(), spec.baseLags(), readout);
    INDArray raw = s.add(correction.forward(dropout.forward(base.add(s), training)));
    return prediction.forwardOnBase(raw, base, x, readout);
  }

  @Override
  public void backward(INDArray dPredictions) {
    if (inputs == null) {
      throw new IllegalStateException("backward before forward");
    }
    INDArray g = prediction.backward(dPredictions.castTo(dataType));
    INDArray ds = g.add(dropout.backward(correction.backward(g)));
    for (int j = 0; j < Math.min(lags, steps); j++) {
      lagGradients.putScalar(
          j, lagGradients.getDouble(j) + lagged(ds, j).mul(lag(j)).sumNumber().doubleValue());
    }
  }

  /**
   * The rows of a read-out matrix ({@code [(C - first) * B, D]}) at the positions {@code t >= j},
   * where lag j has a vector: {@code t} from {@code max(first, j)} to C - 1.
   */
  private INDArray lagged(INDArray readRows, int j) {
    int from = Math.max(first, j);
    return Tensors.rows(readRows, (long) (from - first) * batch, (long) (steps - first) * batch);
  }

  /** The context vectors {@code x_{t-j}} for the same positions as {@link #lagged}. */
  private INDArray lag(int j) {
    int from = Math.max(first, j);
    return Tensors.rows(inputs, (long) (from - j) * batch, (long) (steps - j) * batch);
  }
}
