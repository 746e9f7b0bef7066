package ai.lvm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.format.Json;
import ai.lvm.format.Publisher;
import ai.lvm.format.SnapshotLayout;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.testing.ChildJob;
import ai.lvm.testing.SparkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export killed part-way (SIGKILL, while it writes windows) leaves nothing visible; the re-run
 * of the same snapshot id completes and publishes exactly the windows an uninterrupted export of
 * the same corpus into another root publishes.
 */
class ExportKillIT {
  private static final String MAIN = "ai.lvm.export.ExportJob";

  @TempDir Path dir;

  @Test
  void aKilledExportLeavesNothingAndTheRerunEqualsAnUninterruptedOne() throws Exception {
    String root = dir.resolve("lvm").toString();
    String cleanRoot = dir.resolve("clean").toString();
    ChildJob jobs = new ChildJob(dir.resolve("logs"));
    assertThat(
            jobs.run(
                "ai.lvm.generate.GenerateJob",
                "lvm.root=" + root,
                "lvm.generate.chunks=40000",
                "lvm.generate.dimension=64"))
        .isZero();
    String[] export = {
      "lvm.export.corpus=" + root + "/corpus/generated",
      "lvm.export.context-sizes=[50,200]",
      "lvm.export.min-train-sequences=1",
      "lvm.export.block-mb=1",
      "lvm.export.snapshot-id=s"
    };

    // The uninterrupted export of the same corpus into another root runs beside the killed one
    // and its re-run.
    ChildJob.Running uninterrupted = jobs.start(MAIN, with(export, "lvm.root=" + cleanRoot));
    // Killed while it writes: as soon as a window file appears under staging.
    Path staging = Path.of(root, "windows", Publisher.STAGING);
    jobs.killWhileWriting(staging, MAIN, with(export, "lvm.root=" + root));
    Publisher publisher = new SnapshotLayout(root).publisher(new Configuration());
    assertThat(publisher.publishedIds()).isEmpty();
    assertThat(publisher.latest()).isEmpty();
    assertThat(Path.of(root, "windows", "s", SnapshotManifest.FILE_NAME)).doesNotExist();

    assertThat(jobs.run(MAIN, with(export, "lvm.root=" + root))).isZero();
    assertThat(uninterrupted.await()).isZero();
    assertThat(publisher.publishedIds()).containsExactly("s");
    try (Stream<Path> staged = Files.list(staging)) {
      assertThat(staged).as("the re-run removed the killed run's staging").isEmpty();
    }

    SnapshotManifest rerun = manifest(root);
    SnapshotManifest reference = manifest(cleanRoot);
    assertThat(rerun.contextSizes()).isEqualTo(reference.contextSizes());
    assertThat(rerun.corpus()).isEqualTo(reference.corpus());
    SparkSession spark = SparkTests.start("ExportKillIT");
    try {
      assertThat(windows(spark, root)).isNotEmpty().isEqualTo(windows(spark, cleanRoot));
    } finally {
      spark.stop();
    }
  }

  private static List<String> windows(SparkSession spark, String root) {
    List<String> out = new ArrayList<>();
    for (Row r :
        spark
            .read()
            .parquet(root + "/windows/s/data")
            .selectExpr(
                "context_size",
                "split",
                "window_id",
                "target_doc_id",
                "target_chunk_index",
                "sha2(context, 256)",
                "sha2(cast(to_json(target) AS binary), 256)",
                "coherence")
            .orderBy("context_size", "split", "window_id")
            .collectAsList()) {
      out.add(r.toString());
    }
    return out;
  }

  private static SnapshotManifest manifest(String root) throws Exception {
    return Json.read(
        Files.readAllBytes(Path.of(root, "windows", "s", SnapshotManifest.FILE_NAME)),
        SnapshotManifest.class);
  }

  private static String[] with(String[] sets, String more) {
    String[] out = java.util.Arrays.copyOf(sets, sets.length + 1);
    out[sets.length] = more;
    return out;
  }
}
