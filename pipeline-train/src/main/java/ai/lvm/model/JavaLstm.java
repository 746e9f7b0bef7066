package ai.lvm.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The LSTM's recurrence in plain Java, as {@link JavaGates} does the GRU's: per step the recurrent
 * product through {@link VectorGemm} and the gate and cell arithmetic in whole vectors ({@link
 * VectorGates#lstm}) over heap scratch rows, no INDArray and no ND4J op. Same conditions ({@link
 * JavaGates#available}); tested against the ND4J-op path of {@link LstmLayer}.
 */
final class JavaLstm {
  private final int h;
  private final int batch;

  JavaLstm(int hidden, int batch) {
    this.h = hidden;
    this.batch = batch;
  }

  /**
   * All T steps forward. gates {@code [TB, 4H]} holds the input projections plus both biases on
   * entry and the activated gates i, f, g, o on return; writes c_t and h_t into row block t + 1 of
   * cAll and hAll {@code [(T+1)B, H]} (block 0 is c0 = h0 = 0) and tanh(c_t) into tanhC {@code [TB,
   * H]}.
   */
  void forward(
      int steps, INDArray gates, INDArray wHh, INDArray cAll, INDArray hAll, INDArray tanhC) {
    int g4 = 4 * h;
    RecurrentWeights w = new RecurrentWeights(wHh, batch); // [4H, H]
    FloatBuffer fg = NativeFloats.view(gates);
    FloatBuffer fc = NativeFloats.view(cAll);
    FloatBuffer fh = NativeFloats.view(hAll);
    FloatBuffer ftc = NativeFloats.view(tanhC);
    float[] gT = new float[batch * g4];
    float[] hPrev = new float[batch * h]; // h0 = 0; becomes h_t in place
    float[] c = new float[batch * h]; // c0 = 0; becomes c_t in place
    float[] tc = new float[batch * h];
    for (int t = 0; t < steps; t++) {
      fg.get(t * batch * g4, gT);
      if (t > 0) {
        w.multiplyAdd(hPrev, gT);
      }
      for (int b = 0; b < batch; b++) {
        VectorGates.lstm(h, gT, b * g4, c, tc, hPrev, b * h);
      }
      fg.put(t * batch * g4, gT);
      fc.put((t + 1) * batch * h, c);
      fh.put((t + 1) * batch * h, hPrev);
      ftc.put(t * batch * h, tc);
    }
    // The buffers above are raw views of these arrays' native memory: keep the arrays (and so
    // that memory) alive until the last access, or a collection mid-loop frees what is written.
    java.lang.ref.Reference.reachabilityFence(new Object[] {gates, wHh, cAll, hAll, tanhC});
  }

  /**
   * All T steps of backward, last to first: the gate pre-activation gradients dGates {@code [TB,
   * 4H]} (written), carrying dL/dc across steps, and for t > 0 dh_{t-1} += dGates_t W_hh. dh {@code
   * [TB, H]} holds dL/dh_t from above on entry and the full dL/dh_t on return.
   */
  void backward(
      int steps,
      INDArray gates,
      INDArray cAll,
      INDArray tanhC,
      INDArray dh,
      INDArray dGates,
      INDArray wHh) {
    int g4 = 4 * h;
    float[] w = NativeFloats.heap(wHh); // [4H, H]
    FloatBuffer fg = NativeFloats.view(gates);
    FloatBuffer fc = NativeFloats.view(cAll);
    FloatBuffer ftc = NativeFloats.view(tanhC);
    FloatBuffer fdh = NativeFloats.view(dh);
    FloatBuffer fdg = NativeFloats.view(dGates);
    float[] gT = new float[batch * g4];
    float[] cPrev = new float[batch * h];
    float[] tc = new float[batch * h];
    float[] d = new float[batch * h];
    float[] prev = new float[batch * h];
    float[] dc = new float[batch * h]; // dL/dc_t carried back; starts at 0
    float[] dT = new float[batch * g4];
    fdh.get((steps - 1) * batch * h, d);
    for (int t = steps - 1; t >= 0; t--) {
      fg.get(t * batch * g4, gT);
      fc.get(t * batch * h, cPrev); // row block t of cAll is c_{t-1}
      ftc.get(t * batch * h, tc);
      for (int b = 0; b < batch; b++) {
        int g = b * g4;
        int o1 = b * h;
        for (int j = 0; j < h; j++) {
          float i = gT[g + j];
          float f = gT[g + h + j];
          float gg = gT[g + 2 * h + j];
          float o = gT[g + 3 * h + j];
          float tcj = tc[o1 + j];
          float dhj = d[o1 + j];
          float dcj = dc[o1 + j] + dhj * o * (1 - tcj * tcj);
          dT[g + j] = dcj * gg * i * (1 - i);
          dT[g + h + j] = dcj * cPrev[o1 + j] * f * (1 - f);
          dT[g + 2 * h + j] = dcj * i * (1 - gg * gg);
          dT[g + 3 * h + j] = dhj * tcj * o * (1 - o);
          dc[o1 + j] = dcj * f;
        }
      }
      fdg.put(t * batch * g4, dT);
      if (t > 0) {
        int r0 = (t - 1) * batch * h;
        fdh.get(r0, prev);
        VectorGemm.multiplyAdd(dT, batch, g4, w, h, prev);
        fdh.put(r0, prev);
        float[] swap = d;
        d = prev;
        prev = swap;
      }
    }
    // The buffers above are raw views of these arrays' native memory: keep the arrays (and so
    // that memory) alive until the last access, or a collection mid-loop frees what is written.
    java.lang.ref.Reference.reachabilityFence(new Object[] {gates, cAll, tanhC, dh, dGates, wHh});
  }
}
