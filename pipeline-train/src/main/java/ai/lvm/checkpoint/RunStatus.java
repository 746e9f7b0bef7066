package ai.lvm.checkpoint;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a run stands; stored in checkpoints and the run's {@code status.json}. */
public enum RunStatus {
  /** Checkpointed mid-run: a restart with the same run id resumes. */
  RUNNING,
  /** Ran {@code max-epochs}. */
  COMPLETED,
  /** Validation Hit@5 stopped improving for {@code patience} evaluations. */
  EARLY_STOPPED,
  /** Reached {@code max-steps}. */
  MAX_STEPS,
  /** Stopped by a fault (e.g. a non-finite loss); the last good checkpoint is kept. */
  FAILED;

  /**
   * Whether the run ended on its own terms (a resubmitted sweep skips it): not running, not failed.
   */
  public boolean finished() {
    return this != RUNNING && this != FAILED;
  }

  /** The stored spelling, e.g. {@code early-stopped}. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static RunStatus fromId(String id) {
    for (RunStatus s : values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown run status '" + id + "'");
  }
}
