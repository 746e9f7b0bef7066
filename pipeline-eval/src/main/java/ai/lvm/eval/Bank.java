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
  SPLIT_TARGETS,
  /**
   * Every vector of the corpus's validation and test documents: the corpus without its training
   * documents (article protocol only). Under the article protocol a validation or test target is
   * never a training document's chunk, yet in the corpus bank about half of the candidates that
   * outrank it are; a rule that only pushes predictions away from training chunks gains more there
   * than any learned model (docs/protocols.md). This bank measures prediction without that effect:
   * the same for every context size, and a rule that knows "not a training document" gains nothing
   * from it.
   */
  HELD_OUT;

  /** The configuration and table spelling, e.g. {@code split-targets}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
