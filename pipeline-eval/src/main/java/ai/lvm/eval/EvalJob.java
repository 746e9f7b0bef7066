package ai.lvm.eval;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.device.DeviceCheck;
import ai.lvm.eval.report.ConsoleSummary;
import ai.lvm.eval.report.Report;
import ai.lvm.eval.report.ReportData;
import ai.lvm.format.AtomicFiles;
import ai.lvm.format.CommittedFiles;
import ai.lvm.format.Protocol;
import ai.lvm.format.Snapshot;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.format.Split;
import ai.lvm.job.HadoopSettings;
import ai.lvm.job.Job;
import ai.lvm.job.JobMain;
import ai.lvm.metrics.Interval;
import ai.lvm.metrics.PairedDifference;
import ai.lvm.window.ArticleSplit;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The evaluation: scores the windows of the chosen runs' splits with each run's checkpoint and with
 * the copy-last, mean-of-context and mean-last-k baselines, ranks every prediction exactly against
 * a candidate bank ({@link DistributedRanking}), and publishes {@code eval_results} and {@code
 * eval_windows} ({@link EvalTables}) with Hit@1/5/10, MRR and mean cosine, each with its 95%
 * interval, chance level and inference latency. Re-running an evaluation id replaces its results.
 */
public final class EvalJob implements Job<EvalConfig, EvalJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(EvalJob.class);

  /**
   * What an evaluation produced.
   *
   * @param tables the directory of the result tables
   * @param report the report's {@code index.html}, or null when none was written
   */
  public record Result(
      String evalId,
      String snapshotId,
      String evaluatedAt,
      Bank bank,
      List<EvalResult> results,
      List<Latency> latencies,
      List<TrainingCurve> curves,
      String tables,
      String report,
      ReportData data) {}

  public static void main(String[] args) {
    JobMain.main(new EvalJob(), args);
  }

  @Override
  public String name() {
    return "lvm-eval";
  }

  @Override
  public Set<String> stages() {
    return Set.of("spark", "eval");
  }

  @Override
  public EvalConfig configure(LvmConfig config) {
    return EvalConfig.from(config);
  }

  @Override
  public Result run(SparkSession spark, EvalConfig cfg) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    RunCatalog catalog = new RunCatalog(cfg.root(), hadoop);
    String snapshotId = cfg.snapshot();
    if (snapshotId == null && cfg.runs() != null) {
      snapshotId = catalog.snapshotOf(cfg.runs().get(0)).orElse(null);
    }
    Snapshot snapshot = Snapshot.open(cfg.root(), Optional.ofNullable(snapshotId), hadoop);
    SnapshotManifest manifest = snapshot.manifest();
    int dimension = manifest.corpus().dimension();
    Set<Integer> sizes =
        manifest.contextSizes().stream()
            .map(SnapshotManifest.ContextSize::contextSize)
            .collect(Collectors.toSet());
    List<EvaluatedRun> runs =
        catalog.select(cfg.runs(), manifest.snapshotId(), dimension, sizes, cfg.checkpoint());
    LOG.info(
        "Evaluation {} of snapshot {}: {} runs, splits {}, bank {}",
        cfg.id(),
        manifest.snapshotId(),
        runs.size(),
        cfg.splits(),
        cfg.bank().id());

    List<QuerySet> sets = querySets(runs, cfg, manifest);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int partitions = jsc.defaultParallelism();

    JavaRDD<BankBlock> bank = bank(spark, cfg, snapshot, sets, dimension, partitions);
    bank.persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> bankSizes =
        new HashMap<>(
            bank.mapToPair(b -> new Tuple2<>(b.pool, (long) b.size))
                .reduceByKey(Long::sum)
                .collectAsMap());
    for (QuerySet s : sets) {
      requireLargerThanK(s.pool(), bankSizes.getOrDefault(s.pool(), 0L));
    }

    JavaRDD<ScoredWindow> scored = score(spark, cfg, snapshot, runs, sets, dimension);
    scored.persist(StorageLevel.MEMORY_AND_DISK());
    QuerySet[] byIndex = sets.toArray(new QuerySet[0]);
    String bankId = cfg.bank().id();
    JavaRDD<Row> windowRows =
        scored
            .mapToPair(w -> new Tuple2<>(w.key(), w))
            .join(
                DistributedRanking.rank(
                    scored, bank, dimension, cfg.queryBlock(), EvalConfig.MAX_K))
            .map(
                t -> EvalTables.windowRow(byIndex[t._1().set()], bankId, t._2()._1(), t._2()._2()));
    Dataset<Row> windows =
        spark
            .createDataFrame(windowRows, EvalTables.WINDOWS_SCHEMA)
            .persist(StorageLevel.MEMORY_AND_DISK());

    List<EvalResult> results =
        withHit5ByDocument(
            withHit5Gains(
                results(windows, runs, bankId, bankSizes, sets), EvalTables.discordance(windows)),
            EvalTables.documentHits(windows));
    List<Latency> latencies = latencies(jsc, cfg, runs, hadoop);
    List<TrainingCurve> curves = catalog.curves(runs);

    String evaluatedAt = Instant.now().toString();
    Map<String, EvaluatedRun> runsById = byId(runs);
    Map<String, Latency> latencyByRun =
        latencies.stream().collect(Collectors.toMap(Latency::runId, l -> l));
    Map<BestBaseline.Key, EvalResult> best = BestBaseline.of(results);
    List<Row> resultRows = new ArrayList<>();
    for (EvalResult r : results) {
      EvaluatedRun run = runsById.get(r.runId());
      EvalResult b = best.get(BestBaseline.Key.of(r));
      resultRows.add(
          EvalTables.resultRow(
              r,
              run,
              run.spec().seed(),
              latencyByRun.get(r.runId()),
              b == null ? null : b.scorer(),
              evaluatedAt));
    }
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put(EvalTables.RESULTS, spark.createDataFrame(resultRows, EvalTables.RESULTS_SCHEMA));
    tables.put(EvalTables.WINDOWS, windows);
    String date = LocalDate.now(ZoneOffset.UTC).toString();
    EvalTables.publish(spark, cfg.root(), manifest.snapshotId(), date, cfg.id(), tables);
    if (cfg.database() != null) {
      EvalTables.register(spark, cfg.database(), cfg.root());
    }
    List<String> splits = cfg.splits().stream().map(Split::id).toList();
    List<ReportData.Example> examples =
        ReportInputs.examples(spark, windows, results, splits, manifest.corpus().path());
    windows.unpersist();
    scored.unpersist();
    bank.unpersist();
    ReportData data =
        new ReportData(
            cfg.id(),
            manifest.snapshotId(),
            evaluatedAt,
            results,
            latencies,
            curves,
            ReportInputs.settings(spark, cfg.root(), runs),
            ReportInputs.trend(spark, cfg.root(), bankId, splits),
            examples);
    String report = cfg.report() ? writeReport(cfg.root(), cfg.id(), data, hadoop) : null;
    return new Result(
        cfg.id(),
        manifest.snapshotId(),
        evaluatedAt,
        cfg.bank(),
        results,
        latencies,
        curves,
        cfg.root() + "/tables",
        report,
        data);
  }

  /**
   * Writes the report under {@code <root>/reports/<id>/}; its index path. The directory is staged
   * and renamed into place, then its manifest ({@link CommittedFiles}) is written last, listing the
   * report's files; the old report's manifest goes first. Where a directory rename is a copy (S3A,
   * GCS), "the manifest exists" is what says the report is whole.
   */
  static String writeReport(String root, String id, ReportData data, Configuration hadoop) {
    Path reports = new Path(root, "reports");
    try {
      FileSystem fs = reports.getFileSystem(hadoop);
      Path staged = new Path(reports, "_staging-" + id + "-" + UUID.randomUUID());
      Map<String, byte[]> files = Report.render(data);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        try (OutputStream out = fs.create(new Path(staged, f.getKey()), false)) {
          out.write(f.getValue());
        }
      }
      Path target = new Path(reports, id);
      CommittedFiles.withdraw(fs, target);
      AtomicFiles.replaceDirectory(fs, staged, target);
      CommittedFiles.commit(fs, target, List.copyOf(files.keySet()));
      return fs.makeQualified(new Path(target, Report.INDEX)).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report under " + reports, e);
    }
  }

  /** Refuses a pool in which Hit@10 would be 1 by construction. */
  static void requireLargerThanK(String pool, long size) {
    if (size <= EvalConfig.MAX_K) {
      throw new InvalidInputException(
          "The candidate bank '"
              + pool
              + "' has "
              + size
              + " vectors, not more than k = "
              + EvalConfig.MAX_K
              + ": Hit@"
              + EvalConfig.MAX_K
              + " would be 1 by construction. Use lvm.eval.bank=corpus, or a split with more"
              + " windows.");
    }
  }

  /**
   * One query set per run and split, and one per baseline, context size and split: copy-last,
   * mean-of-context, then mean-last-k for each configured k.
   */
  static List<QuerySet> querySets(
      List<EvaluatedRun> runs, EvalConfig cfg, SnapshotManifest manifest) {
    TreeMap<Integer, List<EvaluatedRun>> bySize = bySize(runs);
    List<QuerySet> sets = new ArrayList<>();
    for (Map.Entry<Integer, List<EvaluatedRun>> e : bySize.entrySet()) {
      int c = e.getKey();
      SnapshotManifest.ContextSize size = manifest.contextSize(c).orElseThrow();
      for (Split split : cfg.splits()) {
        long n = size.windows().getOrDefault(split.id(), 0L);
        if (n == 0) {
          throw new InvalidInputException(
              "Split "
                  + split.id()
                  + " of context size "
                  + c
                  + " in snapshot "
                  + manifest.snapshotId()
                  + " has no windows: nothing to evaluate. Leave it out of lvm.eval.splits, or"
                  + " export a larger corpus.");
        }
        String pool =
            cfg.bank() == Bank.SPLIT_TARGETS
                ? "split-targets/" + c + "/" + split.id()
                : cfg.bank().id();
        for (EvaluatedRun run : e.getValue()) {
          sets.add(new QuerySet(sets.size(), run, Scorer.MODEL, c, split.id(), pool));
        }
        sets.add(new QuerySet(sets.size(), null, Scorer.COPY_LAST, c, split.id(), pool));
        sets.add(new QuerySet(sets.size(), null, Scorer.MEAN_OF_CONTEXT, c, split.id(), pool));
        for (int k : cfg.meanLastK()) {
          sets.add(new QuerySet(sets.size(), null, Scorer.meanLast(k), c, split.id(), pool));
        }
        for (int lags : cfg.contextArLags()) {
          sets.add(new QuerySet(sets.size(), null, Scorer.contextAr(lags), c, split.id(), pool));
        }
      }
    }
    return sets;
  }

  /**
   * One set for each (context size, split) evaluated: its copy-last set, which every (context size,
   * split) has exactly once.
   */
  private static List<QuerySet> onePerSplit(List<QuerySet> sets) {
    return sets.stream().filter(s -> s.scorer().equals(Scorer.COPY_LAST)).toList();
  }

  private static JavaRDD<BankBlock> bank(
      SparkSession spark,
      EvalConfig cfg,
      Snapshot snapshot,
      List<QuerySet> sets,
      int dimension,
      int partitions) {
    if (cfg.bank() != Bank.SPLIT_TARGETS) {
      Dataset<Row> rows =
          DistributedRanking.corpusRows(spark.read().parquet(snapshot.manifest().corpus().path()));
      if (cfg.bank() == Bank.HELD_OUT) {
        ArticleSplit split = heldOutSplit(snapshot.manifest());
        rows =
            rows.filter(
                (FilterFunction<Row>)
                    r -> split.assign(r.getString(r.fieldIndex("docId"))) != Split.TRAIN);
      }
      return DistributedRanking.bankBlocks(
          rows, cfg.bank().id(), dimension, cfg.bankBlock(), partitions);
    }
    JavaRDD<BankBlock> all = null;
    for (QuerySet s : onePerSplit(sets)) {
      Dataset<Row> windows = windows(spark, snapshot, s.contextSize(), s.split());
      JavaRDD<BankBlock> blocks =
          DistributedRanking.bankBlocks(
              DistributedRanking.targetRows(windows),
              s.pool(),
              dimension,
              cfg.bankBlock(),
              partitions);
      all = all == null ? blocks : all.union(blocks);
    }
    return all;
  }

  /**
   * The document split of an article-protocol snapshot, as its export assigned it (the fractions in
   * its manifest, {@link ArticleSplit}'s hash): what the {@code held-out} bank leaves out.
   */
  static ArticleSplit heldOutSplit(SnapshotManifest manifest) {
    if (!Protocol.ARTICLE.name().equalsIgnoreCase(manifest.protocol())) {
      throw new InvalidInputException(
          "lvm.eval.bank = held-out ranks against the corpus without its training documents, but"
              + " snapshot "
              + manifest.snapshotId()
              + " was cut with the "
              + manifest.protocol()
              + " protocol, which splits windows, not documents: every document has training"
              + " windows. Use bank = corpus or split-targets, or export with"
              + " lvm.export.protocol = article.");
    }
    Object fractions = manifest.config().get("split");
    if (!(fractions instanceof Map<?, ?> f)
        || !(f.get("train") instanceof Number train)
        || !(f.get("val") instanceof Number val)
        || !(f.get("test") instanceof Number test)) {
      throw new InvalidInputException(
          "Snapshot "
              + manifest.snapshotId()
              + "'s manifest records no split fractions (config.split = "
              + fractions
              + "), so its training documents cannot be told apart: re-export it with this"
              + " release, or use bank = corpus.");
    }
    return new ArticleSplit(train.doubleValue(), val.doubleValue(), test.doubleValue());
  }

  private static JavaRDD<ScoredWindow> score(
      SparkSession spark,
      EvalConfig cfg,
      Snapshot snapshot,
      List<EvaluatedRun> runs,
      List<QuerySet> sets,
      int dimension) {
    Map<String, String> hadoop = HadoopSettings.of(spark.sparkContext().hadoopConfiguration());
    JavaRDD<ScoredWindow> all = null;
    for (QuerySet copyLast : onePerSplit(sets)) {
      List<QuerySet> group =
          sets.stream()
              .filter(
                  s ->
                      s.contextSize() == copyLast.contextSize()
                          && s.split().equals(copyLast.split()))
              .toList();
      List<EvaluatedRun> models = new ArrayList<>();
      List<Integer> modelSets = new ArrayList<>();
      List<Scorer> baselines = new ArrayList<>();
      List<Integer> baselineSets = new ArrayList<>();
      for (QuerySet s : group) {
        if (s.scorer().isModel()) {
          models.add(s.run());
          modelSets.add(s.index());
        } else {
          baselines.add(s.scorer());
          baselineSets.add(s.index());
        }
      }
      WindowScorer scorer =
          new WindowScorer(
              cfg.root(),
              hadoop,
              models,
              modelSets.stream().mapToInt(Integer::intValue).toArray(),
              baselines,
              baselineSets.stream().mapToInt(Integer::intValue).toArray(),
              copyLast.contextSize(),
              dimension,
              copyLast.pool(),
              cfg.excludeContext(),
              cfg.batchSize());
      JavaRDD<ScoredWindow> part =
          windows(spark, snapshot, copyLast.contextSize(), copyLast.split())
              .selectExpr(WindowScorer.COLUMNS)
              .toJavaRDD()
              .mapPartitions(scorer::score);
      all = all == null ? part : all.union(part);
    }
    return all;
  }

  private static Dataset<Row> windows(
      SparkSession spark, Snapshot snapshot, int contextSize, String split) {
    return spark.read().parquet(snapshot.data(contextSize, Split.fromId(split)).toString());
  }

  /** Model rows per run; baseline rows repeated beside every run of their context size. */
  private static List<EvalResult> results(
      Dataset<Row> windows,
      List<EvaluatedRun> runs,
      String bank,
      Map<String, Long> bankSizes,
      List<QuerySet> sets) {
    Map<String, EvaluatedRun> runsById = byId(runs);
    TreeMap<Integer, List<EvaluatedRun>> bySize = bySize(runs);
    Map<String, Long> poolOf = new HashMap<>();
    for (QuerySet s : sets) {
      poolOf.put(s.contextSize() + "/" + s.split(), bankSizes.get(s.pool()));
    }
    List<Row> aggregates = new ArrayList<>(EvalTables.aggregate(windows, false));
    aggregates.addAll(EvalTables.aggregate(windows, true));
    List<EvalResult> out = new ArrayList<>();
    for (Row a : aggregates) {
      int c = a.getInt(a.fieldIndex("context_size"));
      long bankSize = poolOf.get(c + "/" + a.getString(a.fieldIndex("split")));
      String runId = a.getString(a.fieldIndex("run_id"));
      List<EvaluatedRun> owners = runId != null ? List.of(runsById.get(runId)) : bySize.get(c);
      for (EvaluatedRun run : owners) {
        out.add(EvalTables.result(a, run, bank, bankSize));
      }
    }
    out.sort(
        Comparator.comparingInt(EvalResult::contextSize)
            .thenComparing(EvalResult::split)
            .thenComparing(EvalResult::runId)
            .thenComparing(r -> r.lane() == null ? -1 : r.lane())
            .thenComparing(EvalResult::scorer));
    return out;
  }

  /**
   * Each model row with its paired Hit@5 comparison against the best baseline of its context size,
   * split, bank and lane, by target document ({@code discordance}: {@link EvalTables#discordance}'s
   * rows).
   */
  static List<EvalResult> withHit5Gains(List<EvalResult> results, List<Row> discordance) {
    Map<BestBaseline.Key, EvalResult> best = BestBaseline.of(results);
    Map<ScorerKey, List<PairedDifference.Counts>> byKey = new HashMap<>();
    for (Row d : discordance) {
      byKey
          .computeIfAbsent(ScorerKey.of(d, "baseline"), k -> new ArrayList<>())
          .add(
              new PairedDifference.Counts(
                  d.getLong(d.fieldIndex("n")),
                  d.getLong(d.fieldIndex("only_model")),
                  d.getLong(d.fieldIndex("only_baseline"))));
    }
    List<EvalResult> out = new ArrayList<>(results.size());
    for (EvalResult r : results) {
      EvalResult b = r.scorer().isModel() ? best.get(BestBaseline.Key.of(r)) : null;
      List<PairedDifference.Counts> documents =
          b == null
              ? null
              : byKey.get(
                  new ScorerKey(r.runId(), b.scorer().id(), r.contextSize(), r.split(), r.lane()));
      out.add(documents == null ? r : r.withHit5Gain(PairedDifference.byDocument(documents)));
    }
    return out;
  }

  /**
   * Each row with its Hit@5 interval by target document ({@code documentHits}: {@link
   * EvalTables#documentHits}'s rows). A baseline's windows carry no run: its rows, one per run of
   * the context size, share them.
   */
  static List<EvalResult> withHit5ByDocument(List<EvalResult> results, List<Row> documentHits) {
    Map<ScorerKey, List<Interval.DocumentHits>> byKey = new HashMap<>();
    for (Row d : documentHits) {
      byKey
          .computeIfAbsent(ScorerKey.of(d, "scorer"), k -> new ArrayList<>())
          .add(
              new Interval.DocumentHits(
                  d.getLong(d.fieldIndex("n")), d.getLong(d.fieldIndex("h5"))));
    }
    List<EvalResult> out = new ArrayList<>(results.size());
    for (EvalResult r : results) {
      List<Interval.DocumentHits> documents =
          byKey.get(
              new ScorerKey(
                  r.scorer().isModel() ? r.runId() : null,
                  r.scorer().id(),
                  r.contextSize(),
                  r.split(),
                  r.lane()));
      out.add(documents == null ? r : r.withHit5ByDocument(Interval.byDocument(documents)));
    }
    return out;
  }

  /**
   * One scorer's windows at a context size, split and lane: a run's model (or, for a paired
   * comparison, a run's model with one baseline), or a baseline's windows, which carry no run.
   */
  private record ScorerKey(
      String runId, String scorer, int contextSize, String split, Integer lane) {
    /** The key of a per-document row of {@link EvalTables}; {@code scorer} names its column. */
    static ScorerKey of(Row d, String scorer) {
      return new ScorerKey(
          d.getString(d.fieldIndex("run_id")),
          d.getString(d.fieldIndex(scorer)),
          d.getInt(d.fieldIndex("context_size")),
          d.getString(d.fieldIndex("split")),
          d.isNullAt(d.fieldIndex("target_lane")) ? null : d.getInt(d.fieldIndex("target_lane")));
    }
  }

  private static List<Latency> latencies(
      JavaSparkContext jsc, EvalConfig cfg, List<EvaluatedRun> runs, Configuration hadoop) {
    if (cfg.latencySamples() == 0) {
      return List.of();
    }
    Map<String, String> settings = HadoopSettings.of(hadoop);
    String root = cfg.root();
    int warmup = cfg.latencyWarmup();
    int samples = cfg.latencySamples();
    int batch = cfg.latencyBatch();
    List<Latency> out = new ArrayList<>();
    // One run at a time, each alone on an executor: concurrent probes would time each other.
    for (EvaluatedRun run : runs) {
      out.add(
          jsc.parallelize(List.of(run), 1)
              .map(
                  r -> {
                    Configuration conf = HadoopSettings.toConfiguration(settings);
                    LatencyProbe.Timings t =
                        LatencyProbe.measure(
                            new RunCatalog(root, conf).load(r),
                            r.contextSize(),
                            warmup,
                            samples,
                            batch);
                    return new Latency(
                        r.runId(),
                        r.model(),
                        r.contextSize(),
                        t.percentile(50),
                        t.percentile(99),
                        t.windowsPerSecond(),
                        batch,
                        device());
                  })
              .collect()
              .get(0));
    }
    return out;
  }

  /** The backend and device of this JVM, with its BLAS threads. */
  static String device() {
    return DeviceCheck.choose(DeviceCheck.Want.AUTO, Optional.empty())
        + ", "
        + Nd4j.factory().blas().getMaxThreads()
        + " BLAS threads";
  }

  private static Map<String, EvaluatedRun> byId(List<EvaluatedRun> runs) {
    Map<String, EvaluatedRun> m = new LinkedHashMap<>();
    runs.forEach(r -> m.put(r.runId(), r));
    return m;
  }

  private static TreeMap<Integer, List<EvaluatedRun>> bySize(List<EvaluatedRun> runs) {
    TreeMap<Integer, List<EvaluatedRun>> m = new TreeMap<>();
    runs.forEach(r -> m.computeIfAbsent(r.contextSize(), k -> new ArrayList<>()).add(r));
    return m;
  }

  @Override
  public String summary(Result result) {
    return ConsoleSummary.format(result.data())
        + "\nTables: "
        + result.tables()
        + " (eval_results, eval_windows; bin/lvm sql to query them)"
        + (result.report() == null ? "" : "\nReport: " + result.report());
  }
}
