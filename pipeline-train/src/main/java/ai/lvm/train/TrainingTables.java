package ai.lvm.train;

import ai.lvm.checkpoint.CheckpointRecord;
import ai.lvm.checkpoint.EpochRecord;
import ai.lvm.checkpoint.RunStatus;
import ai.lvm.checkpoint.TrainingResult;
import ai.lvm.format.AtomicFiles;
import ai.lvm.format.Json;
import ai.lvm.job.BuildInfo;
import ai.lvm.model.ModelSpec;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The training result tables analysts query, under {@code <lvm.root>/tables/}: runs and their
 * epochs partitioned by {@code snapshot_id} only, each run's rows one Parquet file {@code
 * run-<run_id>.parquet} in its snapshot's directory (with {@code run_id} a column), and every
 * attempt appended to {@link #ATTEMPTS}. Columns: docs/results-tables.md.
 *
 * <p>Why one file per run rather than a {@code run_id} partition: a nightly grid of hundreds of
 * runs made hundreds of one-row directories per night, which every reader lists. A run's file is
 * still replaced on its own: written under a hidden name beside it, then renamed over it ({@link
 * AtomicFiles#replaceDirectory}, which moves files as well), so a reader sees the run's old rows or
 * its new ones, never both, and other runs' files are untouched. A sweep's attempts are likewise
 * one new file per snapshot ({@link #appendAttempts}). One file renamed into place is one object
 * copied on S3A and GCS, created whole, so these tables need no manifest ({@link
 * ai.lvm.format.CommittedFiles}) on object stores either. Tables written with the old {@code
 * snapshot_id=S/run_id=R/} layout are rewritten to this one by {@link #migrate}, which the sweep
 * calls before it trains.
 */
public final class TrainingTables {
  public static final String RUNS = "training_runs";
  public static final String HISTORY = "training_history";
  public static final String ATTEMPTS = "training_attempts";

  /**
   * One row per attempt to train a run, appended by every sweep (partitioned by {@code
   * snapshot_id}): a failed or refused attempt on a finished run is recorded here while the run's
   * own row in {@link #RUNS} stands.
   */
  public static final StructType ATTEMPTS_SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType)
          .add("settings_hash", DataTypes.StringType)
          .add("outcome", DataTypes.StringType)
          .add("reason", DataTypes.StringType)
          .add("epochs", DataTypes.IntegerType)
          .add("device", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("code_version", DataTypes.StringType)
          .add("started_at", DataTypes.TimestampType)
          .add("ended_at", DataTypes.TimestampType)
          .add("snapshot_id", DataTypes.StringType);

  /** One row per run. */
  public static final StructType RUNS_SCHEMA =
      new StructType()
          .add("model", DataTypes.StringType)
          .add("context_size", DataTypes.IntegerType)
          .add("seed", DataTypes.LongType)
          .add("parameter_count", DataTypes.LongType)
          .add("status", DataTypes.StringType)
          .add("reason", DataTypes.StringType)
          .add("epochs", DataTypes.IntegerType)
          .add("steps", DataTypes.LongType)
          .add("best_epoch", DataTypes.IntegerType)
          .add("best_val_hit1", DataTypes.DoubleType)
          .add("best_val_hit5", DataTypes.DoubleType)
          .add("best_val_hit10", DataTypes.DoubleType)
          .add("wall_seconds", DataTypes.DoubleType)
          .add("device", DataTypes.StringType)
          // what the run learned with: its grid values, settings hash, the common
          // hyperparameters as typed columns, and the whole resolved lvm.train config as JSON
          .add("settings", DataTypes.StringType)
          .add("settings_hash", DataTypes.StringType)
          .add("learning_rate", DataTypes.DoubleType)
          .add("weight_decay", DataTypes.DoubleType)
          .add("micro_batch", DataTypes.IntegerType)
          .add("accumulation_steps", DataTypes.IntegerType)
          .add("max_epochs", DataTypes.IntegerType)
          .add("targets", DataTypes.StringType)
          .add("negatives", DataTypes.StringType)
          .add("temperature", DataTypes.DoubleType)
          .add("prediction", DataTypes.StringType)
          .add("hidden_size", DataTypes.IntegerType)
          .add("layers", DataTypes.IntegerType)
          .add("memory_slots", DataTypes.IntegerType)
          .add("dropout", DataTypes.DoubleType)
          .add("config_json", DataTypes.StringType)
          // where and when this attempt ran, and which code
          .add("code_version", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("started_at", DataTypes.TimestampType)
          .add("ended_at", DataTypes.TimestampType)
          .add("snapshot_id", DataTypes.StringType)
          .add("run_id", DataTypes.StringType);

  /** One row per run and epoch. */
  public static final StructType HISTORY_SCHEMA =
      new StructType()
          .add("epoch", DataTypes.IntegerType)
          .add("step", DataTypes.LongType)
          .add("windows", DataTypes.LongType)
          .add("loss", DataTypes.DoubleType)
          .add("mse", DataTypes.DoubleType)
          .add("cosine", DataTypes.DoubleType)
          .add("infonce", DataTypes.DoubleType)
          .add("grad_norm", DataTypes.DoubleType)
          .add("learning_rate", DataTypes.DoubleType)
          .add("val_loss", DataTypes.DoubleType)
          .add("val_cosine", DataTypes.DoubleType)
          .add("val_hit1", DataTypes.DoubleType)
          .add("val_hit5", DataTypes.DoubleType)
          .add("val_hit10", DataTypes.DoubleType)
          .add("val_pool", DataTypes.IntegerType)
          .add("val_best_baseline", DataTypes.StringType)
          .add("val_best_baseline_hit5", DataTypes.DoubleType)
          .add("seconds", DataTypes.DoubleType)
          .add("temperature", DataTypes.DoubleType)
          .add("snapshot_id", DataTypes.StringType)
          .add("run_id", DataTypes.StringType);

  private TrainingTables() {}

  /**
   * Writes the rows of these runs, replacing earlier rows of the same runs.
   *
   * @param sweep the runs as the sweep expanded them (their settings), by run id
   */
  public static void write(
      SparkSession spark, String root, List<Sweep.Run> sweep, List<TrainWorker.Report> reports) {
    Map<String, Sweep.Run> byId = new HashMap<>();
    sweep.forEach(r -> byId.put(r.spec().runId(), r));
    Map<String, List<List<Object>>> attempts = new java.util.LinkedHashMap<>();
    List<RunFiles> files = new ArrayList<>();
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    for (TrainWorker.Report r : reports) {
      RunSpec run = r.run();
      TrainingResult t = r.result();
      attempts
          .computeIfAbsent(run.snapshotId(), s -> new ArrayList<>())
          .add(
              Arrays.asList(
                  run.runId(),
                  run.settingsHash(),
                  t == null ? RunStatus.FAILED.id() : t.status().id(),
                  t == null ? r.error() : t.reason(),
                  t == null ? null : t.epochs(),
                  r.device(),
                  r.host(),
                  BuildInfo.version(),
                  timestamp(r.startedAt()),
                  timestamp(r.endedAt())));
      if (t == null && finishedBefore(root, run.runId(), conf)) {
        // An attempt on a finished run that could not even start (e.g. its windows are gone):
        // the finished run's rows stand; the console summary and exit status report the attempt.
        continue;
      }
      // An attempt that could not start has no result: its outcome columns say failed, and why.
      boolean started = t != null;
      List<Object> row =
          new ArrayList<>(
              Arrays.asList(
                  run.model(),
                  run.contextSize(),
                  run.seed(),
                  started ? t.parameterCount() : null,
                  started ? t.status().id() : RunStatus.FAILED.id(),
                  started ? t.reason() : r.error(),
                  started ? t.epochs() : 0,
                  started ? t.steps() : 0L,
                  started ? t.bestEpoch() : 0,
                  started ? t.bestHit1() : null,
                  started ? t.bestHit5() : null,
                  started ? t.bestHit10() : null,
                  started ? t.seconds() : 0.0,
                  r.device()));
      row.addAll(settings(run, byId.get(run.runId())));
      row.addAll(
          Arrays.asList(
              BuildInfo.version(),
              r.host(),
              timestamp(r.startedAt()),
              timestamp(r.endedAt()),
              run.runId()));
      List<List<Object>> history = new ArrayList<>();
      if (t != null) {
        for (EpochRecord e : t.history()) {
          List<Object> values = new ArrayList<>(historyValues(e));
          values.add(run.runId());
          history.add(values);
        }
      }
      files.add(new RunFiles(run.snapshotId(), run.runId(), row, t == null ? null : history));
    }
    try {
      for (RunFiles f : files) {
        writeRunFile(root, RUNS, f.snapshotId(), f.runId(), RUNS_SCHEMA, List.of(f.run()), conf);
        if (f.history() != null) {
          // A run that could not start keeps whatever history an earlier attempt published.
          writeRunFile(root, HISTORY, f.snapshotId(), f.runId(), HISTORY_SCHEMA, f.history(), conf);
        }
      }
      appendAttempts(root, attempts, conf);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot write the training tables under " + root, e);
    }
  }

  /**
   * Appends a sweep's attempts (by snapshot id, values in the order of {@link #ATTEMPTS_SCHEMA}
   * without {@code snapshot_id}) to {@link #ATTEMPTS}: one new file per snapshot, {@code
   * snapshot_id=S/attempts-<uuid>.parquet}, written under a hidden name and renamed into place. A
   * one-file rename is a one-object copy on S3A and GCS, so every reader, a plain Parquet one
   * included, sees a sweep's attempts whole or not at all; no manifest is needed, and sweeps on the
   * same snapshot at the same time cannot lose each other's rows (they share no file).
   */
  static void appendAttempts(
      String root, Map<String, List<List<Object>>> bySnapshot, Configuration conf)
      throws IOException {
    for (Map.Entry<String, List<List<Object>>> e : bySnapshot.entrySet()) {
      Path target =
          new Path(
              root
                  + "/tables/"
                  + ATTEMPTS
                  + "/snapshot_id="
                  + e.getKey()
                  + "/attempts-"
                  + java.util.UUID.randomUUID()
                  + ".parquet");
      Path staged = writeHidden(target, ATTEMPTS_SCHEMA, e.getValue(), conf);
      AtomicFiles.move(target.getFileSystem(conf), staged, target);
    }
  }

  /** One run's rows: its {@link #RUNS} row and (null: leave as it is) its history rows. */
  private record RunFiles(
      String snapshotId, String runId, List<Object> run, List<List<Object>> history) {}

  /** An epoch's {@link #HISTORY_SCHEMA} values before {@code run_id}, in their order. */
  private static List<Object> historyValues(EpochRecord e) {
    return Arrays.asList(
        e.epoch(),
        e.step(),
        e.windows(),
        e.loss(),
        e.mse(),
        e.cosine(),
        e.infonce(),
        e.gradNorm(),
        e.learningRate(),
        e.valLoss(),
        e.valCosine(),
        e.valHit1(),
        e.valHit5(),
        e.valHit10(),
        e.valPool(),
        e.valBaseline(),
        e.valBaselineHit5(),
        e.seconds(),
        e.temperature());
  }

  /**
   * The file that holds one run's rows of a training table: {@code
   * <root>/tables/<table>/snapshot_id=<S>/run-<run_id>.parquet}. The prefix keeps the name visible
   * to Spark whatever the run id starts with (names starting with {@code _} or {@code .} are
   * hidden).
   */
  static Path runFile(String root, String table, String snapshotId, String runId) {
    return new Path(
        root + "/tables/" + table + "/snapshot_id=" + snapshotId + "/run-" + runId + ".parquet");
  }

  /**
   * Replaces a run's {@code training_history} file with the epochs of its checkpoint record, so
   * they are queryable while the sweep runs; the sweep's final write replaces it in turn. Plain
   * parquet-hadoop on the driver, not a Spark job: the executors' slots are busy training.
   */
  static void writeLiveHistory(String root, CheckpointRecord record, Configuration conf)
      throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    for (EpochRecord e : record.progress().history()) {
      List<Object> values = new ArrayList<>(historyValues(e));
      values.add(record.run().runId());
      rows.add(values);
    }
    writeRunFile(
        root, HISTORY, record.run().snapshotId(), record.run().runId(), HISTORY_SCHEMA, rows, conf);
  }

  /**
   * Writes {@code rows} (values in the order of {@code schema} without {@code snapshot_id}) as the
   * run's file of {@code table}: a hidden sibling first, then renamed over the old file.
   */
  private static void writeRunFile(
      String root,
      String table,
      String snapshotId,
      String runId,
      StructType schema,
      List<List<Object>> rows,
      Configuration conf)
      throws IOException {
    Path target = runFile(root, table, snapshotId, runId);
    Path staged = writeHidden(target, schema, rows, conf);
    AtomicFiles.replaceDirectory(target.getFileSystem(conf), staged, target);
  }

  /** Writes {@code rows} as a Parquet file in a hidden sibling of {@code target}; its path. */
  private static Path writeHidden(
      Path target, StructType schema, List<List<Object>> rows, Configuration conf)
      throws IOException {
    Path staged = AtomicFiles.hiddenSibling(target);
    MessageType parquet = parquetSchema(schema);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(HadoopOutputFile.fromPath(staged, conf))
            .withType(parquet)
            .build()) {
      for (List<Object> row : rows) {
        writer.write(group(parquet, row));
      }
    }
    return staged;
  }

  /**
   * Rewrites {@link #RUNS} and {@link #HISTORY} tables written with the old {@code
   * snapshot_id=S/run_id=R/} layout into this one, each table whole in a hidden sibling that then
   * replaces it: Spark cannot read a table that mixes the two layouts, so no reader sees one. Rows
   * of columns an older release did not write are null. Nothing happens to a table already in this
   * layout, so every sweep can call it.
   */
  public static void migrate(SparkSession spark, String root) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    for (String table : List.of(RUNS, HISTORY)) {
      Path dir = new Path(root + "/tables/" + table);
      try {
        migrate(spark, table, dir, conf);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("Cannot migrate " + dir + " to the new layout", e);
      }
    }
  }

  private static void migrate(SparkSession spark, String table, Path dir, Configuration conf)
      throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir)) {
      return;
    }
    List<String> oldPartitions = new ArrayList<>();
    for (FileStatus snapshot : fs.listStatus(dir, TrainingTables::visible)) {
      if (snapshot.isDirectory()) {
        for (FileStatus run : fs.listStatus(snapshot.getPath(), TrainingTables::visible)) {
          if (run.isDirectory() && run.getPath().getName().startsWith("run_id=")) {
            oldPartitions.add(run.getPath().toString());
          }
        }
      }
    }
    if (oldPartitions.isEmpty()) {
      return;
    }
    StructType schema = RUNS.equals(table) ? RUNS_SCHEMA : HISTORY_SCHEMA;
    String inference = "spark.sql.sources.partitionColumnTypeInference.enabled";
    String before = spark.conf().get(inference, "true");
    List<Row> rows;
    // Ids as written: a snapshot id of digits must not come back as a number.
    spark.conf().set(inference, "false");
    try {
      rows =
          spark
              .read()
              .option("mergeSchema", "true")
              .option("basePath", dir.toString())
              .parquet(oldPartitions.toArray(new String[0]))
              .collectAsList();
    } finally {
      spark.conf().set(inference, before);
    }
    Path staged = AtomicFiles.hiddenSibling(dir);
    Map<List<String>, List<List<Object>>> byRun = new java.util.LinkedHashMap<>();
    for (Row r : rows) {
      List<Object> values = new ArrayList<>();
      for (StructField f : schema.fields()) {
        if (!f.name().equals("snapshot_id")) {
          values.add(
              List.of(r.schema().fieldNames()).contains(f.name()) ? r.getAs(f.name()) : null);
        }
      }
      byRun
          .computeIfAbsent(
              List.of(r.<String>getAs("snapshot_id"), r.<String>getAs("run_id")),
              k -> new ArrayList<>())
          .add(values);
    }
    String stagedRoot = staged.getParent().getParent().toString();
    String stagedTable = staged.getName();
    for (Map.Entry<List<String>, List<List<Object>>> e : byRun.entrySet()) {
      Path target = runFile(stagedRoot, stagedTable, e.getKey().get(0), e.getKey().get(1));
      try (ParquetWriter<Group> writer =
          ExampleParquetWriter.builder(HadoopOutputFile.fromPath(target, conf))
              .withType(parquetSchema(schema))
              .build()) {
        for (List<Object> values : e.getValue()) {
          writer.write(group(parquetSchema(schema), values));
        }
      }
    }
    // Files already in the new layout (none unless a sweep of this release ran on the same table
    // before this one) come along unchanged.
    for (FileStatus snapshot : fs.listStatus(dir, TrainingTables::visible)) {
      if (!snapshot.isDirectory()) {
        continue;
      }
      for (FileStatus f : fs.listStatus(snapshot.getPath(), TrainingTables::visible)) {
        if (f.isFile()) {
          org.apache.hadoop.fs.FileUtil.copy(
              fs,
              f.getPath(),
              fs,
              new Path(new Path(staged, snapshot.getPath().getName()), f.getPath().getName()),
              false,
              conf);
        }
      }
    }
    AtomicFiles.replaceDirectory(fs, staged, dir);
  }

  private static boolean visible(Path p) {
    return !p.getName().startsWith("_") && !p.getName().startsWith(".");
  }

  /**
   * The Parquet schema of a run's file of {@code type}: every column but the partition column
   * {@code snapshot_id}, all optional.
   */
  private static MessageType parquetSchema(StructType type) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (StructField field : type.fields()) {
      String name = field.name();
      if (name.equals("snapshot_id")) {
        continue;
      }
      DataType t = field.dataType();
      if (t == DataTypes.IntegerType) {
        b.optional(PrimitiveTypeName.INT32).named(name);
      } else if (t == DataTypes.LongType) {
        b.optional(PrimitiveTypeName.INT64).named(name);
      } else if (t == DataTypes.DoubleType) {
        b.optional(PrimitiveTypeName.DOUBLE).named(name);
      } else if (t == DataTypes.StringType) {
        b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
      } else if (t == DataTypes.TimestampType) {
        // Spark's own encoding of a timestamp: microseconds since the epoch, UTC.
        b.optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
            .named(name);
      } else {
        throw new IllegalArgumentException("no Parquet mapping for " + t + " (" + name + ")");
      }
    }
    return b.named("spark_schema");
  }

  private static Group group(MessageType schema, List<Object> values) {
    Group g = new SimpleGroup(schema);
    for (int i = 0; i < values.size(); i++) {
      Object v = values.get(i);
      if (v == null) {
        continue; // an optional field left out is null
      }
      String name = schema.getFieldName(i);
      if (v instanceof Integer x) {
        g.add(name, x);
      } else if (v instanceof Long x) {
        g.add(name, x);
      } else if (v instanceof Double x) {
        g.add(name, x);
      } else if (v instanceof String x) {
        g.add(name, x);
      } else if (v instanceof Timestamp x) {
        g.add(name, Math.floorDiv(x.getTime(), 1000L) * 1_000_000L + x.getNanos() / 1000);
      } else {
        throw new IllegalArgumentException("no Parquet mapping for " + v.getClass());
      }
    }
    return g;
  }

  /** The settings columns, {@code settings} to {@code config_json}, of one run. */
  private static List<Object> settings(RunSpec run, Sweep.Run swept) {
    Recipe recipe = swept.recipe();
    ModelSpec model = swept.model();
    return Arrays.asList(
        run.settings(),
        run.settingsHash(),
        recipe.learningRate(),
        recipe.weightDecay(),
        recipe.microBatch(),
        recipe.accumulationSteps(),
        recipe.maxEpochs(),
        recipe.targets().name().toLowerCase(Locale.ROOT),
        recipe.negatives().id(),
        recipe.temperature(),
        model.prediction().configName(),
        model.hidden(),
        model.layers(),
        model.memorySlots(),
        model.dropout(),
        Json.compact(swept.config().resolved()));
  }

  private static boolean finishedBefore(
      String root, String runId, org.apache.hadoop.conf.Configuration conf) {
    return RunProgress.read(root, runId, conf)
        .map(p -> RunStatus.fromId(p.status()).finished())
        .orElse(false);
  }

  private static Timestamp timestamp(String instant) {
    return instant == null ? null : Timestamp.from(Instant.parse(instant));
  }
}
