package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.checkpoint.RunStatus;
import ai.lvm.config.LvmConfig;
import ai.lvm.export.ExportConfig;
import ai.lvm.export.ExportJob;
import ai.lvm.testing.SparkTests;
import ai.lvm.testing.TestCorpora;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep on local[2]: one Spark task per run, a failing run does not take the others down. */
class TrainJobTest {
  private static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void exportASnapshot() {
    spark = SparkTests.start("TrainJobTest");
    String corpus =
        TestCorpora.write(
            spark, dir, "corpus", TestCorpora.documents(6, 5, 60, 45, 70, 38, 52, 66, 41, 57));
    Map<String, Object> m = new HashMap<>();
    m.put("lvm.root", dir.resolve("lvm").toString());
    m.put("lvm.export.corpus", corpus);
    m.put("lvm.export.context-sizes", List.of(4, 6));
    m.put("lvm.export.min-train-sequences", 1);
    m.put("lvm.export.snapshot-id", "snap");
    new ExportJob().run(spark, ExportConfig.from(LvmConfig.of(m)));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static TrainJob.Result train() {
    LvmConfig config = config();
    config.rejectUnknownKeys(new TrainJob().stages());
    return new TrainJob().run(spark, sweep(config));
  }

  private static TrainSweep sweep(LvmConfig config) {
    return new TrainJob().configure(config);
  }

  private static LvmConfig config() {
    Map<String, Object> m = new HashMap<>();
    m.put("lvm.root", dir.resolve("lvm").toString());
    m.put("lvm.train.context-sizes", List.of(4, 6));
    m.put("lvm.train.hidden-size", 8);
    m.put("lvm.train.layers", 1);
    m.put("lvm.train.memory-slots", 4);
    m.put("lvm.train.max-epochs", 2);
    m.put("lvm.train.micro-batch", 4);
    m.put("lvm.train.accumulation-steps", 1);
    return LvmConfig.of(m);
  }

  @Test
  void aFailingRunDoesNotTakeTheSweepDownAndARerunAddsNoRows() throws Exception {
    // Storage loses the C=6 training windows: that run fails, the C=4 run trains.
    Path lost = dir.resolve("lvm/windows/snap/data/context_size=6/split=train");
    try (Stream<Path> files = Files.list(lost)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    assertThat(new TrainJob().dryRun(spark, sweep(config())))
        .as("nothing trained yet")
        .contains("2 runs over snapshot snap")
        .containsPattern("start +snap-c4-memory-gru-s42-[0-9a-f]{8}  no checkpoint")
        .containsPattern("start +snap-c6-memory-gru-s42-");
    TrainJob.Result result = train();
    assertThat(result.reports()).hasSize(2);
    assertThat(new TrainJob().exitStatus(result))
        .as("one of two runs failed")
        .isEqualTo(TrainJob.SOME_FAILED);
    TrainWorker.Report ok = report(result, 4);
    TrainWorker.Report failed = report(result, 6);
    assertThat(ok.error()).isNull();
    assertThat(ok.result().status()).isIn(RunStatus.COMPLETED, RunStatus.EARLY_STOPPED);
    assertThat(ok.result().epochs()).isEqualTo(2);
    assertThat(ok.device()).contains("CPU");
    assertThat(failed.result()).isNull();
    assertThat(failed.error()).isNotBlank();
    String c4 = ok.run().runId();
    assertThat(new TrainJob().summary(result))
        .contains(c4)
        .contains("failed")
        .contains("1 of 2 runs failed (exit status 4)");
    String root = dir.resolve("lvm").toString();
    RunProgress progress =
        RunProgress.read(root, c4, new org.apache.hadoop.conf.Configuration()).orElseThrow();
    assertThat(progress.epoch()).isEqualTo(2);
    assertThat(progress.maxEpochs()).isEqualTo(2);
    assertThat(progress.etaSeconds()).as("finished: no ETA").isEmpty();
    assertThat(progress.line())
        .startsWith(c4 + "  epoch 2/2 ")
        .containsPattern("val Hit@5 [0-9.]+% \\(best [0-9.]+% @[0-2]; mean-last-[35] [0-9.]+%\\)");
    assertThat(RunList.table(root, new org.apache.hadoop.conf.Configuration()))
        .as("bin/lvm runs: the finished run; the failed one never checkpointed")
        .containsPattern(c4 + " +(completed|early-stopped) +2/2 ")
        .doesNotContain("snap-c6");
    assertThat(new TrainJob().dryRun(spark, sweep(config())))
        .containsPattern("skip +" + c4 + "  finished \\((completed|early-stopped) after epoch 2\\)")
        .containsPattern("start +snap-c6-memory-gru-s42-");

    String tables = dir.resolve("lvm/tables").toString();
    // One directory per snapshot, one file per run in it (run_id is a column, not a directory);
    // the run that failed before its first epoch has no history file.
    assertThat(visible(dir.resolve("lvm/tables/training_runs")))
        .containsExactly("snapshot_id=snap");
    assertThat(visible(dir.resolve("lvm/tables/training_runs/snapshot_id=snap")))
        .containsExactlyInAnyOrder(
            "run-" + c4 + ".parquet", "run-" + failed.run().runId() + ".parquet");
    assertThat(visible(dir.resolve("lvm/tables/training_history/snapshot_id=snap")))
        .containsExactly("run-" + c4 + ".parquet");
    assertThat(spark.read().parquet(tables + "/training_runs").count()).isEqualTo(2);
    Row c4Row =
        spark.read().parquet(tables + "/training_runs").filter("run_id = '" + c4 + "'").first();
    assertThat(c4Row.<String>getAs("settings_hash")).isEqualTo(ok.run().settingsHash());
    assertThat(c4Row.<Double>getAs("learning_rate")).isEqualTo(3e-4);
    assertThat(c4Row.<Integer>getAs("hidden_size")).isEqualTo(8);
    assertThat(c4Row.<String>getAs("prediction")).isEqualTo("base");
    assertThat(c4Row.<String>getAs("config_json")).contains("\"hidden-size\":8");
    assertThat(c4Row.<String>getAs("code_version"))
        .as("release and commit, embedded at build time")
        .isEqualTo(ai.lvm.job.BuildInfo.version())
        .startsWith("lvm-pipeline 0.1.0-SNAPSHOT (commit ");
    assertThat(c4Row.<String>getAs("host")).isNotBlank();
    java.sql.Timestamp startedAt = c4Row.getAs("started_at");
    java.sql.Timestamp endedAt = c4Row.getAs("ended_at");
    assertThat(endedAt).isAfterOrEqualTo(startedAt);
    assertThat(startedAt.toInstant()) // microseconds, as Spark keeps timestamps
        .isEqualTo(
            java.time.Instant.parse(ok.startedAt())
                .truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(
            spark
                .read()
                .parquet(tables + "/training_history")
                .filter("run_id = '" + c4 + "'")
                .count())
        .as("epoch 0 (the untrained model, validated against the corpus) and the two epochs")
        .isEqualTo(3);

    // What a running sweep publishes after each epoch: the run's history partition replaced by one
    // file written by the driver without Spark (here over the rows Spark wrote, which it must
    // replace, not double), readable by Spark with the same columns, and replaced in turn by the
    // sweep's final write below.
    ai.lvm.checkpoint.CheckpointRecord c4Record =
        new ai.lvm.checkpoint.CheckpointStore(root, c4, new org.apache.hadoop.conf.Configuration())
            .loadRecord(ai.lvm.checkpoint.CheckpointStore.Slot.LAST)
            .orElseThrow();
    TrainingTables.writeLiveHistory(root, c4Record, new org.apache.hadoop.conf.Configuration());
    List<Row> live =
        spark
            .read()
            .parquet(tables + "/training_history")
            .filter("run_id = '" + c4 + "'")
            .orderBy("epoch")
            .collectAsList();
    assertThat(live).hasSize(3);
    assertThat(live.get(2).<Integer>getAs("epoch")).isEqualTo(2);
    assertThat(live.get(2).<Double>getAs("val_hit5"))
        .isEqualTo(c4Record.progress().history().get(2).valHit5());
    assertThat(live.get(2).<String>getAs("snapshot_id")).isEqualTo("snap");

    assertThat(visible(dir.resolve("lvm/tables/training_history/snapshot_id=snap")))
        .as("replaced in place: no second file, no staged debris")
        .containsExactly("run-" + c4 + ".parquet");

    // Submitting the sweep again: the finished run is not retrained, no row is duplicated.
    TrainJob.Result again = train();
    assertThat(report(again, 4).result().steps()).isEqualTo(ok.result().steps());
    assertThat(spark.read().parquet(tables + "/training_runs").count()).isEqualTo(2);
    assertThat(spark.read().parquet(tables + "/training_history").count()).isEqualTo(3);
    assertThat(visible(dir.resolve("lvm/tables/training_runs/snapshot_id=snap"))).hasSize(2);

    // A later attempt on the finished run that cannot start (its windows are gone) fails, and
    // is reported so, but does not overwrite the finished run's row.
    Path c4Train = dir.resolve("lvm/windows/snap/data/context_size=4/split=train");
    try (Stream<Path> files = Files.list(c4Train)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    TrainJob.Result broken = train();
    assertThat(report(broken, 4).result()).isNull();
    assertThat(new TrainJob().exitStatus(broken)).isEqualTo(TrainJob.ALL_FAILED);
    assertThat(
            spark
                .read()
                .parquet(tables + "/training_runs")
                .filter("run_id = '" + c4 + "'")
                .first()
                .<String>getAs("status"))
        .isIn("completed", "early-stopped");
    // Every attempt is a row of training_attempts: two runs in each of the three sweeps; the last
    // attempt on the finished run failed, with its reason, beside its standing row.
    Dataset<Row> attempts = spark.read().parquet(tables + "/training_attempts");
    assertThat(attempts.count()).isEqualTo(6);
    List<Row> c4Attempts =
        attempts.filter("run_id = '" + c4 + "'").orderBy("started_at").collectAsList();
    assertThat(c4Attempts).hasSize(3);
    assertThat(c4Attempts.get(0).<String>getAs("outcome")).isIn("completed", "early-stopped");
    assertThat(c4Attempts.get(2).<String>getAs("outcome")).isEqualTo("failed");
    assertThat(c4Attempts.get(2).<String>getAs("reason")).isNotBlank();
    assertThat(c4Attempts.get(2).<String>getAs("code_version"))
        .isEqualTo(ai.lvm.job.BuildInfo.version());
  }

  @Test
  void tablesInTheOldRunIdPartitionLayoutAreRewrittenToOneFilePerRun() throws Exception {
    // What an earlier release wrote: snapshot_id=S/run_id=R/part-*.parquet, fewer columns. The
    // snapshot id is all digits: it must stay the string it was, not become a number.
    String root = dir.resolve("old").toString();
    org.apache.spark.sql.types.StructType oldRuns =
        new org.apache.spark.sql.types.StructType()
            .add("model", "string")
            .add("status", "string")
            .add("best_val_hit5", "double")
            .add("snapshot_id", "string")
            .add("run_id", "string");
    spark
        .createDataFrame(
            List.of(
                org.apache.spark.sql.RowFactory.create("gru", "completed", 0.5, "0042", "r-a"),
                org.apache.spark.sql.RowFactory.create("lstm", "failed", null, "0042", "r-b")),
            oldRuns)
        .write()
        .partitionBy("snapshot_id", "run_id")
        .parquet(root + "/tables/training_runs");
    assertThat(visible(Path.of(root, "tables/training_runs/snapshot_id=0042")))
        .containsExactlyInAnyOrder("run_id=r-a", "run_id=r-b");

    TrainingTables.migrate(spark, root);
    TrainingTables.migrate(spark, root); // a table in the new layout is left as it is

    assertThat(visible(Path.of(root, "tables/training_runs"))).containsExactly("snapshot_id=0042");
    assertThat(visible(Path.of(root, "tables/training_runs/snapshot_id=0042")))
        .containsExactlyInAnyOrder("run-r-a.parquet", "run-r-b.parquet");
    try (Stream<Path> tables = Files.list(Path.of(root, "tables"))) {
      assertThat(tables.map(p -> p.getFileName().toString()))
          .as("no staged or old copy left behind")
          .containsExactly("training_runs");
    }
    Dataset<Row> runs = spark.read().parquet(root + "/tables/training_runs");
    assertThat(runs.columns()).contains("run_id", "snapshot_id", "learning_rate", "config_json");
    Row a = runs.filter("run_id = 'r-a'").first();
    assertThat(a.<String>getAs("status")).isEqualTo("completed");
    assertThat(a.<Double>getAs("best_val_hit5")).isEqualTo(0.5);
    assertThat(a.<Double>getAs("learning_rate")).as("not written by the old release").isNull();
    assertThat(String.valueOf(a.<Object>getAs("snapshot_id"))).isEqualTo("42");
    assertThat(runs.filter("run_id = 'r-b'").first().<String>getAs("status")).isEqualTo("failed");
  }

  /** The names Spark reads in a table directory: not hidden ({@code _} or {@code .}). */
  private static List<String> visible(Path directory) throws java.io.IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("_") && !n.startsWith("."))
          .sorted()
          .toList();
    }
  }

  private static TrainWorker.Report report(TrainJob.Result r, int c) {
    return r.reports().stream().filter(x -> x.run().contextSize() == c).findFirst().orElseThrow();
  }
}
