package ai.lvm.job;

import ai.lvm.config.LvmConfig;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * A pipeline job: a configuration read and validated before any work, then a run on a session the
 * caller owns. {@link JobMain} is the thin {@code main} around it; tests call {@link #run}.
 *
 * @param <C> the job's immutable, validated configuration record
 * @param <R> what a run produces (a manifest, a table of results)
 */
public interface Job<C, R> {
  /** Spark application name. */
  String name();

  /** The {@code lvm.<stage>} namespaces this job reads (unknown keys there are rejected). */
  Set<String> stages();

  /** Builds the configuration record; fails with a message naming the key on any bad value. */
  C configure(LvmConfig config);

  /** Does the work. Never creates or stops the session. */
  R run(SparkSession spark, C config);

  /** The console summary printed when the job ends. */
  default String summary(R result) {
    return String.valueOf(result);
  }

  /** The process exit status for a finished run: 0, or a job-specific code its docs list. */
  default int exitStatus(R result) {
    return 0;
  }

  /** Whether {@code --dry-run} is supported ({@link #dryRun}). */
  default boolean hasDryRun() {
    return false;
  }

  /** What {@link #run} would do, as text, doing and writing nothing. */
  default String dryRun(SparkSession spark, C config) {
    throw new UnsupportedOperationException(name() + " has no dry run");
  }
}
