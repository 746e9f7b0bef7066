package ai.lvm.train;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.device.DeviceCheck;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

/**
 * The validated {@code lvm.train} configuration (keys and defaults: pipeline-train's
 * reference.conf). Serializable: the training job ships it to the Spark task of each run.
 *
 * @param snapshot the snapshot id, or null for the newest published
 * @param contextSizes the sizes asked for, or null for every sufficient size
 * @param maxSteps the cap on optimizer steps, or null for none
 * @param clipNorm the global gradient norm clip, or null for none
 * @param resolved the resolved {@code lvm.train} subtree, recorded with each run
 */
public record TrainConfig(
    String root,
    String snapshot,
    List<Integer> contextSizes,
    List<String> models,
    List<Long> seeds,
    boolean allowInsufficient,
    int hiddenSize,
    int layers,
    int memorySlots,
    double dropout,
    String prediction,
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
    String evalCadence,
    DeviceCheck.Want device,
    HashMap<String, Object> resolved)
    implements Serializable {

  /** Model types a sweep may name. */
  public static final Set<String> MODEL_TYPES = Set.of("memory-gru", "gru", "lstm", "amn");

  public static TrainConfig from(LvmConfig c) {
    String p = "lvm.train.";
    String prediction = c.string(p + "prediction");
    if (!prediction.equals("residual") && !prediction.equals("direct")) {
      throw LvmConfig.invalid(p + "prediction", prediction, "\"residual\" or \"direct\"");
    }
    String cadence = c.string(p + "eval-cadence");
    if (!cadence.equals("every-epoch") && !cadence.equals("reference")) {
      throw LvmConfig.invalid(p + "eval-cadence", cadence, "\"every-epoch\" or \"reference\"");
    }
    int layers = c.intInRange(p + "layers", 1, 64);
    int hidden = c.intInRange(p + "hidden-size", 1, 65_536);
    if (layers < 1 || hidden < 1) {
      throw new InvalidInputException("Invalid model size: layers and hidden-size must be >= 1.");
    }
    return new TrainConfig(
        c.requiredString("lvm.root", "set the output root, e.g. --set lvm.root=data"),
        c.optionalString(p + "snapshot").orElse(null),
        c.isSet(p + "context-sizes") ? c.intList(p + "context-sizes", 1, 1_000_000) : null,
        c.wordList(p + "models", MODEL_TYPES),
        c.longList(p + "seeds"),
        c.bool(p + "allow-insufficient"),
        hidden,
        layers,
        c.intInRange(p + "memory-slots", 1, 1_000_000),
        c.doubleInRange(p + "dropout", 0, 0.95),
        prediction,
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
        cadence,
        c.choice(p + "device", DeviceCheck.Want.class),
        new HashMap<>(c.subtree("lvm.train")));
  }
}
