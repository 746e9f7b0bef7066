package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.eval.report.ReportData;
import ai.lvm.format.Float32;
import ai.lvm.format.Snapshot;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.metrics.Interval;
import ai.lvm.metrics.PairedDifference;
import ai.lvm.metrics.RankMetrics;
import ai.lvm.metrics.Ranking;
import ai.lvm.model.Baselines;
import ai.lvm.model.LatentVectorModel;
import ai.lvm.testing.SparkTests;
import ai.lvm.testing.TestCorpora;
import ai.lvm.train.TrainJob;
import ai.lvm.train.TrainSweep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The evaluation job end to end on local[2]: a small snapshot, two tiny trained runs, the corpus
 * bank. Its ranks equal a brute-force ranking of the same predictions, its metrics equal the pure
 * functions of those ranks, and bad requests are refused with their reason.
 */
class EvalJobTest {
  private static final int D = 6;
  private static SparkSession spark;
  @TempDir static Path dir;
  private static String root;
  private static List<String> runIds;
  private static EvalJob.Result first;

  @BeforeAll
  static void exportTrainAndEvaluate() {
    spark = SparkTests.start("EvalJobTest");
    root = dir.resolve("lvm").toString();
    TestCorpora.exportSnapshot(
        spark,
        dir.resolve("lvm"),
        List.of(4, 6),
        // Each chunk's text names it, so the report's example windows can be checked against
        // the windows' targets.
        TestCorpora.documents(D, 9, 60, 45, 70, 38, 52, 66, 41, 57, 63, 48, 55, 61).stream()
            .map(r -> RowFactory.create(r.get(0), r.get(1), r.get(2), text(r), null, null))
            .toList());

    Map<String, Object> t = new HashMap<>();
    t.put("lvm.root", root);
    t.put("lvm.train.context-sizes", List.of(4, 6));
    t.put("lvm.train.models", List.of("memory-gru", "gru"));
    t.put("lvm.train.hidden-size", 8);
    t.put("lvm.train.layers", 1);
    t.put("lvm.train.memory-slots", 4);
    t.put("lvm.train.max-epochs", 2);
    t.put("lvm.train.micro-batch", 8);
    TrainJob.Result trained = new TrainJob().run(spark, TrainSweep.from(LvmConfig.of(t)));
    runIds = trained.reports().stream().map(r -> r.run().runId()).sorted().toList();
    assertThat(trained.reports()).allSatisfy(r -> assertThat(r.error()).isNull());
    first = evaluate(Map.of("lvm.eval.id", "e1"));
  }

  private static String text(Row corpusRow) {
    return "chunk " + corpusRow.getString(0) + "#" + corpusRow.get(1);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static EvalJob.Result evaluate(Map<String, Object> settings) {
    Map<String, Object> m = new HashMap<>(settings);
    m.put("lvm.root", root);
    m.putIfAbsent("lvm.eval.latency.samples", 3);
    m.putIfAbsent("lvm.eval.bank-block", 64);
    m.putIfAbsent("lvm.eval.query-block", 16);
    LvmConfig config = LvmConfig.of(m);
    config.rejectUnknownKeys(new EvalJob().stages());
    return new EvalJob().run(spark, EvalConfig.from(config));
  }

  @Test
  void everyRunIsReportedBesideEveryBaselineOnEverySplit() {
    List<EvalResult> all = first.results().stream().filter(r -> r.lane() == null).toList();
    // 4 runs x 2 splits x (model + copy-last + mean-of-context + mean-last-3 + mean-last-5
    // + context-ar-5).
    assertThat(all).hasSize(4 * 2 * 6);
    for (String runId : runIds) {
      for (String split : List.of("val", "test")) {
        assertThat(all)
            .filteredOn(r -> r.runId().equals(runId) && r.split().equals(split))
            .extracting(EvalResult::scorer)
            .containsExactlyInAnyOrder(
                Scorer.MODEL,
                Scorer.COPY_LAST,
                Scorer.MEAN_OF_CONTEXT,
                Scorer.meanLast(3),
                Scorer.meanLast(5),
                Scorer.contextAr(5));
      }
    }
    long corpusRows = 60 + 45 + 70 + 38 + 52 + 66 + 41 + 57 + 63 + 48 + 55 + 61;
    for (EvalResult r : all) {
      assertThat(r.bank()).isEqualTo("corpus");
      assertThat(r.bankSize()).isEqualTo(corpusRows);
      // Candidates: the corpus without the window's context chunks (the target stays, as answer).
      assertThat(r.candidates()).isEqualTo(corpusRows - r.contextSize());
      assertThat(r.chance5()).isCloseTo(5.0 / (corpusRows - r.contextSize()), within(1e-12));
      assertThat(r.hit5().low()).isLessThanOrEqualTo(r.hit5().value());
    }
    assertThat(first.latencies()).hasSize(4);
    assertThat(first.latencies()).allSatisfy(l -> assertThat(l.p99Millis()).isPositive());
    assertThat(first.curves()) // epoch 0 (the untrained model) and the two trained epochs
        .allSatisfy(c -> assertThat(c.epochs()).hasSize(3));
    assertThat(first.report()).endsWith("reports/e1/index.html");
    assertThat(Path.of(first.report().replaceFirst("^file:", ""))).exists();
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  @Test
  void ranksEqualABruteForceRankingAndMetricsEqualThePureFunctions() {
    String runId = runIds.get(0);
    EvaluatedRun run =
        new RunCatalog(root, new Configuration())
            .select(List.of(runId), "snap", D, java.util.Set.of(4, 6), "best")
            .get(0);
    LatentVectorModel model = new RunCatalog(root, new Configuration()).load(run);
    int c = run.contextSize();
    assertMatchesBruteForce(
        "run_id = '" + runId + "' AND scorer = 'model'",
        c,
        context ->
            model
                .forward(Nd4j.create(context, new long[] {1, c, D}, 'c'), false)
                .dup('c')
                .data()
                .asFloat(),
        first.results().stream()
            .filter(
                r ->
                    r.runId().equals(runId)
                        && r.split().equals("test")
                        && r.scorer().isModel()
                        && r.lane() == null)
            .findFirst()
            .orElseThrow());
  }

  /**
   * The mean-last-k baselines, computed here from the window files with plain loops: k below C
   * (mean-last-3 at C = 6) averages the last k vectors, k above C (mean-last-5 at C = 4) the whole
   * context, under its own name.
   */
  @Test
  void meanLastKRowsEqualAnIndependentComputation() {
    for (int[] ck : new int[][] {{6, 3}, {4, 5}}) {
      int c = ck[0];
      int k = ck[1];
      String scorer = "mean-last-" + k;
      EvalResult row = testRow(Scorer.meanLast(k), c);
      assertMatchesBruteForce(
          "run_id IS NULL AND scorer = '" + scorer + "'",
          c,
          context -> {
            int n = Math.min(k, c);
            float[] mean = new float[D];
            for (int j = 0; j < D; j++) {
              double sum = 0;
              for (int t = c - n; t < c; t++) {
                sum += context[t * D + j];
              }
              mean[j] = (float) (sum / n);
            }
            return mean;
          },
          row);
    }
    // Clamped: at C = 4, mean-last-5 is mean-of-context, window for window.
    spark
        .read()
        .parquet(root + "/tables/eval_windows")
        .where("eval_id = 'e1'")
        .createOrReplaceTempView("eval_windows_e1");
    List<Row> pairs =
        spark
            .sql(
                "SELECT a.rank, b.rank, a.cosine, b.cosine FROM eval_windows_e1 a JOIN"
                    + " eval_windows_e1 b ON a.window_id = b.window_id AND a.split = b.split"
                    + " WHERE a.context_size = 4 AND b.context_size = 4"
                    + " AND a.scorer = 'mean-last-5' AND b.scorer = 'mean-of-context'")
            .collectAsList();
    assertThat(pairs).isNotEmpty();
    for (Row p : pairs) {
      assertThat(p.getLong(0)).isEqualTo(p.getLong(1));
      assertThat(p.getDouble(2)).isEqualTo(p.getDouble(3));
    }
  }

  /**
   * The context-ar-5 rows (at C = 6: one pair per lag beyond the fifth) rank what {@link
   * Baselines#contextAr} predicts from each window file's context, computed here outside Spark
   * (ContextArTest holds that function to the regression written out).
   */
  @Test
  void contextArRowsRankTheRegressionOfEachWindowsOwnContext() {
    int c = 6;
    EvalResult row = testRow(Scorer.contextAr(5), c);
    assertMatchesBruteForce(
        "run_id IS NULL AND scorer = 'context-ar-5'",
        c,
        context ->
            Baselines.contextAr(Nd4j.create(context, new long[] {1, c, D}, 'c'), 5)
                .data()
                .asFloat(),
        row);
  }

  /** eval_results names the best baseline of each (context size, split, lane) on every row. */
  @Test
  void everyResultRowNamesTheBestBaselineOfItsWindows() {
    List<Row> rows =
        spark.read().parquet(root + "/tables/eval_results").where("eval_id = 'e1'").collectAsList();
    Map<String, String> best = new HashMap<>();
    Map<String, Double> bestHit5 = new HashMap<>();
    for (Row r : rows) {
      String scorer = r.getAs("scorer");
      if (scorer.equals("model")) {
        continue;
      }
      String key = r.getAs("context_size") + "/" + r.getAs("split") + "/" + r.getAs("lane");
      double hit5 = r.<Double>getAs("hit5");
      if (!bestHit5.containsKey(key) || hit5 > bestHit5.get(key)) {
        bestHit5.put(key, hit5);
        best.put(key, scorer);
      }
    }
    assertThat(rows).isNotEmpty();
    for (Row r : rows) {
      String key = r.getAs("context_size") + "/" + r.getAs("split") + "/" + r.getAs("lane");
      String named = r.getAs("best_baseline");
      // The named one has the highest Hit@5 (ties may name another of equal Hit@5).
      double namedHit5 =
          rows.stream()
              .filter(
                  o ->
                      o.getAs("scorer").equals(named)
                          && (o.getAs("context_size")
                                  + "/"
                                  + o.getAs("split")
                                  + "/"
                                  + o.getAs("lane"))
                              .equals(key))
              .findFirst()
              .orElseThrow()
              .<Double>getAs("hit5");
      assertThat(namedHit5).as(key).isEqualTo(bestHit5.get(key));
    }
    assertThat(new EvalJob().summary(first))
        .contains("mean-last-3@5", "mean-last-5@5", "best baseline", "vs best@5");
  }

  /**
   * Each model row's paired comparison with its best baseline equals the discordant windows counted
   * here from eval_windows (Hit@5 of the model and of that baseline on the same window), over all
   * lanes and per lane; baseline rows carry none.
   */
  @Test
  void modelRowsCarryThePairedHit5GainOverTheirBestBaselineOnTheSameWindows() {
    List<Row> results =
        spark.read().parquet(root + "/tables/eval_results").where("eval_id = 'e1'").collectAsList();
    List<Row> windows =
        spark.read().parquet(root + "/tables/eval_windows").where("eval_id = 'e1'").collectAsList();
    int checked = 0;
    int documentIntervals = 0;
    for (Row r : results) {
      if (!r.getAs("scorer").equals("model")) {
        assertThat((Double) r.getAs("hit5_gain")).isNull();
        continue;
      }
      String best = r.getAs("best_baseline");
      Integer lane = r.getAs("lane");
      Map<Long, Boolean> baselineHit = new HashMap<>();
      Map<Long, Boolean> modelHit = new HashMap<>();
      Map<Long, String> documentOf = new HashMap<>();
      for (Row w : windows) {
        boolean same =
            w.getAs("context_size").equals(r.getAs("context_size"))
                && w.getAs("split").equals(r.getAs("split"))
                && (lane == null || lane.equals(w.getAs("target_lane")));
        if (!same) {
          continue;
        }
        boolean hit = w.<Long>getAs("rank") <= 5;
        documentOf.put(w.getAs("window_id"), w.getAs("target_doc_id"));
        if (w.getAs("scorer").equals(best)) {
          baselineHit.put(w.getAs("window_id"), hit);
        } else if (w.getAs("scorer").equals("model")
            && r.getAs("run_id").equals(w.getAs("run_id"))) {
          modelHit.put(w.getAs("window_id"), hit);
        }
      }
      assertThat(modelHit.keySet()).isEqualTo(baselineHit.keySet());
      Map<String, long[]> perDocument = new java.util.TreeMap<>(); // windows, only model, only base
      for (Map.Entry<Long, Boolean> e : modelHit.entrySet()) {
        boolean b = baselineHit.get(e.getKey());
        long[] c = perDocument.computeIfAbsent(documentOf.get(e.getKey()), d -> new long[3]);
        c[0]++;
        c[1] += e.getValue() && !b ? 1 : 0;
        c[2] += !e.getValue() && b ? 1 : 0;
      }
      PairedDifference expected =
          PairedDifference.byDocument(
              perDocument.values().stream()
                  .map(c -> new PairedDifference.Counts(c[0], c[1], c[2]))
                  .toList());
      String what = r.getAs("run_id") + " " + r.getAs("split") + " lane " + lane;
      assertThat(r.<Double>getAs("hit5_gain")).as(what).isEqualTo(expected.value());
      assertThat(r.<Double>getAs("hit5_gain"))
          .isEqualTo(r.<Double>getAs("hit5") - hit5Of(results, r, best), within(1e-12));
      assertThat(r.<Double>getAs("hit5_gain_low")).as(what).isEqualTo(expected.interval().low());
      assertThat(r.<Double>getAs("hit5_gain_high")).as(what).isEqualTo(expected.interval().high());
      assertThat(r.<Double>getAs("hit5_gain_p")).as(what).isEqualTo(expected.pValue());
      assertThat(r.<Integer>getAs("hit5_gain_documents")).as(what).isEqualTo(perDocument.size());
      if (perDocument.size() < 2) {
        assertThat(r.<Double>getAs("hit5_gain_doc_low")).as(what).isNull();
      } else {
        assertThat(r.<Double>getAs("hit5_gain_doc_low"))
            .as(what)
            .isCloseTo(expected.documentInterval().low(), within(1e-12));
        assertThat(r.<Double>getAs("hit5_gain_doc_high"))
            .as(what)
            .isCloseTo(expected.documentInterval().high(), within(1e-12));
        documentIntervals++;
      }
      checked++;
    }
    assertThat(checked).isPositive();
    assertThat(documentIntervals).as("rows whose windows span two or more documents").isPositive();
    assertThat(new EvalJob().summary(first)).contains("paired vs best@5");
  }

  /**
   * Every row's Hit@5 interval by target document equals {@link Interval#byDocument} of its
   * windows' hits counted here per document from eval_windows (a baseline's windows are shared by
   * the runs of its context size), over all lanes and per lane; null below two documents.
   */
  @Test
  void everyRowCarriesItsHit5IntervalByTargetDocument() {
    List<Row> results =
        spark.read().parquet(root + "/tables/eval_results").where("eval_id = 'e1'").collectAsList();
    List<Row> windows =
        spark.read().parquet(root + "/tables/eval_windows").where("eval_id = 'e1'").collectAsList();
    int withInterval = 0;
    for (Row r : results) {
      boolean model = r.getAs("scorer").equals("model");
      Integer lane = r.getAs("lane");
      Map<String, long[]> perDocument = new java.util.TreeMap<>(); // windows, hits
      for (Row w : windows) {
        boolean same =
            w.getAs("scorer").equals(r.getAs("scorer"))
                && (!model || r.getAs("run_id").equals(w.getAs("run_id")))
                && w.getAs("context_size").equals(r.getAs("context_size"))
                && w.getAs("split").equals(r.getAs("split"))
                && (lane == null || lane.equals(w.getAs("target_lane")));
        if (same) {
          long[] c = perDocument.computeIfAbsent(w.getAs("target_doc_id"), d -> new long[2]);
          c[0]++;
          c[1] += w.<Long>getAs("rank") <= 5 ? 1 : 0;
        }
      }
      String what =
          r.getAs("run_id") + " " + r.getAs("scorer") + " " + r.getAs("split") + " " + lane;
      assertThat(perDocument.values().stream().mapToLong(c -> c[0]).sum())
          .as(what)
          .isEqualTo(r.<Long>getAs("windows"));
      Interval expected =
          Interval.byDocument(
              perDocument.values().stream()
                  .map(c -> new Interval.DocumentHits(c[0], c[1]))
                  .toList());
      if (expected == null) {
        assertThat(r.<Double>getAs("hit5_doc_low")).as(what).isNull();
        assertThat(r.<Double>getAs("hit5_doc_high")).as(what).isNull();
        continue;
      }
      assertThat(r.<Double>getAs("hit5_doc_low")).as(what).isCloseTo(expected.low(), within(1e-12));
      assertThat(r.<Double>getAs("hit5_doc_high"))
          .as(what)
          .isCloseTo(expected.high(), within(1e-12));
      assertThat(r.<Double>getAs("hit5_doc_low")).as(what).isLessThanOrEqualTo(r.getAs("hit5_low"));
      withInterval++;
    }
    assertThat(withInterval).as("rows whose windows span two or more documents").isPositive();
  }

  /** Hit@5 of {@code scorer} at {@code model}'s context size, split and lane. */
  private static double hit5Of(List<Row> results, Row model, String scorer) {
    return results.stream()
        .filter(
            o ->
                o.getAs("scorer").equals(scorer)
                    && o.getAs("context_size").equals(model.getAs("context_size"))
                    && o.getAs("split").equals(model.getAs("split"))
                    && java.util.Objects.equals(o.getAs("lane"), model.getAs("lane")))
        .findFirst()
        .orElseThrow()
        .<Double>getAs("hit5");
  }

  /** The first evaluation's test-split result row of a baseline at context size {@code c}. */
  private static EvalResult testRow(Scorer scorer, int c) {
    return first.results().stream()
        .filter(
            r ->
                r.scorer().equals(scorer)
                    && r.contextSize() == c
                    && r.split().equals("test")
                    && r.lane() == null)
        .findFirst()
        .orElseThrow();
  }

  /**
   * Ranks, candidates and cosines of the {@code eval_windows} rows of the test split at context
   * size {@code c} matching {@code where}, and the metrics of {@code result}, against a brute-force
   * ranking over the corpus of the predictions {@code predict} makes from each window's context.
   */
  private static void assertMatchesBruteForce(
      String where,
      int c,
      java.util.function.Function<float[], float[]> predict,
      EvalResult result) {
    List<Row> corpus = spark.read().parquet(dir.resolve("corpus").toString()).collectAsList();
    List<Row> windows =
        spark
            .read()
            .parquet(root + "/windows/snap/data/context_size=" + c + "/split=test")
            .collectAsList();
    Map<Long, Long> expected = new HashMap<>();
    Map<Long, Double> expectedCosine = new HashMap<>();
    Map<Long, Long> expectedCandidates = new HashMap<>();
    List<Long> ranks = new ArrayList<>();
    List<Double> cosines = new ArrayList<>();
    for (Row w : windows) {
      float[] context = new float[c * D];
      Float32.decode((byte[]) w.getAs("context"), context, 0);
      float[] prediction = predict.apply(context);
      UnitVectors.normalise(prediction, 0, D);
      float[] target = TestCorpora.toFloats(w.getList(w.fieldIndex("target")));
      UnitVectors.normalise(target, 0, D);
      double own = Ranking.dot(prediction, 0, target, 0, D);
      String targetDoc = w.getAs("target_doc_id");
      int targetChunk = w.getAs("target_chunk_index");
      long above = 0;
      long eligible = 0;
      for (Row v : corpus) {
        String doc = v.getAs("doc_id");
        long chunk = ((Number) v.getAs("chunk_index")).longValue();
        boolean isTarget = doc.equals(targetDoc) && chunk == targetChunk;
        // The context may run across a document boundary: its segments say which chunks it read.
        boolean inContext = false;
        for (Row seg : w.<Row>getList(w.fieldIndex("context_segments"))) {
          long segFirst = seg.getInt(1);
          inContext |=
              doc.equals(seg.getString(0)) && chunk >= segFirst && chunk < segFirst + seg.getInt(2);
        }
        if (isTarget || inContext) {
          continue;
        }
        eligible++;
        float[] u = TestCorpora.toFloats(v.getList(v.fieldIndex("vector")));
        UnitVectors.normalise(u, 0, D);
        above += Ranking.dot(prediction, 0, u, 0, D) > own + Ranking.TIE_TOLERANCE ? 1 : 0;
      }
      expected.put(w.getAs("window_id"), 1 + above);
      expectedCosine.put(w.getAs("window_id"), own);
      expectedCandidates.put(w.getAs("window_id"), eligible + 1);
      ranks.add(1 + above);
      cosines.add(own);
    }
    List<Row> got =
        spark
            .read()
            .parquet(root + "/tables/eval_windows")
            .where("eval_id = 'e1' AND split = 'test' AND context_size = " + c + " AND " + where)
            .collectAsList();
    assertThat(got).hasSize(windows.size());
    for (Row g : got) {
      long id = g.<Long>getAs("window_id");
      assertThat(g.<Long>getAs("candidates")).isEqualTo(expectedCandidates.get(id));
      assertThat(g.<Double>getAs("cosine")).isCloseTo(expectedCosine.get(id), within(1e-6));
      assertThat(g.<Long>getAs("rank")).isEqualTo(expected.get(id));
    }
    RankMetrics pure =
        RankMetrics.of(
            ranks.stream().mapToLong(Long::longValue).toArray(),
            cosines.stream().mapToDouble(Double::doubleValue).toArray());
    assertThat(result.windows()).isEqualTo(windows.size());
    assertClose(result.hit1(), pure.hits().get(1));
    assertClose(result.hit5(), pure.hits().get(5));
    assertClose(result.hit10(), pure.hits().get(10));
    assertClose(result.mrr(), pure.mrr());
    assertClose(result.meanCosine(), pure.meanCosine());
  }

  private static void assertClose(Interval a, Interval b) {
    assertThat(a.value()).isCloseTo(b.value(), within(1e-5));
    assertThat(a.low()).isCloseTo(b.low(), within(1e-5));
    assertThat(a.high()).isCloseTo(b.high(), within(1e-5));
  }

  @Test
  void theReportComparesTheRunsSettingsEarlierEvaluationsAndShowsExampleWindowsText()
      throws Exception {
    EvalJob.Result r = evaluate(Map.of("lvm.eval.id", "e3", "lvm.eval.splits", List.of("test")));
    ai.lvm.eval.report.ReportData data = r.data();
    // The runs' settings from training_runs: the sweep varied model and context size only.
    assertThat(data.settings()).hasSize(runIds.size());
    assertThat(data.settings())
        .allSatisfy(
            s ->
                assertThat(s.values())
                    .containsEntry("hidden-size", "8")
                    .containsEntry("seed", "42")
                    .containsKey("learning-rate"));
    String page = Files.readString(Path.of(r.report().replaceFirst("^file:", "")));
    // The report's manifest, written last, lists its files: "the report is whole" on any store.
    Path reportDir = Path.of(r.report().replaceFirst("^file:", "")).getParent();
    assertThat(
            ai.lvm.format.CommittedFiles.committed(
                    org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
                    new org.apache.hadoop.fs.Path(reportDir.toUri()))
                .orElseThrow())
        .contains("index.html")
        .allSatisfy(f -> assertThat(reportDir.resolve(f)).exists());
    String runs = page.substring(page.indexOf("<h2>Runs and their settings</h2>"));
    runs = runs.substring(0, runs.indexOf("<h2>", 5));
    assertThat(runs)
        .contains("<th class=\"t\">model</th><th class=\"t\">context-size</th><th>Hit@1</th>")
        .doesNotContain(">hidden-size<", ">learning-rate<", ">seed<");
    // The trend: e1 scored the test split before (against the same bank); e3 is this one.
    assertThat(data.trend()).extracting(ReportData.TrendPoint::evalId).contains("e1", "e3");
    assertThat(page).containsPattern("[0-9]+\\. e1</th>").contains("e3 (this)</th>");
    assertThat(r.data().examples()).hasSize(ReportInputs.EXAMPLES);
    for (ReportData.Example e : data.examples()) {
      assertThat(e.split()).isEqualTo("test");
      assertThat(e.neighbours()).hasSize(ReportInputs.EXAMPLE_NEIGHBOURS);
      assertThat(e.target().text())
          .isEqualTo("chunk " + e.target().docId() + "#" + e.target().chunkIndex());
      assertThat(e.neighbours())
          .allSatisfy(
              n -> assertThat(n.text()).isEqualTo("chunk " + n.docId() + "#" + n.chunkIndex()));
      assertThat(page).contains("Window " + e.windowId() + " (C = " + e.contextSize() + ")");
      assertThat(page).contains(e.target().text());
    }
    // Deterministic: the same windows in another evaluation of the snapshot.
    assertThat(
            evaluate(
                    Map.of(
                        "lvm.eval.id",
                        "e4",
                        "lvm.eval.splits",
                        List.of("test"),
                        "lvm.eval.report",
                        false,
                        "lvm.eval.latency.samples",
                        0))
                .data()
                .examples())
        .extracting(ReportData.Example::windowId)
        .containsExactlyElementsOf(
            data.examples().stream().map(ReportData.Example::windowId).toList());
  }

  @Test
  void reRunningAnEvaluationIdReplacesItsRowsAndAnotherIdAddsItsOwn() {
    long before =
        spark.read().parquet(root + "/tables/eval_results").where("eval_id = 'e1'").count();
    evaluate(Map.of("lvm.eval.id", "e1", "lvm.eval.report", false));
    evaluate(
        Map.of("lvm.eval.id", "e2", "lvm.eval.splits", List.of("val"), "lvm.eval.report", false));
    Row counts =
        spark
            .read()
            .parquet(root + "/tables/eval_results")
            .selectExpr(
                "sum(CASE WHEN eval_id = 'e1' THEN 1 ELSE 0 END)",
                "sum(CASE WHEN eval_id = 'e2' THEN 1 ELSE 0 END)")
            .first();
    assertThat(counts.getLong(0)).isEqualTo(before);
    assertThat(counts.getLong(1)).isEqualTo(before / 2);
    try (Stream<Path> staging = Files.list(dir.resolve("lvm/tables"))) {
      assertThat(staging.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "eval_results",
              "eval_windows",
              "training_runs",
              "training_history",
              "training_attempts",
              "_staging");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theReferenceProtocolRanksAmongTheSplitsTargets() {
    EvalJob.Result r =
        evaluate(
            Map.of(
                "lvm.eval.id",
                "reference",
                "lvm.eval.bank",
                "split-targets",
                "lvm.eval.exclude-context",
                false,
                "lvm.eval.splits",
                List.of("test"),
                "lvm.eval.report",
                false,
                "lvm.eval.latency.samples",
                0));
    assertThat(r.latencies()).isEmpty();
    for (EvalResult e : r.results()) {
      assertThat(e.bank()).isEqualTo("split-targets");
      if (e.lane() == null) {
        // Every target of the split is a candidate; the query's own is the answer.
        assertThat(e.bankSize()).isEqualTo(e.windows());
        assertThat(e.candidates()).isEqualTo((double) e.windows());
      }
    }
  }

  /**
   * The held-out bank is the corpus without its training documents: its size is the corpus rows of
   * the validation and test documents, no neighbour is a training chunk, and a window ranks no
   * worse than against the whole corpus (the same candidates minus some).
   */
  @Test
  void theHeldOutBankIsTheCorpusWithoutItsTrainingDocuments() {
    EvalJob.Result r =
        evaluate(
            Map.of(
                "lvm.eval.id",
                "held-out",
                "lvm.eval.bank",
                "held-out",
                "lvm.eval.report",
                false,
                "lvm.eval.latency.samples",
                0));
    Dataset<Row> windows =
        spark.read().parquet(root + "/tables/eval_windows").where("eval_id IN ('e1', 'held-out')");
    List<String> heldOutDocs =
        windows.select("target_doc_id").distinct().as(Encoders.STRING()).collectAsList();
    SnapshotManifest manifest =
        Snapshot.open(root, Optional.empty(), spark.sparkContext().hadoopConfiguration())
            .manifest();
    Dataset<Row> corpus = spark.read().parquet(manifest.corpus().path());
    long heldOutRows = corpus.filter(corpus.col("doc_id").isin(heldOutDocs.toArray())).count();
    assertThat(heldOutRows).isGreaterThan(0).isLessThan(corpus.count());
    for (EvalResult e : r.results()) {
      assertThat(e.bank()).isEqualTo("held-out");
      assertThat(e.bankSize()).isEqualTo(heldOutRows);
    }

    windows.where("eval_id = 'held-out'").createOrReplaceTempView("eval_windows_h");
    windows.where("eval_id = 'e1'").createOrReplaceTempView("eval_windows_c");
    windows.where("eval_id = 'held-out'").createOrReplaceTempView("eval_windows_h");
    windows.where("eval_id = 'e1'").createOrReplaceTempView("eval_windows_c");
    List<Row> pairs =
        spark
            .sql(
                "SELECT h.rank AS held_out_rank, c.rank AS corpus_rank, h.neighbours AS"
                    + " neighbours FROM eval_windows_h h JOIN eval_windows_c c ON h.window_id ="
                    + " c.window_id AND h.scorer = c.scorer AND h.context_size = c.context_size"
                    + " AND h.split = c.split AND h.run_id <=> c.run_id")
            .collectAsList();
    assertThat(pairs).isNotEmpty();
    for (Row p : pairs) {
      assertThat(p.getLong(0)).isLessThanOrEqualTo(p.getLong(1));
      for (Row n : p.<Row>getList(2)) {
        assertThat(heldOutDocs).contains(n.getString(0));
      }
    }
  }

  @Test
  void theTablesAreRegisteredInTheCatalogWhenADatabaseIsConfigured() {
    evaluate(
        Map.of(
            "lvm.eval.id",
            "catalogued",
            "lvm.eval.splits",
            List.of("val"),
            "lvm.eval.report",
            false,
            "lvm.eval.latency.samples",
            0,
            "lvm.eval.database",
            "lvm_test"));
    assertThat(
            spark
                .sql("SELECT count(*) FROM lvm_test.eval_results WHERE eval_id = 'catalogued'")
                .first()
                .getLong(0))
        .isPositive();
    assertThat(spark.sql("SELECT count(*) FROM lvm_test.training_runs").first().getLong(0))
        .isEqualTo(runIds.size());
  }

  @Test
  void analystsQueryThePublishedTablesWithSql() {
    SqlJob sql = new SqlJob();
    SqlJob.Result r =
        sql.run(
            spark,
            new SqlJob.Config(
                root,
                "SELECT scorer, count(*) AS n FROM eval_results WHERE eval_id = 'e1' AND lane IS"
                    + " NULL GROUP BY scorer ORDER BY scorer",
                10));
    assertThat(r.tables()).contains("eval_results", "eval_windows", "training_runs");
    assertThat(r.columns()).containsExactly("scorer", "n");
    assertThat(r.rows())
        .containsExactly(
            List.of("context-ar-5", "8"),
            List.of("copy-last", "8"),
            List.of("mean-last-3", "8"),
            List.of("mean-last-5", "8"),
            List.of("mean-of-context", "8"),
            List.of("model", "8"));
    assertThat(sql.summary(r)).contains("copy-last").contains("(6 rows)");
    assertThatThrownBy(
            () -> sql.run(spark, new SqlJob.Config(root, "SELECT nope FROM eval_results", 10)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("The query failed");
  }

  @Test
  void badRequestsAreRefusedWithTheirReason() throws Exception {
    assertThatThrownBy(() -> evaluate(Map.of("lvm.eval.runs", List.of("nope"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Unknown run id 'nope'")
        .hasMessageContaining(runIds.get(0));
    // A run interrupted mid-training: its last checkpoint says running.
    String interrupted = copyRun(runIds.get(0), "interrupted", "\"status\":\"running\"");
    assertThatThrownBy(() -> evaluate(Map.of("lvm.eval.runs", List.of(interrupted))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("still training or was interrupted");
    String other = copyRun(runIds.get(0), "other", "\"snapshot_id\":\"another\"");
    assertThatThrownBy(
            () -> evaluate(Map.of("lvm.eval.runs", List.of(other), "lvm.eval.snapshot", "snap")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("was trained on snapshot another, not snap");
    assertThatThrownBy(() -> EvalJob.requireLargerThanK("split-targets/100/test", 10))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("has 10 vectors, not more than k = 10");
    assertThatThrownBy(() -> evaluate(Map.of("lvm.eval.id", "../x")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("lvm.eval.id");
    // None of the refusals published anything.
    assertThat(
            spark
                .read()
                .parquet(root + "/tables/eval_results")
                .select("eval_id")
                .distinct()
                .count())
        .isLessThanOrEqualTo(2);
  }

  @Test
  void failedRunsOtherDimensionsEmptySplitsAndMissingTablesAreRefused() throws Exception {
    String failed = copyRun(runIds.get(1), "failed", "\"status\":\"completed\"");
    Files.writeString(
        dir.resolve("lvm/runs/" + failed + "/status.json"),
        "{\"status\":\"failed\",\"reason\":\"non-finite training loss (NaN) at epoch 2\","
            + "\"steps\":1000000}");
    assertThatThrownBy(() -> evaluate(Map.of("lvm.eval.runs", List.of(failed))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("it failed (non-finite training loss (NaN) at epoch 2)");
    String wide = copyRun(runIds.get(1), "wide", "\"dimension\":7");
    assertThatThrownBy(() -> evaluate(Map.of("lvm.eval.runs", List.of(wide))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("has dimension 7 but snapshot snap has dimension 6");
    RunCatalog catalog = new RunCatalog(root, new Configuration());
    assertThatThrownBy(() -> catalog.select(null, "nosuch", D, java.util.Set.of(4), "best"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("No finished training run of snapshot nosuch");
    // An empty split: the manifest of a snapshot whose test split of C = 4 has no windows.
    ai.lvm.format.SnapshotManifest m =
        ai.lvm.format.Snapshot.open(root, java.util.Optional.of("snap"), new Configuration())
            .manifest();
    List<ai.lvm.format.SnapshotManifest.ContextSize> sizes = new ArrayList<>();
    for (ai.lvm.format.SnapshotManifest.ContextSize c : m.contextSizes()) {
      Map<String, Long> windows = new HashMap<>(c.windows());
      windows.put("test", 0L);
      sizes.add(
          new ai.lvm.format.SnapshotManifest.ContextSize(
              c.contextSize(),
              c.stride(),
              windows,
              c.droppedByCoherence(),
              c.windowsSpanningDocuments(),
              c.paths(),
              c.sufficiency()));
    }
    ai.lvm.format.SnapshotManifest empty =
        new ai.lvm.format.SnapshotManifest(
            m.schemaVersion(),
            m.snapshotId(),
            m.createdAt(),
            m.codeVersion(),
            m.protocol(),
            m.corpus(),
            m.config(),
            m.inputQuality(),
            m.streams(),
            sizes);
    List<EvaluatedRun> runs =
        catalog.select(List.of(runIds.get(0)), "snap", D, java.util.Set.of(4, 6), "best");
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("lvm.root", root);
    assertThatThrownBy(() -> EvalJob.querySets(runs, EvalConfig.from(LvmConfig.of(cfg)), empty))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Split test of context size")
        .hasMessageContaining("has no windows");
    assertThatThrownBy(() -> SqlJob.registerTables(spark, dir.resolve("nothing").toString()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("No tables under");
  }

  private static final List<Path> copies = new ArrayList<>();

  /** Copied runs go after each test: a stray run would change what the others evaluate. */
  @org.junit.jupiter.api.AfterEach
  void removeCopies() throws Exception {
    for (Path p : copies) {
      try (Stream<Path> files = Files.walk(p)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    copies.clear();
  }

  /** A copy of a run whose last checkpoint record has {@code field} replaced. */
  private static String copyRun(String runId, String suffix, String replacement) throws Exception {
    Path from = dir.resolve("lvm/runs/" + runId);
    String id = runId + "-" + suffix;
    Path to = dir.resolve("lvm/runs/" + id);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else if (!f.getFileName().toString().startsWith(".")) {
          Files.copy(f, t);
        }
      }
    }
    Path record = to.resolve("last/checkpoint.json");
    String json = Files.readString(record);
    String key = replacement.substring(0, replacement.indexOf(':'));
    json =
        json.replaceFirst(
            java.util.regex.Pattern.quote(key) + "\\s*:\\s*(\"[^\"]*\"|[^,\\n]*)", replacement);
    Files.writeString(record, json);
    Files.deleteIfExists(to.resolve("last/.checkpoint.json.crc"));
    copies.add(to);
    return id;
  }
}
