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
 */
public final class Parameters {
  private final Map<String, INDArray> values = new LinkedHashMap<>();
  private final Map<String, INDArray> gradients = new LinkedHashMap<>();

  /** Registers a parameter with its initial value (float32); returns the stored array. */
  public INDArray add(String name, INDArray initial) {
    if (values.containsKey(name)) {
      throw new IllegalArgumentException("duplicate parameter " + name);
    }
    INDArray v = initial.castTo(DataType.FLOAT).dup('c');
    values.put(name, v);
    gradients.put(name, Nd4j.zeros(DataType.FLOAT, v.shape()));
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
