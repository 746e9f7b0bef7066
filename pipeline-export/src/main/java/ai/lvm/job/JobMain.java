package ai.lvm.job;

import ai.lvm.config.CommandLine;
import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The entry point every job's {@code main} delegates to: parse {@code --config} and {@code --set},
 * load and validate the configuration, build the session, run, stop the session.
 *
 * <p>Exit status: 0 done, 2 a problem the user can fix (the message says which), 1 anything else
 * (with a stack trace); a job may add its own ({@link Job#exitStatus}: training's 3 and 4).
 */
public final class JobMain {
  private JobMain() {}

  public static <C, R> void main(Job<C, R> job, String[] args) {
    int status = execute(job, args);
    if (status != 0) {
      System.exit(status);
    }
  }

  static <C, R> int execute(Job<C, R> job, String[] args) {
    try {
      CommandLine cli = CommandLine.parse(args);
      if (cli.help()) {
        System.out.println("usage: " + job.name() + " [--config FILE] [--set key=value]...");
        CommandLine.USAGE.forEach(System.out::println);
        System.out.println("keys: see the reference.conf of the module, or docs/configuration.md");
        return 0;
      }
      if (cli.dryRun() && !job.hasDryRun()) {
        throw new InvalidInputException(
            "--dry-run: " + job.name() + " has none (lvm-train lists the runs it would start).");
      }
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
    } catch (InvalidInputException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
  }

  /**
   * A session for this job: the master from spark-submit when it set one, else {@code
   * lvm.spark.master}; then the settings of {@code lvm.spark.conf}.
   */
  public static SparkSession session(String appName, LvmConfig config) {
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (!new SparkConf().contains("spark.master")) {
      builder.master(config.string("lvm.spark.master"));
    }
    builder.config("spark.sql.session.timeZone", "UTC");
    for (Map.Entry<String, String> e : config.stringMap("lvm.spark.conf").entrySet()) {
      builder.config(e.getKey(), e.getValue());
    }
    return builder.getOrCreate();
  }
}
