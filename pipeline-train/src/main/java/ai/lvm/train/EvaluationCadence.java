package ai.lvm.train;

import java.util.Locale;

/**
 * When validation Hit@K is evaluated. {@link #EVERY_EPOCH} is the default: early stopping then sees
 * every epoch. {@link #REFERENCE} reproduces the reference: epochs 1, 6, 11, ... and, after an
 * evaluation that did not improve, every epoch until one does.
 */
public enum EvaluationCadence {
  EVERY_EPOCH,
  REFERENCE;

  /** The configured name: {@code every-epoch} or {@code reference}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static EvaluationCadence fromId(String id) {
    for (EvaluationCadence c : values()) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown evaluation cadence '" + id + "' (expected every-epoch or reference)");
  }
}
