package ai.lvm.train;

import ai.lvm.model.LatentVectorModel;
import ai.lvm.model.Parameters;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Wraps a model and, at its {@code failAt}-th training forward, either throws (a simulated kill of
 * the worker) or returns NaN predictions (a diverged model).
 */
final class FaultyModel implements LatentVectorModel {
  enum Fault {
    KILL,
    NAN
  }

  private final LatentVectorModel inner;
  private final int failAt;
  private final Fault fault;
  private int trainingForwards;

  FaultyModel(LatentVectorModel inner, int failAt, Fault fault) {
    this.inner = inner;
    this.failAt = failAt;
    this.fault = fault;
  }

  @Override
  public String type() {
    return inner.type();
  }

  @Override
  public ai.lvm.model.ModelSpec spec() {
    return null; // a test double no spec describes
  }

  @Override
  public int dimension() {
    return inner.dimension();
  }

  @Override
  public Parameters parameters() {
    return inner.parameters();
  }

  @Override
  public Map<String, INDArray> buffers() {
    return inner.buffers();
  }

  @Override
  public INDArray forward(INDArray contexts, boolean training, ai.lvm.model.Readout readout) {
    INDArray p = inner.forward(contexts, training);
    if (training && ++trainingForwards >= failAt) {
      if (fault == Fault.KILL) {
        throw new IllegalStateException("simulated kill");
      }
      // Assigned, not multiplied: ND4J's scalar multiply by NaN does not give NaN.
      return p.dup().assign(Double.NaN);
    }
    return p;
  }

  @Override
  public void backward(INDArray dPredictions) {
    inner.backward(dPredictions);
  }

  @Override
  public void reseed(long seed) {
    inner.reseed(seed);
  }

  @Override
  public void afterStep() {
    inner.afterStep();
  }
}
