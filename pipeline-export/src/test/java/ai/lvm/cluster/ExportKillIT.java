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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export killed part-way (SIGKILL, while it writes windows) leaves nothing visible; the re-run
 * of the same snapshot id completes and publishes exactly the windows an uninterrupted export
 * publishes.
 */
class ExportKillIT {
  @TempDir Path dir;
  private ChildJob jobs;

  @BeforeEach
  void jobs() {
    jobs = new ChildJob(dir.resolve("logs"));
  }

  @Test
  void aKilledExportLeavesNothingAndTheRerunEqualsAnUninterruptedOne() throws Exception {
    String root = dir.resolve("lvm").toString();
    assertThat(
            run(
                false,
                "ai.lvm.generate.GenerateJob",
                "lvm.root=" + root,
                "lvm.generate.chunks=40000",
                "lvm.generate.dimension=64"))
        .isZero();
    String[] export = {
      "lvm.root=" + root,
      "lvm.export.corpus=" + root + "/corpus/generated",
      "lvm.export.context-sizes=[50,200]",
      "lvm.export.min-train-sequences=1",
      "lvm.export.block-mb=1"
    };

    assertThat(run(true, "ai.lvm.export.ExportJob", with(export, "lvm.export.snapshot-id=s")))
        .isNotZero();
    Publisher publisher = new SnapshotLayout(root).publisher(new Configuration());
    assertThat(publisher.publishedIds()).isEmpty();
    assertThat(publisher.latest()).isEmpty();
    assertThat(Path.of(root, "windows", "s", SnapshotManifest.FILE_NAME)).doesNotExist();

    assertThat(run(false, "ai.lvm.export.ExportJob", with(export, "lvm.export.snapshot-id=s")))
        .isZero();
    assertThat(run(false, "ai.lvm.export.ExportJob", with(export, "lvm.export.snapshot-id=clean")))
        .isZero();
    assertThat(publisher.publishedIds()).containsExactlyInAnyOrder("s", "clean");
    try (Stream<Path> staged = Files.list(Path.of(root, "windows", Publisher.STAGING))) {
      assertThat(staged).isEmpty();
    }

    SnapshotManifest rerun = manifest(root, "s");
    SnapshotManifest clean = manifest(root, "clean");
    assertThat(rerun.contextSizes()).isEqualTo(clean.contextSizes());
    assertThat(rerun.corpus()).isEqualTo(clean.corpus());
    SparkSession spark = SparkTests.start("ExportKillIT");
    try {
      assertThat(windows(spark, root, "s")).isEqualTo(windows(spark, root, "clean"));
    } finally {
      spark.stop();
    }
  }

  private static List<String> windows(SparkSession spark, String root, String id) {
    List<String> out = new ArrayList<>();
    for (Row r :
        spark
            .read()
            .parquet(root + "/windows/" + id + "/data")
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

  private static SnapshotManifest manifest(String root, String id) throws Exception {
    return Json.read(
        Files.readAllBytes(Path.of(root, "windows", id, SnapshotManifest.FILE_NAME)),
        SnapshotManifest.class);
  }

  private static String[] with(String[] sets, String more) {
    String[] out = java.util.Arrays.copyOf(sets, sets.length + 1);
    out[sets.length] = more;
    return out;
  }

  private int run(boolean kill, String mainClass, String... sets) throws Exception {
    if (!kill) {
      return jobs.run(mainClass, sets);
    }
    // Killed while it writes: as soon as a window file appears under staging.
    Path staging = dir.resolve("lvm/windows/_staging");
    ChildJob.Killed killed =
        jobs.killWhen(() -> ChildJob.hasFileEndingWith(staging, ".parquet"), mainClass, sets);
    assertThat(killed.markerReachedWhileAlive())
        .as("the export was still running when its first file appeared (%s)", killed.log())
        .isTrue();
    return killed.exitStatus();
  }
}
