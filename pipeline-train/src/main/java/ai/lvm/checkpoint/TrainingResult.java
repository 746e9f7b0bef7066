package ai.lvm.checkpoint;

import java.util.List;

/**
 * How a run ended, for the job's {@code training_runs} row and the run's {@code status.json}.
 *
 * @param reason why it ended, in words (the failure's cause for {@link RunStatus#FAILED})
 * @param epochs completed epochs
 * @param steps optimizer steps
 * @param bestEpoch epoch of the best validation Hit@5 (0: never evaluated)
 * @param seconds wall time of this invocation (a resumed run counts only its own part)
 */
public record TrainingResult(
    String runId,
    RunStatus status,
    String reason,
    String modelType,
    long parameterCount,
    String snapshotId,
    int epochs,
    long steps,
    int bestEpoch,
    Double bestHit1,
    Double bestHit5,
    Double bestHit10,
    List<EpochRecord> history,
    double seconds)
    implements java.io.Serializable {}
