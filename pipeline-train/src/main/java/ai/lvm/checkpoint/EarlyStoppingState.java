package ai.lvm.checkpoint;

/**
 * What early stopping remembers between evaluations; saved in checkpoints so a resumed run stops
 * exactly where an uninterrupted one would.
 *
 * @param evaluations evaluations so far
 * @param bestEpoch epoch of the best validation Hit@5, 0 before the first evaluation
 * @param bestHit5 best validation Hit@5 (meaningless while {@code bestEpoch == 0})
 * @param evaluationsWithoutImprovement consecutive evaluations that did not improve on the best
 * @param lastEvaluationImproved whether the latest evaluation improved (reference cadence)
 */
public record EarlyStoppingState(
    int evaluations,
    int bestEpoch,
    double bestHit5,
    int evaluationsWithoutImprovement,
    boolean lastEvaluationImproved) {

  /** Before any evaluation. */
  public static EarlyStoppingState initial() {
    return new EarlyStoppingState(0, 0, 0.0, 0, true);
  }
}
