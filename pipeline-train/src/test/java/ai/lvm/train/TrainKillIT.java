package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.checkpoint.Checkpoint;
import ai.lvm.checkpoint.CheckpointRecord;
import ai.lvm.checkpoint.CheckpointStore;
import ai.lvm.checkpoint.EpochRecord;
import ai.lvm.checkpoint.RunStatus;
import ai.lvm.checkpoint.TrainingResult;
import ai.lvm.format.Json;
import ai.lvm.testing.ChildJob;
import ai.lvm.testing.SparkTests;
import ai.lvm.testing.TestCorpora;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training sweep SIGKILLed after its first checkpoint leaves only complete checkpoints and no
 * result rows; the same sweep submitted again resumes each run from its last checkpoint and ends
 * where an uninterrupted sweep over a copy of the snapshot ends: same status, epochs, steps, best
 * metrics, history, {@code training_history} rows and final parameters, within float tolerance.
 */
class TrainKillIT {
  private static final String MAIN = "ai.lvm.train.TrainJob";
  private static final int MAX_EPOCHS = 8;

  @TempDir Path dir;

  @Test
  void aKilledSweepResumesToTheSameResultAsAnUninterruptedOne() throws Exception {
    Path root = dir.resolve("lvm");
    Path cleanRoot = dir.resolve("clean");
    exportSnapshot(root);
    copyTree(root.resolve("windows"), cleanRoot.resolve("windows"));
    ChildJob jobs = new ChildJob(dir.resolve("logs"));
    String[] sweep = {
      "lvm.train.context-sizes=[8]",
      "lvm.train.models=[memory-gru]",
      "lvm.train.seeds=[1,2]",
      "lvm.train.hidden-size=8",
      "lvm.train.layers=1",
      "lvm.train.memory-slots=4",
      "lvm.train.micro-batch=8",
      "lvm.train.accumulation-steps=2",
      "lvm.train.max-epochs=" + MAX_EPOCHS,
      // Every epoch runs: the kill must land well before the end, whatever the metrics do.
      "lvm.train.patience=" + (MAX_EPOCHS + 1), // epoch 0 is an evaluation too: never stop early
      "lvm.train.log-every-steps=0",
      "lvm.train.device=cpu"
    };
    List<String> runs = runIds(root, sweep);
    assertThat(runs).hasSize(2).allMatch(id -> id.startsWith("snap-c8-memory-gru-s"));

    // The uninterrupted sweep over the copy runs beside the killed one and its resumption.
    ChildJob.Running uninterrupted = jobs.start(MAIN, with(sweep, "lvm.root=" + cleanRoot));
    // Killed as soon as any run's first `last` checkpoint is complete (its record exists).
    ChildJob.Killed killed =
        jobs.killWhen(
            () ->
                runs.stream()
                    .anyMatch(
                        id ->
                            Files.exists(
                                root.resolve(
                                    "runs/" + id + "/last/" + CheckpointRecord.FILE_NAME))),
            MAIN,
            with(sweep, "lvm.root=" + root));
    assertThat(killed.markerReachedWhileAlive())
        .as("the sweep was still running at its first checkpoint (%s)", killed.log())
        .isTrue();
    assertThat(killed.exitStatus()).isNotZero();

    // Nothing partial is visible: every checkpoint a reader can find loads (CRC32s, shapes), the
    // kill came before the end, no run reported an end, no result table was written.
    Configuration hadoop = new Configuration();
    int checkpointed = 0;
    for (String id : runs) {
      CheckpointStore store = new CheckpointStore(root.toString(), id, hadoop);
      Optional<Checkpoint> last = store.load(CheckpointStore.Slot.LAST);
      store.load(CheckpointStore.Slot.BEST);
      if (last.isPresent()) {
        checkpointed++;
        assertThat(last.get().record().progress().epoch()).isBetween(1, MAX_EPOCHS - 1);
      }
      Path run = root.resolve("runs").resolve(id);
      assertThat(run.resolve(CheckpointStore.STATUS_FILE)).doesNotExist();
      if (Files.isDirectory(run)) {
        try (Stream<Path> entries = Files.list(run)) {
          for (Path e : entries.toList()) {
            String name = e.getFileName().toString();
            if (!name.startsWith("_")) {
              assertThat(e.resolve(CheckpointRecord.FILE_NAME))
                  .as("a visible checkpoint directory is complete")
                  .exists();
            }
          }
        }
      }
    }
    assertThat(checkpointed).isPositive();
    assertThat(root.resolve("tables")).doesNotExist();

    assertThat(jobs.run(MAIN, with(sweep, "lvm.root=" + root))).isZero();
    assertThat(uninterrupted.await()).isZero();

    for (String id : runs) {
      TrainingResult resumed = status(root, id);
      TrainingResult clean = status(cleanRoot, id);
      assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED).isEqualTo(clean.status());
      assertThat(resumed.epochs()).isEqualTo(MAX_EPOCHS).isEqualTo(clean.epochs());
      assertThat(resumed.steps()).isEqualTo(clean.steps());
      assertThat(resumed.bestEpoch()).isEqualTo(clean.bestEpoch());
      assertClose(resumed.bestHit1(), clean.bestHit1());
      assertClose(resumed.bestHit5(), clean.bestHit5());
      assertClose(resumed.bestHit10(), clean.bestHit10());
      assertSameHistory(resumed.history(), clean.history());

      Checkpoint a =
          new CheckpointStore(root.toString(), id, hadoop)
              .load(CheckpointStore.Slot.LAST)
              .orElseThrow();
      Checkpoint b =
          new CheckpointStore(cleanRoot.toString(), id, hadoop)
              .load(CheckpointStore.Slot.LAST)
              .orElseThrow();
      assertSameArrays(a.parameters(), b.parameters());
      assertSameArrays(a.buffers(), b.buffers());
      assertSameArrays(a.optimizer(), b.optimizer());
    }

    SparkSession spark = SparkTests.start("TrainKillIT");
    try {
      List<Row> resumed = history(spark, root);
      List<Row> clean = history(spark, cleanRoot);
      assertThat(resumed).hasSize(runs.size() * (MAX_EPOCHS + 1)).hasSameSizeAs(clean);
      for (int i = 0; i < resumed.size(); i++) {
        Row r = resumed.get(i);
        Row c = clean.get(i);
        for (int f = 0; f < r.length(); f++) {
          if (r.get(f) instanceof Double d) {
            assertClose(d, (Double) c.get(f));
          } else {
            assertThat(r.get(f)).as("column %d of %s", f, r).isEqualTo(c.get(f));
          }
        }
      }
    } finally {
      spark.stop();
    }
  }

  /** A tiny seeded corpus (D = 16, ~1,500 chunks) exported as snapshot {@code snap}, C = 8. */
  private static void exportSnapshot(Path root) {
    SparkSession spark = SparkTests.start("TrainKillIT-export");
    try {
      TestCorpora.exportSnapshot(
          spark,
          root,
          List.of(8),
          TestCorpora.documents(16, 11, 180, 150, 210, 160, 190, 170, 200, 175));
    } finally {
      spark.stop();
    }
  }

  /** training_history without the wall-clock column, in a fixed order. */
  private static List<Row> history(SparkSession spark, Path root) {
    return spark
        .read()
        .parquet(root.resolve("tables").resolve(TrainingTables.HISTORY).toString())
        .drop("seconds")
        .orderBy("run_id", "epoch")
        .collectAsList();
  }

  private static TrainingResult status(Path root, String id) throws IOException {
    return Json.read(
        Files.readAllBytes(root.resolve("runs").resolve(id).resolve(CheckpointStore.STATUS_FILE)),
        TrainingResult.class);
  }

  private static void assertSameHistory(List<EpochRecord> a, List<EpochRecord> b) {
    // epoch 0 (the untrained model, validated against the corpus) and the trained epochs
    assertThat(a).hasSize(MAX_EPOCHS + 1).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      EpochRecord x = a.get(i);
      EpochRecord y = b.get(i);
      assertThat(List.of(x.epoch(), x.step(), x.windows()))
          .isEqualTo(List.of(y.epoch(), y.step(), y.windows()));
      assertThat(x.valPool()).isEqualTo(y.valPool());
      for (double[] pair :
          new double[][] {
            {x.loss(), y.loss()},
            {x.mse(), y.mse()},
            {x.cosine(), y.cosine()},
            {x.infonce(), y.infonce()},
            {x.gradNorm(), y.gradNorm()},
            {x.learningRate(), y.learningRate()}
          }) {
        assertClose(pair[0], pair[1]);
      }
      assertClose(x.valLoss(), y.valLoss());
      assertClose(x.valHit5(), y.valHit5());
    }
  }

  /** Equal within 1e-6 relative (resume is exact by construction; the tolerance is for BLAS). */
  private static void assertClose(Double a, Double b) {
    if (a == null || b == null || a.isNaN() || b.isNaN()) {
      assertThat(a).isEqualTo(b); // null or NaN (epoch 0 has no training loss) on both sides
      return;
    }
    assertThat(Math.abs(a - b))
        .as("%s vs %s", a, b)
        .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(b)));
  }

  private static void assertSameArrays(Map<String, INDArray> a, Map<String, INDArray> b) {
    assertThat(a.keySet()).isEqualTo(b.keySet()).isNotEmpty();
    for (String name : a.keySet()) {
      assertThat(a.get(name).equalsWithEps(b.get(name), 1e-6)).as(name).isTrue();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(from)) {
      walk.forEach(paths::add);
    }
    for (Path p : paths) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  /** The sweep's run ids, as the job derives them (settings hash included). */
  private static List<String> runIds(Path root, String[] sets) {
    List<String> args = new ArrayList<>();
    for (String set : with(sets, "lvm.root=" + root)) {
      args.add("--set");
      args.add(set);
    }
    TrainSweep sweep =
        TrainSweep.from(ai.lvm.config.CommandLine.parse(args.toArray(String[]::new)).load());
    return Sweep.expand(
            ai.lvm.format.Snapshot.open(root.toString(), Optional.empty(), new Configuration())
                .manifest(),
            sweep)
        .stream()
        .map(r -> r.spec().runId())
        .toList();
  }

  private static String[] with(String[] sets, String more) {
    String[] out = java.util.Arrays.copyOf(sets, sets.length + 1);
    out[sets.length] = more;
    return out;
  }
}
