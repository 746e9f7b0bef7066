package ai.lvm.eval;

/** The candidates a prediction is ranked against ({@code lvm.eval.bank}). */
public enum Bank {
  /**
   * Every vector of the corpus the snapshot was cut from: the same pool for every context size, so
   * Hit@K at C = 100 and C = 2000 are comparable.
   */
  CORPUS,
  /**
   * The targets of the evaluated split: the reference protocol. Its pool shrinks as C grows (fewer
   * windows), so Hit@K rises with C for reasons unrelated to the model.
   */
  SPLIT_TARGETS;

  /** The configuration and table spelling, e.g. {@code split-targets}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
