package ai.lvm.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Everything that determines a model's architecture and initial weights, so that a run's
 * configuration (and a checkpoint's record of it) can rebuild the same model. Validation happens in
 * {@link Models#create}, which names the offending field.
 *
 * @param type {@code memory-gru}, {@code gru}, {@code lstm}, {@code amn} or {@code mix} ({@link
 *     Models#TYPES})
 * @param dimension vector dimension D of inputs and predictions
 * @param hidden recurrent hidden size H
 * @param layers number of recurrent layers
 * @param memorySlots rows of the memory bank (memory-gru only)
 * @param dropout dropout probability in training, in [0, 1)
 * @param prediction residual (reference), direct or base ({@link PredictionHead})
 * @param seed seed of the initial weights and of the dropout masks
 * @param baseK k of the {@code base} prediction mode: the base is the mean of the last k context
 *     vectors (1: the last vector); ignored by the other modes and where {@code baseLags} is set
 * @param lags how many of the most recent context vectors {@code mix} weighs (1 for the other
 *     types, which ignore it)
 * @param baseLags 0, or L: the {@code base} prediction mode's base is {@code context-ar-L}, the
 *     window's own autoregression over its last L vectors ({@link Baselines#contextAr}) refitted at
 *     every position; ignored by the other modes
 * @param analogue whether the {@code base} prediction mode adds the window's analogue reads ({@link
 *     WindowAnalogue}) with two learned weights that start at zero; ignored by the other modes
 */
public record ModelSpec(
    String type,
    int dimension,
    int hidden,
    int layers,
    int memorySlots,
    double dropout,
    PredictionMode prediction,
    long seed,
    int baseK,
    int lags,
    int baseLags,
    boolean analogue)
    implements java.io.Serializable {

  /** A spec whose base (in the base mode) is the mean of the last {@code baseK} vectors. */
  public ModelSpec(
      String type,
      int dimension,
      int hidden,
      int layers,
      int memorySlots,
      double dropout,
      PredictionMode prediction,
      long seed,
      int baseK,
      int lags) {
    this(
        type,
        dimension,
        hidden,
        layers,
        memorySlots,
        dropout,
        prediction,
        seed,
        baseK,
        lags,
        0,
        false);
  }

  /** A spec with the given base (the recurrent types, which weigh no lags of their own). */
  public ModelSpec(
      String type,
      int dimension,
      int hidden,
      int layers,
      int memorySlots,
      double dropout,
      PredictionMode prediction,
      long seed,
      int baseK) {
    this(type, dimension, hidden, layers, memorySlots, dropout, prediction, seed, baseK, 1);
  }

  /** A spec whose base (if any) is the last context vector. */
  public ModelSpec(
      String type,
      int dimension,
      int hidden,
      int layers,
      int memorySlots,
      double dropout,
      PredictionMode prediction,
      long seed) {
    this(type, dimension, hidden, layers, memorySlots, dropout, prediction, seed, 1);
  }

  /**
   * The reference configuration of a model type at dimension D, as the reference code's defaults: H
   * 512, 2048 slots, residual prediction, seed 42; 4 layers (2 for {@code lstm}); dropout 0.1 for
   * {@code memory-gru}, 0.2 for {@code lstm}, 0 for {@code gru}. {@code mix}, which the reference
   * does not have: base prediction from mean-last-3, 10 lags, dropout 0.1.
   */
  public static ModelSpec reference(String type, int dimension) {
    int layers = Lstm.TYPE.equals(type) ? 2 : 4;
    double dropout =
        switch (type) {
          case Lstm.TYPE -> 0.2;
          case ResidualGru.TYPE, Amn.TYPE -> 0.0;
          default -> 0.1;
        };
    if (Mix.TYPE.equals(type)) {
      // no reference counterpart: its own defaults, the base head it needs, ten lags
      return new ModelSpec(type, dimension, 512, 1, 2048, 0.1, PredictionMode.BASE, 42, 3, 10);
    }
    return new ModelSpec(type, dimension, 512, layers, 2048, dropout, PredictionMode.RESIDUAL, 42);
  }

  /**
   * The spec under the configuration's key names ({@code memory-slots}, {@code base-k}): its one
   * written form, in checkpoints (Jackson writes and reads a spec through this pair) and in the
   * hash of a run id.
   */
  @JsonValue
  public java.util.Map<String, Object> toMap() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("type", type);
    m.put("dimension", dimension);
    m.put("hidden", hidden);
    m.put("layers", layers);
    m.put("memory-slots", memorySlots);
    m.put("dropout", dropout);
    m.put("prediction", prediction.configName());
    m.put("seed", seed);
    m.put("base-k", baseK);
    if (Mix.TYPE.equals(type)) {
      // mix only, so the recurrent types' maps (and the run ids hashed from them) stay as they were
      m.put("lags", lags);
    }
    if (baseLags > 0) {
      // only when set, for the same reason
      m.put("base-lags", baseLags);
    }
    if (analogue) {
      m.put("base-analogue", true);
    }
    return m;
  }

  /**
   * The inverse of {@link #toMap}; throws {@link IllegalArgumentException} naming a bad field. Also
   * reads the snake_case form ({@code memory_slots}) that records of one earlier version wrote.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ModelSpec fromMap(java.util.Map<?, ?> written) {
    java.util.Map<String, Object> m = new java.util.HashMap<>();
    written.forEach((k, v) -> m.put(String.valueOf(k).replace('_', '-'), v));
    try {
      return new ModelSpec(
          (String) m.get("type"),
          ((Number) m.get("dimension")).intValue(),
          ((Number) m.get("hidden")).intValue(),
          ((Number) m.get("layers")).intValue(),
          ((Number) m.get("memory-slots")).intValue(),
          ((Number) m.get("dropout")).doubleValue(),
          PredictionMode.parse(((String) m.get("prediction")).toLowerCase(java.util.Locale.ROOT)),
          ((Number) m.get("seed")).longValue(),
          // absent in checkpoints written before the base prediction mode existed
          m.get("base-k") == null ? 1 : ((Number) m.get("base-k")).intValue(),
          m.get("lags") == null ? 1 : ((Number) m.get("lags")).intValue(),
          m.get("base-lags") == null ? 0 : ((Number) m.get("base-lags")).intValue(),
          Boolean.TRUE.equals(m.get("base-analogue")));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("not a model spec: " + m, e);
    }
  }

  public ModelSpec withSeed(long newSeed) {
    return new ModelSpec(
        type,
        dimension,
        hidden,
        layers,
        memorySlots,
        dropout,
        prediction,
        newSeed,
        baseK,
        lags,
        baseLags,
        analogue);
  }

  public ModelSpec withDropout(double newDropout) {
    return new ModelSpec(
        type,
        dimension,
        hidden,
        layers,
        memorySlots,
        newDropout,
        prediction,
        seed,
        baseK,
        lags,
        baseLags,
        analogue);
  }

  public ModelSpec withPrediction(PredictionMode mode) {
    return new ModelSpec(
        type,
        dimension,
        hidden,
        layers,
        memorySlots,
        dropout,
        mode,
        seed,
        baseK,
        lags,
        baseLags,
        analogue);
  }

  /** This spec with its base head on {@code context-ar-L} (L = {@code lags}; 0: mean-last-k). */
  public ModelSpec withBaseLags(int lags) {
    return new ModelSpec(
        type,
        dimension,
        hidden,
        layers,
        memorySlots,
        dropout,
        prediction,
        seed,
        baseK,
        this.lags,
        lags,
        analogue);
  }

  /** This spec with the base head's analogue terms on or off. */
  public ModelSpec withAnalogue(boolean on) {
    return new ModelSpec(
        type,
        dimension,
        hidden,
        layers,
        memorySlots,
        dropout,
        prediction,
        seed,
        baseK,
        lags,
        baseLags,
        on);
  }

  /**
   * This spec predicting {@code normalize(mean of the last k + raw)} from a zero-initialised head.
   */
  public ModelSpec withBase(int k) {
    return new ModelSpec(
        type, dimension, hidden, layers, memorySlots, dropout, PredictionMode.BASE, seed, k, lags);
  }
}
