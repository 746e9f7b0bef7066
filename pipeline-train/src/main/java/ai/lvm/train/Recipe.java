package ai.lvm.train;

import ai.lvm.config.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The training recipe: every hyper-parameter of a run, validated once, so the trainer never meets
 * an impossible value mid-run and a checkpoint can record exactly what it was trained with. Field
 * names in messages and in {@link #toMap()} are the configuration spelling ({@code learning-rate}).
 *
 * @param alpha weight of the InfoNCE term
 * @param learningRate AdamW base learning rate
 * @param weightDecay AdamW decoupled weight decay (all parameters)
 * @param clipNorm global gradient-norm clip; 0 disables clipping
 * @param microBatch windows per forward/backward pass (InfoNCE negatives come from it)
 * @param accumulationSteps micro-batches per optimizer step
 * @param maxEpochs epochs at most
 * @param maxSteps optimizer steps at most (empty: no cap)
 * @param cosineTMax T_max of the cosine schedule, in epochs
 * @param cosineEtaMin floor of the cosine schedule
 * @param cosineStartEpoch first epoch whose end steps the schedule (reference: 2)
 * @param patience evaluations without improvement before stopping
 * @param minDelta improvement means Hit@5 &gt; best + minDelta
 * @param cadence which epochs are evaluated
 * @param seed seed of data order and of the ND4J generator (dropout)
 * @param logEverySteps a progress line every this many optimizer steps (0: epoch lines only)
 */
public record Recipe(
    double alpha,
    double learningRate,
    double weightDecay,
    double clipNorm,
    int microBatch,
    int accumulationSteps,
    int maxEpochs,
    OptionalLong maxSteps,
    int cosineTMax,
    double cosineEtaMin,
    int cosineStartEpoch,
    int patience,
    double minDelta,
    EvaluationCadence cadence,
    long seed,
    int logEverySteps) {

  private static final Set<String> KEYS =
      Set.of(
          "alpha",
          "learning-rate",
          "weight-decay",
          "clip-norm",
          "micro-batch",
          "accumulation-steps",
          "max-epochs",
          "max-steps",
          "cosine-t-max",
          "cosine-eta-min",
          "cosine-start-epoch",
          "patience",
          "min-delta",
          "evaluation-cadence",
          "seed",
          "log-every-steps");

  public Recipe {
    positiveFinite("learning-rate", learningRate);
    nonNegativeFinite("alpha", alpha);
    nonNegativeFinite("weight-decay", weightDecay);
    nonNegativeFinite("clip-norm", clipNorm);
    nonNegativeFinite("cosine-eta-min", cosineEtaMin);
    nonNegativeFinite("min-delta", minDelta);
    atLeast("micro-batch", microBatch, 1);
    atLeast("accumulation-steps", accumulationSteps, 1);
    atLeast("max-epochs", maxEpochs, 1);
    atLeast("cosine-t-max", cosineTMax, 1);
    atLeast("cosine-start-epoch", cosineStartEpoch, 1);
    atLeast("patience", patience, 1);
    atLeast("log-every-steps", logEverySteps, 0);
    if (maxSteps == null) {
      maxSteps = OptionalLong.empty();
    }
    if (maxSteps.isPresent() && maxSteps.getAsLong() < 1) {
      throw invalid("max-steps", "must be >= 1 when set", maxSteps.getAsLong());
    }
    if (cosineEtaMin > learningRate) {
      throw invalid(
          "cosine-eta-min", "must not exceed learning-rate (" + learningRate + ")", cosineEtaMin);
    }
    if (cadence == null) {
      throw invalid("evaluation-cadence", "must be every-epoch or reference", null);
    }
  }

  /**
   * The reference recipe (SEED_SPEC.md) except the cadence, which is every epoch, and the schedule,
   * which steps from epoch 1 as PyTorch's usual loop does: alpha 0.03, AdamW lr 1e-4 and weight
   * decay 1e-4, clip 1.0, 32 x 8, 50 epochs, cosine T_max 49 down to 1e-5, patience 3, seed 42.
   */
  public static Recipe defaults() {
    return new Recipe(
        0.03,
        1e-4,
        1e-4,
        1.0,
        32,
        8,
        50,
        OptionalLong.empty(),
        49,
        1e-5,
        1,
        3,
        1e-4,
        EvaluationCadence.EVERY_EPOCH,
        42,
        50);
  }

  /** The reference recipe exactly: {@link #defaults()} with its cadence and schedule start. */
  public static Recipe reference() {
    return fromMap(Map.of("evaluation-cadence", "reference", "cosine-start-epoch", 2));
  }

  /**
   * {@link #defaults()} overridden by {@code values} (keys as in {@link #toMap()}); unknown keys,
   * wrong types and invalid values fail with a message naming the key.
   */
  public static Recipe fromMap(Map<String, ?> values) {
    for (String key : values.keySet()) {
      if (!KEYS.contains(key)) {
        throw new InvalidInputException(
            "Invalid training recipe: unknown key '" + key + "'; known keys: " + KEYS);
      }
    }
    Recipe d = defaults();
    Object cadence = values.get("evaluation-cadence");
    EvaluationCadence c;
    try {
      c = cadence == null ? d.cadence() : EvaluationCadence.fromId(cadence.toString());
    } catch (IllegalArgumentException e) {
      throw invalid("evaluation-cadence", "must be every-epoch or reference", cadence);
    }
    Object steps = values.get("max-steps");
    return new Recipe(
        number(values, "alpha", d.alpha()),
        number(values, "learning-rate", d.learningRate()),
        number(values, "weight-decay", d.weightDecay()),
        number(values, "clip-norm", d.clipNorm()),
        integer(values, "micro-batch", d.microBatch()),
        integer(values, "accumulation-steps", d.accumulationSteps()),
        integer(values, "max-epochs", d.maxEpochs()),
        steps == null
            ? OptionalLong.empty()
            : OptionalLong.of(longValue(values, "max-steps", Long.MAX_VALUE)),
        integer(values, "cosine-t-max", d.cosineTMax()),
        number(values, "cosine-eta-min", d.cosineEtaMin()),
        integer(values, "cosine-start-epoch", d.cosineStartEpoch()),
        integer(values, "patience", d.patience()),
        number(values, "min-delta", d.minDelta()),
        c,
        longValue(values, "seed", d.seed()),
        integer(values, "log-every-steps", d.logEverySteps()));
  }

  /** The recipe as configuration keys and values ({@code max-steps} null when unset). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alpha", alpha);
    m.put("learning-rate", learningRate);
    m.put("weight-decay", weightDecay);
    m.put("clip-norm", clipNorm);
    m.put("micro-batch", microBatch);
    m.put("accumulation-steps", accumulationSteps);
    m.put("max-epochs", maxEpochs);
    m.put("max-steps", maxSteps.isPresent() ? maxSteps.getAsLong() : null);
    m.put("cosine-t-max", cosineTMax);
    m.put("cosine-eta-min", cosineEtaMin);
    m.put("cosine-start-epoch", cosineStartEpoch);
    m.put("patience", patience);
    m.put("min-delta", minDelta);
    m.put("evaluation-cadence", cadence.id());
    m.put("seed", seed);
    m.put("log-every-steps", logEverySteps);
    return m;
  }

  /** The schedule this recipe trains with. */
  public CosineSchedule schedule() {
    return new CosineSchedule(learningRate, cosineTMax, cosineEtaMin, cosineStartEpoch);
  }

  private static double number(Map<String, ?> values, String key, double fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString());
    } catch (NumberFormatException e) {
      throw invalid(key, "must be a number", v);
    }
  }

  private static long longValue(Map<String, ?> values, String key, long fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    try {
      return Long.parseLong(v.toString());
    } catch (NumberFormatException e) {
      throw invalid(key, "must be an integer", v);
    }
  }

  private static int integer(Map<String, ?> values, String key, int fallback) {
    long v = longValue(values, key, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw invalid(key, "is out of range", v);
    }
    return (int) v;
  }

  private static void positiveFinite(String key, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw invalid(key, "must be > 0 and finite", v);
    }
  }

  private static void nonNegativeFinite(String key, double v) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw invalid(key, "must be >= 0 and finite", v);
    }
  }

  private static void atLeast(String key, long v, long min) {
    if (v < min) {
      throw invalid(key, "must be >= " + min, v);
    }
  }

  private static InvalidInputException invalid(String key, String rule, Object value) {
    return new InvalidInputException(
        "Invalid training recipe: " + key + " " + rule + ", got " + value + ".");
  }
}
