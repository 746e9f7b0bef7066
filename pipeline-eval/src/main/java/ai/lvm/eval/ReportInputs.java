package ai.lvm.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import ai.lvm.eval.report.ReportData;
import ai.lvm.format.CommittedFiles;
import ai.lvm.format.CorpusSchema;
import ai.lvm.format.Json;
import ai.lvm.metrics.Interval;
import ai.lvm.train.TrainingTables;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What the report's comparison sections need beyond the evaluation's own results, read from the
 * tables and the corpus: the runs' settings ({@code training_runs}), earlier evaluations ({@code
 * eval_results}) and a few windows' texts.
 */
final class ReportInputs {
  /** Example windows per report: enough to see hits and misses, few enough to read. */
  static final int EXAMPLES = 5;

  /** Neighbours shown per example window (eval_windows keeps {@link EvalConfig#MAX_K}). */
  static final int EXAMPLE_NEIGHBOURS = 5;

  /**
   * lvm.train keys a run's own columns say better (its model, C and seed) or that name the sweep,
   * not the run: every run of one sweep shares them, yet two sweeps evaluated together would differ
   * in them for no difference in any run.
   */
  private static final Set<String> SWEEP_KEYS =
      Set.of("models", "context-sizes", "seeds", "grid", "snapshot", "run-name");

  private ReportInputs() {}

  /**
   * Each run's settings from its {@code training_runs} row: model, C and seed, then the resolved
   * {@code lvm.train} keys of its config JSON, flattened with dots. A run without a row (a table
   * from before the row had its config) has model, C and seed from its checkpoint only.
   */
  static List<ReportData.RunSettings> settings(
      SparkSession spark, String root, List<EvaluatedRun> runs) {
    Map<String, String> configs = new HashMap<>();
    Optional<Dataset<Row>> table = read(spark, root, TrainingTables.RUNS);
    if (table.isPresent() && List.of(table.get().columns()).contains("config_json")) {
      List<String> ids = runs.stream().map(EvaluatedRun::runId).toList();
      for (Row r :
          table
              .get()
              .where(col("run_id").isin(ids.toArray()))
              .select("run_id", "config_json")
              .collectAsList()) {
        if (!r.isNullAt(1)) {
          configs.put(r.getString(0), r.getString(1));
        }
      }
    }
    List<ReportData.RunSettings> out = new ArrayList<>();
    for (EvaluatedRun run : runs) {
      Map<String, String> values = new TreeMap<>();
      String json = configs.get(run.runId());
      if (json != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = Json.read(json.getBytes(StandardCharsets.UTF_8), Map.class);
        config.forEach(
            (k, v) -> {
              if (!SWEEP_KEYS.contains(k)) {
                flatten(k, v, values);
              }
            });
      }
      values.put("model", run.model());
      values.put("context-size", String.valueOf(run.contextSize()));
      values.put("seed", String.valueOf(run.spec().seed()));
      out.add(new ReportData.RunSettings(run.runId(), values));
    }
    return out;
  }

  private static void flatten(String key, Object value, Map<String, String> out) {
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> flatten(key + "." + k, v, out));
    } else {
      out.put(key, display(value));
    }
  }

  /** A config value as written in a config file: {@code 0.0003}, not {@code 3.0E-4}. */
  static String display(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d)
          ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
          : String.valueOf(d);
    }
    if (value instanceof List<?> || value instanceof Map<?, ?>) {
      return Json.compact(value);
    }
    return String.valueOf(value);
  }

  /**
   * The model rows (overall) of every evaluation in {@code eval_results} of this bank and these
   * splits, this one included (it is published before the report is written).
   */
  static List<ReportData.TrendPoint> trend(
      SparkSession spark, String root, String bank, List<String> splits) {
    Optional<Dataset<Row>> table = read(spark, root, EvalTables.RESULTS);
    if (table.isEmpty()) {
      return List.of();
    }
    List<ReportData.TrendPoint> out = new ArrayList<>();
    for (Row r :
        table
            .get()
            .where(
                col("scorer")
                    .equalTo(Scorer.MODEL.id())
                    .and(col("lane").isNull())
                    .and(col("bank").equalTo(bank))
                    .and(col("split").isin(splits.toArray())))
            .selectExpr(
                "eval_id",
                "evaluated_at",
                "CAST(snapshot_id AS STRING)",
                "split",
                "bank",
                "context_size",
                "model",
                "run_id",
                "hit5",
                "hit5_low",
                "hit5_high")
            .collectAsList()) {
      out.add(
          new ReportData.TrendPoint(
              String.valueOf(r.get(0)),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getInt(5),
              r.getString(6),
              r.getString(7),
              r.isNullAt(8)
                  ? null
                  : new Interval(r.getDouble(8), r.getDouble(9), r.getDouble(10))));
    }
    return out;
  }

  /**
   * {@link #EXAMPLES} windows of the test split (else the last split evaluated) as ranked by the
   * run with the best Hit@5 there, chosen by a hash of the window id: deterministic, spread over
   * the documents, and the same windows in every evaluation of a snapshot. Texts from the corpus.
   */
  static List<ReportData.Example> examples(
      SparkSession spark,
      Dataset<Row> windows,
      List<EvalResult> results,
      List<String> splits,
      String corpusPath) {
    String split = splits.contains("test") ? "test" : splits.get(splits.size() - 1);
    Optional<EvalResult> best =
        results.stream()
            .filter(r -> r.scorer().isModel() && r.lane() == null && r.split().equals(split))
            .max(
                Comparator.comparingDouble((EvalResult r) -> r.hit5().value())
                    .thenComparing(EvalResult::runId, Comparator.reverseOrder()));
    if (best.isEmpty()) {
      return List.of();
    }
    String runId = best.get().runId();
    List<Row> picked =
        windows
            .where(
                col("scorer")
                    .equalTo(Scorer.MODEL.id())
                    .and(col("run_id").equalTo(runId))
                    .and(col("split").equalTo(split)))
            .orderBy(xxhash64(col("window_id")), col("window_id"))
            .limit(EXAMPLES)
            .collectAsList();
    // The chunks to look up: each target, the chunk before it, and the top neighbours.
    List<ReportData.Example> examples = new ArrayList<>();
    Map<List<Object>, String> texts = new HashMap<>();
    for (Row w : picked) {
      String doc = w.getAs("target_doc_id");
      long chunk = w.<Long>getAs("target_chunk_index");
      List<String> contextDocs = w.getList(w.fieldIndex("context_doc_ids"));
      ReportData.Chunk previous =
          chunk > 0 && !contextDocs.isEmpty() && doc.equals(contextDocs.get(contextDocs.size() - 1))
              ? new ReportData.Chunk(doc, chunk - 1, null, null)
              : null;
      List<ReportData.Chunk> neighbours = new ArrayList<>();
      List<Row> ns = w.getList(w.fieldIndex("neighbours"));
      for (Row n : ns.subList(0, Math.min(EXAMPLE_NEIGHBOURS, ns.size()))) {
        neighbours.add(new ReportData.Chunk(n.getString(0), n.getLong(1), n.getDouble(2), null));
      }
      ReportData.Chunk target = new ReportData.Chunk(doc, chunk, w.<Double>getAs("cosine"), null);
      examples.add(
          new ReportData.Example(
              runId,
              w.<Integer>getAs("context_size"),
              split,
              w.<Long>getAs("window_id"),
              w.<Long>getAs("rank"),
              previous,
              target,
              neighbours));
      for (ReportData.Chunk c : chunks(examples.get(examples.size() - 1))) {
        texts.put(List.of(c.docId(), c.chunkIndex()), null);
      }
    }
    Dataset<Row> corpus = spark.read().parquet(corpusPath);
    if (!texts.isEmpty() && CorpusSchema.hasColumn(corpus.schema(), CorpusSchema.TEXT)) {
      List<Row> keys = new ArrayList<>();
      texts.keySet().forEach(k -> keys.add(RowFactory.create(k.get(0), k.get(1))));
      Dataset<Row> wanted =
          spark.createDataFrame(
              keys,
              new StructType()
                  .add("want_doc", DataTypes.StringType)
                  .add("want_chunk", DataTypes.LongType));
      for (Row r :
          corpus
              .join(
                  org.apache.spark.sql.functions.broadcast(wanted),
                  col(CorpusSchema.DOC_ID)
                      .equalTo(col("want_doc"))
                      .and(col(CorpusSchema.CHUNK_INDEX).cast("long").equalTo(col("want_chunk"))))
              .select("want_doc", "want_chunk", CorpusSchema.TEXT)
              .collectAsList()) {
        texts.put(List.of(r.getString(0), r.getLong(1)), r.getString(2));
      }
    }
    List<ReportData.Example> out = new ArrayList<>();
    for (ReportData.Example e : examples) {
      out.add(
          new ReportData.Example(
              e.runId(),
              e.contextSize(),
              e.split(),
              e.windowId(),
              e.rank(),
              withText(e.previous(), texts),
              withText(e.target(), texts),
              e.neighbours().stream().map(c -> withText(c, texts)).toList()));
    }
    return out;
  }

  private static List<ReportData.Chunk> chunks(ReportData.Example e) {
    List<ReportData.Chunk> all = new ArrayList<>(e.neighbours());
    all.add(e.target());
    if (e.previous() != null) {
      all.add(e.previous());
    }
    return all;
  }

  private static ReportData.Chunk withText(ReportData.Chunk c, Map<List<Object>, String> texts) {
    return c == null
        ? null
        : new ReportData.Chunk(
            c.docId(), c.chunkIndex(), c.cosine(), texts.get(List.of(c.docId(), c.chunkIndex())));
  }

  /**
   * A table under {@code <root>/tables/} as its partitions' manifests commit it ({@link
   * CommittedFiles#read}), partitions written by earlier releases merged in, or empty where it has
   * no committed file yet.
   */
  static Optional<Dataset<Row>> read(SparkSession spark, String root, String name) {
    return CommittedFiles.read(spark, new Path(new Path(root, "tables"), name));
  }
}
