package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.config.LvmConfig;
import ai.lvm.testing.ChildJob;
import ai.lvm.testing.SparkTests;
import ai.lvm.testing.TestCorpora;
import ai.lvm.train.TrainJob;
import ai.lvm.train.TrainSweep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An evaluation SIGKILLed while it writes its tables publishes nothing (no partition of its id, no
 * report); run again, it publishes what an uninterrupted evaluation of the same runs publishes: the
 * same eval_windows rows and the same eval_results metrics (latency and time columns aside, which
 * measure the machine, not the runs).
 */
class EvalKillIT {
  private static final String MAIN = "ai.lvm.eval.EvalJob";

  @TempDir Path dir;

  @Test
  void aKilledEvaluationPublishesNothingAndItsRerunEqualsAnUninterruptedOne() throws Exception {
    Path root = dir.resolve("lvm");
    exportAndTrain(root);
    ChildJob jobs = new ChildJob(dir.resolve("logs"));
    String[] common = {"lvm.root=" + root, "lvm.eval.latency.samples=2", "lvm.eval.bank-block=128"};

    assertThat(jobs.run(MAIN, with(common, "lvm.eval.id=whole"))).isZero();

    Path staging = root.resolve("tables/_staging");
    jobs.killWhileWriting(staging, MAIN, with(common, "lvm.eval.id=killed"));
    assertThat(partitions(root, "eval_results")).containsExactly("whole");
    assertThat(partitions(root, "eval_windows")).containsExactly("whole");
    assertThat(root.resolve("reports/killed")).doesNotExist();

    assertThat(jobs.run(MAIN, with(common, "lvm.eval.id=killed"))).isZero();
    assertThat(partitions(root, "eval_results")).containsExactlyInAnyOrder("whole", "killed");
    assertThat(root.resolve("reports/killed/index.html")).exists();
    try (Stream<Path> debris = Files.list(staging)) {
      assertThat(debris).isEmpty();
    }

    SparkSession spark = SparkTests.start("EvalKillIT-compare");
    try {
      String windowColumns =
          "run_id, scorer, context_size, split, window_id, rank, candidates, cosine,"
              + " to_json(neighbours) AS neighbours";
      assertThat(rows(spark, root, "eval_windows", "killed", windowColumns))
          .isEqualTo(rows(spark, root, "eval_windows", "whole", windowColumns));
      String resultColumns =
          "run_id, scorer, split, lane, windows, bank_size, candidates, hit1, hit1_low, hit5,"
              + " hit5_high, hit10, mrr, mean_cosine, chance_hit5";
      List<Row> results = rows(spark, root, "eval_results", "killed", resultColumns);
      assertThat(results).isNotEmpty();
      assertThat(results).isEqualTo(rows(spark, root, "eval_results", "whole", resultColumns));
    } finally {
      spark.stop();
    }
  }

  private static String[] with(String[] common, String set) {
    String[] out = java.util.Arrays.copyOf(common, common.length + 1);
    out[common.length] = set;
    return out;
  }

  /** The evaluation ids with a partition in {@code table}. */
  private static List<String> partitions(Path root, String table) throws Exception {
    Path t = root.resolve("tables").resolve(table);
    if (!Files.exists(t)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(t)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("eval_id="))
          .map(n -> n.substring("eval_id=".length()))
          .toList();
    }
  }

  private static List<Row> rows(
      SparkSession spark, Path root, String table, String id, String columns) {
    Dataset<Row> t = spark.read().parquet(root.resolve("tables").resolve(table).toString());
    return t
        .where("eval_id = '" + id + "'")
        .selectExpr(columns.split(",\\s*"))
        .orderBy("run_id", "scorer", "split")
        .collectAsList()
        .stream()
        .sorted(java.util.Comparator.comparing(Row::toString))
        .toList();
  }

  private static void exportAndTrain(Path root) {
    SparkSession spark = SparkTests.start("EvalKillIT-setup");
    try {
      TestCorpora.exportSnapshot(
          spark, root, List.of(6), TestCorpora.documents(8, 5, 90, 75, 110, 80, 95, 85, 100, 70));
      Map<String, Object> t = new HashMap<>();
      t.put("lvm.root", root.toString());
      t.put("lvm.train.models", List.of("memory-gru", "gru"));
      t.put("lvm.train.hidden-size", 8);
      t.put("lvm.train.layers", 1);
      t.put("lvm.train.memory-slots", 4);
      t.put("lvm.train.max-epochs", 2);
      t.put("lvm.train.micro-batch", 8);
      new TrainJob().run(spark, TrainSweep.from(LvmConfig.of(t)));
    } finally {
      spark.stop();
    }
  }
}
