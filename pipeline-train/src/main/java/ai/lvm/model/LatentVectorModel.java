package ai.lvm.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A latent vector model: a window of C context vectors in, a unit-norm prediction of the next
 * vector out. Forward and backward are explicit (ND4J arrays, hand-written gradients checked
 * against finite differences), so any ND4J backend runs them and no SameDiff op's gradient is
 * trusted blindly.
 *
 * <p>Contract: {@link #forward} with {@code training = true} keeps what {@link #backward} needs;
 * {@code backward} adds dLoss/dParameter into {@link Parameters#gradients()} (callers zero them
 * between optimizer steps, so micro-batches accumulate); {@link #afterStep} applies non-gradient
 * state updates (the memory of memory-gru) once per micro-batch after backward.
 */
public interface LatentVectorModel {

  /** The model type as configured, e.g. {@code memory-gru}. */
  String type();

  /** Vector dimension D of inputs and predictions. */
  int dimension();

  /**
   * What rebuilds this model through {@link Models#create}, recorded in its checkpoints; null for a
   * model no spec describes (the test doubles of the trainer's tests).
   */
  ModelSpec spec();

  Parameters parameters();

  /** Non-trainable state saved with the model (e.g. the memory bank), by name. */
  Map<String, INDArray> buffers();

  /**
   * Predictions for a batch: contexts {@code [B, C, D]} float32 to {@code [B, D]}, each row of unit
   * L2 norm. With {@code training}, dropout is active and activations are kept for backward.
   */
  default INDArray forward(INDArray contexts, boolean training) {
    return forward(contexts, training, Readout.LAST);
  }

  /**
   * Predictions at the positions {@code readout} names: {@code [B, D]} at {@link Readout#LAST},
   * time-major {@code [C * B, D]} at {@link Readout#EVERY} (only where {@link #supports} says so).
   */
  INDArray forward(INDArray contexts, boolean training, Readout readout);

  /** Whether {@link #forward} can read out at {@code readout} ({@code LAST}: every model). */
  default boolean supports(Readout readout) {
    return readout == Readout.LAST;
  }

  /** Accumulates parameter gradients given dLoss/dPredictions of the last forward, in its shape. */
  void backward(INDArray dPredictions);

  /** Non-gradient state updates after a training micro-batch (default: none). */
  default void afterStep() {}

  /**
   * Restarts the model's own random draws (dropout masks) from {@code seed}. The trainer calls it
   * at the start of every epoch with a pure function of (run seed, epoch), so a run resumed from a
   * checkpoint draws the same masks as one that was never interrupted. Default: no randomness.
   */
  default void reseed(long seed) {}
}
