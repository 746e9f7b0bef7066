package ai.lvm.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference's Attention Mixture Network ({@code amn}, 1,510,912 parameters at D 768, H 512): a
 * mean-of-context baseline plus a learned correction. One attention head with width A = H/2 scores
 * each context vector against the baseline ({@code softmax(q k^T / sqrt A)}, q from the baseline, k
 * from each vector), mixes the raw vectors with those weights, and an MLP on [baseline ; mixture]
 * (Linear(2D, H), GELU, LayerNorm, Linear(H, H/2), GELU, LayerNorm, Linear(H/2, D)) predicts the
 * residual; out = normalize(baseline + residual), then the prediction mode as in {@link MemoryGru}.
 * No recurrence, so C only costs linear work. Names follow the reference's PyTorch modules.
 */
public final class Amn extends ModelBase {
  public static final String TYPE = "amn";

  private final int attention;
  private final Linear contextEncoder;
  private final Linear queryEncoder;
  private final Linear mlp0;
  private final Gelu act0 = new Gelu();
  private final LayerNorm norm0;
  private final Linear mlp1;
  private final Gelu act1 = new Gelu();
  private final LayerNorm norm1;
  private final Linear mlp2;
  private final L2Norm outNorm = new L2Norm();
  private final PredictionHead prediction = new PredictionHead(spec, params);

  // forward state
  private INDArray x3; // [B, C, D]
  private INDArray keys3; // [B, C, A]
  private INDArray query; // [B, A]
  private INDArray weights; // [B, C]

  Amn(ModelSpec spec, DataType dataType) {
    super(spec, dataType);
    int d = spec.dimension();
    int h = spec.hidden();
    this.attention = h / 2;
    SplittableRandom init = new SplittableRandom(spec.seed());
    contextEncoder = new Linear(params, "context_encoder", d, attention, init);
    queryEncoder = new Linear(params, "query_encoder", d, attention, init);
    mlp0 = new Linear(params, "residual_net.0", 2 * d, h, init);
    norm0 = new LayerNorm(params, "residual_net.2", h);
    mlp1 = new Linear(params, "residual_net.3", h, h / 2, init);
    norm1 = new LayerNorm(params, "residual_net.5", h / 2);
    mlp2 = new Linear(params, "residual_net.6", h / 2, d, init);
  }

  /** Trainable scalars of this architecture. */
  public static long parameterCount(ModelSpec s) {
    long d = s.dimension();
    long h = s.hidden();
    long a = h / 2;
    return 2 * (d * a + a) + (2 * d * h + h) + 2 * h + (h * a + a) + 2 * a + (a * d + d);
  }

  /** amn reads out the last position only: its attention sees the whole window at once. */
  @Override
  public INDArray forward(INDArray contexts, boolean training, Readout readout) {
    if (readout != Readout.LAST) {
      throw new IllegalArgumentException("amn predicts from the whole window only (readout LAST)");
    }
    int d = spec.dimension();
    x3 = Tensors.contexts(contexts, d, dataType);
    long b = contexts.size(0);
    long c = contexts.size(1);
    INDArray baseline = x3.mean(1); // [B, D]
    keys3 = contextEncoder.forward(x3.reshape('c', b * c, d)).reshape('c', b, c, attention);
    query = queryEncoder.forward(baseline);
    INDArray scores = broadcastMul(keys3, query, 0, 2).sum(2).muli(1 / Math.sqrt(attention));
    weights = Tensors.softmaxRows(scores);
    INDArray mixture = broadcastMul(x3, weights, 0, 1).sum(1); // [B, D]
    INDArray h0 = norm0.forward(act0.forward(mlp0.forward(Nd4j.hstack(baseline, mixture))));
    INDArray h1 = norm1.forward(act1.forward(mlp1.forward(h0)));
    INDArray out = outNorm.forward(mlp2.forward(h1).addi(baseline));
    // out is unit already; the head's own normalisation of it is the identity (and its Jacobian,
    // a projection, composes with outNorm's to the same projection)
    return prediction.forward(out, x3, Readout.LAST);
  }

  @Override
  public void backward(INDArray dPredictions) {
    if (weights == null) {
      throw new IllegalStateException("backward before forward");
    }
    int d = spec.dimension();
    long b = x3.size(0);
    long c = x3.size(1);
    INDArray dy = dPredictions.castTo(dataType);
    INDArray dOut = prediction.backward(dy);
    INDArray dRaw = outNorm.backward(dOut);
    // the baseline is a function of the inputs only: its gradient is not needed
    INDArray dIn =
        mlp0.backward(
            act0.backward(
                norm0.backward(mlp1.backward(act1.backward(norm1.backward(mlp2.backward(dRaw)))))));
    INDArray dMixture = Tensors.cols(dIn, d, 2L * d).dup('c');
    INDArray dWeights = broadcastMul(x3, dMixture, 0, 2).sum(2); // [B, C]
    INDArray dot = dWeights.mul(weights).sum(1).reshape(b, 1);
    INDArray dScores = dWeights.subiColumnVector(dot).muli(weights).muli(1 / Math.sqrt(attention));
    INDArray dQuery = broadcastMul(keys3, dScores, 0, 1).sum(1); // [B, A]
    INDArray dKeys = broadcastMul(Nd4j.zeros(dataType, b, c, attention).addi(1.0), query, 0, 2);
    dKeys = broadcastMul(dKeys, dScores, 0, 1);
    queryEncoder.backward(dQuery);
    contextEncoder.backward(dKeys.reshape('c', b * c, attention));
  }

  /** {@code a [B, X, Y] * v} with v broadcast along the two given dimensions of a. */
  private static INDArray broadcastMul(INDArray a, INDArray v, int dim0, int dim1) {
    INDArray out = Nd4j.create(a.dataType(), a.shape(), 'c');
    Nd4j.getExecutioner().exec(new BroadcastMulOp(a, v, out, dim0, dim1));
    return out;
  }
}
