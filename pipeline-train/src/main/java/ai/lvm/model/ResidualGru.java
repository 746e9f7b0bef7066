package ai.lvm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference's residual GRU stack ({@code gru}, 7,095,552 parameters at D 768, H 512, 4 blocks):
 * Linear(D, H) on every context vector, then per block {@code h <- LayerNorm(h + Dropout(GRU(h)))}
 * (one-layer GRU, H to H), the read-out steps through Linear(H, D), then the {@link
 * PredictionHead}. The reference's description (docs/reference-system.md) gives the parts and the
 * count but not the order inside a block; post-norm (the residual sum normalised) is the common
 * form and is what this class does.
 */
public final class ResidualGru extends ModelBase {
  public static final String TYPE = "gru";

  private final Linear input;
  private final List<Gru> blocks = new ArrayList<>();
  private final List<Dropout> drops = new ArrayList<>();
  private final List<LayerNorm> norms = new ArrayList<>();
  private final Linear output;
  private final PredictionHead prediction = new PredictionHead(spec, params);
  private int batch;
  private int steps;
  private Readout readout;

  ResidualGru(ModelSpec spec, DataType dataType) {
    super(spec, dataType);
    int d = spec.dimension();
    int h = spec.hidden();
    SplittableRandom init = new SplittableRandom(spec.seed());
    input = new Linear(params, "input_proj", d, h, init);
    for (int l = 0; l < spec.layers(); l++) {
      blocks.add(new Gru(params, "blocks." + l + ".gru", h, 0, h, 1, 0, init, dropoutRng));
      drops.add(new Dropout(spec.dropout(), dropoutRng));
      norms.add(new LayerNorm(params, "blocks." + l + ".norm", h));
    }
    output = new Linear(params, "output_proj", h, d, init);
    if (prediction.startsAtBase()) {
      output.zero();
    }
  }

  /** Trainable scalars of this architecture. */
  public static long parameterCount(ModelSpec s) {
    long d = s.dimension();
    long h = s.hidden();
    return (d * h + h)
        + s.layers() * (Gru.parameterCount(s.hidden(), s.hidden(), 1) + 2 * h)
        + (h * d + d);
  }

  @Override
  public boolean supports(Readout r) {
    return true;
  }

  @Override
  public INDArray forward(INDArray contexts, boolean training, Readout readout) {
    int d = spec.dimension();
    INDArray x = Tensors.contexts(contexts, d, dataType);
    batch = (int) contexts.size(0);
    steps = (int) contexts.size(1);
    long b = batch;
    long c = steps;
    INDArray xt = Tensors.timeMajor(x);
    INDArray h = input.forward(xt);
    for (int l = 0; l < blocks.size(); l++) {
      INDArray g = blocks.get(l).forward(h, null, steps, batch, training);
      h = norms.get(l).forward(h.add(drops.get(l).forward(g, training)));
    }
    INDArray read = Tensors.readOut(h, readout, b, c);
    this.readout = readout;
    return prediction.forward(output.forward(read), x, readout);
  }

  @Override
  public void backward(INDArray dPredictions) {
    if (readout == null) {
      throw new IllegalStateException("backward before forward");
    }
    long b = batch;
    long c = steps;
    INDArray dRead = output.backward(prediction.backward(dPredictions.castTo(dataType)));
    INDArray dh = Tensors.sequenceGradient(dRead, readout, b, c);
    for (int l = blocks.size() - 1; l >= 0; l--) {
      INDArray ds = norms.get(l).backward(dh);
      INDArray dg = drops.get(l).backward(ds);
      dh = ds.add(blocks.get(l).backward(dg, null));
    }
    input.backward(dh);
  }
}
