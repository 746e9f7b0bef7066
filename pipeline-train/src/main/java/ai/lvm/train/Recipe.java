package ai.lvm.train;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The training recipe: every hyper-parameter of a run, validated once, so the trainer never meets
 * an impossible value mid-run and a checkpoint can record exactly what it was trained with. Keys in
 * messages and in {@link #toMap()} are the configuration's own ({@code learning-rate}, {@code
 * schedule.t-max}), so an error names a key the user can set.
 *
 * @param alpha weight of the InfoNCE term
 * @param learningRate AdamW base learning rate
 * @param weightDecay AdamW decoupled weight decay (all parameters)
 * @param clipNorm global gradient-norm clip; 0 disables clipping
 * @param microBatch windows per forward/backward pass (InfoNCE negatives come from it)
 * @param accumulationSteps micro-batches per optimizer step
 * @param maxEpochs epochs at most
 * @param maxSteps optimizer steps at most (empty: no cap)
 * @param cosineTMax T_max of the cosine schedule, in epochs ({@code schedule.t-max})
 * @param cosineEtaMin floor of the cosine schedule ({@code schedule.min-learning-rate})
 * @param cosineStartEpoch first epoch whose end steps the schedule ({@code schedule.start-epoch})
 * @param patience evaluations without improvement before stopping
 * @param minDelta improvement means Hit@5 &gt; best + minDelta ({@code min-improvement})
 * @param cadence which epochs are evaluated ({@code eval-cadence})
 * @param seed seed of data order and of the ND4J generator (dropout)
 * @param logEverySteps a progress line every this many optimizer steps (0: epoch lines only)
 * @param targets {@code last}: one target per window (the reference); {@code every}: dense targets,
 *     a prediction at every context position of the recurrent models
 * @param warmUp with dense targets, the first positions of a window that get no loss (too little
 *     context to predict from)
 * @param mseWeight weight of the MSE term (reference 1)
 * @param cosineWeight weight of the {@code 1 - cos} term (reference 0.5)
 * @param temperature InfoNCE temperature (reference 0.07); with {@code learnTemperature}, its
 *     initial value
 * @param learnTemperature whether the loss learns the temperature (as log tau, jointly with the
 *     model by AdamW at the model's learning rate, without weight decay, kept within [{@link
 *     #MIN_LEARNED_TEMPERATURE}, {@link #MAX_LEARNED_TEMPERATURE}]); off in the reference
 * @param negatives {@code in-batch}: InfoNCE's negatives are the other targets of the micro-batch
 *     (the reference); {@code corpus}: {@code negativeCount} vectors drawn afresh for every
 *     micro-batch from a pool of the training split's vectors
 * @param negativeCount corpus negatives per micro-batch
 * @param negativePool training-split vectors in the pool the negatives are drawn from
 * @param hardNegatives with corpus negatives and dense targets, each position also takes the
 *     targets of its window's later positions (its own document) as negatives
 * @param validationBank what validation ranks against: {@code split-targets} (the validation
 *     split's targets, the reference) or {@code corpus} (the whole corpus, the window's own context
 *     excluded: evaluation's default bank)
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
    int logEverySteps,
    ai.lvm.model.Readout targets,
    int warmUp,
    double mseWeight,
    double cosineWeight,
    double temperature,
    boolean learnTemperature,
    NegativeSource negatives,
    int negativeCount,
    int negativePool,
    boolean hardNegatives,
    ValidationBank validationBank) {

  /** Where InfoNCE's negatives come from. */
  public enum NegativeSource {
    IN_BATCH,
    CORPUS;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** The candidates validation ranks each prediction among. */
  public enum ValidationBank {
    SPLIT_TARGETS,
    CORPUS;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The range a learned temperature is kept in, CLIP's clamp of its logit scale ({@code 1 / tau <=
   * 100}) and its initial {@code 1 / tau >= 1}: below 0.01 the logits of unit vectors span +-100
   * and the softmax saturates in float32 (one row's loss is then all-or-nothing); above 1 the
   * logits span +-1 and InfoNCE barely separates the target from the negatives.
   */
  public static final double MIN_LEARNED_TEMPERATURE = 0.01;

  public static final double MAX_LEARNED_TEMPERATURE = 1.0;

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
          "schedule.t-max",
          "schedule.min-learning-rate",
          "schedule.start-epoch",
          "patience",
          "min-improvement",
          "eval-cadence",
          "seed",
          "log-every-steps",
          "targets",
          "warm-up",
          "mse-weight",
          "cosine-weight",
          "temperature",
          "learn-temperature",
          "negatives",
          "negative-count",
          "negative-pool",
          "hard-negatives",
          "validation-bank");

  public Recipe {
    positiveFinite("learning-rate", learningRate);
    nonNegativeFinite("alpha", alpha);
    nonNegativeFinite("weight-decay", weightDecay);
    nonNegativeFinite("clip-norm", clipNorm);
    nonNegativeFinite("schedule.min-learning-rate", cosineEtaMin);
    nonNegativeFinite("min-improvement", minDelta);
    atLeast("micro-batch", microBatch, 1);
    atLeast("accumulation-steps", accumulationSteps, 1);
    atLeast("max-epochs", maxEpochs, 1);
    atLeast("schedule.t-max", cosineTMax, 1);
    atLeast("schedule.start-epoch", cosineStartEpoch, 1);
    atLeast("patience", patience, 1);
    atLeast("log-every-steps", logEverySteps, 0);
    atLeast("warm-up", warmUp, 0);
    nonNegativeFinite("mse-weight", mseWeight);
    nonNegativeFinite("cosine-weight", cosineWeight);
    positiveFinite("temperature", temperature);
    if (learnTemperature
        && !(temperature >= MIN_LEARNED_TEMPERATURE && temperature <= MAX_LEARNED_TEMPERATURE)) {
      throw new InvalidInputException(
          "Invalid training recipe: lvm.train.temperature must be within ["
              + MIN_LEARNED_TEMPERATURE
              + ", "
              + MAX_LEARNED_TEMPERATURE
              + "] when lvm.train.learn-temperature = true (the range the learned temperature is"
              + " kept in), got "
              + temperature
              + ".");
    }
    atLeast("negative-count", negativeCount, 1);
    atLeast("negative-pool", negativePool, 1);
    if (targets == null) {
      throw invalid("targets", "must be last or every", null);
    }
    if (negatives == null) {
      throw invalid("negatives", "must be in-batch or corpus", null);
    }
    if (validationBank == null) {
      throw invalid("validation-bank", "must be split-targets or corpus", null);
    }
    if (hardNegatives && negatives != NegativeSource.CORPUS) {
      throw new InvalidInputException(
          "Invalid training recipe: hard-negatives = true needs negatives = corpus (hard"
              + " negatives are drawn beside corpus negatives). Set lvm.train.negatives=corpus or"
              + " lvm.train.hard-negatives=false.");
    }
    if (maxSteps == null) {
      maxSteps = OptionalLong.empty();
    }
    if (maxSteps.isPresent() && maxSteps.getAsLong() < 1) {
      throw invalid("max-steps", "must be >= 1 when set", maxSteps.getAsLong());
    }
    if (cosineEtaMin > learningRate) {
      throw invalid(
          "schedule.min-learning-rate",
          "must not exceed learning-rate (" + learningRate + ")",
          cosineEtaMin);
    }
    if (cadence == null) {
      throw invalid("eval-cadence", "must be every-epoch or reference", null);
    }
  }

  /**
   * The reference recipe exactly (docs/reference-system.md): alpha 0.03, AdamW lr 1e-4 and weight
   * decay 1e-4, clip 1.0, 32 x 8, 50 epochs, cosine T_max 49 down to 1e-5 stepped from epoch 2,
   * patience 3 at the reference cadence, seed 42; one target per window, MSE + 0.5 (1 - cos) + 0.03
   * InfoNCE at temperature 0.07 over in-batch negatives, validation among the split's targets.
   * {@code conf/seed-parity.conf} sets the same values as configuration (ConfFilesTest holds them
   * equal).
   *
   * <p>It is also what a key absent from a recorded recipe takes: every key added after the first
   * checkpoints was added with the reference's behaviour as its old one, so a checkpoint written
   * before a key existed resumes as it was trained. The product's defaults are reference.conf's,
   * read by {@link TrainConfig}; there is no third set.
   */
  public static Recipe reference() {
    return REFERENCE;
  }

  private static final Recipe REFERENCE =
      new Recipe(
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
          2,
          3,
          1e-4,
          EvaluationCadence.REFERENCE,
          42,
          50,
          ai.lvm.model.Readout.LAST,
          0,
          1.0,
          0.5,
          Loss.TEMPERATURE,
          false,
          NegativeSource.IN_BATCH,
          4096,
          65536,
          false,
          ValidationBank.SPLIT_TARGETS);

  /**
   * The recipe under {@code lvm.train} of {@code c}, with {@code seed}: the one reader of recipe
   * keys, for a user's configuration ({@link TrainConfig}) and a checkpoint's record ({@link
   * #fromMap}) alike, so both take the same types and ranges and an error names the key as a user
   * sets it. Ranges here are the configuration's limits; the constructor's checks are the recipe's
   * own (e.g. {@code schedule.min-learning-rate} below {@code learning-rate}).
   */
  public static Recipe read(LvmConfig c, long seed) {
    String p = "lvm.train.";
    return new Recipe(
        c.doubleInRange(p + "alpha", 0, 1000),
        c.doubleInRange(p + "learning-rate", 1e-12, 10),
        c.doubleInRange(p + "weight-decay", 0, 10),
        c.isSet(p + "clip-norm") ? c.doubleInRange(p + "clip-norm", 1e-12, 1e12) : 0,
        c.intInRange(p + "micro-batch", 1, 1_000_000),
        c.intInRange(p + "accumulation-steps", 1, 1_000_000),
        c.intInRange(p + "max-epochs", 1, 100_000),
        c.isSet(p + "max-steps")
            ? OptionalLong.of(c.longInRange(p + "max-steps", 1, Long.MAX_VALUE))
            : OptionalLong.empty(),
        c.intInRange(p + "schedule.t-max", 1, 1_000_000),
        c.doubleInRange(p + "schedule.min-learning-rate", 0, 10),
        c.intInRange(p + "schedule.start-epoch", 1, 1_000_000),
        c.intInRange(p + "patience", 1, 1_000_000),
        c.doubleInRange(p + "min-improvement", 0, 1),
        c.choice(p + "eval-cadence", EvaluationCadence.class),
        seed,
        c.intInRange(p + "log-every-steps", 0, Integer.MAX_VALUE),
        c.choice(p + "targets", ai.lvm.model.Readout.class),
        c.intInRange(p + "warm-up", 0, 1_000_000),
        c.doubleInRange(p + "mse-weight", 0, 1000),
        c.doubleInRange(p + "cosine-weight", 0, 1000),
        c.doubleInRange(p + "temperature", 1e-4, 100),
        c.bool(p + "learn-temperature"),
        c.choice(p + "negatives", NegativeSource.class),
        c.intInRange(p + "negative-count", 1, 10_000_000),
        c.intInRange(p + "negative-pool", 1, 100_000_000),
        c.bool(p + "hard-negatives"),
        c.choice(p + "validation-bank", ValidationBank.class));
  }

  /**
   * Keys recorded in checkpoints written before the recipe took the configuration's own spelling,
   * and that spelling: a recorded recipe is read with either.
   */
  private static final Map<String, String> RENAMED =
      Map.of(
          "cosine-t-max", "schedule.t-max",
          "cosine-eta-min", "schedule.min-learning-rate",
          "cosine-start-epoch", "schedule.start-epoch",
          "min-delta", "min-improvement",
          "evaluation-cadence", "eval-cadence");

  /**
   * A recorded recipe ({@link #toMap()}'s keys, or their earlier spelling) read by {@link #read}
   * over {@link #reference()}: a key absent from the record takes the reference's value. Unknown
   * keys, wrong types and invalid values fail with a message naming the key.
   */
  public static Recipe fromMap(Map<String, ?> recorded) {
    Map<String, Object> values = new LinkedHashMap<>();
    REFERENCE.toMap().forEach((k, v) -> values.put("lvm.train." + k, v));
    recorded.forEach(
        (k, v) -> {
          String key = RENAMED.getOrDefault(k, k);
          if (!KEYS.contains(key)) {
            throw new InvalidInputException(
                "Invalid training recipe: unknown key '" + k + "'; known keys: " + KEYS);
          }
          values.put("lvm.train." + key, v);
        });
    Object seed = recorded.get("seed");
    LvmConfig c = LvmConfig.of(values);
    return read(
        c, seed == null ? REFERENCE.seed() : c.longInRange("lvm.train.seed", 0, Long.MAX_VALUE));
  }

  /**
   * The loss this recipe trains with, at the recipe's temperature (a learned temperature's initial
   * value; the trainer sets the current one before each micro-batch).
   */
  public Loss loss() {
    return new Loss(new Loss.Weights(mseWeight, cosineWeight, alpha), temperature);
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
    m.put("schedule.t-max", cosineTMax);
    m.put("schedule.min-learning-rate", cosineEtaMin);
    m.put("schedule.start-epoch", cosineStartEpoch);
    m.put("patience", patience);
    m.put("min-improvement", minDelta);
    m.put("eval-cadence", cadence.id());
    m.put("seed", seed);
    m.put("log-every-steps", logEverySteps);
    m.put("targets", targets.name().toLowerCase(java.util.Locale.ROOT));
    m.put("warm-up", warmUp);
    m.put("mse-weight", mseWeight);
    m.put("cosine-weight", cosineWeight);
    m.put("temperature", temperature);
    m.put("learn-temperature", learnTemperature);
    m.put("negatives", negatives.id());
    m.put("negative-count", negativeCount);
    m.put("negative-pool", negativePool);
    m.put("hard-negatives", hardNegatives);
    m.put("validation-bank", validationBank.id());
    return m;
  }

  /** The schedule this recipe trains with. */
  public CosineSchedule schedule() {
    return new CosineSchedule(learningRate, cosineTMax, cosineEtaMin, cosineStartEpoch);
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

  /** Names the key as a user sets it: {@code lvm.train.<key>}. */
  private static InvalidInputException invalid(String key, String rule, Object value) {
    return new InvalidInputException(
        "Invalid training recipe: lvm.train." + key + " " + rule + ", got " + value + ".");
  }
}
