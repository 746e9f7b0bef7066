package ai.lvm.train;

import ai.lvm.checkpoint.CheckpointRecord;
import ai.lvm.checkpoint.CheckpointStore;
import ai.lvm.checkpoint.RunStatus;
import ai.lvm.checkpoint.TrainingResult;
import ai.lvm.config.LvmConfig;
import ai.lvm.format.Snapshot;
import ai.lvm.job.HadoopSettings;
import ai.lvm.job.Job;
import ai.lvm.job.JobMain;
import ai.lvm.job.TextTable;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training sweep: expands grid points x context sizes x models x seeds over a published
 * snapshot into runs ({@link Sweep}), runs each as one Spark task ({@link TrainWorker}: its cores,
 * or the GPU Spark scheduled for it), and writes the {@code training_runs} and {@code
 * training_history} tables. Submitting the same sweep again skips finished runs and resumes
 * interrupted ones; {@code --dry-run} lists which it would start, resume or skip.
 *
 * <p>Exit status beyond {@link JobMain}'s: {@value #ALL_FAILED} when every run of the sweep failed,
 * {@value #SOME_FAILED} when some did (the summary names them and why), so a nightly chain stops
 * before evaluating nothing.
 */
public final class TrainJob implements Job<TrainSweep, TrainJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  /** Exit status when every run of the sweep failed. */
  public static final int ALL_FAILED = 3;

  /** Exit status when some runs of the sweep failed and others finished. */
  public static final int SOME_FAILED = 4;

  /** The runs of the sweep, as their workers reported them. */
  public record Result(String snapshotId, List<TrainWorker.Report> reports) {}

  public static void main(String[] args) {
    JobMain.main(new TrainJob(), args);
  }

  @Override
  public String name() {
    return "lvm-train";
  }

  @Override
  public Set<String> stages() {
    return Set.of("spark", "train");
  }

  @Override
  public TrainSweep configure(LvmConfig config) {
    return TrainSweep.from(config);
  }

  @Override
  public Result run(SparkSession spark, TrainSweep sweep) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<Sweep.Run> runs = expand(sweep, hadoop);
    LOG.info("Sweep over {} runs", runs.size());
    // Before any run publishes live history: a table in the old layout is rewritten whole first.
    TrainingTables.migrate(spark, sweep.base().root());
    Map<String, String> settings = HadoopSettings.of(hadoop);
    JavaRDD<TrainWorker.Report> trained =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(runs, runs.size())
            .map(run -> TrainWorker.train(run, settings));
    CompletableFuture<List<TrainWorker.Report>> done =
        CompletableFuture.supplyAsync(trained::collect);
    List<String> ids = runs.stream().map(r -> r.spec().runId()).toList();
    List<TrainWorker.Report> reports =
        awaitPrintingProgress(
            done, sweep.base().root(), ids, sweep.base().progressSeconds(), hadoop);
    TrainingTables.write(spark, sweep.base().root(), runs, reports);
    return new Result(runs.get(0).spec().snapshotId(), reports);
  }

  /**
   * Waits for the sweep, printing every {@code seconds} the runs whose epoch or status changed
   * (their checkpoint records are on the shared file system the driver reads too) and writing their
   * completed epochs into {@code training_history}, queryable before the sweep ends.
   */
  private static List<TrainWorker.Report> awaitPrintingProgress(
      CompletableFuture<List<TrainWorker.Report>> done,
      String root,
      List<String> ids,
      int seconds,
      Configuration hadoop) {
    Map<String, String> shown = new HashMap<>();
    while (seconds > 0 && !done.isDone()) {
      try {
        done.get(seconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        for (String id : ids) {
          // One read of the record serves the line and the history, so the two agree.
          Optional<CheckpointRecord> last =
              new CheckpointStore(root, id, hadoop).loadRecord(CheckpointStore.Slot.LAST);
          if (last.isEmpty()) {
            continue;
          }
          RunProgress p = RunProgress.of(last.get());
          if (!(p.epoch() + p.status()).equals(shown.get(id))) {
            shown.put(id, p.epoch() + p.status());
            System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + p.line());
            publishHistory(root, last.get(), hadoop);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the sweep ran", e);
      } catch (ExecutionException e) {
        break; // join() below rethrows the sweep's failure
      }
    }
    try {
      return done.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** A run's completed epochs into its history partition; a failure only costs the live view. */
  private static void publishHistory(String root, CheckpointRecord last, Configuration hadoop) {
    try {
      TrainingTables.writeLiveHistory(root, last, hadoop);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot publish the history of {} so far: {}", last.run().runId(), e.toString());
    }
  }

  private static List<Sweep.Run> expand(TrainSweep sweep, Configuration hadoop) {
    TrainConfig base = sweep.base();
    Snapshot snapshot = Snapshot.open(base.root(), Optional.ofNullable(base.snapshot()), hadoop);
    return Sweep.expand(snapshot.manifest(), sweep);
  }

  @Override
  public boolean hasDryRun() {
    return true;
  }

  /** The runs the sweep would start, resume or skip, from each run's last checkpoint record. */
  @Override
  public String dryRun(SparkSession spark, TrainSweep sweep) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<Sweep.Run> runs = expand(sweep, hadoop);
    StringBuilder out =
        new StringBuilder(
            "Dry run: "
                + runs.size()
                + " runs over snapshot "
                + runs.get(0).spec().snapshotId()
                + " (nothing trained or written)\n");
    for (Sweep.Run run : runs) {
      String id = run.spec().runId();
      Optional<RunProgress> last = RunProgress.read(sweep.base().root(), id, hadoop);
      out.append(String.format("%-9s %s  %s%n", action(last), id, why(last)));
    }
    return out.toString().stripTrailing();
  }

  private static String action(Optional<RunProgress> last) {
    if (last.isEmpty()) {
      return "start";
    }
    RunStatus status = RunStatus.fromId(last.get().status());
    return status.finished() ? "skip" : status == RunStatus.FAILED ? "retry" : "resume";
  }

  private static String why(Optional<RunProgress> last) {
    if (last.isEmpty()) {
      return "no checkpoint of this run id (new settings, or never run)";
    }
    RunProgress p = last.get();
    return switch (RunStatus.fromId(p.status())) {
      case RUNNING -> "interrupted after epoch " + p.epoch() + "; resumes from its checkpoint";
      case FAILED ->
          "failed after epoch " + p.epoch() + "; runs again from its last good checkpoint";
      default -> "finished (" + p.status() + " after epoch " + p.epoch() + ")";
    };
  }

  @Override
  public int exitStatus(Result result) {
    long failed = result.reports().stream().filter(TrainJob::failed).count();
    if (failed == 0) {
      return 0;
    }
    return failed == result.reports().size() ? ALL_FAILED : SOME_FAILED;
  }

  private static boolean failed(TrainWorker.Report r) {
    return r.result() == null || r.result().status() == RunStatus.FAILED;
  }

  @Override
  public String summary(Result result) {
    StringBuilder out = new StringBuilder("Sweep over snapshot " + result.snapshotId() + "\n");
    TextTable table =
        TextTable.of("run", "status", ">epochs", ">hit@1", ">hit@5", ">hit@10", "device / reason");
    for (TrainWorker.Report r : result.reports()) {
      TrainingResult t = r.result();
      if (t == null) {
        table.row(r.run().runId(), "failed", "", "", "", "", r.error());
      } else {
        table.row(
            r.run().runId(),
            t.status().id(),
            Integer.toString(t.epochs()),
            percent(t.bestHit1()),
            percent(t.bestHit5()),
            percent(t.bestHit10()),
            t.status() == RunStatus.FAILED ? t.reason() : r.device());
      }
    }
    out.append(table.render(""));
    long failed = result.reports().stream().filter(TrainJob::failed).count();
    if (failed > 0) {
      out.append(
          String.format(
              "%d of %d runs failed (exit status %d); the reasons are above, the logs of their"
                  + " Spark tasks have the stack traces.%n",
              failed, result.reports().size(), exitStatus(result)));
    }
    return out.toString().stripTrailing();
  }

  private static String percent(Double v) {
    return v == null ? "-" : String.format("%.2f%%", 100 * v);
  }
}
