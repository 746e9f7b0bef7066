package ai.lvm.train;

import ai.lvm.metrics.BankProduct;
import ai.lvm.model.L2Norm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The training loss on predictions and targets, {@code w_mse MSE + w_cos (1 - mean cos) + w_nce
 * InfoNCE}, with its gradient written out by hand so models with explicit backward passes can
 * consume it. The reference's weights are (1, 0.5, 0.03) with temperature 0.07 ({@link
 * #Loss(double)}).
 *
 * <ul>
 *   <li>Targets are L2-normalised here (they are not trained, so no gradient flows into them).
 *   <li>MSE is PyTorch's {@code mse_loss}: the mean over all N x D elements.
 *   <li>cos is PyTorch's {@code cosine_similarity} (eps 1e-8) of each prediction with its target,
 *       so a prediction that is not exactly unit norm is still measured as the reference did.
 *   <li>InfoNCE is the softmax cross-entropy of {@code p . k / tau} over each prediction's
 *       candidates k, the true target among them. Candidates ({@link Negatives}): the other targets
 *       of the micro-batch (the reference), or a bank of corpus vectors shared by every row, plus,
 *       optionally, the row's hard negatives: the targets of later positions of its own window (the
 *       same document's text, never in the row's context, as evaluation excludes context).
 * </ul>
 *
 * <p>InfoNCE's derivation: with logits {@code l_j = p . k_j / tau}, softmax {@code s_j}, and the
 * positive at j = +, {@code L = logsumexp(l) - l_+}, so {@code dL/dl_j = s_j - [j = +]} and {@code
 * dL/dp = sum_j (s_j - [j = +]) k_j / tau}. A candidate that scores as the row's target does
 * (within {@link #DUPLICATE_MARGIN} in cosine: repeated boilerplate, or the target itself drawn
 * into the bank) is masked out: it is not a negative, and evaluation counts it as a tie that does
 * not hurt.
 *
 * <p>The temperature's gradient, for a learned temperature ({@code learn-temperature}), taken with
 * respect to {@code u = log tau} (the trainer keeps tau positive by learning u): every logit is
 * {@code l_j = p . k_j e^{-u}}, so {@code dl_j/du = -l_j} and, through the same {@code dL/dl_j},
 * {@code dL/du = -sum_j (s_j - [j = +]) l_j = l_+ - sum_j s_j l_j}: the positive's logit minus the
 * softmax-weighted mean logit. It is positive while the positive out-scores that mean, so descent
 * lowers tau and sharpens the softmax towards the positive; a row the model gets wrong pushes tau
 * up instead. Because each {@code l_j} is linear in p, {@code sum_j (s_j - [j = +]) l_j = p . sum_j
 * (s_j - [j = +]) k_j / tau = p . dL/dp}, so {@code dL/du = -p . dL/dp} per row: the row's InfoNCE
 * gradient, already formed above, dotted with its prediction. This holds on every path, because
 * every path is this softmax over some candidate set: in-batch negatives, corpus negatives, hard
 * negatives, and dense targets (which only change which rows and candidates there are); masked
 * candidates have {@code s_j = 0} and do not count, and the masks themselves do not depend on tau
 * (a copy is within {@link #DUPLICATE_MARGIN} in cosine whatever the scale). MSE and cosine do not
 * depend on tau. So {@code dTotal/du = -w_nce / N sum_i p_i . dInfoNCE_i/dp_i}, computed from the
 * weighted InfoNCE gradient rows before they are added into the total gradient.
 *
 * <p>All arithmetic runs in the predictions' data type, so gradient checks can run in DOUBLE. The
 * {@code [N, M]} bank logits live in a {@link BankProduct} this loss reuses from micro-batch to
 * micro-batch, so a loss belongs to one training run (one thread).
 */
public final class Loss {
  /** The reference InfoNCE temperature. */
  public static final double TEMPERATURE = 0.07;

  /** Candidates within this cosine of the row's target are copies of it, not negatives. */
  static final double DUPLICATE_MARGIN = 1e-5;

  private static final double COSINE_EPS = 1e-8;

  /** An additive logit that removes a candidate from the softmax (exp underflows to 0). */
  private static final double MASKED = -1e30;

  /**
   * Weights of the three terms.
   *
   * @param mse weight of the mean squared error
   * @param cosine weight of {@code 1 - mean cos}
   * @param infonce weight of the InfoNCE cross-entropy
   */
  public record Weights(double mse, double cosine, double infonce) {
    public Weights {
      if (!(mse >= 0) || !(cosine >= 0) || !(infonce >= 0)) {
        throw new IllegalArgumentException(
            "loss weights must be >= 0, got " + mse + ", " + cosine + ", " + infonce);
      }
    }

    /** The reference's {@code MSE + 0.5 (1 - cos) + alpha InfoNCE}. */
    public static Weights reference(double alpha) {
      return new Weights(1, 0.5, alpha);
    }
  }

  /**
   * Where InfoNCE's negatives come from.
   *
   * @param bank {@code [M, D]} unit corpus vectors shared by every row, or null for the reference's
   *     in-batch negatives (the other targets of the micro-batch)
   * @param hardWindows 0, or B: the rows are time-major over B windows (row {@code t * B + b}) and
   *     each row also takes the targets of its window's later rows as negatives; only with a bank
   */
  public record Negatives(INDArray bank, int hardWindows) {
    public static final Negatives IN_BATCH = new Negatives(null, 0);

    public Negatives {
      if (hardWindows < 0 || (bank == null && hardWindows > 0)) {
        throw new IllegalArgumentException("hard negatives need a bank; got " + hardWindows);
      }
    }
  }

  private final Weights weights;
  private double temperature;
  private final BankProduct bankProduct = new BankProduct();

  /** The reference loss with InfoNCE weight {@code alpha} and temperature 0.07. */
  public Loss(double alpha) {
    this(Weights.reference(alpha), TEMPERATURE);
  }

  public Loss(Weights weights, double temperature) {
    this.weights = weights;
    setTemperature(temperature);
  }

  /** The temperature the next {@link #compute} uses. */
  public double temperature() {
    return temperature;
  }

  /**
   * Sets the temperature for the next {@link #compute}: a learned temperature changes after every
   * optimizer step, and the trainer hands its current value here rather than building a new loss
   * (which would drop the reused bank buffer).
   */
  public void setTemperature(double temperature) {
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    this.temperature = temperature;
  }

  /**
   * The loss of one micro-batch and its components.
   *
   * @param total {@code w_mse mse + w_cos (1 - cosine) + w_nce infonce}
   * @param mse mean squared error over all elements
   * @param cosine mean cosine between predictions and targets
   * @param infonce mean InfoNCE cross-entropy
   * @param gradient dTotal/dPredictions, [N, D], in the predictions' data type
   * @param dLogTemperature dTotal/d(log tau) (see the class comment); 0 when {@code w_nce} is 0
   */
  public record Result(
      double total,
      double mse,
      double cosine,
      double infonce,
      INDArray gradient,
      double dLogTemperature) {}

  /** InfoNCE's mean cross-entropy and its weighted derivative with respect to log tau. */
  private record InfoNce(double value, double dLogTemperature) {}

  /** With the reference's in-batch negatives. */
  public Result compute(INDArray predictions, INDArray targets) {
    return compute(predictions, targets, Negatives.IN_BATCH);
  }

  /** Loss and gradient for predictions [N, D] against targets [N, D] (normalised here). */
  public Result compute(INDArray predictions, INDArray targets, Negatives negatives) {
    if (predictions.rank() != 2 || !Arrays.equals(predictions.shape(), targets.shape())) {
      throw new IllegalArgumentException(
          "predictions and targets must both be [N, D]; got "
              + Arrays.toString(predictions.shape())
              + " and "
              + Arrays.toString(targets.shape()));
    }
    DataType type = predictions.dataType();
    long n = predictions.size(0);
    long d = predictions.size(1);
    INDArray p = predictions;
    INDArray y = L2Norm.unitRows(targets.castTo(type));

    // MSE and its gradient 2 (p - y) / (N D).
    INDArray diff = p.sub(y);
    double mse = diff.mul(diff).sumNumber().doubleValue() / (n * d);
    INDArray gradient = diff.muli(weights.mse() * 2.0 / (n * d));

    // Cosine as torch.cosine_similarity: p.y / max(|p| |y|, eps); |y| = 1 here.
    INDArray pNorms = p.norm2(1).reshape(n, 1);
    INDArray safeNorms = Transforms.max(pNorms, COSINE_EPS, true);
    INDArray cos = p.mul(y).sum(1).reshape(n, 1).divi(safeNorms);
    double meanCos = cos.meanNumber().doubleValue();
    // d cos_i / d p_i = y_i / |p_i| - cos_i p_i / |p_i|^2, times d(w (1 - mean cos))/d cos_i.
    INDArray dCos =
        y.divColumnVector(safeNorms)
            .subi(p.mulColumnVector(cos.div(safeNorms.mul(safeNorms))))
            .muli(-weights.cosine() / n);
    gradient.addi(dCos);

    InfoNce infonce =
        negatives.bank() == null
            ? inBatch(p, y, gradient)
            : againstBank(p, y, negatives.bank().castTo(type), negatives.hardWindows(), gradient);
    double total =
        weights.mse() * mse
            + weights.cosine() * (1 - meanCos)
            + weights.infonce() * infonce.value();
    return new Result(total, mse, meanCos, infonce.value(), gradient, infonce.dLogTemperature());
  }

  /** The reference's InfoNCE: the other targets of the batch are the negatives. */
  private InfoNce inBatch(INDArray p, INDArray y, INDArray gradient) {
    long n = p.size(0);
    INDArray logits = p.mmul(y.transpose()).divi(temperature);
    INDArray rowMax = logits.max(1).reshape(n, 1);
    INDArray exp = Transforms.exp(logits.subColumnVector(rowMax), false);
    INDArray sumExp = exp.sum(1).reshape(n, 1);
    INDArray logSumExp = Transforms.log(sumExp, true).addi(rowMax);
    double diagonal = 0;
    for (long i = 0; i < n; i++) {
      diagonal += logits.getDouble(i, i);
    }
    double dLogTemperature = 0;
    if (weights.infonce() != 0) {
      INDArray dLogits =
          exp.diviColumnVector(sumExp).subi(Nd4j.eye(n).castTo(p.dataType())).divi(n);
      INDArray dp = dLogits.mmul(y).muli(weights.infonce() / temperature);
      dLogTemperature = -p.mul(dp).sumNumber().doubleValue(); // dL/du = -p . dL/dp
      gradient.addi(dp);
    }
    return new InfoNce((logSumExp.sumNumber().doubleValue() - diagonal) / n, dLogTemperature);
  }

  /**
   * InfoNCE over {target, the bank, and with {@code hardWindows > 0} the later targets of the row's
   * window}; adds its weighted gradient into {@code gradient} and returns the mean cross-entropy
   * with its weighted derivative with respect to log tau.
   */
  private InfoNce againstBank(
      INDArray pTimeMajor, INDArray yTimeMajor, INDArray bank, int hardWindows, INDArray gradient) {
    long n = pTimeMajor.size(0);
    long steps = hardWindows == 0 ? 0 : n / hardWindows;
    if (hardWindows > 0 && steps * hardWindows != n) {
      throw new IllegalArgumentException(
          "hard negatives: " + n + " rows are not time-major over " + hardWindows + " windows");
    }
    // Window-major (row b * T + t), so that each window's rows are one contiguous block.
    INDArray p = hardWindows == 0 ? pTimeMajor : swapMajor(pTimeMajor, steps, hardWindows);
    INDArray y = hardWindows == 0 ? yTimeMajor : swapMajor(yTimeMajor, steps, hardWindows);
    // Everything in gaps to the positive logit, g_j = (p . k_j - p . y) / tau: softmax is
    // shift-invariant, the positive's own gap is 0, a copy's is ~0 (masked), and the loss is
    // logsumexp(0, g) = m + log(exp(-m) + sum_j exp(g_j - m)) with m = max(0, max_j g_j).
    INDArray positive = p.mul(y).sum(1).reshape(n, 1).divi(temperature);
    INDArray bankGaps = bankProduct.product(p, bank, 1 / temperature).subiColumnVector(positive);
    maskCopies(bankGaps);
    INDArray rowMax = Transforms.max(bankGaps.max(1).reshape(n, 1), 0.0, false);
    List<INDArray> hardGaps = new ArrayList<>();
    INDArray earlier = hardWindows == 0 ? null : earlierPositions(steps, p.dataType());
    for (int b = 0; b < hardWindows; b++) {
      INDArray gaps =
          product(block(p, b, steps), block(y, b, steps), 1 / temperature)
              .subiColumnVector(block(positive, b, steps));
      maskCopies(gaps);
      // only later positions: the row's own and earlier targets are in its context
      gaps.addi(earlier);
      INDArray max = block(rowMax, b, steps);
      max.assign(Transforms.max(max, gaps.max(1).reshape(steps, 1), false));
      hardGaps.add(gaps);
    }
    INDArray expPositive = Transforms.exp(rowMax.neg(), false);
    INDArray expBank = Transforms.exp(bankGaps.subiColumnVector(rowMax), false);
    INDArray sum = expBank.sum(1).reshape(n, 1).addi(expPositive);
    List<INDArray> expHard = new ArrayList<>();
    for (int b = 0; b < hardWindows; b++) {
      INDArray e = Transforms.exp(hardGaps.get(b).subiColumnVector(block(rowMax, b, steps)), false);
      expHard.add(e);
      block(sum, b, steps).addi(e.sum(1).reshape(steps, 1));
    }
    double infonce = Transforms.log(sum, true).addi(rowMax).sumNumber().doubleValue() / n;
    double dLogTemperature = 0;
    if (weights.infonce() != 0) {
      // (s_+ - 1) y + S_bank bank + S_hard y_window, each softmax weight s = exp / sum
      double scale = weights.infonce() / (temperature * n);
      INDArray dp = y.mulColumnVector(expPositive.divi(sum).subi(1).muli(scale));
      Nd4j.gemm(expBank.diviColumnVector(sum), bank, dp, false, false, scale, 1.0);
      for (int b = 0; b < hardWindows; b++) {
        INDArray s = expHard.get(b).diviColumnVector(block(sum, b, steps));
        block(dp, b, steps).addi(s.mmul(block(y, b, steps)).muli(scale));
      }
      // dL/du = -p . dL/dp, both window-major here (the sum does not care about row order)
      dLogTemperature = -p.mul(dp).sumNumber().doubleValue();
      gradient.addi(hardWindows == 0 ? dp : swapMajor(dp, hardWindows, steps));
    }
    return new InfoNce(infonce, dLogTemperature);
  }

  /** {@code [T, T]}: {@link #MASKED} where column j <= row i, else 0. */
  private static INDArray earlierPositions(long steps, DataType type) {
    double[] mask = new double[Math.toIntExact(steps * steps)];
    for (int i = 0; i < steps; i++) {
      java.util.Arrays.fill(mask, (int) (i * steps), (int) (i * steps + i + 1), MASKED);
    }
    return Nd4j.create(mask, new long[] {steps, steps}, 'c').castTo(type);
  }

  /** {@code [A * B, D]} with rows {@code a * B + b} to rows {@code b * A + a}. */
  private static INDArray swapMajor(INDArray rows, long a, long b) {
    long d = rows.size(1);
    return rows.reshape('c', a, b, d).permute(1, 0, 2).dup('c').reshape('c', a * b, d);
  }

  /** Rows {@code [b * T, (b + 1) * T)} of a c-order matrix, as a view. */
  private static INDArray block(INDArray rows, int b, long steps) {
    return rows.get(NDArrayIndex.interval(b * steps, (b + 1) * steps), NDArrayIndex.all());
  }

  /**
   * Masks the gaps to the positive logit that are ~0 (within {@link #DUPLICATE_MARGIN} in cosine):
   * a copy of the target scores exactly the positive's logit, and a distinct vector that ties with
   * it is one negative fewer, which costs nothing. This finds copies without a second product of
   * the targets with the bank.
   */
  private void maskCopies(INDArray gaps) {
    BooleanIndexing.replaceWhere(
        gaps, MASKED, Conditions.absLessThan(DUPLICATE_MARGIN / temperature));
  }

  /** {@code scale a b^T} through one GEMM call (no transposed copy of b). */
  /**
   * {@code scale a b^T} in fresh memory: each window's hard gaps live until the gradient below, so
   * they cannot share {@link BankProduct}'s reused buffer (which holds the bank's gaps meanwhile).
   */
  private static INDArray product(INDArray a, INDArray b, double scale) {
    INDArray out = Nd4j.create(a.dataType(), new long[] {a.size(0), b.size(0)}, 'c');
    Nd4j.gemm(a, b, out, false, true, scale, 0.0);
    return out;
  }
}
