package ai.lvm.model;

import static ai.lvm.model.Tensors.cols;
import static ai.lvm.model.Tensors.rows;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One GRU layer in the PyTorch/cuDNN formulation (gates r, z, n; the reset gate multiplies the
 * recurrent projection {@code W_hn h + b_hn}; two bias vectors per gate; h0 = 0), with its own
 * backward through time. SameDiff's {@code gru} op computes this forward but its gradient is wrong
 * for T >= 2 (docs/architecture.md), hence this class.
 *
 * <p>Work is arranged as cuDNN does: the input projections of all time steps are one matrix
 * multiply, only {@code h W_hh^T} and the gate arithmetic run per step, and the weight gradients
 * are one multiply each after the backward recurrence. On the CPU in float32 the per-step part runs
 * in plain Java ({@link JavaGates}, {@link VectorGemm}): at B = 8 ND4J's per-op overhead and
 * OpenBLAS's small-matrix multiply cost more than the arithmetic.
 *
 * <p>Rows are time-major: row {@code t * B + b}. Parameters use PyTorch's layout and names ({@code
 * w_ih [3H, nIn]}, {@code w_hh [3H, H]}, {@code b_ih}, {@code b_hh}, gate order r, z, n). An
 * optional per-sample constant input {@code c [B, nConst]} (the same for every step) occupies the
 * last {@code nConst} input columns: its projection is computed once, not T times.
 */
final class GruLayer {
  private final int nIn;
  private final int nConst;
  private final int h;
  private final INDArray wIh;
  private final INDArray wHh;
  private final INDArray bIh;
  private final INDArray bHh;
  private final INDArray gWIh;
  private final INDArray gWHh;
  private final INDArray gBIh;
  private final INDArray gBHh;

  /** The recurrence in plain Java ({@link JavaGates}; float32 on the CPU backend). */
  boolean javaGates;

  // forward state kept for backward
  private int steps;
  private int batch;
  private INDArray x;
  private INDArray c;
  private INDArray hAll; // [(T+1)B, H]; rows [0, B) are h0 = 0
  private INDArray gh; // [TB, 3H]: h_{t-1} W_hh^T + b_hh
  private INDArray rz; // [TB, 2H]
  private INDArray n; // [TB, H]
  private INDArray dConst;

  /** Registers {@code <prefix>.weight_ih_l<index>} etc., PyTorch's {@code nn.GRU} names. */
  GruLayer(
      Parameters params,
      String prefix,
      int index,
      int nIn,
      int nConst,
      int hidden,
      SplittableRandom rng) {
    this.nIn = nIn;
    this.nConst = nConst;
    this.h = hidden;
    DataType type = params.dataType();
    double bound = 1 / Math.sqrt(hidden); // PyTorch: every GRU weight and bias U(-1/sqrt(H), ..)
    String wi = prefix + ".weight_ih_l" + index;
    String wh = prefix + ".weight_hh_l" + index;
    String bi = prefix + ".bias_ih_l" + index;
    String bh = prefix + ".bias_hh_l" + index;
    wIh = params.add(wi, Tensors.uniform(rng, type, bound, 3L * h, nIn + nConst));
    wHh = params.add(wh, Tensors.uniform(rng, type, bound, 3L * h, h));
    bIh = params.add(bi, Tensors.uniform(rng, type, bound, 3L * h));
    bHh = params.add(bh, Tensors.uniform(rng, type, bound, 3L * h));
    gWIh = params.gradient(wi);
    gWHh = params.gradient(wh);
    gBIh = params.gradient(bi);
    gBHh = params.gradient(bh);
    javaGates = JavaGates.available(type);
  }

  /**
   * Runs the layer over {@code x [T*B, nIn]} (time-major) and optional {@code c [B, nConst]};
   * returns all hidden states {@code [T*B, H]} (a view; row block t is h_t).
   */
  INDArray forward(INDArray x, INDArray c, int steps, int batch) {
    if ((c == null) != (nConst == 0)) {
      throw new IllegalArgumentException("constant input given iff the layer has one");
    }
    this.x = x;
    this.c = c;
    this.steps = steps;
    this.batch = batch;
    DataType type = wIh.dataType();
    INDArray wx = nConst == 0 ? wIh : cols(wIh, 0, nIn);
    INDArray gi = Tensors.mm(x, wx, false, true).addiRowVector(bIh);
    if (c != null) {
      INDArray ci = Tensors.mm(c, cols(wIh, nIn, nIn + nConst), false, true);
      gi.reshape(steps, (long) batch * 3 * h).addiRowVector(ci.reshape(1, (long) batch * 3 * h));
    }
    hAll = Nd4j.zeros(type, (long) (steps + 1) * batch, h);
    gh = Nd4j.create(type, (long) steps * batch, 3L * h);
    rz = Nd4j.create(type, (long) steps * batch, 2L * h);
    n = Nd4j.create(type, (long) steps * batch, h);
    if (javaGates) {
      new JavaGates(h, batch).forward(steps, gi, wHh, bHh, gh, rz, n, hAll);
      return rows(hAll, batch, (long) (steps + 1) * batch);
    }
    gh.addiRowVector(bHh);
    for (int t = 0; t < steps; t++) {
      long r0 = (long) t * batch;
      long r1 = r0 + batch;
      INDArray hPrev = rows(hAll, r0, r1);
      INDArray ghT = rows(gh, r0, r1);
      if (t > 0) { // h0 = 0: the recurrent term is just b_hh
        Nd4j.gemm(hPrev, wHh, ghT, false, true, 1.0, 1.0);
      }
      INDArray hNext = rows(hAll, r1, r1 + batch);
      INDArray giT = rows(gi, r0, r1);
      INDArray rzT = rows(rz, r0, r1);
      cols(giT, 0, 2L * h).add(cols(ghT, 0, 2L * h), rzT);
      Transforms.sigmoid(rzT, false);
      INDArray nT = rows(n, r0, r1);
      cols(rzT, 0, h).mul(cols(ghT, 2L * h, 3L * h), nT);
      nT.addi(cols(giT, 2L * h, 3L * h));
      Transforms.tanh(nT, false);
      // h' = (1 - z) n + z h = n + z (h - n)
      hPrev.sub(nT, hNext).muli(cols(rzT, h, 2L * h)).addi(nT);
    }
    return rows(hAll, batch, (long) (steps + 1) * batch);
  }

  /**
   * Backward through time. {@code dSeq [T*B, H]} is dL/dh_t from above for every step and {@code
   * dLast [B, H]} an extra dL/dh_T; either may be null. Accumulates parameter gradients and returns
   * dL/dx {@code [T*B, nIn]}; dL/dc is in {@link #constantGradient()}.
   */
  INDArray backward(INDArray dSeq, INDArray dLast) {
    DataType type = wIh.dataType();
    long tb = (long) steps * batch;
    INDArray hPrevAll = rows(hAll, 0, tb);
    INDArray dh = dSeq == null ? Nd4j.zeros(type, tb, h) : dSeq.dup('c');
    if (dLast != null) {
      rows(dh, tb - batch, tb).addi(dLast);
    }
    INDArray dGh = Nd4j.create(type, tb, 3L * h); // dL/d(h_{t-1} W_hh^T + b_hh)
    INDArray dGi; // dL/d(x_t W_ih^T + b_ih): equal to dGh in the r and z blocks
    if (javaGates) {
      dGi = Nd4j.create(type, tb, 3L * h);
      new JavaGates(h, batch).backward(steps, rz, n, gh, hAll, dh, dGh, dGi, wHh);
    } else {
      dGi = backwardOps(dh, dGh);
    }

    Tensors.mmAdd(dGh, hPrevAll, gWHh, true, false);
    gBHh.addi(dGh.sum(0));
    gBIh.addi(dGi.sum(0));
    INDArray wx;
    if (nConst == 0) {
      wx = wIh;
      Tensors.mmAdd(dGi, x, gWIh, true, false);
      dConst = null;
    } else {
      wx = cols(wIh, 0, nIn);
      Tensors.mmAdd(dGi, x, cols(gWIh, 0, nIn), true, false);
      INDArray dGiSum = dGi.reshape(steps, (long) batch * 3 * h).sum(0).reshape(batch, 3L * h);
      INDArray wc = cols(wIh, nIn, nIn + nConst);
      Tensors.mmAdd(dGiSum, c, cols(gWIh, nIn, nIn + nConst), true, false);
      dConst = Tensors.mm(dGiSum, wc, false, false);
    }
    return Tensors.mm(dGi, wx, false, false);
  }

  /**
   * The backward recurrence with ND4J ops (the path other backends and float64 take): precomputes,
   * for all steps at once, the factors that turn dL/dh_t into the three gate pre-activation
   * gradients, so a step is one broadcast multiply, one small matrix multiply and two element-wise
   * ops. Fills dh and dGh; returns dGi.
   */
  private INDArray backwardOps(INDArray dh, INDArray dGh) {
    DataType type = wIh.dataType();
    long tb = (long) steps * batch;
    INDArray r = cols(rz, 0, h);
    INDArray z = cols(rz, h, 2L * h);
    INDArray hPrevAll = rows(hAll, 0, tb);
    // Factors for all steps at once: dGH_t = dh_t * [ar | az | an r], dGI_n = dh_t * an.
    INDArray oneMinusZ = z.rsub(1.0);
    INDArray an = n.mul(n).rsubi(1.0).muli(oneMinusZ);
    INDArray factors = Nd4j.create(type, tb, 3L * h);
    INDArray ar = cols(factors, 0, h);
    an.mul(cols(gh, 2L * h, 3L * h), ar).muli(r).muli(r.rsub(1.0));
    hPrevAll.sub(n, cols(factors, h, 2L * h)).muli(z).muli(oneMinusZ);
    an.mul(r, cols(factors, 2L * h, 3L * h));
    INDArray factors3 = factors.reshape(tb, 3, h);
    INDArray dGh3 = dGh.reshape(tb, 3, h);
    INDArray tmp = Nd4j.create(type, batch, h);
    for (int t = steps - 1; t >= 0; t--) {
      long r0 = (long) t * batch;
      long r1 = r0 + batch;
      INDArray dhT = rows(dh, r0, r1);
      INDArray dGh3T =
          dGh3.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all(), NDArrayIndex.all());
      INDArray f3T =
          factors3.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all(), NDArrayIndex.all());
      Nd4j.getExecutioner().exec(new BroadcastMulOp(f3T, dhT, dGh3T, 0, 2));
      if (t > 0) {
        dhT.mul(cols(rows(rz, r0, r1), h, 2L * h), tmp);
        rows(dh, r0 - batch, r0).addi(tmp);
        Nd4j.gemm(rows(dGh, r0, r1), wHh, rows(dh, r0 - batch, r0), false, false, 1.0, 1.0);
      }
    }
    INDArray dGi = dGh.dup('c');
    dh.mul(an, cols(dGi, 2L * h, 3L * h));
    return dGi;
  }

  /** dL/dc of the last backward (null without a constant input). */
  INDArray constantGradient() {
    return dConst;
  }

  int hidden() {
    return h;
  }

  static long parameterCount(int nIn, int hidden) {
    return 3L * hidden * (nIn + hidden + 2);
  }
}
