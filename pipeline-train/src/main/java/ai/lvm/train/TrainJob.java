package ai.lvm.train;

import ai.lvm.config.LvmConfig;
import ai.lvm.format.Snapshot;
import ai.lvm.job.HadoopSettings;
import ai.lvm.job.Job;
import ai.lvm.job.JobMain;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training sweep: expands context sizes x models x seeds over a published snapshot into runs
 * ({@link Sweep}), runs each as one Spark task ({@link TrainWorker}: its cores, or the GPU Spark
 * scheduled for it), and writes the {@code training_runs} and {@code training_history} tables.
 * Submitting the same sweep again skips finished runs and resumes interrupted ones.
 */
public final class TrainJob implements Job<TrainConfig, TrainJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

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
  public TrainConfig configure(LvmConfig config) {
    return TrainConfig.from(config);
  }

  @Override
  public Result run(SparkSession spark, TrainConfig cfg) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Snapshot snapshot = Snapshot.open(cfg.root(), Optional.ofNullable(cfg.snapshot()), hadoop);
    List<RunSpec> runs =
        Sweep.expand(
            snapshot.manifest(),
            Optional.ofNullable(cfg.contextSizes()),
            cfg.models(),
            cfg.seeds(),
            cfg.allowInsufficient());
    LOG.info("Sweep over snapshot {}: {} runs", snapshot.manifest().snapshotId(), runs.size());
    Map<String, String> settings = HadoopSettings.of(hadoop);
    List<TrainWorker.Report> reports =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(runs, runs.size())
            .map(run -> TrainWorker.train(run, cfg, settings))
            .collect();
    TrainingTables.write(spark, cfg.root(), reports);
    return new Result(snapshot.manifest().snapshotId(), reports);
  }

  @Override
  public String summary(Result result) {
    StringBuilder out = new StringBuilder("Sweep over snapshot " + result.snapshotId() + "\n");
    out.append(
        String.format(
            "%-48s %-14s %6s %8s %8s %8s  %s%n",
            "run", "status", "epochs", "hit@1", "hit@5", "hit@10", "device / reason"));
    for (TrainWorker.Report r : result.reports()) {
      TrainingResult t = r.result();
      if (t == null) {
        out.append(
            String.format(
                "%-48s %-14s %6s %8s %8s %8s  %s%n",
                r.run().runId(), "failed", "", "", "", "", r.error()));
      } else {
        out.append(
            String.format(
                "%-48s %-14s %6d %8s %8s %8s  %s%n",
                r.run().runId(),
                t.status().id(),
                t.epochs(),
                percent(t.bestHit1()),
                percent(t.bestHit5()),
                percent(t.bestHit10()),
                t.status() == RunStatus.FAILED ? t.reason() : r.device()));
      }
    }
    return out.toString().stripTrailing();
  }

  private static String percent(Double v) {
    return v == null ? "-" : String.format("%.2f%%", 100 * v);
  }
}
