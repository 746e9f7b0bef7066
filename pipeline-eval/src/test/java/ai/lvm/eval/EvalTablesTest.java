package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.format.CommittedFiles;
import ai.lvm.testing.SparkTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EvalTables#publish} commits each evaluation id's partition through its manifest, and
 * {@code bin/lvm sql} reads through it: a query sees exactly the committed rows while files of a
 * replacement lie beside them (a store without atomic rename mid-publication, or a crash), and
 * partitions written by an earlier release, without a manifest, whole.
 */
class EvalTablesTest {
  private static final StructType ROWS =
      new StructType().add("run_id", DataTypes.StringType).add("hit5", DataTypes.DoubleType);
  private static SparkSession spark;
  private static FileSystem fs;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkTests.start("EvalTablesTest");
    fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> rows(String... runIds) {
    return spark.createDataFrame(
        Stream.of(runIds).map(r -> RowFactory.create(r, 0.5)).toList(), ROWS);
  }

  private void publish(String date, String id, String... runIds) {
    EvalTables.publish(
        spark, dir.toString(), "s1", date, id, Map.of(EvalTables.RESULTS, rows(runIds)));
  }

  private List<String> sql(String query) {
    return new SqlJob()
        .run(spark, new SqlJob.Config(dir.toString(), query, 100)).rows().stream()
            .map(r -> String.join(" ", r))
            .toList();
  }

  private Path partition(String date, String id) {
    return dir.resolve("tables/eval_results/snapshot_id=s1/eval_date=" + date + "/eval_id=" + id);
  }

  @Test
  void sqlSeesExactlyTheCommittedRowsOfAPartitionBeingReplaced() throws IOException {
    publish("2026-12-01", "e1", "a", "b");
    publish("2026-12-01", "e2", "c");
    // The next publication of e1 half-done where a directory rename is a copy: some of its files
    // already beside the committed ones, its manifest not yet written.
    Path staged = dir.resolve("_next");
    rows("x", "y", "z").coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(staged.toString());
    try (Stream<Path> files = Files.list(staged)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        Files.move(f, partition("2026-12-01", "e1").resolve(f.getFileName()));
      }
    }

    assertThat(sql("SELECT eval_id, run_id FROM eval_results ORDER BY eval_id, run_id"))
        .containsExactly("e1 a", "e1 b", "e2 c");
    assertThat(spark.read().parquet(dir.resolve("tables/eval_results").toString()).count())
        .as("a plain listing reader meets the uncommitted files")
        .isEqualTo(6);

    publish("2026-12-01", "e1", "d");
    assertThat(sql("SELECT eval_id, run_id FROM eval_results ORDER BY eval_id, run_id"))
        .containsExactly("e1 d", "e2 c");
    assertThat(spark.read().parquet(dir.resolve("tables/eval_results").toString()).count())
        .as("the commit deleted the debris")
        .isEqualTo(2);
  }

  @Test
  void anIdReRunOnAnotherDayReplacesItsPartitionAndLeavesNoDirectoryBehind() throws IOException {
    publish("2026-12-01", "e1", "a");
    publish("2026-12-02", "e1", "b", "c");
    assertThat(sql("SELECT eval_date, run_id FROM eval_results ORDER BY run_id"))
        .containsExactly("2026-12-02 b", "2026-12-02 c");
    assertThat(partition("2026-12-01", "e1")).doesNotExist();
    assertThat(CommittedFiles.committed(fs, hadoop(partition("2026-12-02", "e1"))).orElseThrow())
        .isNotEmpty()
        .allSatisfy(f -> assertThat(partition("2026-12-02", "e1").resolve(f)).exists());
    try (Stream<Path> staging = Files.list(dir.resolve("tables/_staging"))) {
      assertThat(staging).isEmpty();
    }
  }

  @Test
  void aPartitionOfAnEarlierReleaseIsReadWholeBesideCommittedOnes() {
    // An earlier release's partition: Spark's files, no manifest.
    rows("old1", "old2")
        .selectExpr("*", "'s1' AS snapshot_id", "'2026-11-30' AS eval_date", "'e0' AS eval_id")
        .write()
        .partitionBy("snapshot_id", "eval_date", "eval_id")
        .parquet(dir.resolve("tables/eval_results").toString());
    publish("2026-12-01", "e1", "a");
    assertThat(sql("SELECT eval_id, run_id FROM eval_results ORDER BY eval_id, run_id"))
        .containsExactly("e0 old1", "e0 old2", "e1 a");
    assertThat(ReportInputs.read(spark, dir.toString(), EvalTables.RESULTS).orElseThrow().count())
        .isEqualTo(3);
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path("file://" + p.toAbsolutePath());
  }
}
