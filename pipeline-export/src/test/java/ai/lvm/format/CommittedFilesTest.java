package ai.lvm.format;

import static ai.lvm.format.CommittedFiles.Mode.IN_PLACE;
import static ai.lvm.format.CommittedFiles.Mode.SWAP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.testing.SparkTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CommittedFiles}: a reader through the manifest sees exactly the committed rows of each
 * partition, whatever else lies beside them: the files of a replacement not yet committed (what a
 * reader on a store without atomic rename meets mid-publication, or after a crash), debris, and
 * partitions of an earlier release without a manifest, which are read whole.
 */
class CommittedFilesTest {
  private static SparkSession spark;
  private static FileSystem fs;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkTests.start("CommittedFilesTest");
    fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path("file://" + p.toAbsolutePath());
  }

  /** Writes rows {@code ids} as Spark's Parquet files under {@code out} (created); its files. */
  private static Path sparkFiles(Path out, long... ids) {
    Dataset<Row> rows =
        spark
            .createDataset(java.util.Arrays.stream(ids).boxed().toList(), Encoders.LONG())
            .toDF("id");
    rows.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(out.toString());
    return out;
  }

  private List<Long> readIds(Path table) {
    return CommittedFiles.read(spark, hadoop(table))
        .map(d -> d.select("id").orderBy("id").as(Encoders.LONG()))
        .map(Dataset::collectAsList)
        .orElse(List.of());
  }

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
    }
  }

  @Test
  void aReplacementIsCommittedWholeAndLeavesOnlyItsFilesAndOneManifest() throws IOException {
    Path target = dir.resolve("t/p=1");
    CommittedFiles.replace(
        fs, hadoop(sparkFiles(dir.resolve("_s1"), 1, 2, 3)), hadoop(target), IN_PLACE);
    assertThat(readIds(dir.resolve("t"))).containsExactly(1L, 2L, 3L);

    CommittedFiles.replace(
        fs, hadoop(sparkFiles(dir.resolve("_s2"), 7, 8)), hadoop(target), IN_PLACE);
    assertThat(readIds(dir.resolve("t"))).containsExactly(7L, 8L);
    List<String> committed = CommittedFiles.committed(fs, hadoop(target)).orElseThrow();
    assertThat(names(target))
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(committed.stream(), Stream.of(CommittedFiles.manifestName(3))).toList());
    assertThat(dir.resolve("_s1")).doesNotExist();
    assertThat(dir.resolve("_s2")).doesNotExist();
  }

  /**
   * Where a directory rename is atomic (HDFS, local files) the staged directory, its manifest
   * inside, is swapped in whole, so a reader that lists the directory itself never meets old and
   * new files together; manifests number on.
   */
  @Test
  void whereRenameIsAtomicTheDirectoryIsSwappedWholeWithItsManifest() throws IOException {
    Path table = dir.resolve("t");
    Path target = table.resolve("p=1");
    assertThat(CommittedFiles.Mode.of(fs)).isEqualTo(SWAP);
    for (String objectStore : List.of("s3a", "S3A", "gs", "wasbs")) {
      assertThat(CommittedFiles.Mode.ofScheme(objectStore)).as(objectStore).isEqualTo(IN_PLACE);
    }
    for (String atomic : List.of("hdfs", "file", "viewfs", "abfss")) {
      assertThat(CommittedFiles.Mode.ofScheme(atomic)).as(atomic).isEqualTo(SWAP);
    }
    CommittedFiles.replace(fs, hadoop(sparkFiles(dir.resolve("_s1"), 1, 2, 3)), hadoop(target));
    CommittedFiles.replace(fs, hadoop(sparkFiles(dir.resolve("_s2"), 7, 8)), hadoop(target));
    assertThat(readIds(table)).containsExactly(7L, 8L);
    assertThat(spark.read().parquet(table.toString()).count())
        .as("a plain reader too")
        .isEqualTo(2);
    List<String> committed = CommittedFiles.committed(fs, hadoop(target)).orElseThrow();
    assertThat(names(target).stream().filter(n -> !n.equals("_SUCCESS")))
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(committed.stream(), Stream.of(CommittedFiles.manifestName(2))).toList());
    assertThat(names(dir)).noneMatch(n -> n.startsWith("_s") || n.contains(".old-"));
  }

  @Test
  void filesOfAReplacementNotYetCommittedAreInvisibleAndTheNextCommitDeletesThem()
      throws IOException {
    Path table = dir.resolve("t");
    Path target = table.resolve("p=1");
    CommittedFiles.replace(
        fs, hadoop(sparkFiles(dir.resolve("_s1"), 1, 2, 3)), hadoop(target), IN_PLACE);
    // A store without atomic rename mid-publication, or a writer that died before its commit:
    // the new partition's files (part of them) lie beside the committed ones.
    Path partial = sparkFiles(dir.resolve("_partial"), 7, 8);
    for (String f : names(partial)) {
      if (f.endsWith(".parquet")) {
        Files.move(partial.resolve(f), target.resolve(f));
      }
    }
    Files.writeString(target.resolve("_committed-0000000009.json.123.tmp"), "{\"fil");

    assertThat(readIds(table)).as("through the manifest").containsExactly(1L, 2L, 3L);
    assertThat(spark.read().parquet(table.toString()).count())
        .as("a plain listing reader sees both: the caveat on object stores")
        .isEqualTo(5);

    CommittedFiles.replace(fs, hadoop(sparkFiles(dir.resolve("_s2"), 4)), hadoop(target), IN_PLACE);
    assertThat(readIds(table)).containsExactly(4L);
    assertThat(spark.read().parquet(table.toString()).count()).isEqualTo(1);
  }

  @Test
  void aPartitionOfAnEarlierReleaseIsReadWholeAndAdoptedBeforeItIsReplaced() throws IOException {
    Path table = dir.resolve("t");
    sparkFiles(table.resolve("p=old"), 5, 6);
    CommittedFiles.replace(
        fs, hadoop(sparkFiles(dir.resolve("_s1"), 1)), hadoop(table.resolve("p=new")), IN_PLACE);
    assertThat(CommittedFiles.committed(fs, hadoop(table.resolve("p=old")))).isEmpty();
    assertThat(readIds(table)).containsExactly(1L, 5L, 6L);
    assertThat(CommittedFiles.read(spark, hadoop(table)).orElseThrow().columns())
        .containsExactly("id", "p");

    CommittedFiles.prepare(fs, hadoop(table.resolve("p=old")));
    assertThat(CommittedFiles.committed(fs, hadoop(table.resolve("p=old"))).orElseThrow())
        .hasSize(1)
        .allSatisfy(f -> assertThat(f).startsWith("part-"));
    assertThat(readIds(table)).containsExactly(1L, 5L, 6L);
  }

  @Test
  void removingAPartitionCommitsItEmptyThenDeletesIt() throws IOException {
    Path table = dir.resolve("t");
    CommittedFiles.replace(
        fs, hadoop(sparkFiles(dir.resolve("_s1"), 1)), hadoop(table.resolve("p=1")), IN_PLACE);
    CommittedFiles.replace(
        fs, hadoop(sparkFiles(dir.resolve("_s2"), 2)), hadoop(table.resolve("p=2")), IN_PLACE);
    CommittedFiles.remove(fs, hadoop(table.resolve("p=1")));
    assertThat(table.resolve("p=1")).doesNotExist();
    assertThat(readIds(table)).containsExactly(2L);
    CommittedFiles.remove(fs, hadoop(table.resolve("p=2")));
    assertThat(CommittedFiles.read(spark, hadoop(table))).isEmpty();
  }

  @Test
  void aWithdrawnDirectoryHasNoManifestAndKeepsItsFiles() throws IOException {
    Path report = dir.resolve("reports/r1");
    CommittedFiles.replace(fs, hadoop(sparkFiles(dir.resolve("_s1"), 1)), hadoop(report), IN_PLACE);
    List<String> files = CommittedFiles.committed(fs, hadoop(report)).orElseThrow();
    CommittedFiles.withdraw(fs, hadoop(report));
    assertThat(CommittedFiles.committed(fs, hadoop(report))).isEmpty();
    assertThat(names(report)).containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void hiddenDirectoriesAreNotPartOfTheTable() throws IOException {
    Path table = dir.resolve("t");
    CommittedFiles.replace(
        fs, hadoop(sparkFiles(dir.resolve("_s1"), 1)), hadoop(table.resolve("p=1")), IN_PLACE);
    sparkFiles(table.resolve("_staging/eval-x/p=1"), 9);
    assertThat(readIds(table)).containsExactly(1L);
    assertThat(CommittedFiles.read(spark, hadoop(dir.resolve("none")))).isEmpty();
  }

  @Test
  void aCommitRefusesFilesThatAreNotThere() throws IOException {
    Path target = Files.createDirectories(dir.resolve("t/p=1"));
    assertThatThrownBy(() -> CommittedFiles.commit(fs, hadoop(target), List.of("part-0.parquet")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'part-0.parquet' is not there");
    assertThat(CommittedFiles.committed(fs, hadoop(target))).isEmpty();
  }
}
