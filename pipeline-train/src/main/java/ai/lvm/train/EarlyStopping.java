package ai.lvm.train;

import ai.lvm.checkpoint.EarlyStoppingState;

/**
 * Early stopping on validation Hit@5, as the reference: an evaluation improves when its Hit@5
 * exceeds the best so far by more than {@code minDelta} (1e-4); the run stops after {@code
 * patience} (3) consecutive evaluations without improvement. It also decides which epochs are
 * evaluated ({@link EvaluationCadence}). Pure: the state is a value, saved with checkpoints.
 */
public final class EarlyStopping {
  /** Reference cadence: evaluate epochs 1, 1 + 5, 1 + 10, ... */
  public static final int REFERENCE_INTERVAL = 5;

  private final int patience;
  private final double minDelta;
  private final EvaluationCadence cadence;
  private EarlyStoppingState state;

  /**
   * What one evaluation meant.
   *
   * @param improved it is the new best (save the best checkpoint)
   * @param stop patience is exhausted
   */
  public record Outcome(boolean improved, boolean stop) {}

  public EarlyStopping(
      int patience, double minDelta, EvaluationCadence cadence, EarlyStoppingState state) {
    if (patience < 1 || !(minDelta >= 0)) {
      throw new IllegalArgumentException(
          "patience must be >= 1 and min delta >= 0, got " + patience + ", " + minDelta);
    }
    this.patience = patience;
    this.minDelta = minDelta;
    this.cadence = cadence;
    this.state = state;
  }

  /** Whether 1-based epoch {@code epoch} is evaluated. */
  public boolean shouldEvaluate(int epoch) {
    return switch (cadence) {
      case EVERY_EPOCH -> true;
      case REFERENCE ->
          (epoch - 1) % REFERENCE_INTERVAL == 0
              || (state.evaluations() > 0 && !state.lastEvaluationImproved());
    };
  }

  /**
   * Records the validation Hit@5 of {@code epoch}. NaN never improves. The first finite evaluation
   * always improves, whatever its epoch: epoch 0 (the untrained model) is a real candidate, so "no
   * best yet" means every evaluation so far failed to improve, not a best epoch of 0.
   */
  public Outcome record(int epoch, double hit5) {
    boolean noBestYet = state.evaluationsWithoutImprovement() == state.evaluations();
    boolean improved = !Double.isNaN(hit5) && (noBestYet || hit5 > state.bestHit5() + minDelta);
    int without = improved ? 0 : state.evaluationsWithoutImprovement() + 1;
    state =
        new EarlyStoppingState(
            state.evaluations() + 1,
            improved ? epoch : state.bestEpoch(),
            improved ? hit5 : state.bestHit5(),
            without,
            improved);
    return new Outcome(improved, without >= patience);
  }

  public EarlyStoppingState state() {
    return state;
  }
}
