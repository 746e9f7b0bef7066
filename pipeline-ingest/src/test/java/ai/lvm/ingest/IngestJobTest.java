package ai.lvm.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.export.ExportConfig;
import ai.lvm.export.ExportJob;
import ai.lvm.format.CorpusManifest;
import ai.lvm.format.CorpusSchema;
import ai.lvm.format.Json;
import ai.lvm.testing.SparkTests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJobTest {
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTests.start("IngestJobTest");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private IngestJob.Result ingest(String input, Map<String, ?> overrides) {
    Map<String, Object> m = new HashMap<>(overrides);
    m.put("lvm.root", dir.resolve("out").toString());
    m.put("lvm.ingest.input", input);
    m.putIfAbsent("lvm.ingest.id", "c1");
    m.putIfAbsent("lvm.ingest.progress-interval-s", 1);
    LvmConfig config = LvmConfig.of(m);
    config.rejectUnknownKeys(new IngestJob().stages());
    return new IngestJob().run(spark, IngestConfig.from(config));
  }

  private Path write(String name, String content) throws IOException {
    return write(name, content.getBytes(StandardCharsets.UTF_8));
  }

  private Path write(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.write(p, content);
  }

  private List<Row> corpus(String location) {
    Dataset<Row> df = spark.read().parquet(location);
    CorpusSchema.check(df.schema(), location);
    return df.orderBy(CorpusSchema.DOC_ID, CorpusSchema.CHUNK_INDEX).collectAsList();
  }

  private static CorpusManifest manifest(String location) throws IOException {
    return Json.read(
        Files.readAllBytes(Path.of(location.replaceFirst("^file:", ""), CorpusManifest.FILE_NAME)),
        CorpusManifest.class);
  }

  private static final String JSONL =
      """
      {"doc_id": "b", "title": "Sched", "source": "wiki", "text": "The scheduler picks the next task. It runs on every CPU. Short. It balances load across cores."}
      {"doc_id": "a", "chunks": ["First given chunk.", "Second given chunk, kept as it is"]}

      {"doc_id": 7, "text": "Numbers are accepted as doc ids."}
      """;

  @Test
  void jsonLinesBecomeAPublishedCorpus() throws IOException {
    Path input = write("docs.jsonl", JSONL);
    IngestJob.Result result = ingest(input.toString(), Map.of());
    List<Row> rows = corpus(result.location());
    Chunker chunker = new Chunker(20, 500);
    List<String> bChunks =
        chunker.chunk(
            "The scheduler picks the next task. It runs on every CPU. Short. It balances load"
                + " across cores.");
    assertThat(rows).hasSize(2 + 1 + bChunks.size());
    assertThat(rows.get(0).getString(0)).isEqualTo("7");
    assertThat(rows.get(1).getString(0)).isEqualTo("a");
    assertThat(rows.get(1).getString(3)).isEqualTo("First given chunk.");
    assertThat(rows.get(2).getString(3)).isEqualTo("Second given chunk, kept as it is");
    assertThat(rows.get(2).getInt(1)).isEqualTo(1);
    assertThat(rows.get(1).getString(4)).isEqualTo("docs.jsonl");
    for (int i = 0; i < bChunks.size(); i++) {
      Row r = rows.get(3 + i);
      assertThat(r.getString(0)).isEqualTo("b");
      assertThat(r.getInt(1)).isEqualTo(i);
      assertThat(r.getString(3)).isEqualTo(bChunks.get(i));
      assertThat(r.getString(4)).isEqualTo("wiki");
    }
    assertThat(rows).allSatisfy(r -> assertThat(r.getList(2)).hasSize(384));

    CorpusManifest m = manifest(result.location());
    assertThat(m.producer()).isEqualTo("ingest");
    assertThat(m.model()).isEqualTo("all-MiniLM-L6-v2");
    assertThat(m.rows()).isEqualTo(rows.size());
    assertThat(m.documents()).isEqualTo(3);
    assertThat(m.dimension()).isEqualTo(384);
    assertThat(m.skipped()).isEmpty();
    assertThat(m.config()).containsEntry("input", input.toString());

    // The same id and settings again: a no-op that reports the published corpus.
    assertThat(ingest(input.toString(), Map.of()).alreadyPublished()).isTrue();
  }

  @Test
  void sameInputSameVectorsBitForBitAcrossPartitionings() throws IOException {
    Path input = write("docs.jsonl", JSONL);
    Map<String, float[]> first = vectors(ingest(input.toString(), Map.of("lvm.ingest.id", "x")));
    Map<String, float[]> second =
        vectors(
            ingest(
                input.toString(),
                Map.of(
                    "lvm.ingest.id", "y",
                    "lvm.ingest.chunks-per-partition", 1,
                    "lvm.ingest.batch-size", 2)));
    assertThat(second.keySet()).isEqualTo(first.keySet());
    first.forEach((k, v) -> assertThat(second.get(k)).as(k).containsExactly(v));
  }

  private Map<String, float[]> vectors(IngestJob.Result r) {
    Map<String, float[]> out = new TreeMap<>();
    for (Row row : corpus(r.location())) {
      List<Float> v = row.getList(2);
      float[] f = new float[v.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = v.get(i);
      }
      out.put(row.getString(0) + "#" + row.getInt(1), f);
    }
    return out;
  }

  @Test
  void aDirectoryOfTextFilesWithMarkupRemovedThatExportAccepts() throws IOException {
    write(
        "docs/guide/intro.rst.txt",
        "=====\nIntro\n=====\n\n.. toctree::\n\n   a\n   b\n\nThe kernel manages memory."
            + " It also schedules tasks.\n\nExample::\n\n   $ make\n\nThat is all.\n");
    write("docs/notes.md", "# Notes\n\n```\ncode\n```\nPlain *markdown* with a [link](x).\n");
    write("docs/plain.txt", "Just text. Nothing else here at all.");
    write("docs/image.png", new byte[] {1, 2, 3});
    write("docs/.hidden.txt", "Not a document.");
    IngestJob.Result result =
        ingest(dir.resolve("docs").toString(), Map.of("lvm.ingest.model", "minilm-int8"));
    List<Row> rows = corpus(result.location());
    assertThat(rows.stream().map(r -> r.getString(0)).distinct())
        .containsExactly("guide/intro.rst.txt", "notes.md", "plain.txt");
    String intro =
        String.join(
            " ",
            rows.stream()
                .filter(r -> r.getString(0).equals("guide/intro.rst.txt"))
                .map(r -> r.getString(3))
                .toList());
    assertThat(intro)
        .isEqualTo(
            "Intro The kernel manages memory. It also schedules tasks. Example: That is all.");
    assertThat(rows)
        .filteredOn(r -> r.getString(0).equals("guide/intro.rst.txt"))
        .allSatisfy(r -> assertThat(r.getString(4)).isEqualTo("guide"));
    assertThat(rows)
        .filteredOn(r -> r.getString(0).equals("notes.md"))
        .extracting(r -> r.getString(3))
        .containsExactly("Notes Plain markdown with a link.");
    CorpusManifest m = manifest(result.location());
    assertThat(m.model()).isEqualTo("all-MiniLM-L6-v2-int8");
    assertThat(m.documents()).isEqualTo(3);

    // The export stage reads it as it is.
    Map<String, Object> export = new HashMap<>();
    export.put("lvm.root", dir.resolve("out").toString());
    export.put("lvm.export.corpus", result.location());
    export.put("lvm.export.context-sizes", List.of(1));
    export.put("lvm.export.min-train-sequences", 0);
    export.put("lvm.export.snapshot-id", "s1");
    var exported = new ExportJob().run(spark, ExportConfig.from(LvmConfig.of(export)));
    assertThat(exported.alreadyPublished()).isFalse();
  }

  private static final String BAD_JSONL =
      """
      {"doc_id": "ok", "text": "A good document."}
      {"doc_id": "x", "text": "broken
      {"text": "No id here."}
      {"doc_id": "ok", "text": "The same id again."}
      {"doc_id": "empty", "text": "   "}
      {"doc_id": "both", "text": "a", "chunks": ["b"]}
      [1, 2]
      """;

  @Test
  void badRecordsFailNamingFileAndLine() throws IOException {
    Path input = write("bad.jsonl", BAD_JSONL);
    assertThatThrownBy(() -> ingest(input.toString(), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("bad.jsonl:2: invalid JSON")
        .hasMessageContaining("bad.jsonl:3: no doc_id")
        .hasMessageContaining("bad.jsonl:5 (doc_id 'empty'): no text to embed")
        .hasMessageContaining("bad.jsonl:6 (doc_id 'both'): has both 'text' and 'chunks'")
        .hasMessageContaining("bad.jsonl:7: expected a JSON object")
        .hasMessageContaining("duplicate-doc-id=1")
        .hasMessageContaining("lvm.ingest.on-bad-records=skip");
    assertThat(dir.resolve("out/corpus/c1")).doesNotExist();
  }

  @Test
  void duplicatesAloneNameBothRecords() throws IOException {
    Path input =
        write(
            "dup.jsonl",
            "{\"doc_id\": \"d\", \"text\": \"One.\"}\n{\"doc_id\": \"d\", \"text\": \"Two.\"}\n");
    assertThatThrownBy(() -> ingest(input.toString(), Map.of()))
        .hasMessageContaining("dup.jsonl:2: duplicate doc_id 'd' (first at dup.jsonl:1)");
  }

  @Test
  void badRecordsAreSkippedAndCountedWhenAskedTo() throws IOException {
    byte[] invalidUtf8 =
        "{\"doc_id\": \"u\", \"text\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] good = BAD_JSONL.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[good.length + invalidUtf8.length];
    System.arraycopy(good, 0, all, 0, good.length);
    System.arraycopy(invalidUtf8, 0, all, good.length, invalidUtf8.length);
    Path input = write("bad.jsonl", all);
    IngestJob.Result result = ingest(input.toString(), Map.of("lvm.ingest.on-bad-records", "skip"));
    List<Row> rows = corpus(result.location());
    assertThat(rows).extracting(r -> r.getString(3)).containsExactly("A good document.");
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("duplicate-doc-id", 1L);
    expected.put("empty-document", 1L);
    expected.put("invalid-field", 1L);
    expected.put("invalid-json", 2L);
    expected.put("invalid-utf8", 1L);
    expected.put("missing-doc-id", 1L);
    assertThat(manifest(result.location()).skipped()).isEqualTo(expected);
    assertThat(manifest(result.location()).documents()).isEqualTo(1);
  }

  @Test
  void nonUtf8AndEmptyTextFilesAreNamed() throws IOException {
    write("t/good.txt", "Fine text here.");
    write("t/latin1.txt", "Caf\u00e9 au lait.".getBytes(StandardCharsets.ISO_8859_1));
    write("t/empty.rst", ".. only a comment\n\n======\n");
    assertThatThrownBy(() -> ingest(dir.resolve("t").toString(), Map.of()))
        .hasMessageContaining("latin1.txt: invalid UTF-8 at byte 3")
        .hasMessageContaining("empty.rst: no text to embed");
    IngestJob.Result skipped =
        ingest(dir.resolve("t").toString(), Map.of("lvm.ingest.on-bad-records", "skip"));
    assertThat(manifest(skipped.location()).skipped())
        .containsEntry("invalid-utf8", 1L)
        .containsEntry("empty-document", 1L);
  }

  @Test
  void anInputWithoutDocumentsFails() throws IOException {
    write("none/picture.png", new byte[] {1});
    assertThatThrownBy(() -> ingest(dir.resolve("none").toString(), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("holds no text files");
    assertThatThrownBy(() -> ingest(dir.resolve("missing").toString(), Map.of()))
        .hasMessageContaining("does not exist");
  }

  private static float[][] randomVectors(int n, int d) {
    SplittableRandom rng = new SplittableRandom(3);
    float[][] v = new float[n][d];
    for (float[] row : v) {
      for (int i = 0; i < d; i++) {
        row[i] = (float) rng.nextGaussian();
      }
    }
    return v;
  }

  @Test
  void npzVectorsRoundTripInStoredOrder() throws IOException {
    float[][] vectors = randomVectors(23, 6);
    for (boolean compressed : new boolean[] {false, true}) {
      Path npz =
          NpzFiles.npz(
              dir.resolve("ref-" + compressed + ".npz"),
              "vectors",
              NpzFiles.vectorsNpy(vectors),
              compressed);
      // One document.
      IngestJob.Result one = ingest(npz.toString(), Map.of("lvm.ingest.id", "one" + compressed));
      List<Row> rows = corpus(one.location());
      assertThat(rows).hasSize(23);
      for (int i = 0; i < 23; i++) {
        assertThat(rows.get(i).getString(0)).isEqualTo("ref-" + compressed);
        assertThat(rows.get(i).getInt(1)).isEqualTo(i);
        assertThat(rows.get(i).<Float>getList(2)).containsExactly(boxed(vectors[i]));
      }
      CorpusManifest m = manifest(one.location());
      assertThat(m.producer()).isEqualTo("ingest-npz");
      assertThat(m.rows()).isEqualTo(23);
      assertThat(m.documents()).isEqualTo(1);
      assertThat(m.dimension()).isEqualTo(6);
      // Documents of 10 vectors: doc ids sort in stored order.
      IngestJob.Result tens =
          ingest(
              npz.toString(),
              Map.of(
                  "lvm.ingest.id",
                  "tens" + compressed,
                  "lvm.ingest.npz-document-size",
                  10,
                  "lvm.ingest.npz-doc-id",
                  "wiki"));
      List<Row> docs = corpus(tens.location());
      assertThat(docs.stream().map(r -> r.getString(0)).distinct())
          .containsExactly("wiki-000000000", "wiki-000000001", "wiki-000000002");
      for (int i = 0; i < 23; i++) {
        assertThat(docs.get(i).getInt(1)).isEqualTo(i % 10);
        assertThat(docs.get(i).<Float>getList(2)).containsExactly(boxed(vectors[i]));
      }
      assertThat(manifest(tens.location()).documents()).isEqualTo(3);
    }
  }

  private static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  @Test
  void badNpzFilesAreNamedWithTheProblem() throws IOException {
    Path noVectors =
        NpzFiles.npz(
            dir.resolve("a.npz"), "embeddings", NpzFiles.vectorsNpy(randomVectors(2, 3)), false);
    assertThatThrownBy(() -> ingest(noVectors.toString(), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a.npz")
        .hasMessageContaining("no array 'vectors'")
        .hasMessageContaining("embeddings");
    Path f8 =
        NpzFiles.npz(
            dir.resolve("b.npz"),
            "vectors",
            NpzFiles.npy("<f8", false, new long[] {2, 3}, new byte[48]),
            false);
    assertThatThrownBy(() -> ingest(f8.toString(), Map.of()))
        .hasMessageContaining("b.npz")
        .hasMessageContaining("dtype '<f8'");
    Path threeD =
        NpzFiles.npz(
            dir.resolve("c.npz"),
            "vectors",
            NpzFiles.npy("<f4", false, new long[] {1, 2, 3}, new byte[24]),
            true);
    assertThatThrownBy(() -> ingest(threeD.toString(), Map.of()))
        .hasMessageContaining("c.npz")
        .hasMessageContaining("3 dimension(s)");
    Path notZip = write("d.npz", "not a zip at all");
    assertThatThrownBy(() -> ingest(notZip.toString(), Map.of()))
        .hasMessageContaining("d.npz")
        .hasMessageContaining("not a zip archive");
    // Nothing was published: at most the (hidden) staging area exists.
    Path corpora = dir.resolve("out/corpus");
    if (Files.exists(corpora)) {
      try (Stream<Path> s = Files.list(corpora)) {
        assertThat(s.map(p -> p.getFileName().toString())).allMatch(n -> n.startsWith("_"));
      }
    }
  }
}
