package ai.lvm.train;

import ai.lvm.model.LatentVectorModel;
import ai.lvm.model.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A tiny real model for trainer tests: {@code yhat = normalize(x_last + x_last W + b)} with a
 * hand-written backward, and a buffer (running mean of the raw output) updated in afterStep, so
 * buffers travel through checkpoints too.
 */
final class LinearResidualModel implements LatentVectorModel {
  private final int dimension;
  private final Parameters parameters = new Parameters();
  private final Map<String, INDArray> buffers = new LinkedHashMap<>();
  private INDArray x;
  private INDArray y;
  private INDArray norms;
  private INDArray out;

  LinearResidualModel(int dimension, long seed) {
    this.dimension = dimension;
    Nd4j.getRandom().setSeed(seed);
    parameters.add("w", Nd4j.randn(DataType.FLOAT, dimension, dimension).muli(0.05));
    parameters.add("b", Nd4j.zeros(DataType.FLOAT, dimension));
    buffers.put("mean_output", Nd4j.zeros(DataType.FLOAT, dimension));
  }

  @Override
  public String type() {
    return "linear-residual";
  }

  @Override
  public ai.lvm.model.ModelSpec spec() {
    return null; // a test double no spec describes
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Parameters parameters() {
    return parameters;
  }

  @Override
  public Map<String, INDArray> buffers() {
    return buffers;
  }

  @Override
  public INDArray forward(INDArray contexts, boolean training, ai.lvm.model.Readout readout) {
    long c = contexts.size(1);
    INDArray last =
        contexts.get(NDArrayIndex.all(), NDArrayIndex.point(c - 1), NDArrayIndex.all()).dup('c');
    INDArray raw = last.mmul(parameters.value("w")).addiRowVector(parameters.value("b"));
    INDArray z = last.add(raw);
    INDArray n = z.norm2(1).reshape(z.size(0), 1);
    INDArray pred = z.divColumnVector(n);
    if (training) {
      x = last;
      y = pred;
      norms = n;
      out = raw;
    }
    return pred;
  }

  @Override
  public void backward(INDArray dPredictions) {
    INDArray radial = dPredictions.mul(y).sum(1).reshape(y.size(0), 1);
    INDArray dz = dPredictions.sub(y.mulColumnVector(radial)).diviColumnVector(norms);
    parameters.gradient("w").addi(x.transpose().mmul(dz));
    parameters.gradient("b").addi(dz.sum(0));
  }

  @Override
  public void afterStep() {
    buffers.get("mean_output").muli(0.9).addi(out.mean(0).muli(0.1));
  }
}
