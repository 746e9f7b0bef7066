package ai.lvm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.model.LatentVectorModel;
import ai.lvm.model.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointStoreTest {
  private static final ai.lvm.model.ModelSpec SPEC =
      ai.lvm.model.ModelSpec.reference("mix", 4).withSeed(3);

  @TempDir Path root;

  private CheckpointStore store() {
    return new CheckpointStore(root.toString(), "run-1", new Configuration());
  }

  private static Checkpoint checkpoint(int epoch, long seed) {
    Nd4j.getRandom().setSeed(seed);
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("w", Nd4j.randn(DataType.FLOAT, 3, 4));
    params.put("b", Nd4j.randn(DataType.FLOAT, 4));
    params.put("scalar", Nd4j.scalar(DataType.FLOAT, 0.1f / 3));
    Map<String, INDArray> buffers = new LinkedHashMap<>();
    buffers.put("memory", Nd4j.randn(DataType.FLOAT, 5, 2));
    buffers.put("counts", Nd4j.randn(DataType.DOUBLE, 3));
    Map<String, INDArray> optimizer = new LinkedHashMap<>();
    optimizer.put("w/m", Nd4j.randn(DataType.FLOAT, 3, 4));
    optimizer.put("w/v", Nd4j.rand(DataType.FLOAT, 3, 4));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("lvm.train.models", List.of("memory-gru"));
    config.put("lvm.train.hidden-size", 512);
    EpochRecord e =
        new EpochRecord(
            epoch,
            10L * epoch,
            80,
            1.25,
            0.5,
            0.75,
            2.5,
            0.9,
            1e-4,
            1.3,
            0.7,
            0.25,
            0.5,
            0.625,
            8,
            1.5);
    CheckpointRecord record =
        CheckpointRecord.unsaved(
            new CheckpointRecord.Run("run-1", "snap", 42, Map.of("alpha", 0.03), config),
            new CheckpointRecord.Model("toy", 4, 17, SPEC, 100),
            new CheckpointRecord.Progress(
                epoch,
                10L * epoch,
                "running",
                1e-4,
                new EarlyStoppingState(1, epoch, 0.5, 0, true),
                Map.of("w", 10L * epoch),
                List.of(e),
                new CheckpointRecord.Selection("val_hit5", epoch, 0.25, 0.5, 0.625)));
    return new Checkpoint(record, params, buffers, optimizer);
  }

  @Test
  void roundTripIsExact() {
    Checkpoint saved = checkpoint(3, 7);
    store().save(CheckpointStore.Slot.LAST, saved);
    Checkpoint loaded = store().load(CheckpointStore.Slot.LAST).orElseThrow();
    assertSameArrays(loaded.parameters(), saved.parameters());
    assertSameArrays(loaded.buffers(), saved.buffers());
    assertSameArrays(loaded.optimizer(), saved.optimizer());
    assertThat(loaded.buffers().get("counts").dataType()).isEqualTo(DataType.DOUBLE);
    CheckpointRecord r = loaded.record();
    assertThat(r.slot()).isEqualTo("last");
    assertThat(r.formatVersion()).isEqualTo(CheckpointRecord.FORMAT_VERSION);
    assertThat(r.progress().epoch()).isEqualTo(3);
    assertThat(r.progress()).isEqualTo(saved.record().progress());
    assertThat(r.progress().optimizerSteps()).isEqualTo(Map.of("w", 30L));
    assertThat(r.run().config()).containsEntry("lvm.train.models", List.of("memory-gru"));
    assertThat(r.model()).isEqualTo(saved.record().model());
    assertThat(r.model().spec()).isEqualTo(SPEC);
    assertThat(r.model().contextSize()).isEqualTo(100);
    assertThat(store().load(CheckpointStore.Slot.BEST)).isEmpty();
  }

  /**
   * Version-1 records (flat fields) still read: the model spec and C from their own fields, or, in
   * the oldest, from the config the run was started with.
   */
  @Test
  void aVersionOneRecordReadsAsTheSameParts() throws IOException {
    CheckpointRecord v2 = checkpoint(2, 2).record();
    String configKept =
        V1.replace("$SPEC_FIELDS", "")
            .replace(
                "$CONFIG",
                "\"context-size\": 500, \"model-spec\": "
                    + new String(
                        ai.lvm.format.Json.write(SPEC), java.nio.charset.StandardCharsets.UTF_8));
    CheckpointRecord oldest = readV1(configKept);
    assertThat(oldest.model()).isEqualTo(new CheckpointRecord.Model("toy", 4, 17, SPEC, 500));
    assertThat(List.of(oldest.run().runId(), oldest.run().snapshotId(), oldest.run().seed()))
        .containsExactly("run-1", "snap", 42L);
    assertThat(oldest.run().recipe()).isEqualTo(Map.of("alpha", 0.03));
    assertThat(oldest.run().config()).containsOnlyKeys("context-size", "model-spec");
    assertThat(oldest.progress()).isEqualTo(v2.progress());

    // one release wrote the spec as a field, with Jackson's own names for the record's components
    String typedFields =
        V1.replace("$CONFIG", "")
            .replace(
                "$SPEC_FIELDS",
                "\"context_size\": 100, \"model_spec\": {\"type\": \"mix\", \"dimension\": 4,"
                    + " \"hidden\": 512, \"layers\": 1, \"memory_slots\": 2048, \"dropout\": 0.1,"
                    + " \"prediction\": \"BASE\", \"seed\": 3, \"base_k\": 3, \"lags\": 10},");
    assertThat(readV1(typedFields).model())
        .isEqualTo(new CheckpointRecord.Model("toy", 4, 17, SPEC, 100));
  }

  private CheckpointRecord readV1(String template) throws IOException {
    CheckpointRecord.Progress p = checkpoint(2, 2).record().progress();
    String json =
        template
            .replace("$EARLY", ai.lvm.format.Json.compact(p.earlyStopping()))
            .replace("$HISTORY", ai.lvm.format.Json.compact(p.history().get(0)));
    Path last = Files.createDirectories(root.resolve("runs/run-1/last"));
    Files.writeString(last.resolve(CheckpointRecord.FILE_NAME), json);
    return store().loadRecord(CheckpointStore.Slot.LAST).orElseThrow();
  }

  /**
   * A version-1 record of {@code checkpoint(2, 2)}: flat fields, in the order that version wrote.
   */
  private static final String V1 =
      """
      {"format_version": 1, "slot": "last", "run_id": "run-1", "snapshot_id": "snap",
       "model_type": "toy", "dimension": 4, "parameter_count": 17, "epoch": 2, "step": 20,
       "seed": 42, "status": "running", "learning_rate": 1.0E-4, "recipe": {"alpha": 0.03},
       "config": {$CONFIG},
       "early_stopping": $EARLY,
       "optimizer_steps": {"w": 20}, $SPEC_FIELDS
       "history": [$HISTORY],
       "selection": {"metric": "val_hit5", "best_epoch": 2, "hit1": 0.25, "hit5": 0.5,
                     "hit10": 0.625},
       "arrays": {}, "written_at": "2026-11-30T00:00:00Z"}
      """;

  @Test
  void savingAgainReplacesTheSlotAndLeavesNoDebris() throws IOException {
    store().save(CheckpointStore.Slot.LAST, checkpoint(1, 1));
    store().save(CheckpointStore.Slot.LAST, checkpoint(2, 2));
    assertThat(store().loadRecord(CheckpointStore.Slot.LAST).orElseThrow().progress().epoch())
        .isEqualTo(2);
    try (var files = Files.list(root.resolve("runs/run-1"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("last");
    }
  }

  @Test
  void dataWithoutARecordIsNotACheckpoint() throws IOException {
    store().save(CheckpointStore.Slot.BEST, checkpoint(1, 1));
    // A crash after the data files and before the record: the record is what makes it exist.
    Files.delete(root.resolve("runs/run-1/best/checkpoint.json"));
    assertThat(store().load(CheckpointStore.Slot.BEST)).isEmpty();

    // A crash while writing a newer checkpoint next to a complete one: the complete one loads.
    store().save(CheckpointStore.Slot.LAST, checkpoint(4, 4));
    Path partial = Files.createDirectories(root.resolve("runs/run-1/_last.new-deadbeef"));
    Files.copy(root.resolve("runs/run-1/last/parameters.bin"), partial.resolve("parameters.bin"));
    assertThat(store().load(CheckpointStore.Slot.LAST).orElseThrow().record().progress().epoch())
        .isEqualTo(4);
  }

  @Test
  void aCrashBetweenTheTwoRenamesStillFindsTheCheckpoint() throws IOException {
    store().save(CheckpointStore.Slot.LAST, checkpoint(5, 5));
    Files.move(root.resolve("runs/run-1/last"), root.resolve("runs/run-1/_last.old-12345678"));
    assertThat(store().load(CheckpointStore.Slot.LAST).orElseThrow().record().progress().epoch())
        .isEqualTo(5);
    store().save(CheckpointStore.Slot.LAST, checkpoint(6, 6));
    assertThat(store().load(CheckpointStore.Slot.LAST).orElseThrow().record().progress().epoch())
        .isEqualTo(6);
    assertThat(root.resolve("runs/run-1/_last.old-12345678")).doesNotExist();
  }

  @Test
  void damagedFilesAreReportedAsCorrupt() throws IOException {
    store().save(CheckpointStore.Slot.LAST, checkpoint(1, 1));
    Path params = root.resolve("runs/run-1/last/parameters.bin");
    byte[] bytes = Files.readAllBytes(params);
    bytes[5] ^= 1;
    Files.write(params, bytes);
    // The local file system's own checksum would catch this first; test the record's CRC32.
    Path sidecar = root.resolve("runs/run-1/last/.parameters.bin.crc");
    Files.copy(sidecar, root.resolve("sidecar.crc"));
    Files.delete(sidecar);
    assertThatThrownBy(() -> store().load(CheckpointStore.Slot.LAST))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("Corrupt checkpoint")
        .hasMessageContaining("CRC32");
    Files.write(params, java.util.Arrays.copyOf(bytes, 7));
    assertThatThrownBy(() -> store().load(CheckpointStore.Slot.LAST))
        .hasMessageContaining("has 7 bytes");
    Files.copy(root.resolve("sidecar.crc"), sidecar);
    assertThatThrownBy(() -> store().load(CheckpointStore.Slot.LAST))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("fails the file system's checksum");
    Files.deleteIfExists(root.resolve("runs/run-1/last/.checkpoint.json.crc"));
    Files.writeString(root.resolve("runs/run-1/last/checkpoint.json"), "{\"format_version\": ");
    assertThatThrownBy(() -> store().load(CheckpointStore.Slot.LAST))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("cannot parse checkpoint.json");
  }

  @Test
  void restoringIntoADifferentModelNamesTheDifference() {
    Checkpoint c = checkpoint(1, 1);
    LatentVectorModel toy = new Toy(new long[] {3, 5});
    assertThatThrownBy(() -> c.restoreInto(toy, "here"))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("Incompatible checkpoint at here")
        .hasMessageContaining("'w' has shape [3, 4] there, the model has [3, 5]");
    Toy fits = new Toy(new long[] {3, 4});
    c.restoreInto(fits, "here");
    assertThat(fits.parameters().value("w")).isEqualTo(c.parameters().get("w"));
  }

  @Test
  void runIdsMustBePlainNames() {
    assertThatThrownBy(() -> new CheckpointStore(root.toString(), "../x", new Configuration()))
        .hasMessageContaining("run id");
  }

  private static void assertSameArrays(Map<String, INDArray> got, Map<String, INDArray> want) {
    assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
    for (String name : want.keySet()) {
      assertThat(got.get(name).shape()).as(name).containsExactly(want.get(name).shape());
      assertThat(got.get(name).dataType()).as(name).isEqualTo(want.get(name).dataType());
      assertThat(got.get(name).data().asDouble())
          .as(name)
          .containsExactly(want.get(name).data().asDouble());
    }
  }

  /** A model with parameters w, b, scalar and the buffers of {@link #checkpoint}. */
  private static final class Toy implements LatentVectorModel {
    private final Parameters parameters = new Parameters();
    private final Map<String, INDArray> buffers = new LinkedHashMap<>();

    Toy(long[] wShape) {
      parameters.add("w", Nd4j.zeros(DataType.FLOAT, wShape));
      parameters.add("b", Nd4j.zeros(DataType.FLOAT, 4));
      parameters.add("scalar", Nd4j.scalar(DataType.FLOAT, 0f));
      buffers.put("memory", Nd4j.zeros(DataType.FLOAT, 5, 2));
      buffers.put("counts", Nd4j.zeros(DataType.DOUBLE, 3));
    }

    @Override
    public ai.lvm.model.ModelSpec spec() {
      return null; // a test double no spec describes
    }

    @Override
    public String type() {
      return "toy";
    }

    @Override
    public int dimension() {
      return 4;
    }

    @Override
    public Parameters parameters() {
      return parameters;
    }

    @Override
    public Map<String, INDArray> buffers() {
      return buffers;
    }

    @Override
    public INDArray forward(INDArray contexts, boolean training, ai.lvm.model.Readout readout) {
      throw new UnsupportedOperationException("not used by checkpoint tests");
    }

    @Override
    public void backward(INDArray dPredictions) {
      throw new UnsupportedOperationException("not used by checkpoint tests");
    }
  }
}
