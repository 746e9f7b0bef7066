package ai.lvm.checkpoint;

import ai.lvm.config.InvalidInputException;

/**
 * A checkpoint that cannot be used: corrupt (unreadable record, truncated or altered data) or
 * incompatible with the model or recipe it is loaded for. A user-fixable problem (start a new run
 * id or remove the run directory), so the launcher prints the message alone.
 */
public class CheckpointException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
