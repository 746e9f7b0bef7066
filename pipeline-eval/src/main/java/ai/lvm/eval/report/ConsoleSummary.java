package ai.lvm.eval.report;

import ai.lvm.eval.EvalResult;
import ai.lvm.eval.Latency;
import ai.lvm.eval.Scorer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The text the evaluation job prints at its end: per split and bank, each run's Hit@K beside the
 * baselines' and chance's Hit@5 at the same context size, so model versus baselines reads at a
 * glance; then latency.
 */
public final class ConsoleSummary {
  private ConsoleSummary() {}

  /** The summary, lines ending in {@code \n}. */
  public static String format(ReportData data) {
    StringBuilder out = new StringBuilder();
    out.append("Evaluation ")
        .append(data.evalId())
        .append("  snapshot ")
        .append(data.snapshotId())
        .append("  created ")
        .append(data.createdAt())
        .append('\n');
    List<Section> sections = Section.of(data.results());
    if (sections.isEmpty()) {
      out.append("\nno evaluation results\n");
    }
    for (Section s : sections) {
      out.append('\n').append(s.title()).append('\n');
      if (s.models().isEmpty()) {
        out.append("  baselines only, no model rows\n");
      } else {
        out.append(results(s).render("  "));
      }
    }
    out.append('\n');
    if (data.latencies().isEmpty()) {
      out.append("latency: not measured\n");
    } else {
      out.append("latency\n").append(latency(data.latencies()).render("  "));
    }
    return out.toString();
  }

  private static TextTable results(Section s) {
    TextTable table =
        new TextTable(
            "run",
            "model",
            ">C",
            ">Hit@1",
            ">Hit@5",
            ">Hit@10",
            ">MRR",
            ">copy-last@5",
            ">mean-ctx@5",
            ">chance@5");
    for (EvalResult r : s.models()) {
      int c = r.contextSize();
      table.row(
          r.runId(),
          r.model(),
          String.valueOf(c),
          Formats.percent(r.hit1()),
          Formats.percent(r.hit5()),
          Formats.percent(r.hit10()),
          Formats.decimalValue(r.mrr()),
          hit5(s.baseline(Scorer.COPY_LAST, c)),
          hit5(s.baseline(Scorer.MEAN_OF_CONTEXT, c)),
          Formats.percent(r.chance5()));
    }
    return table;
  }

  /** A baseline's Hit@5 without its interval: the column is for comparison at a glance. */
  private static String hit5(Optional<EvalResult> baseline) {
    return baseline
        .map(b -> b.hit5() == null ? Formats.MISSING : Formats.percent(b.hit5().value()))
        .orElse("-");
  }

  private static TextTable latency(List<Latency> latencies) {
    TextTable table =
        new TextTable("run", "model", ">C", ">p50 ms", ">p99 ms", ">windows/s", ">batch", "device");
    latencies.stream()
        .sorted(
            Comparator.comparingInt(Latency::contextSize)
                .thenComparing(Latency::model)
                .thenComparing(Latency::runId))
        .forEach(
            l ->
                table.row(
                    l.runId(),
                    l.model(),
                    String.valueOf(l.contextSize()),
                    Formats.millis(l.p50Millis()),
                    Formats.millis(l.p99Millis()),
                    Formats.rate(l.windowsPerSecond()),
                    String.valueOf(l.batchSize()),
                    l.device()));
    return table;
  }
}
