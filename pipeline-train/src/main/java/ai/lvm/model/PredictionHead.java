package ai.lvm.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The last step of every model: its raw output {@code raw} becomes the unit prediction as {@link
 * PredictionMode} says.
 *
 * <ul>
 *   <li>{@code residual} (the reference): {@code normalize(unit(raw) + x_last)}. A new model starts
 *       45 degrees away from the last vector, whatever its weights.
 *   <li>{@code direct}: {@code unit(raw)}.
 *   <li>{@code base}: {@code normalize(base + raw)}, base = the mean of the last k context vectors
 *       ({@code k = 1}: the last vector), or with {@code baseLags} L set the {@code context-ar-L}
 *       prediction ({@link Baselines#contextArBase}). The model zero-initialises the layer that
 *       produces {@code raw}, so a new model predicts exactly its base, a no-training baseline, and
 *       training only has to learn the correction.
 * </ul>
 *
 * <p>With {@code analogue} set ({@code lvm.train.base-analogue}) the base mode adds the window's
 * analogue reads ({@link WindowAnalogue}) with two learned scalars, {@code head.analogue = (alpha,
 * gamma)}, both zero at initialisation so a new model still predicts exactly its base:
 *
 * <pre>
 *   prediction = normalize(base + alpha successor + gamma neighbour + raw)
 *   dL/dalpha  = sum over rows of  g . successor,   dL/dgamma = sum  g . neighbour,
 * </pre>
 *
 * with g = dL/d(base + ... + raw), the gradient {@link #backward} returns for raw (the sum is
 * linear in each term). alpha = -gamma is "move as the analogue moved". The parameters stored are
 * alpha and gamma divided by {@link #ANALOGUE_SCALE}, so their gradients are the ones above times
 * the scale.
 *
 * <p>At {@link Readout#EVERY} position t's base is the mean of positions {@code max(0, t-k+1)..t}
 * (fewer than k at the start of a window), or context-ar fitted to positions 0..t, and its analogue
 * reads positions before t only, so every prediction sees only its own past. The context is input,
 * so only {@code raw} and the analogue weights receive a gradient.
 */
final class PredictionHead {
  private final PredictionMode mode;
  private final int baseK;
  private final int baseLags;
  private final L2Norm unitRaw = new L2Norm();
  private final L2Norm unitPrediction = new L2Norm();

  /** The name of the analogue weights (alpha, gamma) in a model's parameters. */
  static final String ANALOGUE = "head.analogue";

  /**
   * alpha = ANALOGUE_SCALE x the stored parameter (likewise gamma). Adam moves a parameter by about
   * the learning rate per step whatever its gradient's size; the network's weights need steps of
   * that order, these two weights need to reach ~0.5 (where the analogue read helps when it helps)
   * within the few dozen steps of a small corpus's epoch: at the default 3e-4 a scale of 100 lets
   * them move ~0.03 a step.
   */
  static final double ANALOGUE_SCALE = 100;

  private final INDArray analogueWeights; // null without the analogue terms
  private final INDArray analogueGradients;
  private WindowAnalogue.Reads reads; // of the last forward, for backward

  /** A head that registers its own parameters (the analogue weights, if any) in {@code params}. */
  PredictionHead(ModelSpec spec, Parameters params) {
    this.mode = spec.prediction();
    this.baseK = spec.baseK();
    this.baseLags = spec.baseLags();
    boolean analogue = readsAnalogue(spec);
    this.analogueWeights = analogue ? params.add(ANALOGUE, Nd4j.zeros(params.dataType(), 2)) : null;
    this.analogueGradients = analogue ? params.gradient(ANALOGUE) : null;
  }

  /** The trainable scalars the head adds to its model: 2 with the analogue terms, else 0. */
  static long parameterCount(ModelSpec spec) {
    return readsAnalogue(spec) ? 2 : 0;
  }

  /** The analogue terms belong to the base mode only; the other heads ignore the switch. */
  private static boolean readsAnalogue(ModelSpec spec) {
    return spec.analogue() && spec.prediction() == PredictionMode.BASE;
  }

  /** Whether the model must zero-initialise the layer producing {@code raw}. */
  boolean startsAtBase() {
    return mode == PredictionMode.BASE;
  }

  /**
   * @param raw the model's raw output, {@code [B, D]} at LAST or {@code [C * B, D]} at EVERY
   * @param contexts the model's input as a dense c-order {@code [B, C, D]} ({@link
   *     Tensors#contexts})
   */
  INDArray forward(INDArray raw, INDArray contexts, Readout readout) {
    return switch (mode) {
      case DIRECT -> unitRaw.forward(raw);
      case RESIDUAL -> unitPrediction.forward(unitRaw.forward(raw).add(base(contexts, 1, readout)));
      case BASE -> forwardOnBase(raw, base(contexts, baseK, baseLags, readout), contexts, readout);
    };
  }

  /**
   * The {@code base} mode's prediction {@code normalize(base + raw)} from a base the model has
   * already computed with {@link #base} (mix, whose own input is built on it), so it is not
   * computed twice. {@code contexts} and {@code readout} are those of {@link #forward}, for the
   * analogue terms.
   */
  INDArray forwardOnBase(INDArray raw, INDArray base, INDArray contexts, Readout readout) {
    if (mode != PredictionMode.BASE) {
      throw new IllegalStateException("a precomputed base needs the base mode, not " + mode);
    }
    INDArray sum = raw.add(base);
    if (analogueWeights != null) {
      reads = WindowAnalogue.read(contexts, readout);
      double alpha = ANALOGUE_SCALE * analogueWeights.getDouble(0);
      double gamma = ANALOGUE_SCALE * analogueWeights.getDouble(1);
      sum.addi(reads.successor().castTo(sum.dataType()).mul(alpha));
      sum.addi(reads.neighbour().castTo(sum.dataType()).mul(gamma));
    }
    return unitPrediction.forward(sum);
  }

  /** dLoss/dRaw from dLoss/dPrediction. */
  INDArray backward(INDArray dPrediction) {
    return switch (mode) {
      case DIRECT -> unitRaw.backward(dPrediction);
      case RESIDUAL -> unitRaw.backward(unitPrediction.backward(dPrediction));
      case BASE -> backwardOnBase(dPrediction);
    };
  }

  private INDArray backwardOnBase(INDArray dPrediction) {
    INDArray g = unitPrediction.backward(dPrediction);
    if (analogueWeights != null) {
      addGradient(0, g, reads.successor());
      addGradient(1, g, reads.neighbour());
    }
    return g;
  }

  private void addGradient(int index, INDArray g, INDArray read) {
    double dot = ANALOGUE_SCALE * g.mul(read.castTo(g.dataType())).sumNumber().doubleValue();
    analogueGradients.putScalar(index, analogueGradients.getDouble(index) + dot);
  }

  /**
   * The base of the {@code base} mode at each read-out position, in the contexts' data type: {@link
   * Baselines#contextArBase} with {@code lags} if positive, else {@link #base(INDArray, int,
   * Readout) the mean of the last k}.
   */
  static INDArray base(INDArray contexts, int k, int lags, Readout readout) {
    return lags > 0
        ? Baselines.contextArBase(contexts, lags, readout).castTo(contexts.dataType())
        : base(contexts, k, readout);
  }

  /**
   * The (unnormalised) mean of the last {@code k} context vectors at each read-out position: {@code
   * [B, D]} at LAST, time-major {@code [C * B, D]} at EVERY. {@code k} is capped at the positions
   * there are. Its unit version is the {@code mean-last-k} baseline of evaluation.
   */
  static INDArray base(INDArray contexts, int k, Readout readout) {
    long b = contexts.size(0);
    long c = contexts.size(1);
    long d = contexts.size(2);
    if (readout == Readout.LAST) {
      long from = Math.max(0, c - k);
      return contexts
          .get(NDArrayIndex.all(), NDArrayIndex.interval(from, c), NDArrayIndex.all())
          .mean(1)
          .reshape(b, d);
    }
    INDArray xt = Tensors.timeMajor(contexts); // [C * B, D], rows t * B + b
    if (k == 1) {
      return xt;
    }
    // A running sum over time: add position t, drop position t - k.
    INDArray out = Nd4j.create(xt.dataType(), new long[] {c * b, d}, 'c');
    INDArray running = Nd4j.zeros(xt.dataType(), b, d);
    for (long t = 0; t < c; t++) {
      running.addi(Tensors.rows(xt, t * b, (t + 1) * b));
      if (t >= k) {
        running.subi(Tensors.rows(xt, (t - k) * b, (t - k + 1) * b));
      }
      Tensors.rows(out, t * b, (t + 1) * b).assign(running).divi(Math.min(k, t + 1));
    }
    return out;
  }
}
