package ai.lvm.train;

/**
 * One run of a sweep: a model type trained on one context size of one snapshot with one seed.
 *
 * <p>The run id is a pure function of the four, so submitting the same sweep again finds its runs
 * (finished ones are skipped, interrupted ones resume from their last checkpoint).
 */
public record RunSpec(String snapshotId, int contextSize, String model, long seed)
    implements java.io.Serializable {

  public String runId() {
    return snapshotId + "-c" + contextSize + "-" + model + "-s" + seed;
  }
}
