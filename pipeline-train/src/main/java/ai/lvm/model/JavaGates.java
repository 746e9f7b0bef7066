package ai.lvm.model;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GRU's per-step element-wise work as plain Java loops over the arrays' native memory. At the
 * reference size a step's gate math is ~4k elements: ND4J spends more on dispatching its ~10 ops
 * and creating views (10-30 us each) than on the arithmetic, so one fused loop (~70 us forward) is
 * several times faster. Used for float32 on the CPU backend, where ND4J memory is host memory
 * readable through {@link org.nd4j.linalg.api.buffer.DataBuffer#asNio()}; other cases use the
 * ND4J-op path in {@link GruLayer}, against which this one is tested.
 *
 * <p>All arrays passed in are dense c-order arrays that {@link GruLayer} allocated (offset 0).
 */
final class JavaGates {
  private static final boolean CPU = Nd4j.getBackend().getClass().getName().contains(".cpu.");

  private final int h;
  private final int batch;

  JavaGates(int hidden, int batch) {
    this.h = hidden;
    this.batch = batch;
  }

  static boolean available(DataType type) {
    return CPU && type == DataType.FLOAT;
  }

  private static FloatBuffer floats(INDArray a) {
    if (a.offset() != 0 || a.ordering() != 'c' || a.dataType() != DataType.FLOAT) {
      throw new IllegalStateException(
          "expected a dense float32 array, got " + a.shapeInfoToString());
    }
    return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /**
   * Step t given gi {@code [TB, 3H]} (input projections + b_ih) and gh {@code [TB, 3H]} (h_{t-1}
   * W_hh^T + b_hh): writes r, z into rz, n, and h_t into hAll's row block t + 1.
   */
  void forward(int t, INDArray gi, INDArray gh, INDArray rz, INDArray n, INDArray hAll) {
    FloatBuffer fgi = floats(gi);
    FloatBuffer fgh = floats(gh);
    FloatBuffer frz = floats(rz);
    FloatBuffer fn = floats(n);
    FloatBuffer fh = floats(hAll);
    for (int b = 0; b < batch; b++) {
      int row = t * batch + b;
      int g = row * 3 * h;
      int o2 = row * 2 * h;
      int o1 = row * h;
      int hp = row * h; // hAll row block t is h_{t-1}
      int hn = (row + batch) * h;
      for (int j = 0; j < h; j++) {
        double r = sigmoid(fgi.get(g + j) + fgh.get(g + j));
        double z = sigmoid(fgi.get(g + h + j) + fgh.get(g + h + j));
        double nn = tanh(fgi.get(g + 2 * h + j) + r * fgh.get(g + 2 * h + j));
        double prev = fh.get(hp + j);
        frz.put(o2 + j, (float) r);
        frz.put(o2 + h + j, (float) z);
        fn.put(o1 + j, (float) nn);
        fh.put(hn + j, (float) (nn + z * (prev - nn)));
      }
    }
  }

  /**
   * Step t of backward: dGh_t = dh_t * factors_t (for each of the three gate blocks) and, for t >
   * 0, dh_{t-1} += dh_t * z_t (the recurrent matrix product is added by the caller).
   */
  void backward(int t, INDArray factors, INDArray rz, INDArray dh, INDArray dGh) {
    FloatBuffer ff = floats(factors);
    FloatBuffer frz = floats(rz);
    FloatBuffer fdh = floats(dh);
    FloatBuffer fdg = floats(dGh);
    for (int b = 0; b < batch; b++) {
      int row = t * batch + b;
      int g = row * 3 * h;
      int o1 = row * h;
      int o2 = row * 2 * h;
      int prev = (row - batch) * h;
      for (int j = 0; j < h; j++) {
        float d = fdh.get(o1 + j);
        fdg.put(g + j, d * ff.get(g + j));
        fdg.put(g + h + j, d * ff.get(g + h + j));
        fdg.put(g + 2 * h + j, d * ff.get(g + 2 * h + j));
        if (t > 0) {
          fdh.put(prev + j, fdh.get(prev + j) + d * frz.get(o2 + h + j));
        }
      }
    }
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** tanh through one exp (Math.tanh is several times slower); saturates cleanly. */
  private static double tanh(double x) {
    if (x > 20) {
      return 1;
    }
    if (x < -20) {
      return -1;
    }
    double e = Math.exp(2 * x);
    return (e - 1) / (e + 1);
  }
}
