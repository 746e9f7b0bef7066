package ai.lvm.eval;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What produced a prediction: the run's model, or a baseline computed from the same context. */
public enum Scorer {
  /** The run's checkpoint. */
  MODEL,
  /** The last context vector: the next chunk resembles the previous one. */
  COPY_LAST,
  /** The normalised mean of the context vectors: the topic of the window. */
  MEAN_OF_CONTEXT;

  /** The stored spelling, e.g. {@code copy-last}. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Scorer fromId(String id) {
    for (Scorer s : values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scorer '" + id + "'");
  }
}
