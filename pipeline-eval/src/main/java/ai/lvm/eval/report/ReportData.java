package ai.lvm.eval.report;

import ai.lvm.eval.EvalResult;
import ai.lvm.eval.Latency;
import ai.lvm.eval.TrainingCurve;
import ai.lvm.metrics.Interval;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * @param settings each evaluated run's resolved settings, for the runs table; may be empty
 * @param trend model rows of this and earlier evaluations of the same bank and splits; may be empty
 * @param examples a few scored test windows with their texts; may be empty
 */
public record ReportData(
    String evalId,
    String snapshotId,
    String createdAt,
    List<EvalResult> results,
    List<Latency> latencies,
    List<TrainingCurve> curves,
    List<RunSettings> settings,
    List<TrendPoint> trend,
    List<Example> examples) {
  public ReportData {
    Objects.requireNonNull(evalId, "evalId");
    Objects.requireNonNull(snapshotId, "snapshotId");
    Objects.requireNonNull(createdAt, "createdAt");
    // Null lists read as "none": a job that measured no latency should still get its report.
    results = results == null ? List.of() : List.copyOf(results);
    latencies = latencies == null ? List.of() : List.copyOf(latencies);
    curves = curves == null ? List.of() : List.copyOf(curves);
    settings = settings == null ? List.of() : List.copyOf(settings);
    trend = trend == null ? List.of() : List.copyOf(trend);
    examples = examples == null ? List.of() : List.copyOf(examples);
  }

  /** The report without the comparison sections' data (runs table, trend, examples). */
  public ReportData(
      String evalId,
      String snapshotId,
      String createdAt,
      List<EvalResult> results,
      List<Latency> latencies,
      List<TrainingCurve> curves) {
    this(evalId, snapshotId, createdAt, results, latencies, curves, null, null, null);
  }

  /**
   * One evaluated run's resolved settings as display strings, by key ({@code model}, {@code
   * context-size}, {@code seed}, then the {@code lvm.train} keys: {@code learning-rate}, ...).
   */
  public record RunSettings(String runId, Map<String, String> values) {
    public RunSettings {
      Objects.requireNonNull(runId, "runId");
      values = values == null ? Map.of() : new TreeMap<>(values);
    }
  }

  /**
   * One model row of {@code eval_results} (overall, no lane) of this or an earlier evaluation.
   *
   * @param evaluatedAt ISO-8601 UTC time of that evaluation: the trend's order
   */
  public record TrendPoint(
      String evalId,
      String evaluatedAt,
      String snapshotId,
      String split,
      String bank,
      int contextSize,
      String model,
      String runId,
      Interval hit5) {}

  /**
   * One scored window: the chunk before the target (when the context ends in the target's
   * document), the target, and the model's best candidates, best first.
   *
   * @param rank the true target's rank (1 = best)
   * @param previous the last context chunk, or null when the context ends in another document
   */
  public record Example(
      String runId,
      int contextSize,
      String split,
      long windowId,
      long rank,
      Chunk previous,
      Chunk target,
      List<Chunk> neighbours) {
    public Example {
      neighbours = neighbours == null ? List.of() : List.copyOf(neighbours);
    }
  }

  /**
   * A corpus chunk as the report shows it.
   *
   * @param cosine the prediction's cosine to it, or null where not a candidate
   * @param text the corpus text, or null when the corpus has none
   */
  public record Chunk(String docId, long chunkIndex, Double cosine, String text) {
    /** Whether this is the chunk {@code other} names (same document and index). */
    public boolean sameChunk(Chunk other) {
      return other != null && docId.equals(other.docId) && chunkIndex == other.chunkIndex;
    }
  }
}
