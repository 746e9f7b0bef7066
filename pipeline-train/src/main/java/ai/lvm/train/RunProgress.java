package ai.lvm.train;

import ai.lvm.checkpoint.CheckpointRecord;
import ai.lvm.checkpoint.CheckpointStore;
import ai.lvm.checkpoint.EpochRecord;
import ai.lvm.checkpoint.RunStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where a run stands, from the record of its newest {@code last} checkpoint alone (no arrays, no
 * Spark): what the driver prints while a sweep runs and what {@code bin/lvm runs} lists. A run
 * writes that record at the end of every epoch, so this is at most one epoch behind.
 *
 * @param runId the run
 * @param status the checkpoint's status ({@code running}, {@code completed}, ...)
 * @param epoch epochs done
 * @param maxEpochs the recipe's {@code max-epochs}
 * @param latest the newest epoch's record (epoch 0: the untrained model's validation)
 * @param best the best validation so far ({@code bestEpoch} 0 = the untrained model)
 * @param trainingSeconds seconds of the epochs done, as recorded
 */
public record RunProgress(
    String runId,
    String status,
    int epoch,
    int maxEpochs,
    EpochRecord latest,
    CheckpointRecord.Selection best,
    double trainingSeconds) {

  /** The progress of {@code runId} under {@code root}, or empty before its first checkpoint. */
  public static Optional<RunProgress> read(String root, String runId, Configuration conf) {
    return new CheckpointStore(root, runId, conf)
        .loadRecord(CheckpointStore.Slot.LAST)
        .map(RunProgress::of);
  }

  static RunProgress of(CheckpointRecord r) {
    CheckpointRecord.Progress p = r.progress();
    List<EpochRecord> history = p.history();
    Object max = r.run().recipe() == null ? null : r.run().recipe().get("max-epochs");
    return new RunProgress(
        r.run().runId(),
        p.status(),
        p.epoch(),
        max instanceof Number n ? n.intValue() : p.epoch(),
        history.isEmpty() ? null : history.get(history.size() - 1),
        p.selection(),
        history.stream().mapToDouble(EpochRecord::seconds).sum());
  }

  /** Every run directory under {@code <root>/runs}, by name; empty when there is none. */
  public static List<String> runIds(String root, Configuration conf) {
    Path runs = new Path(new Path(root), CheckpointStore.RUNS);
    try {
      FileSystem fs = runs.getFileSystem(conf);
      List<String> ids = new ArrayList<>();
      for (FileStatus s : fs.listStatus(runs)) {
        String name = s.getPath().getName();
        if (s.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
          ids.add(name);
        }
      }
      ids.sort(null);
      return ids;
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the runs under " + runs, e);
    }
  }

  /**
   * Seconds until {@code max-epochs} at the mean pace of the trained epochs so far (an upper bound:
   * early stopping may end sooner), or empty before a trained epoch or once finished.
   */
  public Optional<Double> etaSeconds() {
    if (!RunStatus.RUNNING.id().equals(status) || epoch == 0 || epoch >= maxEpochs) {
      return Optional.empty();
    }
    return Optional.of(trainingSeconds / epoch * (maxEpochs - epoch));
  }

  /**
   * One line: {@code <run> epoch 3/5 running loss 2.310 val Hit@5 12.9% (best 13.1% @2; mean-last-3
   * 11.8%) ETA 4 min}.
   */
  public String line() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%s  epoch %d/%d %s", runId, epoch, maxEpochs, status));
    if (latest != null && latest.epoch() > 0 && Double.isFinite(latest.loss())) {
      out.append(String.format("  loss %.3f", latest.loss()));
    }
    if (latest != null && latest.valHit5() != null) {
      out.append(String.format("  val Hit@5 %s", percent(latest.valHit5())));
      List<String> notes = new ArrayList<>();
      if (best != null && best.hit5() != null) {
        notes.add("best " + percent(best.hit5()) + " @" + best.bestEpoch());
      }
      if (latest.valBaseline() != null && latest.valBaselineHit5() != null) {
        notes.add(latest.valBaseline() + " " + percent(latest.valBaselineHit5()));
      }
      if (!notes.isEmpty()) {
        out.append(" (").append(String.join("; ", notes)).append(")");
      }
    }
    etaSeconds().ifPresent(s -> out.append(String.format("  ETA %s", duration(s))));
    return out.toString();
  }

  private static String percent(double v) {
    return String.format("%.1f%%", 100 * v);
  }

  private static String duration(double seconds) {
    return seconds < 90 ? Math.round(seconds) + " s" : Math.round(seconds / 60) + " min";
  }
}
