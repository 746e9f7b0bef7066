package ai.lvm.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference system's memory-augmented GRU (docs/reference-system.md), layer for layer, with
 * explicit backward so every gradient is checked and the model runs on any ND4J backend:
 *
 * <ol>
 *   <li>LayerNorm(D) on every context vector;
 *   <li>a memory read with a zero query, m0 (the same for every sample: it depends only on the
 *       query bias and the memory);
 *   <li>GRU over u_t = [x_t ; m0] (H, L layers, dropout between layers, h0 = 0); the m0 half of the
 *       first layer's input projection is computed once, not per step;
 *   <li>m1 = read(h_T); fusion Linear(H+D, H), GELU, Dropout, LayerNorm(H) on [h_T ; m1];
 *   <li>head Linear(H, 2H), GELU, Dropout, Linear(2H, D) to raw;
 *   <li>the {@link PredictionHead}: normalize(x_last + unit(raw)) (residual, the reference),
 *       unit(raw) (direct) or normalize(base + raw) (base).
 * </ol>
 *
 * <p>At {@link Readout#EVERY} steps 4-6 run on every h_t instead of h_T alone (dense targets).
 *
 * <p>The memory {@code [slots, D]} is a buffer, not a parameter: after a training micro-batch
 * {@link #afterStep} applies {@code M <- 0.9 M + 0.1 (mean_b softmax(W_g h_T + b_g)) outer (mean_b
 * raw)}. The write gate W_g is registered as a parameter (the reference counts it) but never
 * receives a gradient. The reference does not say how it initialised the memory; here it is normal
 * with standard deviation 0.02.
 */
public final class MemoryGru extends ModelBase {
  public static final String TYPE = "memory-gru";
  static final double MEMORY_DECAY = 0.9;
  static final double MEMORY_INIT_STD = 0.01;

  /** Name of the memory buffer (the reference's state-dict key). */
  public static final String MEMORY = "memory.memory";

  private final INDArray memory;
  private INDArray memoryUnit; // memoryUnit()'s cache; null after a write
  private final Map<String, INDArray> buffers;
  private final LayerNorm inputNorm;
  private final Linear query;
  private final Linear writeGate;
  private final Gru gru;
  private final Linear fusion;
  private final Gelu fusionAct = new Gelu();
  private final Dropout fusionDrop;
  private final LayerNorm fusionNorm;
  private final Linear head1;
  private final Gelu headAct = new Gelu();
  private final Dropout headDrop;
  private final Linear head2;
  private final PredictionHead prediction = new PredictionHead(spec, params);
  private final MemoryRead read0 = new MemoryRead();
  private final MemoryRead read1 = new MemoryRead();

  // state of the last forward
  private int batch;
  private int steps;
  private Readout readout;
  private INDArray lastHidden;
  private INDArray lastRaw;
  private boolean memoryUpdatePending;

  MemoryGru(ModelSpec spec, DataType dataType) {
    super(spec, dataType);
    int d = spec.dimension();
    int h = spec.hidden();
    SplittableRandom init = new SplittableRandom(spec.seed());
    // registration order and names as the reference's PyTorch state dict
    gru = new Gru(params, "gru", d, d, h, spec.layers(), spec.dropout(), init, dropoutRng);
    query = new Linear(params, "memory.query_proj", h, d, init);
    writeGate = new Linear(params, "memory.write_gate", h, spec.memorySlots(), init);
    inputNorm = new LayerNorm(params, "input_norm", d);
    fusion = new Linear(params, "fusion.0", h + d, h, init);
    fusionDrop = new Dropout(spec.dropout(), dropoutRng);
    fusionNorm = new LayerNorm(params, "fusion.3", h);
    head1 = new Linear(params, "output_proj.0", h, 2 * h, init);
    headDrop = new Dropout(spec.dropout(), dropoutRng);
    head2 = new Linear(params, "output_proj.3", 2 * h, d, init);
    if (prediction.startsAtBase()) {
      head2.zero();
    }
    memory = Tensors.normal(init, dataType, MEMORY_INIT_STD, spec.memorySlots(), d).dup('c');
    Map<String, INDArray> b = new LinkedHashMap<>();
    b.put(MEMORY, memory);
    buffers = Collections.unmodifiableMap(b);
  }

  /** Trainable scalars of this architecture, as the reference counts them. */
  public static long parameterCount(ModelSpec s) {
    long d = s.dimension();
    long h = s.hidden();
    long w = 2 * h;
    return 2 * d // input LayerNorm
        + (h * d + d) // memory query
        + (h * s.memorySlots() + s.memorySlots()) // write gate
        + Gru.parameterCount(2 * s.dimension(), s.hidden(), s.layers())
        + ((h + d) * h + h)
        + 2 * h // fusion Linear + LayerNorm
        + (h * w + w)
        + (w * d + d); // head
  }

  /**
   * {@value #MEMORY}: the {@code [slots, D]} memory bank (live array). A caller may write it (a
   * checkpoint's restore does) before the next forward: handing it out drops the cached unit rows.
   */
  @Override
  public Map<String, INDArray> buffers() {
    memoryUnit = null;
    return buffers;
  }

  /**
   * The memory's rows scaled to unit length, which both reads compare against. Cached between
   * memory writes: inference never writes the memory, and normalising 2,048 x 768 slots was ~3 ms
   * of a ~50 ms single-window forward at C = 100. Dropped by the write ({@link #afterStep}) and by
   * {@link #buffers()}.
   */
  private INDArray memoryUnit() {
    if (memoryUnit == null) {
      memoryUnit = L2Norm.unitRows(memory);
    }
    return memoryUnit;
  }

  @Override
  public boolean supports(Readout r) {
    return true;
  }

  @Override
  public INDArray forward(INDArray contexts, boolean training, Readout readout) {
    int d = spec.dimension();
    INDArray x = Tensors.contexts(contexts, d, dataType);
    batch = (int) contexts.size(0);
    steps = (int) contexts.size(1);
    long b = batch;
    long c = steps;
    INDArray xn = inputNorm.forward(x.reshape('c', b * c, d));
    // to time-major rows (t * B + b) for the GRU
    INDArray xt = Tensors.timeMajor(xn.reshape('c', b, c, d));

    INDArray memoryUnit = memoryUnit();
    INDArray m0 = read0.forward(query.bias().reshape(1, d), memoryUnit);
    INDArray constant = Nd4j.zeros(dataType, b, d).addiRowVector(m0);
    INDArray seq = gru.forward(xt, constant, steps, batch, training);
    INDArray hT = Tensors.rows(seq, (c - 1) * b, c * b).dup('c');
    INDArray read = readout == Readout.LAST ? hT : seq;
    INDArray m1 = read1.forward(query.forward(read), memoryUnit);

    INDArray f = fusion.forward(Nd4j.hstack(read, m1));
    f = fusionNorm.forward(fusionDrop.forward(fusionAct.forward(f), training));
    INDArray raw = head2.forward(headDrop.forward(headAct.forward(head1.forward(f)), training));
    INDArray y = prediction.forward(raw, x, readout);
    // The memory write reads the last step only, whatever the read-out (the reference's rule).
    lastHidden = hT;
    lastRaw = readout == Readout.LAST ? raw : Tensors.rows(raw, (c - 1) * b, c * b).dup('c');
    this.readout = readout;
    memoryUpdatePending = training;
    return y;
  }

  @Override
  public void backward(INDArray dPredictions) {
    if (lastRaw == null) {
      throw new IllegalStateException("backward before forward");
    }
    int d = spec.dimension();
    int h = spec.hidden();
    INDArray dRaw = prediction.backward(dPredictions.castTo(dataType));
    INDArray df = head1.backward(headAct.backward(headDrop.backward(head2.backward(dRaw))));
    INDArray dFusionIn =
        fusion.backward(fusionAct.backward(fusionDrop.backward(fusionNorm.backward(df))));
    INDArray dhT = Tensors.cols(dFusionIn, 0, h).dup('c');
    INDArray dm1 = Tensors.cols(dFusionIn, h, h + d).dup('c');
    dhT.addi(query.backward(read1.backward(dm1))); // h_T at LAST, every h_t at EVERY
    INDArray dxt = readout == Readout.LAST ? gru.backward(null, dhT) : gru.backward(dhT, null);
    INDArray dm0 = gru.constantGradient().sum(0).reshape(1, d);
    query.biasGradient().addi(read0.backward(dm0).reshape(d));
    long b = batch;
    long c = steps;
    INDArray dxn = dxt.reshape('c', c, b, d).permute(1, 0, 2).dup('c').reshape('c', b * c, d);
    inputNorm.backward(dxn); // accumulates the LayerNorm's gradients; inputs need none
  }

  /**
   * The memory write of the last training forward (no-op after an inference forward, and applied at
   * most once per forward).
   */
  @Override
  public void afterStep() {
    if (!memoryUpdatePending) {
      return;
    }
    memoryUpdatePending = false;
    INDArray gate = Tensors.softmaxRows(writeGate.apply(lastHidden));
    INDArray meanGate = gate.mean(0).reshape(spec.memorySlots(), 1);
    INDArray meanRaw = lastRaw.mean(0).reshape(1, spec.dimension());
    memory.muli(MEMORY_DECAY).addi(meanGate.mmul(meanRaw).muli(1 - MEMORY_DECAY));
    memoryUnit = null;
  }

  /** h_T of the last forward (for tests of the memory write). */
  INDArray lastHidden() {
    return lastHidden;
  }

  /** The head's raw output of the last forward (for tests of the memory write). */
  INDArray lastRaw() {
    return lastRaw;
  }

  /**
   * Content-based read: cosine between the (normalised) projected query and each normalised memory
   * row, softmax over slots (no temperature), weighted sum of the raw rows. No gradient flows into
   * the memory (a buffer).
   */
  private final class MemoryRead {
    private final L2Norm norm = new L2Norm();
    private INDArray weights;
    private INDArray memoryUnit;

    /** {@code p [N, D]} projected queries to reads {@code [N, D]}. */
    INDArray forward(INDArray p, INDArray memoryUnit) {
      this.memoryUnit = memoryUnit;
      INDArray sims = Tensors.mm(norm.forward(p), memoryUnit, false, true);
      weights = Tensors.softmaxRows(sims);
      return Tensors.mm(weights, memory, false, false);
    }

    /** dL/dp given dL/d(read). */
    INDArray backward(INDArray dRead) {
      long n = dRead.size(0);
      INDArray da = Tensors.mm(dRead, memory, false, true);
      INDArray dot = da.mul(weights).sum(1).reshape(n, 1);
      INDArray dSims = da.subiColumnVector(dot).muli(weights);
      return norm.backward(Tensors.mm(dSims, memoryUnit, false, false));
    }
  }
}
