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

/**
 * The validated {@code lvm.train} configuration (keys and defaults: pipeline-train's
 * reference.conf). Serializable: the training job ships it to the Spark task of each run.
 *
 * @param snapshot the snapshot id, or null for the newest published
 * @param hiddenSize the recurrent width, or null for each model type's reference value (likewise
 *     {@code layers}, {@code memorySlots}, {@code dropout})
 * @param contextSizes the sizes asked for, or null for every sufficient size
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
    DeviceCheck.Want device,
    Integer cpuThreads,
    int baseK,
    int lags,
    int baseLags,
    boolean baseAnalogue,
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
        c.choice(p + "device", DeviceCheck.Want.class),
        c.isSet(p + "cpu-threads") ? c.intInRange(p + "cpu-threads", 1, 4096) : null,
        c.intInRange(p + "base-k", 1, 1_000_000),
        c.intInRange(p + "lags", 1, 1_000_000),
        c.intInRange(p + "base-lags", 0, 64),
        c.bool(p + "base-analogue"),
        c.intInRange(p + "progress-seconds", 0, 86_400),
        new HashMap<>(c.subtree("lvm.train")));
  }

  /**
   * The recipe of one run of the sweep: {@link Recipe#read} of this configuration's {@code
   * lvm.train} values (kept as {@link #resolved}, so the configuration ships to a task as plain
   * values and the recipe keys have one reader).
   */
  public Recipe recipe(long seed) {
    return Recipe.read(LvmConfig.of(java.util.Map.of("lvm.train", resolved)), seed);
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
        Mix.TYPE.equals(type) ? lags : 1,
        prediction == PredictionMode.BASE ? baseLags : 0,
        prediction == PredictionMode.BASE && baseAnalogue);
  }
}
