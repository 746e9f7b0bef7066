package ai.lvm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference's LSTM baseline ({@code lstm}, 5,120,768 parameters at D 768, H 512, 2 layers):
 * {@code nn.LSTM(D, H, layers, dropout)} over the raw context vectors, the last step through
 * Linear(H, D), L2-normalised, then the prediction mode as in {@link MemoryGru}.
 */
public final class Lstm extends ModelBase {
  public static final String TYPE = "lstm";

  private final List<LstmLayer> layers = new ArrayList<>();
  private final List<Dropout> drops = new ArrayList<>();
  private final Linear output;
  private final PredictionHead prediction = new PredictionHead(spec, params);
  private int batch;
  private int steps;
  private Readout readout;

  Lstm(ModelSpec spec, DataType dataType) {
    super(spec, dataType);
    SplittableRandom init = new SplittableRandom(spec.seed());
    for (int l = 0; l < spec.layers(); l++) {
      layers.add(
          new LstmLayer(
              params, "lstm", l, l == 0 ? spec.dimension() : spec.hidden(), spec.hidden(), init));
      if (l < spec.layers() - 1) {
        drops.add(new Dropout(spec.dropout(), dropoutRng));
      }
    }
    output = new Linear(params, "output_proj", spec.hidden(), spec.dimension(), init);
    if (prediction.startsAtBase()) {
      output.zero();
    }
  }

  /** Trainable scalars of this architecture. */
  public static long parameterCount(ModelSpec s) {
    long n = LstmLayer.parameterCount(s.dimension(), s.hidden());
    n += (s.layers() - 1) * LstmLayer.parameterCount(s.hidden(), s.hidden());
    return n + (long) s.hidden() * s.dimension() + s.dimension();
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
    INDArray h = Tensors.timeMajor(x);
    for (int l = 0; l < layers.size(); l++) {
      h = layers.get(l).forward(h, steps, batch);
      if (l < drops.size()) {
        h = drops.get(l).forward(h, training);
      }
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
    for (int l = layers.size() - 1; l >= 0; l--) {
      dh = layers.get(l).backward(dh);
      if (l > 0) {
        dh = drops.get(l - 1).backward(dh);
      }
    }
  }
}
