package ai.lvm.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import ai.lvm.export.ExportJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * The launcher contract: user errors exit 2 with one message, before any Spark work; in cluster
 * mode they throw; --version; spark-submit's --conf wins.
 */
class JobMainTest {

  private static String stderrOf(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void unknownKeysAndBadValuesExitTwoWithAMessage() {
    int[] status = new int[1];
    String err =
        stderrOf(
            () ->
                status[0] =
                    JobMain.execute(new ExportJob(), new String[] {"--set", "lvm.export.strid=3"}));
    assertThat(status[0]).isEqualTo(2);
    assertThat(err).startsWith("error: Unknown configuration key 'lvm.export.strid'");

    err =
        stderrOf(
            () ->
                status[0] =
                    JobMain.execute(
                        new ExportJob(),
                        new String[] {
                          "--set", "lvm.export.corpus=x", "--set", "lvm.export.protocol=sed"
                        }));
    assertThat(status[0]).isEqualTo(2);
    assertThat(err).contains("Invalid value for 'lvm.export.protocol'");
  }

  @Test
  void dryRunOnAJobWithoutOneExitsTwoBeforeAnyWork() {
    int[] status = new int[1];
    String err =
        stderrOf(() -> status[0] = JobMain.execute(new ExportJob(), new String[] {"--dry-run"}));
    assertThat(status[0]).isEqualTo(2);
    assertThat(err)
        .isEqualTo(
            "error: --dry-run: lvm-export has none (lvm-train lists the runs it would start).\n");
  }

  @Test
  void helpExitsZero() {
    assertThat(JobMain.execute(new ExportJob(), new String[] {"--help"})).isZero();
  }

  @Test
  void versionPrintsTheReleaseAndTheCommitAndExitsZero() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = JobMain.execute(new ExportJob(), new String[] {"--version"});
    } finally {
      System.setOut(old);
    }
    assertThat(status).isZero();
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .startsWith("lvm-export: lvm-pipeline ")
        .contains("(commit ");
  }

  /**
   * In cluster deploy mode the message must reach YARN's or Kubernetes' diagnostics: main throws it
   * instead of calling System.exit (which would also end this test's JVM).
   */
  @Test
  void inClusterModeBadInputThrowsItsMessageInsteadOfExiting() {
    System.setProperty("spark.submit.deployMode", "cluster");
    try {
      assertThat(JobMain.clusterMode()).isTrue();
      assertThatThrownBy(
              () -> JobMain.main(new ExportJob(), new String[] {"--set", "lvm.export.strid=3"}))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("Unknown configuration key 'lvm.export.strid'");
    } finally {
      System.clearProperty("spark.submit.deployMode");
    }
    assertThat(JobMain.clusterMode()).isFalse();
  }

  /** Benchmarks and bin/lvm runs keep a job's contract: --version alone, mistakes exit 2. */
  @Test
  void toolsAnswerVersionAndRefuseBadInputLikeJobs() {
    boolean[] ran = new boolean[1];
    JobMain.Tool tool =
        cli -> {
          cli.load().requiredString("lvm.root", "e.g. --set lvm.root=data");
          ran[0] = true;
        };
    assertThat(JobMain.runTool("lvm-runs", new String[] {"--version"}, tool)).isZero();
    assertThat(ran[0]).isFalse();
    int[] status = new int[1];
    String err =
        stderrOf(
            () ->
                status[0] =
                    JobMain.runTool("lvm-runs", new String[] {"--set", "lvm.root=/tmp/x"}, tool));
    assertThat(status[0]).isZero();
    assertThat(ran[0]).isTrue();
    err = stderrOf(() -> status[0] = JobMain.runTool("lvm-runs", new String[] {"--dry-run"}, tool));
    assertThat(status[0]).isEqualTo(2);
    assertThat(err).startsWith("error: --dry-run: lvm-runs has none");
    err = stderrOf(() -> status[0] = JobMain.runTool("lvm-runs", new String[] {"--bogus"}, tool));
    assertThat(status[0]).isEqualTo(2);
    assertThat(err).contains("Invalid argument '--bogus'");
  }

  @Test
  void aSparkSubmitConfWinsOverLvmSparkConf() {
    SparkConf submitted =
        new SparkConf(false).set("spark.sql.shuffle.partitions", "400").set("spark.master", "yarn");
    Map<String, String> fromConfig = new LinkedHashMap<>();
    fromConfig.put("spark.sql.shuffle.partitions", "8");
    fromConfig.put("spark.ui.enabled", "false");
    assertThat(JobMain.settingsToApply(submitted, fromConfig))
        .containsExactly(Map.entry("spark.ui.enabled", "false"));
  }
}
