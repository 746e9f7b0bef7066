package ai.lvm.train;

import ai.lvm.checkpoint.CheckpointException;
import ai.lvm.model.Parameters;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * InfoNCE's temperature as a trained parameter ({@code lvm.train.learn-temperature}): {@code u =
 * log tau}, so every value the optimizer can reach is a positive temperature, stepped by the run's
 * AdamW at the model's learning rate, with no weight decay (decay would pull u to 0, tau to 1).
 * {@link Loss} gives {@code dTotal/du} per micro-batch (derivation there); micro-batches accumulate
 * and average as the model's gradients do.
 *
 * <p>After each step u is clamped to {@code [log 0.01, log 1]} ({@link
 * Recipe#MIN_LEARNED_TEMPERATURE}), as CLIP clamps its logit scale in place after the optimizer
 * step: the loss always sees {@code exp(u)} itself, so the gradient stays exact, and the clamp is a
 * projection back into the range.
 *
 * <p>It is not part of the global-norm gradient clipping: AdamW's update of one scalar is about
 * {@code lr} whatever the gradient's size (clipping cannot shrink it), and a scalar whose gradient
 * is on the scale of the loss would otherwise rescale every model gradient, so the model would
 * train differently than at the same fixed temperature.
 *
 * <p>Checkpoints hold u in the optimizer group under {@link #NAME}, beside AdamW's {@code NAME/m}
 * and {@code NAME/v}; float64, so a resumed run continues with the very same value.
 */
final class LearnedTemperature {
  /** The parameter's name: its value and its AdamW moments in a checkpoint's optimizer state. */
  static final String NAME = "loss.log_temperature";

  private static final double MIN_LOG = Math.log(Recipe.MIN_LEARNED_TEMPERATURE);
  private static final double MAX_LOG = Math.log(Recipe.MAX_LEARNED_TEMPERATURE);

  private final Parameters parameters = new Parameters(DataType.DOUBLE);
  private final INDArray logTau;
  private final INDArray gradient;

  LearnedTemperature(double initial) {
    if (!(initial >= Recipe.MIN_LEARNED_TEMPERATURE && initial <= Recipe.MAX_LEARNED_TEMPERATURE)) {
      throw new IllegalArgumentException("initial temperature out of range: " + initial);
    }
    logTau = parameters.add(NAME, Nd4j.createFromArray(Math.log(initial)));
    gradient = parameters.gradient(NAME);
  }

  /** The current temperature, {@code exp(u)}. */
  double value() {
    return Math.exp(logTau.getDouble(0));
  }

  /** The gradient accumulated since the last step. */
  double gradient() {
    return gradient.getDouble(0);
  }

  /** Adds one micro-batch's {@code dTotal/du}. */
  void accumulate(double dLogTemperature) {
    gradient.putScalar(0, gradient.getDouble(0) + dLogTemperature);
  }

  /** Averages over {@code microBatches}, steps without decay, clamps, zeroes the gradient. */
  void step(AdamW optimizer, int microBatches, double lr) {
    if (microBatches > 1) {
      gradient.divi(microBatches);
    }
    optimizer.step(parameters, lr, 0.0);
    logTau.putScalar(0, Math.min(MAX_LOG, Math.max(MIN_LOG, logTau.getDouble(0))));
    parameters.zeroGradients();
  }

  /** Puts u into a checkpoint's optimizer state. */
  void saveInto(Map<String, INDArray> optimizerState) {
    optimizerState.put(NAME, logTau);
  }

  /** Takes u from a checkpoint's optimizer state (its moments are {@link AdamW#restore}'s). */
  void restoreFrom(Map<String, INDArray> optimizerState, String where) {
    INDArray saved = optimizerState.get(NAME);
    if (saved == null || !Arrays.equals(saved.shape(), logTau.shape())) {
      throw new CheckpointException(
          "Incompatible checkpoint at "
              + where
              + ": the recipe learns the temperature, but the checkpoint holds no "
              + NAME
              + " of shape "
              + Arrays.toString(logTau.shape())
              + ". Use a new run id.");
    }
    logTau.assign(saved.castTo(DataType.DOUBLE));
  }
}
