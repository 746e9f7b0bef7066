package ai.lvm.eval;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import ai.lvm.format.CommittedFiles;
import ai.lvm.metrics.Interval;
import ai.lvm.metrics.PairedDifference;
import ai.lvm.metrics.RankMetrics;
import ai.lvm.metrics.Ranking;
import ai.lvm.train.TrainingTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation's result tables under {@code <lvm.root>/tables/}, partitioned by {@code
 * snapshot_id}, {@code eval_date} and {@code eval_id} so analysts prune by snapshot and date.
 * Columns: docs/results-tables.md.
 *
 * <p>Publication: each table is written whole to {@code tables/_staging/}, then its one partition's
 * files are moved into the evaluation id's partition directory beside the previous ones and
 * committed there ({@link CommittedFiles#replace}). A reader through the partition's manifest
 * ({@code bin/lvm sql}, the report) sees the old rows or the new ones, never a part and never both,
 * on object stores too; a crash leaves staging debris, which the next run of the id removes, and
 * uncommitted files in the partition, which its next commit deletes.
 */
final class EvalTables {
  private static final Logger LOG = LoggerFactory.getLogger(EvalTables.class);
  static final String RESULTS = "eval_results";
  static final String WINDOWS = "eval_windows";
  static final String STAGING = "_staging";

  static final StructType NEIGHBOUR =
      new StructType()
          .add("doc_id", DataTypes.StringType)
          .add("chunk_index", DataTypes.LongType)
          .add("cosine", DataTypes.DoubleType);

  /** One row per scored window and scorer (partition columns are added at publication). */
  static final StructType WINDOWS_SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType)
          .add("model", DataTypes.StringType)
          .add("scorer", DataTypes.StringType)
          .add("context_size", DataTypes.IntegerType)
          .add("split", DataTypes.StringType)
          .add("bank", DataTypes.StringType)
          .add("window_id", DataTypes.LongType)
          .add("target_doc_id", DataTypes.StringType)
          .add("target_chunk_index", DataTypes.LongType)
          .add("target_lane", DataTypes.IntegerType)
          .add("context_doc_ids", DataTypes.createArrayType(DataTypes.StringType))
          .add("rank", DataTypes.LongType)
          .add("candidates", DataTypes.LongType)
          .add("cosine", DataTypes.DoubleType)
          .add("neighbours", DataTypes.createArrayType(NEIGHBOUR));

  /** One row per run x split x bank x scorer (x lane). */
  static final StructType RESULTS_SCHEMA = resultsSchema();

  private EvalTables() {}

  private static StructType resultsSchema() {
    StructType s =
        new StructType()
            .add("run_id", DataTypes.StringType)
            .add("model", DataTypes.StringType)
            .add("scorer", DataTypes.StringType)
            .add("context_size", DataTypes.IntegerType)
            .add("seed", DataTypes.LongType)
            .add("split", DataTypes.StringType)
            .add("bank", DataTypes.StringType)
            .add("lane", DataTypes.IntegerType)
            .add("checkpoint", DataTypes.StringType)
            .add("checkpoint_epoch", DataTypes.IntegerType)
            .add("parameter_count", DataTypes.LongType)
            .add("windows", DataTypes.LongType)
            .add("bank_size", DataTypes.LongType)
            .add("candidates", DataTypes.DoubleType);
    for (String m : new String[] {"hit1", "hit5", "hit10", "mrr", "mean_cosine"}) {
      s = s.add(m, DataTypes.DoubleType);
      s = s.add(m + "_low", DataTypes.DoubleType);
      s = s.add(m + "_high", DataTypes.DoubleType);
    }
    return s.add("chance_hit1", DataTypes.DoubleType)
        .add("chance_hit5", DataTypes.DoubleType)
        .add("chance_hit10", DataTypes.DoubleType)
        .add("latency_p50_ms", DataTypes.DoubleType)
        .add("latency_p99_ms", DataTypes.DoubleType)
        .add("throughput_windows_per_s", DataTypes.DoubleType)
        .add("device", DataTypes.StringType)
        .add("best_baseline", DataTypes.StringType)
        .add("hit5_gain", DataTypes.DoubleType)
        .add("hit5_gain_low", DataTypes.DoubleType)
        .add("hit5_gain_high", DataTypes.DoubleType)
        .add("hit5_gain_p", DataTypes.DoubleType)
        .add("hit5_gain_documents", DataTypes.IntegerType)
        .add("hit5_gain_doc_low", DataTypes.DoubleType)
        .add("hit5_gain_doc_high", DataTypes.DoubleType)
        .add("hit5_doc_low", DataTypes.DoubleType)
        .add("hit5_doc_high", DataTypes.DoubleType)
        .add("evaluated_at", DataTypes.StringType);
  }

  /** The {@code eval_windows} row of a ranked query. */
  static Row windowRow(QuerySet set, String bank, ScoredWindow w, PartialRank rank) {
    // Arrays, not Java lists: Spark's row encoder takes a Scala Seq or an array for an array.
    Neighbours n = rank.neighbours();
    Row[] neighbours = new Row[n.size];
    for (int i = 0; i < n.size; i++) {
      neighbours[i] = RowFactory.create(n.docIds[i], n.chunkIndexes[i], n.scores[i]);
    }
    EvaluatedRun run = set.run();
    return RowFactory.create(
        run == null ? null : run.runId(),
        run == null ? null : run.model(),
        set.scorer().id(),
        set.contextSize(),
        set.split(),
        bank,
        w.key().windowId(),
        w.targetDocId(),
        w.targetChunkIndex(),
        w.lane(),
        w.contextDocIds(),
        1 + rank.above(),
        // The true target is a candidate too: the pool a random ranking would draw from.
        1 + rank.candidates(),
        w.cosine(),
        neighbours);
  }

  /** Sufficient statistics per (run, scorer, context size, split), over all lanes or per lane. */
  static List<Row> aggregate(Dataset<Row> windows, boolean byLane) {
    List<Column> keys =
        new ArrayList<>(
            List.of(
                windows.col("run_id"),
                windows.col("scorer"),
                windows.col("context_size"),
                windows.col("split")));
    Dataset<Row> in = windows;
    if (byLane) {
      in = windows.filter(windows.col("target_lane").isNotNull());
      keys.add(windows.col("target_lane"));
    } else {
      keys.add(lit(null).cast(DataTypes.IntegerType).as("target_lane"));
    }
    // Sufficient statistics: per K of RankMetrics.KS its hits h<k> and chance sum c<k>.
    List<Column> sums = new ArrayList<>();
    for (int k : RankMetrics.KS) {
      sums.add(expr("sum(CASE WHEN rank <= " + k + " THEN 1 ELSE 0 END)").as("h" + k));
      sums.add(expr("sum(" + Ranking.chanceSql(k, "candidates") + ")").as("c" + k));
    }
    sums.add(expr("sum(1.0D / rank)").as("rr"));
    sums.add(expr("sum(1.0D / (rank * rank))").as("rr2"));
    sums.add(expr("sum(cosine)").as("cos"));
    sums.add(expr("sum(cosine * cosine)").as("cos2"));
    sums.add(expr("avg(candidates)").as("candidates"));
    return in.groupBy(keys.toArray(new Column[0]))
        .agg(expr("count(1)").as("n"), sums.toArray(new Column[0]))
        .collectAsList();
  }

  /**
   * Per run (null for baselines, whose windows the runs of a context size share), scorer, context
   * size, split (over all lanes, and per lane) and target document: the windows {@code n} and their
   * Hit@5 {@code h5}, what {@link Interval#byDocument} needs.
   */
  static List<Row> documentHits(Dataset<Row> windows) {
    return perDocument(
        windows,
        "scorer",
        expr("count(1)").as("n"),
        expr("sum(CASE WHEN rank <= 5 THEN 1 ELSE 0 END)").as("h5"));
  }

  /**
   * Per run, baseline, context size, split (over all lanes, and per lane) and target document, the
   * windows its model and that baseline both ranked at Hit@5: {@code n}, {@code only_model} (the
   * model hit, the baseline missed) and {@code only_baseline}: what {@link
   * PairedDifference#byDocument} needs. A baseline ranks a context size's windows once, so each
   * model window meets each baseline once.
   */
  static List<Row> discordance(Dataset<Row> windows) {
    String model = Scorer.MODEL.id();
    Dataset<Row> m =
        windows
            .filter(windows.col("scorer").equalTo(model))
            .select(
                windows.col("run_id"),
                windows.col("context_size"),
                windows.col("split"),
                windows.col("window_id"),
                windows.col("target_lane"),
                windows.col("target_doc_id"),
                expr("rank <= 5").as("hit"));
    Dataset<Row> b =
        windows
            .filter(windows.col("scorer").notEqual(model))
            .select(
                windows.col("scorer").as("baseline"),
                windows.col("context_size").as("b_context_size"),
                windows.col("split").as("b_split"),
                windows.col("window_id").as("b_window_id"),
                expr("rank <= 5").as("b_hit"));
    Dataset<Row> pairs =
        m.join(
            b,
            m.col("context_size")
                .equalTo(b.col("b_context_size"))
                .and(m.col("split").equalTo(b.col("b_split")))
                .and(m.col("window_id").equalTo(b.col("b_window_id"))));
    return perDocument(
        pairs,
        "baseline",
        expr("count(1)").as("n"),
        expr("sum(CASE WHEN hit AND NOT b_hit THEN 1 ELSE 0 END)").as("only_model"),
        expr("sum(CASE WHEN b_hit AND NOT hit THEN 1 ELSE 0 END)").as("only_baseline"));
  }

  /**
   * {@code in} aggregated per run, {@code scorer} (the column naming the scorer or paired
   * baseline), context size, split and target document, once over all lanes ({@code target_lane}
   * null) and once per lane (the windows that have one), as the rows of one list.
   */
  private static List<Row> perDocument(
      Dataset<Row> in, String scorer, Column first, Column... rest) {
    Column[] keys = {
      in.col("run_id"),
      in.col(scorer),
      in.col("context_size"),
      in.col("split"),
      in.col("target_doc_id")
    };
    List<Row> out =
        new ArrayList<>(
            in.groupBy(keys)
                .agg(first, rest)
                .withColumn("target_lane", lit(null).cast(DataTypes.IntegerType))
                .collectAsList());
    Column[] laneKeys = java.util.Arrays.copyOf(keys, keys.length + 1);
    laneKeys[keys.length] = in.col("target_lane");
    out.addAll(
        in.filter(in.col("target_lane").isNotNull())
            .groupBy(laneKeys)
            .agg(first, rest)
            .collectAsList());
    return out;
  }

  /** An {@link EvalResult} from one row of {@link #aggregate}, attributed to {@code run}. */
  static EvalResult result(Row a, EvaluatedRun run, String bank, long bankSize) {
    long n = a.getLong(a.fieldIndex("n"));
    return new EvalResult(
        run.runId(),
        run.model(),
        Scorer.fromId(a.getString(a.fieldIndex("scorer"))),
        a.getInt(a.fieldIndex("context_size")),
        a.getString(a.fieldIndex("split")),
        bank,
        a.isNullAt(a.fieldIndex("target_lane")) ? null : a.getInt(a.fieldIndex("target_lane")),
        n,
        bankSize,
        a.getDouble(a.fieldIndex("candidates")),
        Interval.wilson(a.getLong(a.fieldIndex("h1")), n),
        Interval.wilson(a.getLong(a.fieldIndex("h5")), n),
        Interval.wilson(a.getLong(a.fieldIndex("h10")), n),
        Interval.mean(n, a.getDouble(a.fieldIndex("rr")), a.getDouble(a.fieldIndex("rr2"))),
        Interval.mean(n, a.getDouble(a.fieldIndex("cos")), a.getDouble(a.fieldIndex("cos2"))),
        a.getDouble(a.fieldIndex("c1")) / n,
        a.getDouble(a.fieldIndex("c5")) / n,
        a.getDouble(a.fieldIndex("c10")) / n,
        null,
        null);
  }

  /**
   * The {@code eval_results} row of a result.
   *
   * @param bestBaseline the best baseline at the row's context size, split, bank and lane ({@link
   *     BestBaseline}), or null when there is none
   */
  static Row resultRow(
      EvalResult r,
      EvaluatedRun run,
      long seed,
      Latency latency,
      Scorer bestBaseline,
      String evaluatedAt) {
    boolean model = r.scorer().isModel();
    Latency l = model ? latency : null;
    List<Object> v = new ArrayList<>();
    v.add(r.runId());
    v.add(r.model());
    v.add(r.scorer().id());
    v.add(r.contextSize());
    v.add(seed);
    v.add(r.split());
    v.add(r.bank());
    v.add(r.lane());
    v.add(run.slot());
    v.add(run.epoch());
    v.add(model ? run.parameterCount() : null);
    v.add(r.windows());
    v.add(r.bankSize());
    v.add(r.candidates());
    for (Interval i : new Interval[] {r.hit1(), r.hit5(), r.hit10(), r.mrr(), r.meanCosine()}) {
      v.add(i.value());
      v.add(i.low());
      v.add(i.high());
    }
    v.add(r.chance1());
    v.add(r.chance5());
    v.add(r.chance10());
    v.add(l == null ? null : l.p50Millis());
    v.add(l == null ? null : l.p99Millis());
    v.add(l == null ? null : l.windowsPerSecond());
    v.add(l == null ? null : l.device());
    v.add(bestBaseline == null ? null : bestBaseline.id());
    PairedDifference gain = r.hit5Gain();
    Interval g = gain == null ? null : gain.interval();
    v.add(g == null ? null : g.value());
    v.add(g == null ? null : g.low());
    v.add(g == null ? null : g.high());
    v.add(gain == null ? null : gain.pValue());
    Interval byDocument = gain == null ? null : gain.documentInterval();
    v.add(gain == null ? null : gain.documents().size());
    v.add(byDocument == null ? null : byDocument.low());
    v.add(byDocument == null ? null : byDocument.high());
    v.add(r.hit5ByDocument() == null ? null : r.hit5ByDocument().low());
    v.add(r.hit5ByDocument() == null ? null : r.hit5ByDocument().high());
    v.add(evaluatedAt);
    return RowFactory.create(v.toArray());
  }

  /**
   * Publishes {@code tables} (name to rows without partition columns) as the partition {@code
   * snapshot_id / eval_date / eval_id} of each table, replacing that evaluation id's earlier
   * partition, whatever its date.
   */
  static void publish(
      SparkSession spark,
      String root,
      String snapshotId,
      String evalDate,
      String evalId,
      Map<String, Dataset<Row>> tables) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path tablesDir = new Path(root, "tables");
    try {
      FileSystem fs = tablesDir.getFileSystem(conf);
      Path stagingRoot = new Path(tablesDir, STAGING);
      removeDebris(fs, stagingRoot, "eval-" + evalId + "-");
      Path staging = new Path(stagingRoot, "eval-" + evalId + "-" + UUID.randomUUID());
      String partition =
          "snapshot_id=" + snapshotId + "/eval_date=" + evalDate + "/eval_id=" + evalId;
      for (Map.Entry<String, Dataset<Row>> t : tables.entrySet()) {
        t.getValue()
            .withColumn("snapshot_id", lit(snapshotId))
            .withColumn("eval_date", lit(evalDate))
            .withColumn("eval_id", lit(evalId))
            .write()
            .mode(SaveMode.ErrorIfExists)
            .partitionBy("snapshot_id", "eval_date", "eval_id")
            .parquet(new Path(staging, t.getKey()).toString());
      }
      for (String name : tables.keySet()) {
        Path staged = new Path(new Path(staging, name), partition);
        Path target = new Path(new Path(tablesDir, name), partition);
        if (fs.exists(staged)) {
          CommittedFiles.replace(fs, staged, target);
        }
        removeOtherDates(
            fs, new Path(new Path(tablesDir, name), "snapshot_id=" + snapshotId), evalDate, evalId);
      }
      fs.delete(staging, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot publish the evaluation tables under " + tablesDir, e);
    }
  }

  /**
   * Registers the result and training tables that exist under {@code <root>/tables/} in the Spark
   * catalog's {@code database} (external tables over the same files), and refreshes their
   * partitions, so a metastore-backed cluster can query them by name. Such a table lists its
   * directories like any plain Parquet reader, so on S3A and GCS it can see a partition's old and
   * new files together while a commit runs (docs/results-tables.md, "What holds on object stores").
   */
  static void register(SparkSession spark, String database, String root) {
    spark.sql("CREATE DATABASE IF NOT EXISTS " + database);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    for (String table :
        List.of(
            RESULTS,
            WINDOWS,
            TrainingTables.RUNS,
            TrainingTables.HISTORY,
            TrainingTables.ATTEMPTS)) {
      Path dir = new Path(new Path(root, "tables"), table);
      try {
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) {
          continue;
        }
        String location = fs.makeQualified(dir).toString().replace("'", "\\'");
        String name = database + "." + table;
        if (runIdPartitioned(spark, name)) {
          // Registered before the training tables moved run_id from a partition into the files:
          // the catalog's definition no longer matches them. External: dropping keeps the files.
          LOG.info("Re-registering {}: run_id is a column now, not a partition", name);
          spark.sql("DROP TABLE " + name);
        }
        spark.sql(
            "CREATE TABLE IF NOT EXISTS " + name + " USING parquet LOCATION '" + location + "'");
        spark.sql("ALTER TABLE " + name + " RECOVER PARTITIONS");
        spark.catalog().refreshTable(name);
        LOG.info("Registered {} at {}", name, location);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot register " + dir, e);
      }
    }
  }

  /** Whether the catalog's {@code name} has {@code run_id} as a partition (the old layout). */
  private static boolean runIdPartitioned(SparkSession spark, String name) {
    try {
      return spark.catalog().tableExists(name)
          && spark.catalog().listColumns(name).collectAsList().stream()
              .anyMatch(c -> c.name().equals("run_id") && c.isPartition());
    } catch (Exception e) { // Spark's AnalysisException is checked in Java
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /** An evaluation id re-run on another day: its earlier partition goes. */
  private static void removeOtherDates(FileSystem fs, Path snapshotDir, String date, String id)
      throws IOException {
    if (!fs.exists(snapshotDir)) {
      return;
    }
    for (FileStatus d : fs.listStatus(snapshotDir)) {
      Path stale = new Path(d.getPath(), "eval_id=" + id);
      if (!d.getPath().getName().equals("eval_date=" + date) && fs.exists(stale)) {
        LOG.info("Replacing the results of evaluation {} from {}", id, d.getPath().getName());
        CommittedFiles.remove(fs, stale);
      }
    }
  }

  private static void removeDebris(FileSystem fs, Path stagingRoot, String prefix)
      throws IOException {
    if (!fs.exists(stagingRoot)) {
      return;
    }
    for (FileStatus s : fs.listStatus(stagingRoot)) {
      String name = s.getPath().getName();
      if (name.startsWith(prefix)) {
        LOG.warn("Removing debris of an interrupted evaluation: {}", s.getPath());
        fs.delete(s.getPath(), true);
      }
    }
  }
}
