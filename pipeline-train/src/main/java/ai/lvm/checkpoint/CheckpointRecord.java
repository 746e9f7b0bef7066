package ai.lvm.checkpoint;

import ai.lvm.model.ModelSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code checkpoint.json}: the record that makes a checkpoint exist. It is written after every data
 * file and names each file with its length and CRC32, so a checkpoint whose record can be read is
 * complete and a damaged data file is detected on load.
 *
 * <p>Three parts change at three rates: {@link Run} (what was asked for) and {@link Model} (what
 * was built) are fixed for the life of a run; {@link Progress} changes every epoch; the envelope
 * (slot, files, time) is added by {@link CheckpointStore#save}. The trainer builds an {@link
 * #unsaved} record from the three parts, and nothing is copied field by field.
 *
 * @param formatVersion {@link #FORMAT_VERSION} of the writer
 * @param slot {@code best} or {@code last}; null before the save
 * @param writtenAt ISO-8601 UTC instant; null before the save
 * @param arrays per group ({@code parameters}, {@code buffers}, {@code optimizer}): its file; null
 *     before the save
 */
public record CheckpointRecord(
    int formatVersion,
    String slot,
    String writtenAt,
    Map<String, ArrayFile> arrays,
    Run run,
    Model model,
    Progress progress) {

  /**
   * 2: the record in its three parts. 1 (flat fields, the model spec and context size at first
   * inside {@code config}) is still read: {@link #upgrade} lifts it.
   */
  public static final int FORMAT_VERSION = 2;

  public static final String FILE_NAME = "checkpoint.json";

  /**
   * What the run was asked to do; the same in every checkpoint of the run.
   *
   * @param runId the run directory name
   * @param snapshotId the window snapshot trained on
   * @param seed the run's seed; data order and the ND4J generator are pure functions of (seed,
   *     epoch), so these two numbers are the whole random state needed to resume
   * @param recipe the training recipe ({@code Recipe.toMap()})
   * @param config the resolved configuration the run was started with
   */
  public record Run(
      String runId,
      String snapshotId,
      long seed,
      Map<String, Object> recipe,
      Map<String, Object> config) {}

  /**
   * What was trained: enough for evaluation to rebuild the model ({@code Models.create(spec)}) and
   * to check it against a snapshot.
   *
   * @param type {@code LatentVectorModel.type()}
   * @param dimension vector dimension D
   * @param parameterCount trainable scalars
   * @param spec what rebuilds the model; null only in a version-1 record written before the spec
   *     was recorded at all
   * @param contextSize the context size C trained on; null likewise
   */
  public record Model(
      String type, int dimension, long parameterCount, ModelSpec spec, Integer contextSize) {}

  /**
   * Where the run stands after {@code epoch}.
   *
   * @param epoch completed epochs
   * @param step optimizer steps taken
   * @param status {@code running}, {@code completed}, {@code early-stopped} or {@code max-steps}
   * @param learningRate the learning rate of the last completed epoch
   * @param earlyStopping early-stopping state after {@code epoch}
   * @param optimizerSteps AdamW steps per parameter
   * @param history one entry per completed epoch
   * @param selection the best evaluation so far
   */
  public record Progress(
      int epoch,
      long step,
      String status,
      double learningRate,
      EarlyStoppingState earlyStopping,
      Map<String, Long> optimizerSteps,
      List<EpochRecord> history,
      Selection selection) {}

  /** A record to save: the store adds the slot, the files and the time ({@link #written}). */
  public static CheckpointRecord unsaved(Run run, Model model, Progress progress) {
    return new CheckpointRecord(FORMAT_VERSION, null, null, null, run, model, progress);
  }

  /** This record with its data files listed and its time of writing: what a save adds. */
  public CheckpointRecord written(String slotId, Map<String, ArrayFile> files, String at) {
    return new CheckpointRecord(formatVersion, slotId, at, files, run, model, progress);
  }

  /** True when the parts a reader relies on are all there. */
  boolean complete() {
    return formatVersion >= 1
        && run != null
        && run.runId() != null
        && model != null
        && model.type() != null
        && progress != null
        && progress.history() != null
        && progress.earlyStopping() != null
        && progress.optimizerSteps() != null;
  }

  /** Where version-1 records kept the model spec and context size before they were fields. */
  private static final String V1_CONFIG_SPEC = "model_spec";

  private static final String V1_CONFIG_CONTEXT_SIZE = "context_size";

  private static final List<String> V1_RUN = List.of("run_id", "snapshot_id", "seed", "recipe");

  private static final List<String> V1_PROGRESS =
      List.of(
          "epoch",
          "step",
          "status",
          "learning_rate",
          "early_stopping",
          "optimizer_steps",
          "history",
          "selection");

  /**
   * A version-1 record (flat fields) as version 2, so one reader serves both. Its model spec and
   * context size come from their fields, or, in the oldest records, from {@code config} (whose map
   * keys Jackson kept as written: {@code model-spec}, {@code context-size}); a version-2 record is
   * returned as it is.
   */
  static JsonNode upgrade(JsonNode record) {
    if (!(record instanceof ObjectNode v1) || record.path("format_version").asInt() != 1) {
      return record;
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode run = f.objectNode();
    V1_RUN.forEach(k -> run.set(k, v1.get(k)));
    JsonNode config = v1.get("config");
    run.set("config", config);
    ObjectNode model = f.objectNode();
    model.set("type", v1.get("model_type"));
    model.set("dimension", v1.get("dimension"));
    model.set("parameter_count", v1.get("parameter_count"));
    model.set("spec", firstPresent(v1.get(V1_CONFIG_SPEC), configEntry(config, "model-spec")));
    model.set(
        "context_size",
        firstPresent(v1.get(V1_CONFIG_CONTEXT_SIZE), configEntry(config, "context-size")));
    ObjectNode progress = f.objectNode();
    V1_PROGRESS.forEach(k -> progress.set(k, v1.get(k)));
    ObjectNode v2 = f.objectNode();
    v2.put("format_version", 1);
    v2.set("slot", v1.get("slot"));
    v2.set("written_at", v1.get("written_at"));
    v2.set("arrays", v1.get("arrays"));
    v2.set("run", run);
    v2.set("model", model);
    v2.set("progress", progress);
    return v2;
  }

  private static JsonNode configEntry(JsonNode config, String key) {
    return config == null ? null : config.get(key);
  }

  private static JsonNode firstPresent(JsonNode a, JsonNode b) {
    return a != null && !a.isNull() ? a : b;
  }

  /**
   * The best validation evaluation (by Hit@5); {@code bestEpoch == 0} before any evaluation.
   *
   * @param metric the selection metric, {@code val_hit5}
   */
  public record Selection(String metric, int bestEpoch, Double hit1, Double hit5, Double hit10) {
    public static Selection none() {
      return new Selection("val_hit5", 0, null, null, null);
    }
  }

  /**
   * One binary file of arrays: each entry's values, little-endian, c order, back to back.
   *
   * @param file file name inside the checkpoint directory
   * @param bytes file length
   * @param crc32 CRC32 of the whole file
   * @param entries the arrays in file order
   */
  public record ArrayFile(String file, long bytes, long crc32, List<ArrayEntry> entries) {}

  /**
   * One array in an {@link ArrayFile}.
   *
   * @param dtype {@code float32} or {@code float64}
   * @param offset byte offset in the file
   */
  public record ArrayEntry(String name, String dtype, long[] shape, long offset) {}
}
