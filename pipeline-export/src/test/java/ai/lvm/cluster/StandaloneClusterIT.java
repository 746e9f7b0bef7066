package ai.lvm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.format.Json;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.testing.StandaloneCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar on a real Spark standalone cluster: a master and a worker started on loopback from
 * the Spark jars the build resolved, and the jobs submitted through {@code SparkSubmit} (the class
 * the {@code spark-submit} script runs) in client mode, so the executors load the pipeline from the
 * job jar alone. Runs after {@code package} (failsafe), when the job jar exists.
 */
class StandaloneClusterIT {
  @TempDir static Path dir;
  private static StandaloneCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = StandaloneCluster.start(dir, 2, "2g");
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theJobJarGeneratesAndExportsOnTheCluster() throws Exception {
    String root = dir.resolve("lvm").toString();
    assertThat(
            submit(
                "ai.lvm.generate.GenerateJob",
                "lvm.root=" + root,
                "lvm.generate.chunks=6000",
                "lvm.generate.dimension=16",
                "lvm.generate.partitions=4"))
        .isZero();
    assertThat(
            submit(
                "ai.lvm.export.ExportJob",
                "lvm.root=" + root,
                "lvm.export.corpus=" + root + "/corpus/generated",
                "lvm.export.context-sizes=[20]",
                "lvm.export.min-train-sequences=10",
                "lvm.export.snapshot-id=on-cluster"))
        .isZero();
    SnapshotManifest m =
        Json.read(
            Files.readAllBytes(Path.of(root, "windows", "on-cluster", SnapshotManifest.FILE_NAME)),
            SnapshotManifest.class);
    assertThat(m.corpus().rows()).isEqualTo(6000);
    assertThat(m.contextSize(20).orElseThrow().windows().get("train")).isPositive();
    // The tasks ran in the worker's executor, not in the driver.
    assertThat(Files.readString(dir.resolve("submit-ai.lvm.export.ExportJob.log")))
        .contains("Granted executor ID");
  }

  private static int submit(String mainClass, String... sets) throws Exception {
    List<String> cmd = new ArrayList<>(StandaloneCluster.java());
    cmd.addAll(
        List.of(
            "-cp",
            cluster.classpath(),
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            cluster.master(),
            "--deploy-mode",
            "client",
            "--executor-memory",
            "1g",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--class",
            mainClass,
            System.getProperty("lvm.jobJar")));
    for (String s : sets) {
      cmd.add("--set");
      cmd.add(s);
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("submit-" + mainClass + ".log").toFile())
            .start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("spark-submit of " + mainClass + " did not finish in 240 s");
    }
    if (p.exitValue() != 0) {
      System.err.println(Files.readString(dir.resolve("submit-" + mainClass + ".log")));
    }
    return p.exitValue();
  }
}
