package ai.lvm.model;

/**
 * Which positions of a window a forward pass predicts from.
 *
 * <ul>
 *   <li>{@code LAST}: one prediction per window, from the whole context: the next vector after it.
 *       Validation and evaluation always read out here.
 *   <li>{@code EVERY}: one prediction per context position t, from positions 0..t only (the models
 *       are causal), of the vector at t + 1; position C - 1 predicts the window's target. Rows are
 *       time-major, {@code t * B + b}, the order the recurrent layers keep their states in. Dense
 *       targets: a window of C gives C training targets for the price of one forward pass.
 * </ul>
 */
public enum Readout {
  LAST,
  EVERY
}
