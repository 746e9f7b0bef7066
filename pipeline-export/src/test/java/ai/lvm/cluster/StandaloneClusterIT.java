package ai.lvm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.format.Json;
import ai.lvm.format.SnapshotManifest;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private static final List<Process> PROCESSES = new ArrayList<>();
  @TempDir static Path dir;
  private static String master;
  private static String providedClasspath;

  @BeforeAll
  static void startCluster() throws Exception {
    providedClasspath =
        Files.readString(Path.of(System.getProperty("lvm.providedClasspathFile"))).strip();
    // The worker launches executors from $SPARK_HOME/jars, as in a Spark distribution.
    Path sparkHome = dir.resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    Files.writeString(sparkHome.resolve("RELEASE"), "Spark from the build's classpath\n");
    for (String jar : providedClasspath.split(File.pathSeparator)) {
      Path p = Path.of(jar);
      Files.createSymbolicLink(sparkHome.resolve("jars").resolve(p.getFileName()), p);
    }
    int port = freePort();
    master = "spark://127.0.0.1:" + port;
    start(
        "master",
        sparkHome,
        "org.apache.spark.deploy.master.Master",
        "--host",
        "127.0.0.1",
        "--port",
        String.valueOf(port),
        "--webui-port",
        String.valueOf(freePort()));
    waitForPort(port);
    Process worker =
        start(
            "worker",
            sparkHome,
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            "2",
            "--memory",
            "2g",
            "--webui-port",
            String.valueOf(freePort()),
            "--work-dir",
            dir.resolve("work").toString(),
            master);
    waitForLog(dir.resolve("worker.log"), "Successfully registered with master", worker);
  }

  @AfterAll
  static void stopCluster() throws IOException {
    PROCESSES.forEach(Process::destroyForcibly);
    // Remove the links to the Maven repository ourselves: JUnit warns about each one otherwise.
    try (var links = Files.list(dir.resolve("spark-home").resolve("jars"))) {
      for (Path link : links.toList()) {
        Files.delete(link);
      }
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
    List<String> cmd = new ArrayList<>(java());
    cmd.addAll(
        List.of(
            "-cp",
            providedClasspath,
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            master,
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

  private static Process start(String name, Path sparkHome, String mainClass, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(java());
    cmd.addAll(List.of("-Xmx512m", "-cp", providedClasspath, mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    // Spark's launcher asks a distribution for its Scala version by looking at build folders.
    env.put("SPARK_SCALA_VERSION", "2.13");
    Process p = pb.start();
    PROCESSES.add(p);
    return p;
  }

  private static List<String> java() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(System.getProperty("lvm.sparkJvmFlags").trim().split("\\s+")));
    return cmd;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void waitForPort(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(250);
      }
    }
    throw new AssertionError("the master did not open port " + port);
  }

  private static void waitForLog(Path log, String line, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError("the worker exited:\n" + Files.readString(log));
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the worker did not register:\n" + Files.readString(log));
  }
}
