package ai.lvm.faults;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.config.LvmConfig;
import ai.lvm.export.ExportConfig;
import ai.lvm.export.ExportJob;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.testing.TestCorpora;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks that fail and are retried ({@code local[2, 4]}: up to 4 attempts) do not change what the
 * export publishes: the same counts as a run without failures.
 */
class TaskFailureTest {
  private static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = FlakyFileSystem.session("TaskFailureTest");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private SnapshotManifest export(String root, String corpus) {
    Map<String, Object> m = new HashMap<>();
    m.put("lvm.root", root);
    m.put("lvm.export.corpus", corpus);
    m.put("lvm.export.context-sizes", List.of(4, 8));
    m.put("lvm.export.min-train-sequences", 1);
    m.put("lvm.export.snapshot-id", "s");
    return new ExportJob().run(spark, ExportConfig.from(LvmConfig.of(m))).manifest();
  }

  @Test
  void retriedTasksPublishTheSameCounts() {
    String corpus =
        TestCorpora.write(
            spark, dir, "corpus", TestCorpora.documents(8, 21, 30, 25, 41, 18, 37, 22, 29, 33));
    SnapshotManifest clean = export(dir.resolve("clean").toString(), corpus);
    FlakyFileSystem.FAILED.set(0);
    SnapshotManifest flaky = export("flaky://" + dir.resolve("flaky"), corpus);
    assertThat(FlakyFileSystem.FAILED.get()).isGreaterThan(FlakyFileSystem.FAILURES);
    assertThat(flaky.contextSizes()).isEqualTo(clean.contextSizes());
    assertThat(flaky.inputQuality()).isEqualTo(clean.inputQuality());
  }
}
