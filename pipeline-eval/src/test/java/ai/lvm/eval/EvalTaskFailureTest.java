package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.config.LvmConfig;
import ai.lvm.faults.FlakyFileSystem;
import ai.lvm.testing.TestCorpora;
import ai.lvm.train.TrainJob;
import ai.lvm.train.TrainSweep;
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
 * Tasks that fail and are retried ({@code local[2, 4]}) do not change an evaluation: scoring tasks
 * that cannot load their checkpoint the first times and table-writing tasks that cannot create
 * their files the first times are retried, and the results equal those of a run without failures.
 */
class EvalTaskFailureTest {
  private static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = FlakyFileSystem.session("EvalTaskFailureTest");
    Path root = dir.resolve("lvm");
    TestCorpora.exportSnapshot(
        spark, root, List.of(5), TestCorpora.documents(6, 17, 60, 55, 70, 48, 66, 52, 58, 61));
    Map<String, Object> t = new HashMap<>();
    t.put("lvm.root", root.toString());
    t.put("lvm.train.models", List.of("gru"));
    t.put("lvm.train.hidden-size", 8);
    t.put("lvm.train.layers", 1);
    t.put("lvm.train.max-epochs", 1);
    t.put("lvm.train.micro-batch", 8);
    new TrainJob().run(spark, TrainSweep.from(LvmConfig.of(t)));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static EvalJob.Result evaluate(String root, String id) {
    Map<String, Object> m = new HashMap<>();
    m.put("lvm.root", root);
    m.put("lvm.eval.id", id);
    m.put("lvm.eval.latency.samples", 0);
    m.put("lvm.eval.report", false);
    m.put("lvm.eval.bank-block", 64);
    return new EvalJob().run(spark, EvalConfig.from(LvmConfig.of(m)));
  }

  @Test
  void retriedTasksGiveTheSameResults() {
    String root = dir.resolve("lvm").toString();
    EvalJob.Result clean = evaluate(root, "clean");
    FlakyFileSystem.FAILED.set(0);
    FlakyFileSystem.FAILED_OPENS.set(0);
    EvalJob.Result flaky = evaluate("flaky://" + root, "flaky");
    assertThat(FlakyFileSystem.FAILED_OPENS.get()).isGreaterThan(FlakyFileSystem.FAILURES);
    assertThat(FlakyFileSystem.FAILED.get()).isGreaterThan(FlakyFileSystem.FAILURES);
    assertThat(flaky.results()).isNotEmpty().isEqualTo(clean.results());
    long rows =
        spark.read().parquet(root + "/tables/eval_windows").where("eval_id = 'flaky'").count();
    assertThat(rows)
        .isEqualTo(
            spark.read().parquet(root + "/tables/eval_windows").where("eval_id = 'clean'").count());
  }
}
