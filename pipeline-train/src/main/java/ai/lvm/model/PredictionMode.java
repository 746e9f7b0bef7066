package ai.lvm.model;

import java.util.Locale;

/**
 * How a model's raw output becomes the prediction ({@link PredictionHead}). {@code RESIDUAL} is the
 * reference behaviour ({@code normalize(unit(raw) + x_last)}); {@code DIRECT} predicts {@code
 * unit(raw)}; {@code BASE} predicts {@code normalize(base + raw)} from a zero-initialised output
 * layer, so a new model predicts exactly its base (the mean of the last k context vectors).
 */
public enum PredictionMode {
  RESIDUAL,
  DIRECT,
  BASE;

  /** Parses the configuration spelling ({@code residual}, {@code direct} or {@code base}). */
  public static PredictionMode parse(String s) {
    for (PredictionMode m : values()) {
      if (m.configName().equals(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "prediction mode must be residual, direct or base, not " + s);
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
