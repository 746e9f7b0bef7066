package ai.lvm.checkpoint;

import ai.lvm.model.ModelSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code checkpoint.json}: the record that makes a checkpoint exist. It is written after every data
 * file and names each file with its length and CRC32, so a checkpoint whose record can be read is
 * complete and a damaged data file is detected on load.
 *
 * @param formatVersion {@link #FORMAT_VERSION} of the writer
 * @param slot {@code best} or {@code last}
 * @param runId the run directory name
 * @param snapshotId the window snapshot trained on
 * @param modelType {@code LatentVectorModel.type()}
 * @param dimension vector dimension D
 * @param parameterCount trainable scalars
 * @param epoch completed epochs
 * @param step optimizer steps taken
 * @param seed the run's seed; data order and the ND4J generator are pure functions of (seed,
 *     epoch), so these two numbers are the whole random state needed to resume
 * @param status {@code running}, {@code completed}, {@code early-stopped} or {@code max-steps}
 * @param learningRate the learning rate of the last completed epoch
 * @param recipe the training recipe ({@code Recipe.toMap()})
 * @param config the resolved configuration the run was started with
 * @param earlyStopping early-stopping state after {@code epoch}
 * @param optimizerSteps AdamW steps per parameter
 * @param history one entry per completed epoch
 * @param selection the best evaluation so far
 * @param arrays per group ({@code parameters}, {@code buffers}, {@code optimizer}): its file
 * @param writtenAt ISO-8601 UTC instant
 * @param modelSpec what rebuilds the model ({@code Models.create}); null in records written before
 *     it was a field, which kept it in {@code config} (see {@link #trainedModel})
 * @param contextSize the context size C trained on; null likewise (see {@link #trainedContextSize})
 */
public record CheckpointRecord(
    int formatVersion,
    String slot,
    String runId,
    String snapshotId,
    String modelType,
    int dimension,
    long parameterCount,
    int epoch,
    long step,
    long seed,
    String status,
    double learningRate,
    Map<String, Object> recipe,
    Map<String, Object> config,
    EarlyStoppingState earlyStopping,
    Map<String, Long> optimizerSteps,
    List<EpochRecord> history,
    Selection selection,
    Map<String, ArrayFile> arrays,
    String writtenAt,
    ModelSpec modelSpec,
    Integer contextSize) {

  public static final int FORMAT_VERSION = 1;
  public static final String FILE_NAME = "checkpoint.json";

  /** Where records written before {@link #modelSpec} and {@link #contextSize} kept them. */
  private static final String LEGACY_MODEL_SPEC = "model-spec";

  private static final String LEGACY_CONTEXT_SIZE = "context-size";

  /** This record with its data files listed and its time of writing: what a save adds. */
  public CheckpointRecord written(String slotId, Map<String, ArrayFile> files, String at) {
    return new CheckpointRecord(
        formatVersion,
        slotId,
        runId,
        snapshotId,
        modelType,
        dimension,
        parameterCount,
        epoch,
        step,
        seed,
        status,
        learningRate,
        recipe,
        config,
        earlyStopping,
        optimizerSteps,
        history,
        selection,
        files,
        at,
        modelSpec,
        contextSize);
  }

  /** The model this checkpoint holds, from the field or, in an older record, from its config. */
  public Optional<ModelSpec> trainedModel() {
    if (modelSpec != null) {
      return Optional.of(modelSpec);
    }
    Object legacy = config == null ? null : config.get(LEGACY_MODEL_SPEC);
    return legacy instanceof Map<?, ?> m ? Optional.of(ModelSpec.fromMap(m)) : Optional.empty();
  }

  /** The context size trained on, from the field or, in an older record, from its config. */
  public OptionalInt trainedContextSize() {
    if (contextSize != null) {
      return OptionalInt.of(contextSize);
    }
    Object legacy = config == null ? null : config.get(LEGACY_CONTEXT_SIZE);
    return legacy instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
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
