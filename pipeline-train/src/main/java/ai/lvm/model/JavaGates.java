package ai.lvm.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GRU's recurrence (everything that must run step by step) in plain Java on heap float arrays:
 * the recurrent product through {@link VectorGemm} and the gate arithmetic ({@link VectorGates})
 * fused into one loop per step. At the reference size a step is a {@code [8, 512] x [512, 1536]}
 * product and ~4k elements of gate math: through ND4J that was one BLAS call that packs the whole
 * weight matrix each time plus ~10 small ops and a few views (10-30 us each to create); here a step
 * allocates nothing, creates no INDArray and copies only its own rows in and out of the layer's
 * arrays (bulk copies of ~50 KB). Used for float32 on the CPU backend (ND4J memory is host memory,
 * read through {@link org.nd4j.linalg.api.buffer.DataBuffer#asNio()}) when the JVM has the {@code
 * jdk.incubator.vector} module (every launcher of this project adds it, as Spark 4 does); other
 * cases use the ND4J-op path in {@link GruLayer}, against which this one is tested.
 *
 * <p>All arrays passed in are dense c-order arrays that {@link GruLayer} allocated (offset 0), rows
 * time-major ({@code t * B + b}).
 */
final class JavaGates {
  private static final boolean CPU = Nd4j.getBackend().getClass().getName().contains(".cpu.");
  private static final boolean VECTOR_API =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private final int h;
  private final int batch;

  JavaGates(int hidden, int batch) {
    this.h = hidden;
    this.batch = batch;
  }

  static boolean available(DataType type) {
    return CPU && VECTOR_API && type == DataType.FLOAT;
  }

  /**
   * All T steps forward. gi {@code [TB, 3H]} holds the input projections ({@code x W_ih^T + b_ih});
   * writes gh {@code [TB, 3H]} ({@code h_{t-1} W_hh^T + b_hh}), r and z into rz {@code [TB, 2H]}, n
   * {@code [TB, H]} and h_t into row block t + 1 of hAll {@code [(T+1)B, H]} (block 0 is h0 = 0).
   */
  void forward(
      int steps,
      INDArray gi,
      INDArray wHh,
      INDArray bHh,
      INDArray gh,
      INDArray rz,
      INDArray n,
      INDArray hAll) {
    int g3 = 3 * h;
    RecurrentWeights w = new RecurrentWeights(wHh, batch); // [3H, H]
    float[] bias = NativeFloats.heap(bHh);
    FloatBuffer fgi = NativeFloats.view(gi);
    FloatBuffer fgh = NativeFloats.view(gh);
    FloatBuffer frz = NativeFloats.view(rz);
    FloatBuffer fn = NativeFloats.view(n);
    FloatBuffer fh = NativeFloats.view(hAll);
    float[] hPrev = new float[batch * h]; // h0 = 0; becomes h_t in place
    float[] giT = new float[batch * g3];
    float[] ghT = new float[batch * g3];
    float[] rzT = new float[batch * 2 * h];
    float[] nT = new float[batch * h];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(bias, 0, ghT, b * g3, g3);
      }
      if (t > 0) { // h0 = 0: the recurrent term is just b_hh
        w.multiplyAdd(hPrev, ghT);
      }
      fgi.get(t * batch * g3, giT);
      for (int b = 0; b < batch; b++) {
        VectorGates.gru(h, giT, ghT, b * g3, hPrev, b * h, rzT, b * 2 * h, nT);
      }
      fgh.put(t * batch * g3, ghT);
      frz.put(t * batch * 2 * h, rzT);
      fn.put(t * batch * h, nT);
      fh.put((t + 1) * batch * h, hPrev);
    }
    // The buffers above are raw views of these arrays' native memory: keep the arrays (and so
    // that memory) alive until the last access, or a collection mid-loop frees what is written.
    java.lang.ref.Reference.reachabilityFence(new Object[] {gi, wHh, bHh, gh, rz, n, hAll});
  }

  /**
   * All T steps of backward, last to first, from the forward's r, z (rz), n, gh and hAll. With a_n
   * = (1 - n^2)(1 - z): dGh_t = dh_t * [a_n (gh_n) r (1 - r) | (h_{t-1} - n) z (1 - z) | a_n r],
   * dGi_t = dGh_t except its n block, dh_t * a_n; and for t > 0, dh_{t-1} += dh_t * z + dGh_t W_hh.
   * dh {@code [TB, H]} holds dL/dh_t from above on entry and the full dL/dh_t on return; dGh and
   * dGi {@code [TB, 3H]} are written.
   */
  void backward(
      int steps,
      INDArray rz,
      INDArray n,
      INDArray gh,
      INDArray hAll,
      INDArray dh,
      INDArray dGh,
      INDArray dGi,
      INDArray wHh) {
    int g3 = 3 * h;
    float[] w = NativeFloats.heap(wHh); // [3H, H]: row k holds what dGh[., k] multiplies
    FloatBuffer frz = NativeFloats.view(rz);
    FloatBuffer fn = NativeFloats.view(n);
    FloatBuffer fgh = NativeFloats.view(gh);
    FloatBuffer fh = NativeFloats.view(hAll);
    FloatBuffer fdh = NativeFloats.view(dh);
    FloatBuffer fdgh = NativeFloats.view(dGh);
    FloatBuffer fdgi = NativeFloats.view(dGi);
    float[] d = new float[batch * h];
    float[] prev = new float[batch * h];
    float[] rzT = new float[batch * 2 * h];
    float[] nT = new float[batch * h];
    float[] ghT = new float[batch * g3];
    float[] hT = new float[batch * h];
    float[] dgh = new float[batch * g3];
    float[] dgi = new float[batch * g3];
    fdh.get((steps - 1) * batch * h, d);
    for (int t = steps - 1; t >= 0; t--) {
      frz.get(t * batch * 2 * h, rzT);
      fn.get(t * batch * h, nT);
      fgh.get(t * batch * g3, ghT);
      fh.get(t * batch * h, hT); // row block t of hAll is h_{t-1}
      for (int b = 0; b < batch; b++) {
        int g = b * g3;
        int o1 = b * h;
        int o2 = b * 2 * h;
        for (int j = 0; j < h; j++) {
          float dj = d[o1 + j];
          float r = rzT[o2 + j];
          float z = rzT[o2 + h + j];
          float nn = nT[o1 + j];
          float an = (1 - nn * nn) * (1 - z);
          float dr = dj * an * ghT[g + 2 * h + j] * r * (1 - r);
          float dz = dj * (hT[o1 + j] - nn) * z * (1 - z);
          dgh[g + j] = dr;
          dgh[g + h + j] = dz;
          dgh[g + 2 * h + j] = dj * an * r;
          dgi[g + j] = dr;
          dgi[g + h + j] = dz;
          dgi[g + 2 * h + j] = dj * an;
        }
      }
      fdgh.put(t * batch * g3, dgh);
      fdgi.put(t * batch * g3, dgi);
      if (t > 0) {
        int r0 = (t - 1) * batch * h;
        fdh.get(r0, prev);
        for (int b = 0; b < batch; b++) {
          int o1 = b * h;
          int z0 = b * 2 * h + h;
          for (int j = 0; j < h; j++) {
            prev[o1 + j] += d[o1 + j] * rzT[z0 + j];
          }
        }
        VectorGemm.multiplyAdd(dgh, batch, g3, w, h, prev);
        fdh.put(r0, prev);
        float[] swap = d;
        d = prev;
        prev = swap;
      }
    }
    // The buffers above are raw views of these arrays' native memory: keep the arrays (and so
    // that memory) alive until the last access, or a collection mid-loop frees what is written.
    java.lang.ref.Reference.reachabilityFence(new Object[] {rz, n, gh, hAll, dh, dGh, dGi, wHh});
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** tanh through one exp (Math.tanh is several times slower); saturates cleanly. */
  static double tanh(double x) {
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
