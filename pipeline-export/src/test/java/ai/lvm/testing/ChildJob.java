package ai.lvm.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A job's {@code main} in a fresh JVM, from the module's job jar and Spark's jars ({@code
 * local[2]}), as {@code spark-submit} would run it: for the kill tests (failsafe {@code *IT}),
 * which SIGKILL a job part-way and re-run it. The failsafe configuration passes the job jar, the
 * provided classpath file and Spark's JVM flags as system properties ({@code lvm.jobJar}, {@code
 * lvm.providedClasspathFile}, {@code lvm.sparkJvmFlags}).
 */
public final class ChildJob {
  /** What the kill waits for: a file, a log line, anything observable from outside the JVM. */
  @FunctionalInterface
  public interface Marker {
    boolean reached() throws IOException;
  }

  /** How a killed run went: whether the marker was reached while the job was alive. */
  public record Killed(boolean markerReachedWhileAlive, int exitStatus, Path log) {}

  /**
   * The JIT setting of every JVM a test starts (jobs, Spark's master, worker, executors): C1 only.
   * A test-sized job spends its seconds planning and scheduling, not on data, and C2's compilations
   * would finish when the job does; C1 alone takes a fifth to a quarter off each child job on 2
   * cores. Not for the test JVMs themselves, which live for minutes and run one warmed-up Spark
   * session per class (C1 made ExportJobTest slower, 55 -> 69 s).
   */
  public static final String SHORT_LIVED_JVM = "-XX:TieredStopAtLevel=1";

  private static final long MARKER_TIMEOUT_S = 180;
  private static final long RUN_TIMEOUT_S = 300;

  private final Path logDir;
  private int runs;

  /**
   * @param logDir where each run's output goes ({@code <main class>-<n>.log})
   */
  public ChildJob(Path logDir) {
    this.logDir = logDir;
  }

  /** A job started by {@link #start}: its JVM runs beside the test until {@link #await}. */
  public static final class Running {
    private final String mainClass;
    private final Process process;
    private final Path log;

    private Running(String mainClass, Process process, Path log) {
      this.mainClass = mainClass;
      this.process = process;
      this.log = log;
    }

    /** Waits for the job's end; its exit status (0 = success), its output printed if not 0. */
    public int await() throws IOException, InterruptedException {
      if (!process.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(mainClass + " did not finish in " + RUN_TIMEOUT_S + " s; " + log);
      }
      if (process.exitValue() != 0) {
        System.err.println(Files.readString(log));
      }
      return process.exitValue();
    }
  }

  /** Runs {@code mainClass --set s ...} to its end; returns its exit status (0 = success). */
  public int run(String mainClass, String... sets) throws IOException, InterruptedException {
    return start(mainClass, sets).await();
  }

  /**
   * Starts {@code mainClass --set s ...} and returns at once: the kill tests run their
   * uninterrupted reference job (into another root) beside the killed one and its re-run, since a
   * test-sized job keeps about one of the 2 cores busy, mostly starting its JVM and Spark.
   */
  public Running start(String mainClass, String... sets) throws IOException {
    Path log = nextLog(mainClass, "");
    return new Running(mainClass, launch(mainClass, log, sets), log);
  }

  /**
   * Starts {@code mainClass}, polls {@code marker} every 20 ms and SIGKILLs the JVM ({@link
   * Process#destroyForcibly}) as soon as it is reached, so the kill lands at a known point of the
   * job rather than after a guessed sleep.
   */
  public Killed killWhen(Marker marker, String mainClass, String... sets)
      throws IOException, InterruptedException {
    Path log = nextLog(mainClass, "-killed");
    Process p = launch(mainClass, log, sets);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MARKER_TIMEOUT_S);
    boolean reached = false;
    while (p.isAlive() && System.nanoTime() < deadline) {
      if (marker.reached()) {
        reached = p.isAlive();
        break;
      }
      Thread.sleep(20);
    }
    p.destroyForcibly();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError(mainClass + " survived SIGKILL; " + log);
    }
    if (!reached) {
      System.err.println(Files.readString(log));
    }
    return new Killed(reached, p.exitValue(), log);
  }

  /**
   * Runs {@code mainClass} and SIGKILLs it as soon as a Parquet file appears under {@code staging}:
   * while it writes its first output, the point a kill test wants. Fails unless the job was still
   * running then and died of the kill.
   */
  public Killed killWhileWriting(Path staging, String mainClass, String... sets)
      throws IOException, InterruptedException {
    Killed killed = killWhen(() -> hasFileEndingWith(staging, ".parquet"), mainClass, sets);
    if (!killed.markerReachedWhileAlive() || killed.exitStatus() == 0) {
      throw new AssertionError(
          mainClass
              + " was not killed while writing under "
              + staging
              + " (it ended first, or no file appeared); "
              + killed.log());
    }
    return killed;
  }

  private Process launch(String mainClass, Path log, String... sets) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(property("lvm.sparkJvmFlags").trim().split("\\s+")));
    String classpath =
        property("lvm.jobJar")
            + File.pathSeparator
            + Files.readString(Path.of(property("lvm.providedClasspathFile"))).strip();
    cmd.addAll(
        List.of(
            "-Xmx1g",
            SHORT_LIVED_JVM,
            // Spark's default 200 shuffle partitions are 200 tasks per stage for a few thousand
            // rows: 4 take a quarter off each child job here; nothing asserted depends on it.
            "-Dspark.sql.shuffle.partitions=4",
            "-Dspark.master=local[2]",
            "-Dspark.ui.enabled=false",
            "-cp",
            classpath,
            mainClass));
    for (String s : sets) {
      cmd.add("--set");
      cmd.add(s);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    // One native thread per JVM, as bin/lvm and the unit tests: 2 cores are shared.
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  private Path nextLog(String mainClass, String suffix) throws IOException {
    Files.createDirectories(logDir);
    String name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    return logDir.resolve(name + "-" + (++runs) + suffix + ".log");
  }

  /**
   * A system property the failsafe configuration sets for the integration tests (the job jars'
   * paths, the build's classpath), or a message saying how to run them.
   */
  public static String property(String key) {
    String v = System.getProperty(key);
    if (v == null) {
      throw new IllegalStateException(
          "System property " + key + " is not set: run this test with failsafe (./mvnw verify)");
    }
    return v;
  }

  /** Whether any file under {@code dir} (recursively) has a name ending in {@code suffix}. */
  public static boolean hasFileEndingWith(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(suffix));
    } catch (UncheckedIOException | IOException e) {
      // A directory vanished under the walk (a task committing): not there yet.
      return false;
    }
  }
}
