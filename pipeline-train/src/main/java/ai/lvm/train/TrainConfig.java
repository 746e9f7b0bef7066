package ai.lvm.train;

import ai.lvm.config.LvmConfig;
import ai.lvm.device.DeviceCheck;
import ai.lvm.model.Mix;
import ai.lvm.model.ModelSpec;
import ai.lvm.model.Models;
import ai.lvm.model.PredictionMode;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.OptionalLong;

/**
 * The validated {@code lvm.train} configuration (keys and defaults: pipeline-train's
 * reference.conf). Serializable: the training job ships it to the Spark task of each run.
 *
 * @param snapshot the snapshot id, or null for the newest published
 * @param hiddenSize the recurrent width, or null for each model type's reference value (likewise
 *     {@code layers}, {@code memorySlots}, {@code dropout})
 * @param contextSizes the sizes asked for, or null for every sufficient size
 * @param maxSteps the cap on optimizer steps, or null for none
 * @param clipNorm the global gradient norm clip, or null for none
 * @param cpuThreads BLAS threads of a CPU worker, or null for ND4J's default (OMP_NUM_THREADS)
 * @param progressSeconds how often the driver prints the runs' progress while a sweep runs; 0 =
 *     never
 * @param resolved the resolved {@code lvm.train} subtree, recorded with each run
 */
public record TrainConfig(
    String root,
    String snapshot,
    List<Integer> contextSizes,
    List<String> models,
    List<Long> seeds,
    boolean allowInsufficient,
    Integer hiddenSize,
    Integer layers,
    Integer memorySlots,
    Double dropout,
    PredictionMode prediction,
    int maxEpochs,
    Long maxSteps,
    double alpha,
    double learningRate,
    double weightDecay,
    Double clipNorm,
    int microBatch,
    int accumulationSteps,
    int scheduleTMax,
    double minLearningRate,
    int scheduleStartEpoch,
    int patience,
    double minImprovement,
    EvaluationCadence evalCadence,
    int logEverySteps,
    DeviceCheck.Want device,
    Integer cpuThreads,
    int baseK,
    int lags,
    ai.lvm.model.Readout targets,
    int warmUp,
    double mseWeight,
    double cosineWeight,
    double temperature,
    Recipe.NegativeSource negatives,
    int negativeCount,
    int negativePool,
    boolean hardNegatives,
    Recipe.ValidationBank validationBank,
    int progressSeconds,
    HashMap<String, Object> resolved)
    implements Serializable {

  public static TrainConfig from(LvmConfig c) {
    TrainConfig cfg = read(c);
    cfg.recipe(0); // the recipe's own checks (e.g. combinations of keys), on the driver
    if (cfg.models.contains(Mix.TYPE) && cfg.prediction != PredictionMode.BASE) {
      throw new ai.lvm.config.InvalidInputException(
          "lvm.train.prediction: the mix model is built around its base and needs \"base\", got \""
              + cfg.prediction.configName()
              + "\"; set lvm.train.prediction = base or leave mix out of lvm.train.models");
    }
    return cfg;
  }

  private static TrainConfig read(LvmConfig c) {
    String p = "lvm.train.";
    return new TrainConfig(
        c.requiredString("lvm.root", "set the output root, e.g. --set lvm.root=data"),
        c.optionalString(p + "snapshot").orElse(null),
        c.isSet(p + "context-sizes") ? c.intList(p + "context-sizes", 1, 1_000_000) : null,
        c.wordList(p + "models", Models.TYPES),
        c.longList(p + "seeds"),
        c.bool(p + "allow-insufficient"),
        c.isSet(p + "hidden-size") ? c.intInRange(p + "hidden-size", 1, 65_536) : null,
        c.isSet(p + "layers") ? c.intInRange(p + "layers", 1, 64) : null,
        c.isSet(p + "memory-slots") ? c.intInRange(p + "memory-slots", 1, 1_000_000) : null,
        c.isSet(p + "dropout") ? c.doubleInRange(p + "dropout", 0, 0.95) : null,
        c.choice(p + "prediction", PredictionMode.class),
        c.intInRange(p + "max-epochs", 1, 100_000),
        c.isSet(p + "max-steps") ? c.longInRange(p + "max-steps", 1, Long.MAX_VALUE) : null,
        c.doubleInRange(p + "alpha", 0, 1000),
        c.doubleInRange(p + "learning-rate", 1e-12, 10),
        c.doubleInRange(p + "weight-decay", 0, 10),
        c.isSet(p + "clip-norm") ? c.doubleInRange(p + "clip-norm", 1e-12, 1e12) : null,
        c.intInRange(p + "micro-batch", 1, 1_000_000),
        c.intInRange(p + "accumulation-steps", 1, 1_000_000),
        c.intInRange(p + "schedule.t-max", 1, 1_000_000),
        c.doubleInRange(p + "schedule.min-learning-rate", 0, 10),
        c.intInRange(p + "schedule.start-epoch", 1, 1_000_000),
        c.intInRange(p + "patience", 1, 1_000_000),
        c.doubleInRange(p + "min-improvement", 0, 1),
        c.choice(p + "eval-cadence", EvaluationCadence.class),
        c.intInRange(p + "log-every-steps", 0, Integer.MAX_VALUE),
        c.choice(p + "device", DeviceCheck.Want.class),
        c.isSet(p + "cpu-threads") ? c.intInRange(p + "cpu-threads", 1, 4096) : null,
        c.intInRange(p + "base-k", 1, 1_000_000),
        c.intInRange(p + "lags", 1, 1_000_000),
        c.choice(p + "targets", ai.lvm.model.Readout.class),
        c.intInRange(p + "warm-up", 0, 1_000_000),
        c.doubleInRange(p + "mse-weight", 0, 1000),
        c.doubleInRange(p + "cosine-weight", 0, 1000),
        c.doubleInRange(p + "temperature", 1e-4, 100),
        c.choice(p + "negatives", Recipe.NegativeSource.class),
        c.intInRange(p + "negative-count", 1, 10_000_000),
        c.intInRange(p + "negative-pool", 1, 100_000_000),
        c.bool(p + "hard-negatives"),
        c.choice(p + "validation-bank", Recipe.ValidationBank.class),
        c.intInRange(p + "progress-seconds", 0, 86_400),
        new HashMap<>(c.subtree("lvm.train")));
  }

  /** The recipe of one run of the sweep. */
  public Recipe recipe(long seed) {
    return new Recipe(
        alpha,
        learningRate,
        weightDecay,
        clipNorm == null ? 0 : clipNorm,
        microBatch,
        accumulationSteps,
        maxEpochs,
        maxSteps == null ? OptionalLong.empty() : OptionalLong.of(maxSteps),
        scheduleTMax,
        minLearningRate,
        scheduleStartEpoch,
        patience,
        minImprovement,
        evalCadence,
        seed,
        logEverySteps,
        targets,
        warmUp,
        mseWeight,
        cosineWeight,
        temperature,
        negatives,
        negativeCount,
        negativePool,
        hardNegatives,
        validationBank);
  }

  /**
   * The model of one run of the sweep, for vectors of the snapshot's dimension: the type's
   * reference size ({@link ModelSpec#reference}) where a size key is unset.
   */
  public ModelSpec modelSpec(String type, int dimension, long seed) {
    ModelSpec ref = ModelSpec.reference(type, dimension);
    return new ModelSpec(
        type,
        dimension,
        hiddenSize != null ? hiddenSize : ref.hidden(),
        layers != null ? layers : ref.layers(),
        memorySlots != null ? memorySlots : ref.memorySlots(),
        dropout != null ? dropout : ref.dropout(),
        prediction,
        seed,
        // k means something to the base head only; 1 elsewhere, so such specs compare equal
        prediction == PredictionMode.BASE ? baseK : 1,
        Mix.TYPE.equals(type) ? lags : 1);
  }
}
