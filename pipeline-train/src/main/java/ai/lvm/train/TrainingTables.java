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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The training result tables analysts query, under {@code <lvm.root>/tables/}: runs and their
 * epochs partitioned by {@code snapshot_id} and {@code run_id} (re-running a run replaces its rows
 * by dynamic partition overwrite, other runs' rows stay), and every attempt appended to {@link
 * #ATTEMPTS}. Columns: docs/results-tables.md.
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
    List<Row> runs = new ArrayList<>();
    List<Row> history = new ArrayList<>();
    List<Row> attempts = new ArrayList<>();
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    for (TrainWorker.Report r : reports) {
      RunSpec run = r.run();
      TrainingResult t = r.result();
      attempts.add(
          RowFactory.create(
              run.runId(),
              run.settingsHash(),
              t == null ? RunStatus.FAILED.id() : t.status().id(),
              t == null ? r.error() : t.reason(),
              t == null ? null : t.epochs(),
              r.device(),
              r.host(),
              BuildInfo.version(),
              timestamp(r.startedAt()),
              timestamp(r.endedAt()),
              run.snapshotId()));
      if (t == null && finishedBefore(root, run.runId(), conf)) {
        // An attempt on a finished run that could not even start (e.g. its windows are gone):
        // the finished run's rows stand; the console summary and exit status report the attempt.
        continue;
      }
      List<Object> row = new ArrayList<>();
      if (t == null) {
        row.addAll(
            Arrays.asList(
                run.model(),
                run.contextSize(),
                run.seed(),
                null,
                RunStatus.FAILED.id(),
                r.error(),
                0,
                0L,
                0,
                null,
                null,
                null,
                0.0,
                r.device()));
      } else {
        row.addAll(
            Arrays.asList(
                run.model(),
                run.contextSize(),
                run.seed(),
                t.parameterCount(),
                t.status().id(),
                t.reason(),
                t.epochs(),
                t.steps(),
                t.bestEpoch(),
                t.bestHit1(),
                t.bestHit5(),
                t.bestHit10(),
                t.seconds(),
                r.device()));
      }
      row.addAll(settings(run, byId.get(run.runId())));
      row.addAll(
          Arrays.asList(
              BuildInfo.version(),
              r.host(),
              timestamp(r.startedAt()),
              timestamp(r.endedAt()),
              run.snapshotId(),
              run.runId()));
      runs.add(RowFactory.create(row.toArray()));
      if (t == null) {
        continue;
      }
      for (EpochRecord e : t.history()) {
        List<Object> values = new ArrayList<>(historyValues(e));
        values.add(run.snapshotId());
        values.add(run.runId());
        history.add(RowFactory.create(values.toArray()));
      }
    }
    write(spark, root + "/tables/" + RUNS, runs, RUNS_SCHEMA);
    write(spark, root + "/tables/" + HISTORY, history, HISTORY_SCHEMA);
    if (!attempts.isEmpty()) {
      spark
          .createDataFrame(attempts, ATTEMPTS_SCHEMA)
          .coalesce(1)
          .write()
          .mode(SaveMode.Append)
          .partitionBy("snapshot_id")
          .parquet(root + "/tables/" + ATTEMPTS);
    }
  }

  /** An epoch's {@link #HISTORY_SCHEMA} values before the partition columns, in their order. */
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
        e.seconds());
  }

  /** The file of a run's history written while its sweep runs (replaced at the sweep's end). */
  static final String LIVE_HISTORY_FILE = "part-live.parquet";

  /**
   * Replaces a run's {@code training_history} partition with the epochs of its checkpoint record,
   * so they are queryable while the sweep runs: one Parquet file in a hidden staged directory that
   * {@link AtomicFiles#replaceDirectory} swaps in for the whole partition, so rows an earlier sweep
   * wrote there are replaced, never doubled; the sweep's final write replaces it in turn. Plain
   * parquet-hadoop on the driver, not a Spark job: the executors' slots are busy training.
   */
  static void writeLiveHistory(String root, CheckpointRecord record, Configuration conf)
      throws IOException {
    Path partition =
        new Path(
            root
                + "/tables/"
                + HISTORY
                + "/snapshot_id="
                + record.run().snapshotId()
                + "/run_id="
                + record.run().runId());
    Path staged = AtomicFiles.hiddenSibling(partition);
    MessageType schema = parquetSchema(HISTORY_SCHEMA, 2);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(
                HadoopOutputFile.fromPath(new Path(staged, LIVE_HISTORY_FILE), conf))
            .withType(schema)
            .build()) {
      for (EpochRecord e : record.progress().history()) {
        writer.write(group(schema, historyValues(e)));
      }
    }
    AtomicFiles.replaceDirectory(partition.getFileSystem(conf), staged, partition);
  }

  /**
   * The Parquet schema of {@code type} without its last {@code partitionColumns} (all optional).
   */
  private static MessageType parquetSchema(StructType type, int partitionColumns) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    StructField[] fields = type.fields();
    for (int i = 0; i < fields.length - partitionColumns; i++) {
      String name = fields[i].name();
      DataType t = fields[i].dataType();
      if (t == DataTypes.IntegerType) {
        b.optional(PrimitiveTypeName.INT32).named(name);
      } else if (t == DataTypes.LongType) {
        b.optional(PrimitiveTypeName.INT64).named(name);
      } else if (t == DataTypes.DoubleType) {
        b.optional(PrimitiveTypeName.DOUBLE).named(name);
      } else if (t == DataTypes.StringType) {
        b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
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

  private static void write(SparkSession spark, String path, List<Row> rows, StructType schema) {
    if (rows.isEmpty()) {
      return;
    }
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy("snapshot_id", "run_id")
        .parquet(path);
  }
}
