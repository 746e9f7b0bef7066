package ai.lvm.eval;

import ai.lvm.checkpoint.EpochRecord;
import java.io.Serializable;
import java.util.List;

/** The per-epoch history of one evaluated run, from its checkpoint, for the report's plots. */
public record TrainingCurve(String runId, String model, int contextSize, List<EpochRecord> epochs)
    implements Serializable {}
