package ai.lvm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.format.CorpusManifest;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.testing.ChildJob;
import ai.lvm.testing.StandaloneCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/nightly} against a real Spark standalone master and worker on loopback (the
 * build's Spark jars, no stub), in client deploy mode: generate -> export -> train -> eval, one
 * {@code spark-submit} per step of the job jars the build packaged, and the chain's exit status
 * when a step fails. Tiny shapes (1,200 chunks of 8 dimensions, C = 8, one GRU for one epoch): the
 * time goes to starting JVMs and executors, under 2 minutes for the class alone on 2 cores, its
 * JVMs on C1 ({@code ChildJob.SHORT_LIVED_JVM}).
 *
 * <p>Client mode only: in a standalone master's cluster mode the driver does not get the {@code
 * --files} config and spark-submit does not return the job's exit status, so {@code bin/nightly}
 * refuses it with a message (checked here too).
 */
class NightlyChainIT {
  /** The whole chain configured in one file, as an operator's LVM_CONF. */
  private static final String CONF =
      """
      lvm {
        spark.conf { "spark.sql.shuffle.partitions" = 4 }
        generate { chunks = 1200, dimension = 8, min-doc-chunks = 20, max-doc-chunks = 60,
                   lanes = 2, partitions = 2 }
        export { context-sizes = [8], min-train-sequences = 10, on-insufficient = "fail" }
        train { models = ["gru"], hidden-size = 8, layers = 1, max-epochs = 1, micro-batch = 8,
                negative-count = 64, negative-pool = 256, progress-seconds = 5 }
        eval { latency { warmup = 1, samples = 2 }, bank-block = 128 }
      }
      """;

  @TempDir static Path dir;
  private static StandaloneCluster cluster;
  private static Path sparkSubmit;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = StandaloneCluster.start(dir, 2, "2g");
    sparkSubmit = cluster.writeSparkSubmit(dir.resolve("spark-submit"), "1g");
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theNightlyChainGeneratesExportsTrainsAndEvaluatesOnTheCluster() throws Exception {
    Path root = dir.resolve("good");
    Path conf = write("nightly.conf", CONF);
    Run run = nightly("good", root, conf, "20261201", "generate export train eval");

    assertThat(run.exitStatus()).as(run.output()).isZero();
    for (String step : new String[] {"generate", "export", "train", "eval"}) {
      assertThat(run.output()).contains("nightly 20261201: " + step + "\n");
    }
    assertThat(run.output()).contains("nightly 20261201: done");
    assertThat(root.resolve("corpus/20261201").resolve(CorpusManifest.FILE_NAME)).exists();
    assertThat(root.resolve("windows/20261201").resolve(SnapshotManifest.FILE_NAME)).exists();
    // The evaluation's result table has the night's partition (under snapshot_id and eval_date),
    // with data, and its report.
    Path results;
    try (Stream<Path> files = Files.walk(root.resolve("tables/eval_results"))) {
      results =
          files
              .filter(f -> f.getFileName().toString().equals("eval_id=20261201"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no eval_id=20261201 in eval_results"));
    }
    assertThat(results.toString()).contains("snapshot_id=20261201");
    assertThat(ChildJob.hasFileEndingWith(results, ".parquet")).isTrue();
    assertThat(root.resolve("reports/20261201/index.html")).exists();
    // Every job ran its tasks in the worker's executors, not in the driver.
    assertThat(run.output().split("Granted executor ID", -1)).hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void aFailingStepStopsTheChainWithItsExitStatus() throws Exception {
    Path root = dir.resolve("failing");
    Path conf = write("failing.conf", CONF);
    // No corpus for the night (no ingest, no generate): export's input is missing, a user error,
    // exit status 2; the cheapest real failure, one spark-submit.
    Run run = nightly("failing", root, conf, "20261202", "export train eval");

    assertThat(run.exitStatus()).as(run.output()).isEqualTo(2);
    assertThat(run.output())
        .contains("Cannot read corpus '" + root.resolve("corpus/20261202") + "'")
        .contains("nightly 20261202: export exited 2; the chain stops here")
        .doesNotContain("nightly 20261202: train")
        .doesNotContain("nightly 20261202: eval")
        .doesNotContain("nightly 20261202: done");
    assertThat(root.resolve("windows/20261202")).doesNotExist();
    assertThat(root.resolve("tables")).doesNotExist();
  }

  @Test
  void standaloneClusterModeIsRefusedWithTheFix() throws Exception {
    Path root = dir.resolve("refused");
    Path conf = write("refused.conf", CONF);
    Run run = nightly("refused", root, conf, "20261203", "generate export", "cluster");

    assertThat(run.exitStatus()).isEqualTo(2);
    assertThat(run.output())
        .contains("standalone master")
        .contains("LVM_DEPLOY_MODE=client")
        .doesNotContain("nightly 20261203: generate");
    assertThat(root).doesNotExist();
  }

  private record Run(int exitStatus, String output) {}

  private static Run nightly(String name, Path root, Path conf, String night, String steps)
      throws Exception {
    return nightly(name, root, conf, night, steps, "client");
  }

  private static Run nightly(
      String name, Path root, Path conf, String night, String steps, String deployMode)
      throws Exception {
    Path log = dir.resolve("nightly-" + name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", ChildJob.property("lvm.nightly"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("LVM_ROOT", root.toString());
    env.put("LVM_CONF", conf.toString());
    env.put("LVM_MASTER", cluster.master());
    env.put("LVM_DEPLOY_MODE", deployMode);
    env.put("LVM_NIGHT", night);
    env.put("LVM_STEPS", steps);
    env.put("SPARK_SUBMIT", sparkSubmit.toString());
    env.remove("LVM_JARS"); // the build's target directories, where package left the job jars
    // The script's executors (4 cores, 6-8 GiB) are for a real cluster; the worker here has 2
    // cores and 2 GiB. Its spark-submit options come first, so these win.
    env.put(
        "LVM_SUBMIT_OPTS",
        "--executor-memory 1g --executor-cores 2 --total-executor-cores 2"
            + " --conf spark.task.cpus=1 --conf spark.executorEnv.OMP_NUM_THREADS=1"
            + " --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("bin/nightly did not finish in 600 s:\n" + Files.readString(log));
    }
    String output = Files.readString(log);
    // The chain's own lines (one per step, timestamped) in the test report: where the time went.
    output.lines().filter(l -> l.contains(" nightly ")).forEach(System.out::println);
    return new Run(p.exitValue(), output);
  }

  private static Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
