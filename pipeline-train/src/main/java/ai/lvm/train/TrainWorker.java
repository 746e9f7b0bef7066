package ai.lvm.train;

import ai.lvm.checkpoint.CheckpointStore;
import ai.lvm.checkpoint.TrainingResult;
import ai.lvm.device.DeviceCheck;
import ai.lvm.format.Snapshot;
import ai.lvm.job.HadoopSettings;
import ai.lvm.model.LatentVectorModel;
import ai.lvm.model.ModelSpec;
import ai.lvm.model.Models;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a sweep, inside the Spark task that holds its cores or GPU: check the device, open the
 * snapshot's windows, build the model, train (resuming from the run's last checkpoint if it has
 * one). Whatever goes wrong ends as a failed {@link Report}, so one run never takes the sweep down.
 */
public final class TrainWorker {
  private static final Logger LOG = LoggerFactory.getLogger(TrainWorker.class);

  /**
   * What the driver gets back from a run.
   *
   * @param result how training ended (null when it could not start)
   * @param error why it could not start or crashed, else null
   * @param host the worker's host name
   * @param startedAt when this attempt started (ISO-8601 UTC)
   * @param endedAt when it ended
   */
  public record Report(
      RunSpec run,
      String device,
      TrainingResult result,
      String error,
      String host,
      String startedAt,
      String endedAt)
      implements Serializable {}

  private TrainWorker() {}

  /** Runs {@code run}; never throws. {@code hadoop}: the driver's Hadoop settings. */
  public static Report train(Sweep.Run sweepRun, Map<String, String> hadoop) {
    RunSpec run = sweepRun.spec();
    TrainConfig cfg = sweepRun.config();
    String started = java.time.Instant.now().toString();
    String device = "unknown";
    try {
      Configuration conf = HadoopSettings.toConfiguration(hadoop);
      DeviceCheck.Device d = DeviceCheck.choose(cfg.device(), taskGpu());
      device = d.toString();
      bind(d, cfg);
      LOG.info("Run {} on {}", run.runId(), device);
      Snapshot snapshot = Snapshot.open(cfg.root(), Optional.of(run.snapshotId()), conf);
      int dimension = snapshot.manifest().corpus().dimension();
      ModelSpec spec = cfg.modelSpec(run.model(), dimension, run.seed());
      LatentVectorModel model = Models.create(spec);
      SnapshotData data =
          SnapshotData.open(
              snapshot,
              run.contextSize(),
              dimension,
              cfg.allowInsufficient(),
              SnapshotData.DEFAULT_SHUFFLE_BYTES,
              conf);
      Map<String, Object> recorded = new HashMap<>(cfg.resolved());
      recorded.put("run-id", run.runId());
      recorded.put("settings-hash", run.settingsHash());
      recorded.put("code-version", ai.lvm.job.BuildInfo.version());
      recorded.put("device", device);
      CheckpointStore store = new CheckpointStore(cfg.root(), run.runId(), conf);
      TrainingResult result =
          new Trainer(cfg.recipe(run.seed()), store, recorded).train(model, data);
      return new Report(
          run, device, result, null, host(), started, java.time.Instant.now().toString());
    } catch (RuntimeException | Error e) {
      LOG.error("Run {} failed", run.runId(), e);
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      return new Report(
          run, device, null, why, host(), started, java.time.Instant.now().toString());
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /**
   * Binds ND4J to the task's device before any array exists: the GPU Spark gave the task, or on CPU
   * the configured number of BLAS threads (one per task core avoids the 2-5x slowdown of OpenMP and
   * OpenBLAS pools spinning against each other on small machines).
   */
  private static void bind(DeviceCheck.Device d, TrainConfig cfg) {
    if (d.gpu().isPresent()) {
      Nd4j.getAffinityManager().unsafeSetDevice(d.gpu().get().index());
    } else if (cfg.cpuThreads() != null) {
      Nd4j.factory().blas().setMaxThreads(cfg.cpuThreads());
      Nd4j.getEnvironment().setMaxMasterThreads(cfg.cpuThreads());
    }
  }

  /** The GPU address Spark gave this task, if it was given one. */
  private static Optional<String> taskGpu() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return Optional.empty();
    }
    scala.Option<ResourceInformation> gpu = task.resources().get("gpu");
    if (gpu.isEmpty() || gpu.get().addresses().length == 0) {
      return Optional.empty();
    }
    return Optional.of(List.of(gpu.get().addresses()).get(0));
  }
}
