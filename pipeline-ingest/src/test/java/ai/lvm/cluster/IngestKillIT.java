package ai.lvm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.format.CorpusManifest;
import ai.lvm.format.Json;
import ai.lvm.format.Publisher;
import ai.lvm.testing.ChildJob;
import ai.lvm.testing.SparkTests;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ingest killed part-way (SIGKILL while the MiniLM encoder's first output file is being written)
 * leaves no corpus visible; the re-run of the same id completes and publishes the same corpus, byte
 * for byte (rows, vectors to the bit, Parquet data pages), as an uninterrupted ingest into another
 * root.
 */
class IngestKillIT {
  private static final String MAIN = "ai.lvm.ingest.IngestJob";

  @TempDir Path dir;

  @Test
  void aKilledIngestLeavesNothingAndTheRerunEqualsAnUninterruptedOne() throws Exception {
    Path input = writeDocuments(dir.resolve("docs.jsonl"), 30, 14);
    ChildJob jobs = new ChildJob(dir.resolve("logs"));
    String root = dir.resolve("lvm").toString();
    String cleanRoot = dir.resolve("clean").toString();
    String[] ingest = {
      "lvm.ingest.input=" + input,
      "lvm.ingest.id=docs",
      // ~26 small tasks on local[2]: the first file appears long before the last task ends.
      "lvm.ingest.chunks-per-partition=16",
      "lvm.ingest.batch-size=8",
      "lvm.ingest.progress-interval-s=1"
    };

    // The uninterrupted ingest into another root runs beside the killed one and its re-run.
    ChildJob.Running uninterrupted = jobs.start(MAIN, with(ingest, "lvm.root=" + cleanRoot));
    // Killed while it embeds: as soon as the first task starts writing its Parquet file.
    Path staging = Path.of(root, "corpus", Publisher.STAGING);
    jobs.killWhileWriting(staging, MAIN, with(ingest, "lvm.root=" + root));
    Path corpus = Path.of(root, "corpus", "docs");
    assertThat(corpus.resolve(CorpusManifest.FILE_NAME)).doesNotExist();
    assertThat(corpus).doesNotExist();

    assertThat(jobs.run(MAIN, with(ingest, "lvm.root=" + root))).isZero();
    assertThat(uninterrupted.await()).isZero();
    try (Stream<Path> staged = Files.list(staging)) {
      assertThat(staged).as("the re-run removed the killed run's staging").isEmpty();
    }

    Path clean = Path.of(cleanRoot, "corpus", "docs");
    CorpusManifest rerunManifest = manifest(corpus);
    CorpusManifest cleanManifest = manifest(clean);
    assertThat(rerunManifest)
        .usingRecursiveComparison()
        .ignoringFields("createdAt")
        .isEqualTo(cleanManifest);
    assertThat(rerunManifest.rows()).isGreaterThan(300);
    // The same Parquet files, their data pages byte for byte (names differ: Spark puts a job id
    // in them; footers may list a column's encodings in another order, a HashSet in parquet-mr).
    assertThat(partDigests(corpus)).isEqualTo(partDigests(clean)).isNotEmpty();
    SparkSession spark = SparkTests.start("IngestKillIT");
    try {
      List<String> rerun = rows(spark, corpus);
      assertThat(rerun).hasSize((int) rerunManifest.rows()).isEqualTo(rows(spark, clean));
    } finally {
      spark.stop();
    }
  }

  /** Seeded prose: {@code documents} JSON lines of {@code sentences} sentences each. */
  private static Path writeDocuments(Path file, int documents, int sentences) throws Exception {
    String[] subjects = {"The scheduler", "A memory page", "The block layer", "Each driver"};
    String[] verbs = {"balances", "allocates", "flushes", "registers", "reclaims", "maps"};
    String[] objects = {
      "runnable tasks across cores", "buffers for the next request", "dirty pages to disk",
      "interrupt handlers at boot", "slab caches under pressure", "device memory into user space"
    };
    SplittableRandom rng = new SplittableRandom(7);
    StringBuilder out = new StringBuilder();
    for (int d = 0; d < documents; d++) {
      StringBuilder text = new StringBuilder();
      for (int s = 0; s < sentences; s++) {
        text.append(subjects[rng.nextInt(subjects.length)])
            .append(' ')
            .append(verbs[rng.nextInt(verbs.length)])
            .append(' ')
            .append(objects[rng.nextInt(objects.length)])
            .append(" in step ")
            .append(s)
            .append(" of document ")
            .append(d)
            .append(". ");
      }
      out.append(
          String.format(
              "{\"doc_id\": \"doc-%03d\", \"text\": \"%s\"}%n", d, text.toString().strip()));
    }
    return Files.writeString(file, out.toString());
  }

  private static List<String> rows(SparkSession spark, Path corpus) {
    List<String> out = new ArrayList<>();
    for (Row r :
        spark
            .read()
            .parquet(corpus.toString())
            .selectExpr(
                "doc_id",
                "chunk_index",
                "text",
                "source",
                // Floats print in their shortest round-tripping form: equal text, equal bits.
                "sha2(cast(to_json(vector) AS binary), 256)")
            .orderBy("doc_id", "chunk_index")
            .collectAsList()) {
      out.add(r.toString());
    }
    return out;
  }

  private static List<String> partDigests(Path corpus) throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(corpus)) {
      for (Path f :
          files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
        byte[] bytes = Files.readAllBytes(f);
        // A Parquet file ends with <footer><footer length, int32 LE>"PAR1": hash what precedes.
        int footer =
            ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(bytes, 0, bytes.length - 8 - footer);
        byte[] digest = sha.digest();
        // Ordered by part number (the name's prefix up to the job id).
        out.add(
            f.getFileName().toString().substring(0, 10) + " " + HexFormat.of().formatHex(digest));
      }
    }
    return out;
  }

  private static CorpusManifest manifest(Path corpus) throws Exception {
    return Json.read(
        Files.readAllBytes(corpus.resolve(CorpusManifest.FILE_NAME)), CorpusManifest.class);
  }

  private static String[] with(String[] sets, String more) {
    String[] out = java.util.Arrays.copyOf(sets, sets.length + 1);
    out[sets.length] = more;
    return out;
  }
}
