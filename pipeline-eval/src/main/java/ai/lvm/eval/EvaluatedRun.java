package ai.lvm.eval;

import ai.lvm.model.ModelSpec;
import java.io.Serializable;

/**
 * A finished training run chosen for evaluation, with what its checkpoint record says.
 *
 * @param slot {@code best} or {@code last}: the checkpoint scored
 * @param epoch the epoch the scored checkpoint was taken at
 * @param status how the run ended ({@code completed}, {@code early-stopped}, {@code max-steps})
 */
public record EvaluatedRun(
    String runId,
    String snapshotId,
    int contextSize,
    ModelSpec spec,
    long parameterCount,
    String slot,
    int epoch,
    String status)
    implements Serializable {
  public String model() {
    return spec.type();
  }
}
