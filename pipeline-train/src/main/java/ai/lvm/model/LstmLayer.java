package ai.lvm.model;

import static ai.lvm.model.Tensors.cols;
import static ai.lvm.model.Tensors.rows;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One LSTM layer as PyTorch's {@code nn.LSTM} (gates i, f, g, o; two bias vectors; h0 = c0 = 0)
 * with explicit backward through time, organised like {@link GruLayer}: input projections of all
 * steps in one multiply, per step one {@code h W_hh^T}, weight gradients in one multiply each (the
 * per-step part in plain Java on the CPU in float32, {@link JavaLstm}). Rows are time-major ({@code
 * t * B + b}); parameter names and layout follow PyTorch ({@code w_ih [4H, nIn]}, {@code w_hh [4H,
 * H]}, {@code b_ih}, {@code b_hh}).
 */
final class LstmLayer {
  private final int h;
  private final INDArray wIh;
  private final INDArray wHh;
  private final INDArray bIh;
  private final INDArray bHh;
  private final INDArray gWIh;
  private final INDArray gWHh;
  private final INDArray gBIh;
  private final INDArray gBHh;

  /** The recurrence in plain Java ({@link JavaLstm}; float32 on the CPU backend). */
  boolean javaGates;

  private int steps;
  private int batch;
  private INDArray x;
  private INDArray gates; // [TB, 4H] activated i, f, g, o
  private INDArray cAll; // [(T+1)B, H], rows [0, B) = c0 = 0
  private INDArray hAll; // [(T+1)B, H], rows [0, B) = h0 = 0
  private INDArray tanhC; // [TB, H]

  /** Registers {@code <prefix>.weight_ih_l<index>} etc., PyTorch's {@code nn.LSTM} names. */
  LstmLayer(
      Parameters params, String prefix, int index, int nIn, int hidden, SplittableRandom rng) {
    this.h = hidden;
    DataType type = params.dataType();
    double bound = 1 / Math.sqrt(hidden); // PyTorch: every LSTM weight and bias U(-1/sqrt(H), ..)
    String wi = prefix + ".weight_ih_l" + index;
    String wh = prefix + ".weight_hh_l" + index;
    String bi = prefix + ".bias_ih_l" + index;
    String bh = prefix + ".bias_hh_l" + index;
    wIh = params.add(wi, Tensors.uniform(rng, type, bound, 4L * h, nIn));
    wHh = params.add(wh, Tensors.uniform(rng, type, bound, 4L * h, h));
    bIh = params.add(bi, Tensors.uniform(rng, type, bound, 4L * h));
    bHh = params.add(bh, Tensors.uniform(rng, type, bound, 4L * h));
    gWIh = params.gradient(wi);
    gWHh = params.gradient(wh);
    gBIh = params.gradient(bi);
    gBHh = params.gradient(bh);
    javaGates = JavaGates.available(type);
  }

  static long parameterCount(int nIn, int hidden) {
    return 4L * hidden * (nIn + hidden + 2);
  }

  /** All hidden states {@code [T*B, H]} (a view) for inputs {@code x [T*B, nIn]}. */
  INDArray forward(INDArray x, int steps, int batch) {
    this.x = x;
    this.steps = steps;
    this.batch = batch;
    DataType type = wIh.dataType();
    long tb = (long) steps * batch;
    gates = Tensors.mm(x, wIh, false, true).addiRowVector(bIh.add(bHh));
    cAll = Nd4j.zeros(type, tb + batch, h);
    hAll = Nd4j.zeros(type, tb + batch, h);
    tanhC = Nd4j.create(type, tb, h);
    if (javaGates) {
      new JavaLstm(h, batch).forward(steps, gates, wHh, cAll, hAll, tanhC);
      return rows(hAll, batch, tb + batch);
    }
    for (int t = 0; t < steps; t++) {
      long r0 = (long) t * batch;
      long r1 = r0 + batch;
      INDArray gT = rows(gates, r0, r1);
      if (t > 0) {
        Nd4j.gemm(rows(hAll, r0, r1), wHh, gT, false, true, 1.0, 1.0);
      }
      Transforms.sigmoid(cols(gT, 0, 2L * h), false);
      Transforms.tanh(cols(gT, 2L * h, 3L * h), false);
      Transforms.sigmoid(cols(gT, 3L * h, 4L * h), false);
      INDArray cNext = rows(cAll, r1, r1 + batch);
      cols(gT, h, 2L * h).mul(rows(cAll, r0, r1), cNext);
      cNext.addi(cols(gT, 0, h).mul(cols(gT, 2L * h, 3L * h)));
      INDArray tc = rows(tanhC, r0, r1);
      tc.assign(cNext);
      Transforms.tanh(tc, false);
      cols(gT, 3L * h, 4L * h).mul(tc, rows(hAll, r1, r1 + batch));
    }
    return rows(hAll, batch, tb + batch);
  }

  /** Backward through time given dL/dh_t for all steps ({@code [T*B, H]}); returns dL/dx. */
  INDArray backward(INDArray dSeq) {
    DataType type = wIh.dataType();
    long tb = (long) steps * batch;
    INDArray dh = dSeq.dup('c');
    INDArray dGates = Nd4j.create(type, tb, 4L * h);
    if (javaGates) {
      new JavaLstm(h, batch).backward(steps, gates, cAll, tanhC, dh, dGates, wHh);
    } else {
      backwardOps(dh, dGates);
    }
    Tensors.mmAdd(dGates, rows(hAll, 0, tb), gWHh, true, false);
    Tensors.mmAdd(dGates, x, gWIh, true, false);
    INDArray dBias = dGates.sum(0);
    gBHh.addi(dBias);
    gBIh.addi(dBias);
    return Tensors.mm(dGates, wIh, false, false);
  }

  /** The backward recurrence with ND4J ops (other backends, float64): fills dh and dGates. */
  private void backwardOps(INDArray dh, INDArray dGates) {
    INDArray dc = Nd4j.zeros(wIh.dataType(), batch, h);
    for (int t = steps - 1; t >= 0; t--) {
      long r0 = (long) t * batch;
      long r1 = r0 + batch;
      INDArray gT = rows(gates, r0, r1);
      INDArray i = cols(gT, 0, h);
      INDArray f = cols(gT, h, 2L * h);
      INDArray g = cols(gT, 2L * h, 3L * h);
      INDArray o = cols(gT, 3L * h, 4L * h);
      INDArray tc = rows(tanhC, r0, r1);
      INDArray dhT = rows(dh, r0, r1);
      INDArray dT = rows(dGates, r0, r1);
      // dc += dh o (1 - tanh(c)^2)
      dc.addi(tc.mul(tc).rsubi(1.0).muli(o).muli(dhT));
      // do_pre = dh tanh(c) o (1 - o)
      dhT.mul(tc, cols(dT, 3L * h, 4L * h)).muli(o).muli(o.rsub(1.0));
      // di_pre = dc g i (1 - i); df_pre = dc c_prev f (1 - f); dg_pre = dc i (1 - g^2)
      dc.mul(g, cols(dT, 0, h)).muli(i).muli(i.rsub(1.0));
      dc.mul(rows(cAll, r0, r1), cols(dT, h, 2L * h)).muli(f).muli(f.rsub(1.0));
      dc.mul(i, cols(dT, 2L * h, 3L * h)).muli(g.mul(g).rsubi(1.0));
      dc.muli(f);
      if (t > 0) {
        Nd4j.gemm(dT, wHh, rows(dh, r0 - batch, r0), false, false, 1.0, 1.0);
      }
    }
  }
}
