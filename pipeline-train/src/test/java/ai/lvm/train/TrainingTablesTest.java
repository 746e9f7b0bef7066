package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.format.CommittedFiles;
import ai.lvm.testing.SparkTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code training_attempts}: each sweep appends one file per snapshot, which appears whole (a
 * hidden write and a one-file rename), beside the files an earlier release appended with Spark.
 */
class TrainingTablesTest {
  private static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTests.start("TrainingTablesTest");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static List<Object> attempt(String runId, String outcome, String startedAt) {
    Timestamp t = Timestamp.from(Instant.parse(startedAt));
    return Arrays.asList(runId, "abcd1234", outcome, null, 2, "cpu", "host", "test", t, t);
  }

  @Test
  void twoSweepsAppendsAreReadWholeBesideAnEarlierReleasesSparkAppend() throws IOException {
    String root = dir.toString();
    Path table = dir.resolve("tables/" + TrainingTables.ATTEMPTS);
    // An earlier release's append: Spark's own files (timestamps as INT96), partition column.
    spark
        .createDataFrame(
            List.of(
                RowFactory.create(
                    "old",
                    "abcd1234",
                    "failed",
                    "no windows",
                    null,
                    "cpu",
                    "host",
                    "old build",
                    Timestamp.from(Instant.parse("2026-11-30T01:00:00Z")),
                    Timestamp.from(Instant.parse("2026-11-30T01:00:00Z")),
                    "s1")),
            TrainingTables.ATTEMPTS_SCHEMA)
        .write()
        .mode(SaveMode.Append)
        .partitionBy("snapshot_id")
        .parquet(table.toString());
    var conf = spark.sparkContext().hadoopConfiguration();
    TrainingTables.appendAttempts(
        root, Map.of("s1", List.of(attempt("r1", "completed", "2026-12-01T01:00:00Z"))), conf);
    TrainingTables.appendAttempts(
        root,
        Map.of(
            "s1", List.of(attempt("r1", "failed", "2026-12-02T01:00:00Z")),
            "s2", List.of(attempt("r2", "completed", "2026-12-02T02:00:00Z"))),
        conf);
    // Debris of a sweep that died while writing: hidden, so no reader takes it.
    Files.writeString(table.resolve("snapshot_id=s1/_attempts-x.parquet.1.tmp"), "PAR1 partial");

    Dataset<Row> read =
        CommittedFiles.read(spark, new org.apache.hadoop.fs.Path(table.toUri())).orElseThrow();
    List<String> rows =
        read
            .selectExpr(
                "concat_ws(' ', CAST(snapshot_id AS STRING), run_id, outcome,"
                    + " CAST(started_at AS STRING))")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList()
            .stream()
            .sorted()
            .toList();
    assertThat(rows)
        .containsExactly(
            "s1 old failed 2026-11-30 01:00:00",
            "s1 r1 completed 2026-12-01 01:00:00",
            "s1 r1 failed 2026-12-02 01:00:00",
            "s2 r2 completed 2026-12-02 02:00:00");
    assertThat(spark.read().parquet(table.toString()).count())
        .as("a plain Parquet reader sees the same rows")
        .isEqualTo(4);
    try (var files = Files.list(table.resolve("snapshot_id=s1"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("attempts-")))
          .hasSize(2)
          .allSatisfy(n -> assertThat(n).endsWith(".parquet"));
    }
  }
}
