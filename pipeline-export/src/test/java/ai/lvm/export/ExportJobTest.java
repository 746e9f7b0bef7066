package ai.lvm.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.format.Float32;
import ai.lvm.format.Json;
import ai.lvm.format.Protocol;
import ai.lvm.format.Publisher;
import ai.lvm.format.SnapshotLayout;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.format.Split;
import ai.lvm.format.WindowSchema;
import ai.lvm.testing.SparkTests;
import ai.lvm.testing.TestCorpora;
import ai.lvm.window.ArticleSplit;
import ai.lvm.window.SeedSplit;
import ai.lvm.window.Vectors;
import ai.lvm.window.WindowMath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportJobTest {
  private static final int D = 8;
  private static final int[] LENGTHS = {
    31, 12, 45, 8, 27, 33, 19, 50, 14, 22, 38, 9, 41, 26, 17, 30, 11, 44, 23, 36
  };
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTests.start("ExportJobTest");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private ExportJob.Result export(String corpus, Map<String, ?> overrides) {
    Map<String, Object> m = new HashMap<>(overrides);
    m.put("lvm.root", dir.resolve("out").toString());
    m.put("lvm.export.corpus", corpus);
    m.putIfAbsent("lvm.export.min-train-sequences", 1);
    m.putIfAbsent("lvm.export.snapshot-id", "s1");
    LvmConfig config = LvmConfig.of(m);
    config.rejectUnknownKeys(new ExportJob().stages());
    return new ExportJob().run(spark, ExportConfig.from(config));
  }

  private Map<String, float[]> corpusVectors(List<Row> rows) {
    Map<String, float[]> out = new HashMap<>();
    for (Row r : rows) {
      out.put(r.getString(0) + "#" + r.getInt(1), (float[]) r.get(2));
    }
    return out;
  }

  private Dataset<Row> windows(String snapshot) {
    return spark.read().parquet(dir.resolve("out/windows/" + snapshot + "/data").toString());
  }

  /**
   * Every window against the corpus it was cut from, in one block per stream (64 MiB) and in many
   * (a block of 2C + 1 chunks: dozens of blocks per training stream, so chunks are sent to two
   * blocks and windows straddle block edges): the multi-block path must cut the same windows.
   */
  @ParameterizedTest
  @ValueSource(doubles = {64, 1e-4})
  void articleWindowsAreCutPerSplitStreamWithoutLeakage(double blockMb) {
    List<Row> rows = TestCorpora.documents(D, 1, LENGTHS);
    String corpus = TestCorpora.write(spark, dir, "corpus", rows);
    SnapshotManifest m =
        export(
                corpus,
                Map.of("lvm.export.context-sizes", List.of(4, 10), "lvm.export.block-mb", blockMb))
            .manifest();

    ArticleSplit split = new ArticleSplit(0.8, 0.1, 0.1);
    Map<String, Long> streamLengths = new TreeMap<>();
    for (int doc = 0; doc < LENGTHS.length; doc++) {
      streamLengths.merge(
          split.assign(String.format("d%03d", doc)).id(), (long) LENGTHS[doc], Long::sum);
    }
    assertThat(m.protocol()).isEqualTo("article");
    assertThat(m.corpus().rows()).isEqualTo(rows.size());
    assertThat(m.corpus().dimension()).isEqualTo(D);
    for (int c : List.of(4, 10)) {
      SnapshotManifest.ContextSize size = m.contextSize(c).orElseThrow();
      assertThat(size.stride()).isEqualTo(c / 2);
      // The default eval stride: C/10, at least 1.
      assertThat(size.evalStride()).isEqualTo(Math.max(1, c / 10));
      for (Split s : Split.values()) {
        assertThat(size.windows().get(s.id()))
            .as("C=%d %s", c, s)
            .isEqualTo(
                WindowMath.windowCount(
                    streamLengths.getOrDefault(s.id(), 0L),
                    c,
                    size.strideOf(s.id()),
                    Protocol.ARTICLE));
      }
    }

    Map<String, float[]> vectors = corpusVectors(rows);
    List<Row> all = windows("s1").collectAsList();
    assertThat(all)
        .hasSize(
            (int)
                m.contextSizes().stream()
                    .flatMap(s -> s.windows().values().stream())
                    .mapToLong(x -> x)
                    .sum());
    for (Row w : all) {
      String windowSplit = w.getAs(WindowSchema.SPLIT);
      int c = w.getAs(WindowSchema.CONTEXT_SIZE);
      String targetDoc = w.getAs(WindowSchema.TARGET_DOC_ID);
      int targetChunk = w.getAs(WindowSchema.TARGET_CHUNK_INDEX);
      // No target of one split inside a context or target of another.
      assertThat(split.assign(targetDoc).id()).isEqualTo(windowSplit);
      float[] context = new float[c * D];
      assertThat(Float32.decode(w.getAs(WindowSchema.CONTEXT), context, 0)).isEqualTo(c * D);
      int pos = 0;
      List<Row> segments = w.getList(w.fieldIndex(WindowSchema.CONTEXT_SEGMENTS));
      for (Row seg : segments) {
        assertThat(split.assign(seg.getString(0)).id()).isEqualTo(windowSplit);
        for (int i = 0; i < seg.getInt(2); i++, pos++) {
          float[] expected = vectors.get(seg.getString(0) + "#" + (seg.getInt(1) + i));
          for (int j = 0; j < D; j++) {
            assertThat(context[pos * D + j]).isEqualTo(expected[j]);
          }
        }
      }
      assertThat(pos).isEqualTo(c);
      // Targets are exactly the corpus vectors they name.
      float[] target = TestCorpora.toFloats(w.getList(w.fieldIndex(WindowSchema.TARGET)));
      assertThat(target).containsExactly(vectors.get(targetDoc + "#" + targetChunk));
      Row last = segments.get(segments.size() - 1);
      boolean sameDoc = last.getString(0).equals(targetDoc);
      assertThat((boolean) w.getAs(WindowSchema.SPANS_DOCUMENTS))
          .isEqualTo(segments.size() > 1 || !sameDoc);
      assertThat((boolean) w.getAs(WindowSchema.TARGET_STARTS_DOCUMENT))
          .isEqualTo(targetChunk == 0);
      double cos = Vectors.cosine(context, (c - 1) * D, target, 0, D);
      assertThat((double) (float) w.getAs(WindowSchema.COHERENCE)).isCloseTo(cos, within(1e-6));
    }
    // Window ids are the positions of windows in their stream: 0..n-1.
    for (SnapshotManifest.ContextSize size : m.contextSizes()) {
      for (Split s : Split.values()) {
        List<Long> ids =
            all.stream()
                .filter(
                    w ->
                        (int) w.getAs(WindowSchema.CONTEXT_SIZE) == size.contextSize()
                            && s.id().equals(w.getAs(WindowSchema.SPLIT)))
                .map(w -> (Long) w.getAs(WindowSchema.WINDOW_ID))
                .sorted()
                .toList();
        assertThat(ids)
            .isEqualTo(
                java.util.stream.LongStream.range(0, size.windows().get(s.id())).boxed().toList());
      }
    }
  }

  @Test
  void valAndTestWindowsAreCutAtTheEvalStrideAndTrainingWindowsAreUnchanged() {
    List<Row> rows = TestCorpora.documents(D, 9, LENGTHS);
    String corpus = TestCorpora.write(spark, dir, "corpus", rows);
    SnapshotManifest same =
        export(
                corpus,
                Map.of(
                    "lvm.export.context-sizes",
                    List.of(6),
                    "lvm.export.eval-stride",
                    "same",
                    "lvm.export.snapshot-id",
                    "same"))
            .manifest();
    SnapshotManifest two =
        export(
                corpus,
                Map.of(
                    "lvm.export.context-sizes",
                    List.of(6),
                    "lvm.export.eval-stride",
                    2,
                    "lvm.export.snapshot-id",
                    "two"))
            .manifest();

    ArticleSplit split = new ArticleSplit(0.8, 0.1, 0.1);
    Map<String, Long> streamLengths = new TreeMap<>();
    for (int doc = 0; doc < LENGTHS.length; doc++) {
      streamLengths.merge(
          split.assign(String.format("d%03d", doc)).id(), (long) LENGTHS[doc], Long::sum);
    }
    SnapshotManifest.ContextSize size = two.contextSize(6).orElseThrow();
    assertThat(size.stride()).isEqualTo(3);
    assertThat(size.evalStride()).isEqualTo(2);
    assertThat(same.contextSize(6).orElseThrow().evalStride()).isEqualTo(3);
    for (Split s : List.of(Split.VAL, Split.TEST)) {
      long n = streamLengths.get(s.id());
      // (N - C - 1) / evalStride + 1 windows per stream.
      assertThat(size.windows().get(s.id())).as("%s", s).isEqualTo((n - 6 - 1) / 2 + 1);
      assertThat(size.windows().get(s.id()))
          .isGreaterThan(same.contextSize(6).orElseThrow().windows().get(s.id()));
      List<Row> ws =
          windows("two").filter("split = '" + s.id() + "'").orderBy("window_id").collectAsList();
      assertThat(ws).hasSize((int) (long) size.windows().get(s.id()));
      for (Row w : ws) {
        assertThat((long) w.getAs(WindowSchema.CONTEXT_START))
            .isEqualTo(2 * (long) w.getAs(WindowSchema.WINDOW_ID));
      }
    }
    // Training windows are those of a training-stride export, row for row.
    assertThat(size.windows().get("train"))
        .isEqualTo(same.contextSize(6).orElseThrow().windows().get("train"))
        .isEqualTo((streamLengths.get("train") - 6 - 1) / 3 + 1);
    String[] cols = {
      WindowSchema.WINDOW_ID,
      WindowSchema.CONTEXT_START,
      WindowSchema.TARGET_DOC_ID,
      WindowSchema.TARGET_CHUNK_INDEX,
      WindowSchema.CONTEXT
    };
    Dataset<Row> trainTwo = windows("two").filter("split = 'train'").selectExpr(cols);
    Dataset<Row> trainSame = windows("same").filter("split = 'train'").selectExpr(cols);
    assertThat(trainTwo.exceptAll(trainSame).count()).isZero();
    assertThat(trainSame.exceptAll(trainTwo).count()).isZero();
    assertThat(new ExportJob().summary(new ExportJob.Result(two, "x", false)))
        .contains("3/2")
        .contains("val and test windows every b");
  }

  @Test
  void theSeedProtocolIgnoresTheEvalStride() {
    List<Row> rows = TestCorpora.documents(D, 2, LENGTHS);
    String corpus = TestCorpora.write(spark, dir, "corpus", rows);
    SnapshotManifest m =
        export(
                corpus,
                Map.of(
                    "lvm.export.context-sizes",
                    List.of(6),
                    "lvm.export.protocol",
                    "seed",
                    "lvm.export.eval-stride",
                    1))
            .manifest();
    SnapshotManifest.ContextSize size = m.contextSize(6).orElseThrow();
    assertThat(size.stride()).isEqualTo(3);
    assertThat(size.evalStride()).isEqualTo(3);
    SeedSplit seed =
        new SeedSplit(WindowMath.windowCount(rows.size(), 6, 3, Protocol.SEED), 42, 0.1, 0.1);
    assertThat(size.windows())
        .containsEntry("train", seed.trainCount())
        .containsEntry("val", seed.valCount())
        .containsEntry("test", seed.testCount());
  }

  @Test
  void seedProtocolCutsTheFlatStreamAndSplitsWindowsAtRandom() {
    List<Row> rows = TestCorpora.documents(D, 2, LENGTHS);
    String corpus = TestCorpora.write(spark, dir, "corpus", rows);
    SnapshotManifest m =
        export(
                corpus,
                Map.of("lvm.export.context-sizes", List.of(6), "lvm.export.protocol", "seed"))
            .manifest();
    long n = WindowMath.windowCount(rows.size(), 6, 3, Protocol.SEED);
    SeedSplit seed = new SeedSplit(n, 42, 0.1, 0.1);
    SnapshotManifest.ContextSize size = m.contextSize(6).orElseThrow();
    assertThat(size.windows())
        .containsEntry("train", seed.trainCount())
        .containsEntry("val", seed.valCount())
        .containsEntry("test", seed.testCount());
    assertThat(m.streams()).containsOnlyKeys("all");

    // The flat stream is the corpus in order: documents by id, chunks by index.
    List<String> order =
        rows.stream()
            .sorted(
                java.util.Comparator.comparing((Row r) -> r.getString(0))
                    .thenComparingInt(r -> r.getInt(1)))
            .map(r -> r.getString(0) + "#" + r.getInt(1))
            .toList();
    List<Row> all = windows("s1").collectAsList();
    Set<Long> ids = new java.util.HashSet<>();
    for (Row w : all) {
      long id = w.getAs(WindowSchema.WINDOW_ID);
      ids.add(id);
      assertThat(seed.assign(id).id()).isEqualTo(w.getAs(WindowSchema.SPLIT));
      assertThat((long) w.getAs(WindowSchema.CONTEXT_START)).isEqualTo(id * 3);
      String target = order.get((int) (id * 3 + 6));
      assertThat(
              w.getAs(WindowSchema.TARGET_DOC_ID) + "#" + w.getAs(WindowSchema.TARGET_CHUNK_INDEX))
          .isEqualTo(target);
    }
    assertThat(ids).hasSize((int) n);
  }

  @Test
  void rerunningAPublishedSnapshotChangesNothing() throws IOException {
    String corpus = TestCorpora.write(spark, dir, "corpus", TestCorpora.documents(D, 3, LENGTHS));
    Map<String, Object> cfg = Map.of("lvm.export.context-sizes", List.of(4));
    ExportJob.Result first = export(corpus, cfg);
    Map<Path, Long> before = listing(dir.resolve("out/windows"));
    ExportJob.Result again = export(corpus, cfg);
    assertThat(first.alreadyPublished()).isFalse();
    assertThat(again.alreadyPublished()).isTrue();
    assertThat(again.manifest()).isEqualTo(first.manifest());
    assertThat(listing(dir.resolve("out/windows"))).isEqualTo(before);
    assertThat(new ExportJob().summary(again)).contains("already published");
  }

  @Test
  void aFailureBeforePublishLeavesNothingVisible() throws IOException {
    String corpus = TestCorpora.write(spark, dir, "corpus", TestCorpora.documents(D, 4, LENGTHS));
    // Counts pass the check before work; the coherence gate then leaves too few training
    // windows, after the data was written to staging.
    assertThatThrownBy(
            () ->
                export(
                    corpus,
                    Map.of(
                        "lvm.export.context-sizes",
                        List.of(4),
                        "lvm.export.min-coherence",
                        0.95,
                        "lvm.export.min-train-sequences",
                        20,
                        "lvm.export.on-insufficient",
                        "fail")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nothing published")
        .hasMessageContaining("C=4");
    Publisher publisher =
        new SnapshotLayout(dir.resolve("out").toString())
            .publisher(spark.sparkContext().hadoopConfiguration());
    assertThat(publisher.publishedIds()).isEmpty();
    assertThat(publisher.latest()).isEmpty();
    try (Stream<Path> staged = Files.list(dir.resolve("out/windows/_staging"))) {
      assertThat(staged).isEmpty();
    }
  }

  @Test
  void sufficiencyVerdictsAndTheCoherenceGateAreRecorded() {
    String corpus = TestCorpora.write(spark, dir, "corpus", TestCorpora.documents(D, 5, LENGTHS));
    ExportJob.Result r =
        export(
            corpus,
            Map.of(
                "lvm.export.context-sizes",
                List.of(4, 40),
                "lvm.export.min-coherence",
                0.0,
                "lvm.export.min-train-sequences",
                30));
    SnapshotManifest.ContextSize small = r.manifest().contextSize(4).orElseThrow();
    SnapshotManifest.ContextSize large = r.manifest().contextSize(40).orElseThrow();
    assertThat(small.sufficiency().sufficient()).isTrue();
    assertThat(large.sufficiency().sufficient()).isFalse();
    assertThat(large.sufficiency().threshold()).isEqualTo(30);
    long kept = small.windows().get("train");
    long dropped = small.droppedByCoherence().get("train");
    assertThat(dropped).isPositive();
    List<Row> train = windows("s1").filter("context_size = 4 AND split = 'train'").collectAsList();
    assertThat(train).hasSize((int) kept);
    assertThat(train)
        .allSatisfy(
            w -> assertThat((float) w.getAs(WindowSchema.COHERENCE)).isGreaterThanOrEqualTo(0f));
    assertThat(new ExportJob().summary(r)).contains("INSUFFICIENT").contains("sufficient (");
    // The manifest on disk is the one returned, and the pointer names it.
    Publisher publisher =
        new SnapshotLayout(dir.resolve("out").toString())
            .publisher(spark.sparkContext().hadoopConfiguration());
    assertThat(Json.read(publisher.readRecord("s1").orElseThrow(), SnapshotManifest.class))
        .isEqualTo(r.manifest());
    assertThat(publisher.latest()).hasValue("s1");
  }

  @Test
  void vectorsThatAreNotUnitLengthAreNormalisedAndCounted() {
    List<Row> rows = new ArrayList<>(TestCorpora.documents(D, 6, 30, 30, 30, 30, 30));
    float[] big = new float[D];
    big[0] = 3;
    big[1] = 4;
    rows.set(5, TestCorpora.row(rows.get(5).getString(0), rows.get(5).getInt(1), big));
    String corpus = TestCorpora.write(spark, dir, "corpus", rows);
    SnapshotManifest m =
        export(
                corpus,
                Map.of("lvm.export.context-sizes", List.of(2), "lvm.export.protocol", "seed"))
            .manifest();
    assertThat(m.inputQuality().vectorsNormalised()).isEqualTo(1);
    Row w = windows("s1").filter("target_doc_id = 'd000' AND target_chunk_index = 5").first();
    float[] t = TestCorpora.toFloats(w.getList(w.fieldIndex(WindowSchema.TARGET)));
    assertThat(t[0]).isEqualTo(0.6f, within(1e-6f));
    assertThat(t[1]).isEqualTo(0.8f, within(1e-6f));
  }

  @Test
  void everyBadRowIsReportedWithCountsAndExamples() {
    List<Row> rows = new ArrayList<>(TestCorpora.documents(D, 7, 20, 20, 20));
    float[] nan = TestCorpora.unitVector(new java.util.SplittableRandom(1), D);
    nan[3] = Float.NaN;
    float[] inf = TestCorpora.unitVector(new java.util.SplittableRandom(2), D);
    inf[0] = Float.POSITIVE_INFINITY;
    float[] unit = TestCorpora.unitVector(new java.util.SplittableRandom(3), D);
    float[] longer = new float[D + 1];
    longer[0] = 1;
    rows.add(TestCorpora.row("bad", 0, longer));
    rows.add(TestCorpora.row("bad", 1, nan));
    rows.add(TestCorpora.row("bad", 2, inf));
    Float[] withNull = new Float[D];
    java.util.Arrays.fill(withNull, 0.5f);
    withNull[2] = null;
    rows.add(org.apache.spark.sql.RowFactory.create("bad", 5, withNull, null, null, null));
    rows.add(TestCorpora.row("bad", 3, new float[D]));
    rows.add(TestCorpora.row(null, 4, unit));
    rows.add(TestCorpora.row("bad", null, unit));
    rows.add(TestCorpora.row("d001", 3, unit)); // duplicate key
    rows.add(TestCorpora.row("gappy", 0, unit));
    rows.add(TestCorpora.row("gappy", 2, unit));
    String corpus = TestCorpora.write(spark, dir, "corpus", rows);
    assertThatThrownBy(() -> export(corpus, Map.of("lvm.export.context-sizes", List.of(4))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "1 rows: vector has another dimension than the corpus (" + D + "), e.g. (bad, 0) has 9")
        .hasMessageContaining(
            "3 rows: vector contains NaN or infinite values, e.g. (bad, 1), (bad, 2), (bad, 5)")
        .hasMessageContaining("1 rows: vector is all zeros, e.g. (bad, 3)")
        .hasMessageContaining("1 rows: doc_id is null")
        .hasMessageContaining("1 rows: chunk_index is null, e.g. (bad, null)")
        .hasMessageContaining(
            "2 rows: (doc_id, chunk_index) appears more than once, e.g. (d001, 3) x2")
        // Dropping both copies of (d001, 3) leaves a gap in d001 too.
        .hasMessageContaining("2 documents: chunk indexes are not consecutive")
        .hasMessageContaining("gappy (2 chunks from index 0)")
        .hasMessageContaining("on-bad-rows=drop");
    assertThat(dir.resolve("out/windows/s1")).doesNotExist();

    SnapshotManifest m =
        export(
                corpus,
                Map.of("lvm.export.context-sizes", List.of(4), "lvm.export.on-bad-rows", "drop"))
            .manifest();
    assertThat(m.inputQuality().rowsDropped())
        .containsEntry("wrong_dimension", 1L)
        .containsEntry("non_finite", 3L)
        .containsEntry("zero_vector", 1L)
        .containsEntry("null_doc_id", 1L)
        .containsEntry("null_chunk_index", 1L)
        .containsEntry("duplicate", 2L);
    assertThat(m.inputQuality().documentsWithGaps()).isEqualTo(2);
    assertThat(m.inputQuality().rowsUsed()).isEqualTo(rows.size() - 9);
    // The gappy document's two chunks are adjacent in its stream, in reading order.
    long streamChunks =
        m.streams().values().stream().mapToLong(SnapshotManifest.Stream::chunks).sum();
    assertThat(streamChunks).isEqualTo(m.inputQuality().rowsUsed());
  }

  @Test
  void corpusProblemsThatStopEverythingSayWhatToDo() throws IOException {
    assertThatThrownBy(() -> export(dir.resolve("nowhere").toString(), Map.of()))
        .hasMessageContaining("the path does not exist")
        .hasMessageContaining("lvm.export.corpus");

    String empty = TestCorpora.write(spark, dir, "empty", List.of());
    assertThatThrownBy(() -> export(empty, Map.of())).hasMessageContaining("it has no rows");

    Path notParquet = dir.resolve("csv-corpus");
    Files.createDirectories(notParquet);
    Files.writeString(notParquet.resolve("part-0.csv"), "doc_id,chunk_index\nd1,0\n");
    assertThatThrownBy(() -> export(notParquet.toString(), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Cannot read corpus '" + notParquet + "' as Parquet: ");

    String wrongSchema =
        TestCorpora.write(
            spark,
            dir,
            "wrong",
            List.of(org.apache.spark.sql.RowFactory.create(1, "x")),
            new org.apache.spark.sql.types.StructType()
                .add("doc_id", org.apache.spark.sql.types.DataTypes.IntegerType)
                .add("chunk", org.apache.spark.sql.types.DataTypes.StringType));
    assertThatThrownBy(() -> export(wrongSchema, Map.of()))
        .hasMessageContaining("Invalid corpus schema")
        .hasMessageContaining("column 'doc_id' is int, expected string")
        .hasMessageContaining("missing column 'chunk_index'")
        .hasMessageContaining("missing column 'vector'");

    String small = TestCorpora.write(spark, dir, "small", TestCorpora.documents(D, 8, 10, 10));
    assertThatThrownBy(() -> export(small, Map.of("lvm.export.context-sizes", List.of(4, 500))))
        .hasMessageContaining("C=500 (stride 250) yield no window")
        .hasMessageContaining("the longest stream has");
    assertThat(dir.resolve("out/windows/s1")).doesNotExist();
  }

  @Test
  void invalidSettingsFailBeforeAnyWork() {
    assertThatThrownBy(
            () ->
                ExportConfig.from(
                    LvmConfig.of(
                        Map.of(
                            "lvm.export.corpus",
                            "x",
                            "lvm.export.split",
                            Map.of("train", 0.8, "val", 0.3, "test", 0.1)))))
        .hasMessageContaining("'lvm.export.split'")
        .hasMessageContaining("sum to 1");
    assertThatThrownBy(
            () ->
                ExportConfig.from(
                    LvmConfig.of(Map.of("lvm.export.corpus", "x", "lvm.export.stride", "third"))))
        .hasMessageContaining("\"half\" or a positive integer");
    for (Object bad : List.of("quarter", 0, -5, "C/10")) {
      assertThatThrownBy(
              () ->
                  ExportConfig.from(
                      LvmConfig.of(
                          Map.of("lvm.export.corpus", "x", "lvm.export.eval-stride", bad))))
          .as("eval-stride %s", bad)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("Invalid value for 'lvm.export.eval-stride'")
          .hasMessageContaining("\"tenth\" (C/10, the default), \"half\" (C/2), \"same\"")
          .hasMessageContaining("--set lvm.export.eval-stride=tenth");
    }
    ExportConfig cfg =
        ExportConfig.from(
            LvmConfig.of(Map.of("lvm.export.corpus", "x", "lvm.export.context-sizes", List.of(5))));
    assertThat(cfg.strideFor(100, Split.TRAIN)).isEqualTo(50);
    assertThat(cfg.strideFor(100, Split.VAL)).isEqualTo(10);
    assertThat(cfg.strideFor(5, Split.TEST)).isEqualTo(1);
    assertThatThrownBy(
            () ->
                ExportConfig.from(
                    LvmConfig.of(
                        Map.of("lvm.export.corpus", "x", "lvm.export.snapshot-id", "../up"))))
        .hasMessageContaining("lvm.export.snapshot-id");
    assertThatThrownBy(() -> ExportConfig.from(LvmConfig.of(Map.of())))
        .hasMessageContaining("Missing required key 'lvm.export.corpus'");
  }

  private static Map<Path, Long> listing(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.collect(
          Collectors.toMap(
              p -> p,
              p -> {
                try {
                  return Files.getLastModifiedTime(p).toMillis() * 31 + Files.size(p);
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              },
              (a, b) -> a,
              TreeMap::new));
    }
  }
}
