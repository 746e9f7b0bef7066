package ai.lvm.job;

import ai.lvm.config.CommandLine;
import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The entry point every job's {@code main} delegates to: parse {@code --config} and {@code --set},
 * load and validate the configuration, build the session, run, stop the session.
 *
 * <p>Exit status: 0 done, 2 a problem the user can fix (the message says which), 1 anything else
 * (with a stack trace); a job may add its own ({@link Job#exitStatus}: training's 3 and 4).
 *
 * <p>In cluster deploy mode ({@code spark.submit.deployMode=cluster}) the driver runs inside the
 * cluster and its exit status reaches nobody: {@code System.exit} there reads to YARN as an
 * unexplained failure and the message stays in the driver container's log. So in cluster mode a
 * failing job throws instead, and YARN and Kubernetes report the message as the application's
 * diagnostics (docs/operations.md, with {@code spark.yarn.maxAppAttempts=1} so bad input is not
 * retried).
 */
public final class JobMain {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobMain.class);

  private JobMain() {}

  public static <C, R> void main(Job<C, R> job, String[] args) {
    if (clusterMode()) {
      int status = run(job, args); // bad input propagates as the application's diagnostics
      if (status != 0) {
        throw new JobFailedException(
            job.name() + " finished with exit status " + status + "; the summary above says why");
      }
      return;
    }
    exitWith(execute(job, args));
  }

  /** A job that ran but failed in cluster deploy mode, where an exit status reaches nobody. */
  public static final class JobFailedException extends RuntimeException {
    JobFailedException(String message) {
      super(message);
    }
  }

  /** A command that is not a Spark job: a benchmark, {@code bin/lvm runs}. */
  @FunctionalInterface
  public interface Tool {
    void run(CommandLine cli) throws Exception;
  }

  /**
   * The entry point of the commands that are not jobs, with a job's contract: {@code --version} and
   * {@code --help} answered alone, a user's mistake one {@code error:} line and exit status 2,
   * anything else a stack trace and 1.
   */
  public static void tool(String name, String[] args, Tool tool) {
    exitWith(runTool(name, args, tool));
  }

  static int runTool(String name, String[] args, Tool tool) {
    return reportingUserErrors(
        name,
        () -> {
          Optional<CommandLine> cli = parse(name, args, false);
          if (cli.isPresent()) {
            tool.run(cli.get());
          }
          return 0;
        });
  }

  private static void exitWith(int status) {
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * The exit status of {@code command}: a user's mistake ({@link InvalidInputException}) printed as
   * one {@code error:} line and status 2; anything else propagates (a stack trace, status 1).
   */
  private static int reportingUserErrors(String name, Callable<Integer> command) {
    try {
      return command.call();
    } catch (InvalidInputException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(name + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The command line of {@code name}, or empty when it only asked for {@code --version} or {@code
   * --help} (answered here); {@code --dry-run} is refused where the command has none.
   */
  private static Optional<CommandLine> parse(String name, String[] args, boolean hasDryRun) {
    CommandLine cli = CommandLine.parse(args);
    if (cli.version()) {
      System.out.println(name + ": " + BuildInfo.version());
      return Optional.empty();
    }
    if (cli.help()) {
      System.out.println("usage: " + name + " [--config FILE] [--set key=value]...");
      CommandLine.USAGE.forEach(System.out::println);
      System.out.println("keys: see the reference.conf of the module, or docs/configuration.md");
      return Optional.empty();
    }
    if (cli.dryRun() && !hasDryRun) {
      throw new InvalidInputException(
          "--dry-run: " + name + " has none (lvm-train lists the runs it would start).");
    }
    return Optional.of(cli);
  }

  /** Whether spark-submit started this driver in cluster deploy mode. */
  static boolean clusterMode() {
    return "cluster".equals(new SparkConf().get("spark.submit.deployMode", "client"));
  }

  /** The job's exit status, a user's mistake printed as one {@code error:} line (status 2). */
  static <C, R> int execute(Job<C, R> job, String[] args) {
    return reportingUserErrors(job.name(), () -> run(job, args));
  }

  private static <C, R> int run(Job<C, R> job, String[] args) {
    Optional<CommandLine> parsed = parse(job.name(), args, job.hasDryRun());
    if (parsed.isEmpty()) {
      return 0;
    }
    CommandLine cli = parsed.get();
    LvmConfig config = cli.load();
    config.rejectUnknownKeys(job.stages());
    C jobConfig = job.configure(config);
    SparkSession spark = session(job.name(), config);
    try {
      if (cli.dryRun()) {
        System.out.println(job.dryRun(spark, jobConfig));
        return 0;
      }
      R result = job.run(spark, jobConfig);
      System.out.println(job.summary(result));
      return job.exitStatus(result);
    } finally {
      spark.stop();
    }
  }

  /**
   * A session for this job: the master from spark-submit when it set one, else {@code
   * lvm.spark.master}; then the settings of {@code lvm.spark.conf} that spark-submit did not set.
   */
  public static SparkSession session(String appName, LvmConfig config) {
    SparkConf submitted = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (!submitted.contains("spark.master")) {
      builder.master(config.string("lvm.spark.master"));
    }
    builder.config("spark.sql.session.timeZone", "UTC");
    settingsToApply(submitted, config.stringMap("lvm.spark.conf")).forEach(builder::config);
    return builder.getOrCreate();
  }

  /**
   * The {@code lvm.spark.conf} settings a session takes: those spark-submit did not set. A {@code
   * --conf} on the command line is the operator's decision for this one submission, so it wins over
   * the configuration file's default; each such key is logged once.
   */
  static Map<String, String> settingsToApply(SparkConf submitted, Map<String, String> fromConfig) {
    Map<String, String> apply = new java.util.LinkedHashMap<>();
    fromConfig.forEach(
        (key, value) -> {
          if (submitted.contains(key)) {
            LOG.info(
                "{} = {} from spark-submit wins over lvm.spark.conf's {}",
                key,
                submitted.get(key),
                value);
          } else {
            apply.put(key, value);
          }
        });
    return apply;
  }
}
