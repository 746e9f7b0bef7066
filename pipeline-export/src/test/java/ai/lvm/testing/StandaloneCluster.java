package ai.lvm.testing;

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

/**
 * A real Spark standalone cluster on loopback, one master and one worker, started from the Spark
 * jars the build resolved (the module's provided classpath): no Spark distribution, no stub. For
 * the failsafe tests ({@code *IT}) that submit job jars to it; one per test class, it costs two
 * JVMs. The failsafe configuration passes the provided classpath file and Spark's JVM flags ({@code
 * lvm.providedClasspathFile} or {@code lvm.sparkClasspathFile}, {@code lvm.sparkJvmFlags}).
 */
public final class StandaloneCluster implements AutoCloseable {
  private final Path dir;
  private final String classpath;
  private final String master;
  private final List<Process> processes = new ArrayList<>();

  private StandaloneCluster(Path dir, String classpath, String master) {
    this.dir = dir;
    this.classpath = classpath;
    this.master = master;
  }

  /**
   * Starts a master and a worker of {@code cores} cores and {@code memory} (e.g. "2g") under {@code
   * dir} (their logs: {@code master.log}, {@code worker.log}), and waits until the worker has
   * registered.
   */
  public static StandaloneCluster start(Path dir, int cores, String memory) throws Exception {
    // Spark as a distribution ships it: spark-sql's whole tree. A module's provided classpath
    // is that only when none of its compile dependencies shares an artifact with Spark (then
    // Maven lists it as compile, not provided); lvm.sparkClasspathFile names such a module's.
    String file = System.getProperty("lvm.sparkClasspathFile");
    String classpath =
        Files.readString(
                Path.of(file != null ? file : ChildJob.property("lvm.providedClasspathFile")))
            .strip();
    // The worker launches executors from $SPARK_HOME/jars, as in a Spark distribution.
    Path sparkHome = dir.resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    Files.writeString(sparkHome.resolve("RELEASE"), "Spark from the build's classpath\n");
    for (String jar : classpath.split(File.pathSeparator)) {
      Path p = Path.of(jar);
      Files.createSymbolicLink(sparkHome.resolve("jars").resolve(p.getFileName()), p);
    }
    int port = freePort();
    StandaloneCluster c = new StandaloneCluster(dir, classpath, "spark://127.0.0.1:" + port);
    try {
      c.launch(
          "master",
          "org.apache.spark.deploy.master.Master",
          "--host",
          "127.0.0.1",
          "--port",
          String.valueOf(port),
          "--webui-port",
          String.valueOf(freePort()));
      waitForPort(port);
      Process worker =
          c.launch(
              "worker",
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--cores",
              String.valueOf(cores),
              "--memory",
              memory,
              "--webui-port",
              String.valueOf(freePort()),
              "--work-dir",
              dir.resolve("work").toString(),
              c.master);
      waitForLog(dir.resolve("worker.log"), "Successfully registered with master", worker);
      return c;
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
  }

  /** The master URL, {@code spark://127.0.0.1:<port>}. */
  public String master() {
    return master;
  }

  /** Spark's jars (the module's provided classpath), as the driver JVM needs them. */
  public String classpath() {
    return classpath;
  }

  /** {@code java} of the running JDK with Spark's JVM flags for Java 17. */
  public static List<String> java() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(ChildJob.property("lvm.sparkJvmFlags").trim().split("\\s+")));
    cmd.add(ChildJob.SHORT_LIVED_JVM);
    return cmd;
  }

  /**
   * A {@code spark-submit} for machines without a Spark distribution: a shell script at {@code
   * path} that runs {@code org.apache.spark.deploy.SparkSubmit} (the class the {@code spark-submit}
   * script runs) on this cluster's Spark jars, with the driver's heap set to {@code driverHeap}.
   * Client mode only: the driver is this JVM.
   */
  public Path writeSparkSubmit(Path path, String driverHeap) throws IOException {
    StringBuilder cmd = new StringBuilder("exec");
    for (String s : java()) {
      cmd.append(' ').append(quote(s));
    }
    cmd.append(" -Xmx").append(driverHeap).append(" -cp ").append(quote(classpath));
    cmd.append(" org.apache.spark.deploy.SparkSubmit");
    // The executors the worker starts get the same JIT setting as every JVM here (the default
    // options, which a job's own spark.executor.extraJavaOptions add to, not replace).
    cmd.append(" --conf spark.executor.defaultJavaOptions=").append(ChildJob.SHORT_LIVED_JVM);
    cmd.append(" \"$@\"\n");
    Files.writeString(
        path,
        "#!/bin/sh\n# spark-submit from the build's Spark jars (ai.lvm.testing.StandaloneCluster)\n"
            + cmd);
    if (!path.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + path + " executable");
    }
    return path;
  }

  @Override
  public void close() throws IOException {
    processes.forEach(Process::destroyForcibly);
    for (Process p : processes) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Remove the links to the Maven repository ourselves: JUnit warns about each one otherwise.
    Path jars = dir.resolve("spark-home").resolve("jars");
    if (Files.isDirectory(jars)) {
      try (var links = Files.list(jars)) {
        for (Path link : links.toList()) {
          Files.delete(link);
        }
      }
    }
  }

  private Process launch(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(java());
    cmd.addAll(List.of("-Xmx512m", "-cp", classpath, mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", dir.resolve("spark-home").toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    // Spark's launcher asks a distribution for its Scala version by looking at build folders.
    env.put("SPARK_SCALA_VERSION", "2.13");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
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
