package ai.lvm.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model's trainable arrays by name, each with a gradient array of the same shape that backward
 * passes accumulate into. Names are stable ("gru.0.w_ih"): checkpoints and optimizer state are
 * keyed by them. Insertion order is the canonical order.
 *
 * <p>Training uses float32. A model can also be built in float64 so that finite-difference gradient
 * checks run with tight tolerances through the very same code path.
 */
public final class Parameters {
  private final Map<String, INDArray> values = new LinkedHashMap<>();
  private final Map<String, INDArray> gradients = new LinkedHashMap<>();
  private final DataType dataType;

  /** Float32 parameters (training and inference). */
  public Parameters() {
    this(DataType.FLOAT);
  }

  /** Parameters of the given floating-point type (float64 for gradient checks). */
  public Parameters(DataType dataType) {
    if (!dataType.isFPType()) {
      throw new IllegalArgumentException("parameters must be floating point, not " + dataType);
    }
    this.dataType = dataType;
  }

  /** The data type of every value and gradient array. */
  public DataType dataType() {
    return dataType;
  }

  /** Registers a parameter with its initial value (cast to {@link #dataType()}); returns it. */
  public INDArray add(String name, INDArray initial) {
    if (values.containsKey(name)) {
      throw new IllegalArgumentException("duplicate parameter " + name);
    }
    INDArray v = initial.castTo(dataType).dup('c');
    values.put(name, v);
    gradients.put(name, Nd4j.zeros(dataType, v.shape()));
    return v;
  }

  public INDArray value(String name) {
    return require(values, name);
  }

  public INDArray gradient(String name) {
    return require(gradients, name);
  }

  /** Values by name, in registration order (read-only view; the arrays are live). */
  public Map<String, INDArray> values() {
    return Collections.unmodifiableMap(values);
  }

  /** Gradients by name, in registration order (read-only view; the arrays are live). */
  public Map<String, INDArray> gradients() {
    return Collections.unmodifiableMap(gradients);
  }

  /** Number of trainable scalars. */
  public long count() {
    return values.values().stream().mapToLong(INDArray::length).sum();
  }

  public void zeroGradients() {
    gradients.values().forEach(g -> g.assign(0));
  }

  private static INDArray require(Map<String, INDArray> map, String name) {
    INDArray a = map.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter " + name + "; have " + map.keySet());
    }
    return a;
  }
}
