package ai.lvm.eval;

import ai.lvm.checkpoint.Checkpoint;
import ai.lvm.checkpoint.CheckpointRecord;
import ai.lvm.checkpoint.CheckpointStore;
import ai.lvm.checkpoint.RunStatus;
import ai.lvm.checkpoint.TrainingResult;
import ai.lvm.config.InvalidInputException;
import ai.lvm.model.LatentVectorModel;
import ai.lvm.model.ModelSpec;
import ai.lvm.model.Models;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training runs under {@code <lvm.root>/runs/} as evaluation sees them: which are finished, on
 * which snapshot, and their checkpoints as models. Every refusal names the run and what to do.
 */
final class RunCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(RunCatalog.class);
  private static final Set<RunStatus> FINISHED =
      Set.of(RunStatus.COMPLETED, RunStatus.EARLY_STOPPED, RunStatus.MAX_STEPS);

  private final String root;
  private final Configuration conf;

  RunCatalog(String root, Configuration conf) {
    this.root = root;
    this.conf = conf;
  }

  /** Every run id with a directory under {@code runs/}, sorted. */
  List<String> runIds() {
    Path runs = new Path(new Path(root), CheckpointStore.RUNS);
    try {
      FileSystem fs = runs.getFileSystem(conf);
      if (!fs.exists(runs)) {
        return List.of();
      }
      TreeSet<String> ids = new TreeSet<>();
      for (FileStatus s : fs.listStatus(runs)) {
        String name = s.getPath().getName();
        if (s.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
          ids.add(name);
        }
      }
      return List.copyOf(ids);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list runs under " + runs, e);
    }
  }

  /** The snapshot a run trained on (from its last checkpoint), or empty when it has none. */
  Optional<String> snapshotOf(String runId) {
    return new CheckpointStore(root, runId, conf)
        .loadRecord(CheckpointStore.Slot.LAST)
        .map(r -> r.run().snapshotId());
  }

  /**
   * The runs to evaluate on {@code snapshotId}: the {@code requested} ones, each of which must be
   * finished and of that snapshot, or (requested null) every finished run of it.
   */
  List<EvaluatedRun> select(
      List<String> requested,
      String snapshotId,
      int dimension,
      Set<Integer> contextSizes,
      String slot) {
    List<String> known = runIds();
    List<EvaluatedRun> out = new ArrayList<>();
    if (requested != null) {
      for (String id : requested) {
        if (!known.contains(id)) {
          throw new InvalidInputException(
              "Unknown run id '"
                  + id
                  + "' in lvm.eval.runs: no run directory under "
                  + root
                  + "/runs. Known runs: "
                  + known
                  + ".");
        }
        Candidate c = inspect(id);
        if (c.problem != null) {
          throw new InvalidInputException("Cannot evaluate run '" + id + "': " + c.problem);
        }
        out.add(check(c, snapshotId, dimension, contextSizes, slot, true));
      }
      return out;
    }
    for (String id : known) {
      Candidate c = inspect(id);
      if (c.last == null || !snapshotId.equals(c.last.run().snapshotId())) {
        continue;
      }
      if (c.problem != null) {
        LOG.warn("Skipping run {}: {}", id, c.problem);
        continue;
      }
      out.add(check(c, snapshotId, dimension, contextSizes, slot, false));
    }
    if (out.isEmpty()) {
      throw new InvalidInputException(
          "No finished training run of snapshot "
              + snapshotId
              + " under "
              + root
              + "/runs. Train first (bin/lvm train --set lvm.train.snapshot="
              + snapshotId
              + "), or evaluate another snapshot with lvm.eval.snapshot.");
    }
    return out;
  }

  /** The model of {@code run}'s scored checkpoint, ready for inference. */
  LatentVectorModel load(EvaluatedRun run) {
    CheckpointStore store = new CheckpointStore(root, run.runId(), conf);
    CheckpointStore.Slot slot = CheckpointStore.Slot.valueOf(run.slot().toUpperCase());
    Checkpoint checkpoint =
        store
            .load(slot)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "The "
                            + run.slot()
                            + " checkpoint of run "
                            + run.runId()
                            + " disappeared during the evaluation."));
    LatentVectorModel model = Models.create(run.spec());
    checkpoint.restoreInto(model, store.path(slot).toString());
    return model;
  }

  /** The epoch history of each run, from its last checkpoint (the full run, resumes included). */
  List<TrainingCurve> curves(List<EvaluatedRun> runs) {
    List<TrainingCurve> out = new ArrayList<>();
    for (EvaluatedRun run : runs) {
      CheckpointRecord last =
          new CheckpointStore(root, run.runId(), conf)
              .loadRecord(CheckpointStore.Slot.LAST)
              .orElseThrow();
      out.add(
          new TrainingCurve(
              run.runId(), run.model(), run.contextSize(), last.progress().history()));
    }
    return out;
  }

  private record Candidate(
      String runId, CheckpointRecord last, CheckpointRecord best, String problem) {}

  private Candidate inspect(String id) {
    CheckpointStore store = new CheckpointStore(root, id, conf);
    CheckpointRecord last = store.loadRecord(CheckpointStore.Slot.LAST).orElse(null);
    if (last == null) {
      return new Candidate(id, null, null, "it has no checkpoint yet (no epoch has finished).");
    }
    Optional<TrainingResult> status = store.readStatus(TrainingResult.class);
    if (status.isPresent()
        && status.get().status() == RunStatus.FAILED
        && status.get().steps() >= last.progress().step()) {
      return new Candidate(
          id, last, null, "it failed (" + status.get().reason() + "). Re-train it first.");
    }
    RunStatus s = RunStatus.fromId(last.progress().status());
    if (!FINISHED.contains(s)) {
      return new Candidate(
          id,
          last,
          null,
          "it is still training or was interrupted (status "
              + s.id()
              + " after epoch "
              + last.progress().epoch()
              + "). Let it finish (re-submitting the sweep resumes it).");
    }
    CheckpointRecord best = store.loadRecord(CheckpointStore.Slot.BEST).orElse(null);
    return new Candidate(id, last, best, null);
  }

  private EvaluatedRun check(
      Candidate c,
      String snapshotId,
      int dimension,
      Set<Integer> sizes,
      String slot,
      boolean requested) {
    CheckpointRecord last = c.last;
    if (!snapshotId.equals(last.run().snapshotId())) {
      throw new InvalidInputException(
          "Run '"
              + c.runId
              + "' was trained on snapshot "
              + last.run().snapshotId()
              + ", not "
              + snapshotId
              + ". Evaluate it with lvm.eval.snapshot="
              + last.run().snapshotId()
              + ", or leave lvm.eval.snapshot unset to use the runs' snapshot.");
    }
    if (last.model().dimension() != dimension) {
      throw new InvalidInputException(
          "Run '"
              + c.runId
              + "' has dimension "
              + last.model().dimension()
              + " but snapshot "
              + snapshotId
              + " has dimension "
              + dimension
              + ": its checkpoint belongs to another corpus. Re-train it.");
    }
    ModelSpec spec = last.model().spec();
    Integer contextSize = last.model().contextSize();
    if (spec == null || contextSize == null) {
      throw new InvalidInputException(
          "Run '"
              + c.runId
              + "' has a checkpoint without its model spec and context size (written by an"
              + " older version). Re-train it.");
    }
    if (!sizes.contains(contextSize)) {
      throw new InvalidInputException(
          "Run '"
              + c.runId
              + "' trained on context size "
              + contextSize
              + ", which snapshot "
              + snapshotId
              + " does not have (it has "
              + new TreeSet<>(sizes)
              + ").");
    }
    CheckpointRecord scored = "best".equals(slot) && c.best != null ? c.best : last;
    if ("best".equals(slot) && c.best == null) {
      LOG.warn("Run {} has no best checkpoint (never validated); scoring its last one", c.runId);
    }
    if (requested) {
      LOG.info(
          "Evaluating run {} ({} checkpoint, epoch {})", c.runId, slot, scored.progress().epoch());
    }
    return new EvaluatedRun(
        c.runId,
        snapshotId,
        contextSize,
        spec,
        last.model().parameterCount(),
        scored == last ? "last" : "best",
        scored.progress().epoch(),
        last.progress().status());
  }
}
