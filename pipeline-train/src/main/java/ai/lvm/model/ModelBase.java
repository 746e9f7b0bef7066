package ai.lvm.model;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every model of {@link Models} holds the same way: its spec, its floating-point type, its
 * parameters and the source of its dropout masks. Subclasses register their layers' parameters in
 * {@link #params} in their constructors.
 */
abstract class ModelBase implements LatentVectorModel {
  protected final ModelSpec spec;
  protected final DataType dataType;
  protected final Parameters params;

  /** The source of this model's dropout masks; see {@link #reseed}. */
  protected final Random dropoutRng;

  ModelBase(ModelSpec spec, DataType dataType) {
    this.spec = spec;
    this.dataType = dataType;
    this.params = new Parameters(dataType);
    this.dropoutRng = Nd4j.getRandomFactory().getNewRandomInstance(spec.seed() ^ 0x5DEECE66DL);
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public String type() {
    return spec.type();
  }

  @Override
  public int dimension() {
    return spec.dimension();
  }

  @Override
  public Parameters parameters() {
    return params;
  }

  /** None by default: all state is in the parameters. */
  @Override
  public Map<String, INDArray> buffers() {
    return Map.of();
  }

  @Override
  public void reseed(long seed) {
    dropoutRng.setSeed(seed);
  }
}
