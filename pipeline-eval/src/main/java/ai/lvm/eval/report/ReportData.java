package ai.lvm.eval.report;

import ai.lvm.eval.EvalResult;
import ai.lvm.eval.Latency;
import ai.lvm.eval.TrainingCurve;
import java.util.List;
import java.util.Objects;

/**
 * Everything one evaluation report shows, as read back from the result tables.
 *
 * @param evalId the evaluation this report describes
 * @param snapshotId the window snapshot its runs trained and were scored on
 * @param createdAt when the evaluation ran, as the caller wants it printed (the report reads no
 *     clock, so re-rendering the same data gives the same bytes)
 * @param results rows of {@code eval_results}, overall and per lane, models and baselines
 * @param latencies inference speed per run; may be empty
 * @param curves per-epoch training history per run; may be empty
 */
public record ReportData(
    String evalId,
    String snapshotId,
    String createdAt,
    List<EvalResult> results,
    List<Latency> latencies,
    List<TrainingCurve> curves) {
  public ReportData {
    Objects.requireNonNull(evalId, "evalId");
    Objects.requireNonNull(snapshotId, "snapshotId");
    Objects.requireNonNull(createdAt, "createdAt");
    // Null lists read as "none": a job that measured no latency should still get its report.
    results = results == null ? List.of() : List.copyOf(results);
    latencies = latencies == null ? List.of() : List.copyOf(latencies);
    curves = curves == null ? List.of() : List.copyOf(curves);
  }
}
