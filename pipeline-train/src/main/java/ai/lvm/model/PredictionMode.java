package ai.lvm.model;

import java.util.Locale;

/**
 * How a model's unit output becomes the prediction. {@code RESIDUAL} is the reference behaviour (a
 * built-in copy-last prior: {@code normalize(x_last + out)}); {@code DIRECT} predicts {@code out}
 * itself, for comparing against that prior.
 */
public enum PredictionMode {
  RESIDUAL,
  DIRECT;

  /** Parses the configuration spelling ({@code residual} or {@code direct}). */
  public static PredictionMode parse(String s) {
    for (PredictionMode m : values()) {
      if (m.configName().equals(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("prediction mode must be residual or direct, not " + s);
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
