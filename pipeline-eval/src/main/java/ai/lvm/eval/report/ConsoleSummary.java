package ai.lvm.eval.report;

import ai.lvm.eval.BestBaseline;
import ai.lvm.eval.EvalResult;
import ai.lvm.eval.Latency;
import ai.lvm.eval.Scorer;
import ai.lvm.job.TextTable;
import ai.lvm.metrics.Interval;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The text the evaluation job prints at its end: per split and bank, each run's Hit@K beside the
 * baselines' and chance's Hit@5 at the same context size, and its difference to the best baseline,
 * so model versus baselines reads at a glance; then latency.
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
    List<String> keys = Comparisons.varyingKeys(data.settings());
    if (!keys.isEmpty()) {
      out.append("\nsettings that differ between the runs\n").append(settings(data, keys));
    }
    for (Comparisons.Trend t : Comparisons.trends(data.trend())) {
      if (t.evalIds().size() >= 2) {
        out.append("\nHit@5 by evaluation, oldest first: ")
            .append(t.title())
            .append('\n')
            .append(trend(t).render("  "));
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
    List<Scorer> baselines = s.baselines();
    List<String> header = new ArrayList<>(List.of("run", "model", ">C", ">Hit@1", ">Hit@5"));
    header.addAll(List.of(">Hit@10", ">MRR"));
    baselines.forEach(b -> header.add(">" + label(b) + "@5"));
    header.addAll(
        List.of(">chance@5", "best baseline", ">vs best@5", ">95% CIs", "paired vs best@5 [95%]"));
    TextTable table = TextTable.of(header.toArray(new String[0]));
    for (EvalResult r : s.models()) {
      int c = r.contextSize();
      List<String> cells = new ArrayList<>();
      cells.addAll(
          List.of(
              r.runId(),
              r.model(),
              String.valueOf(c),
              Formats.percent(r.hit1()),
              Formats.percent(r.hit5()),
              Formats.percent(r.hit10()),
              Formats.decimalValue(r.mrr())));
      baselines.forEach(b -> cells.add(hit5(s.baseline(b, c))));
      cells.add(Formats.percent(r.chance5()));
      Optional<EvalResult> best = s.bestBaseline(r);
      cells.add(best.map(b -> b.scorer().id()).orElse("-"));
      cells.add(best.map(b -> versus(r, b)).orElse("-"));
      cells.add(best.map(b -> overlap(r, b)).orElse("-"));
      cells.add(Formats.paired(r.hit5Gain()));
      table.row(cells.toArray(new String[0]));
    }
    return table;
  }

  /** The column name of a baseline: mean-of-context is long, and was always shown short. */
  private static String label(Scorer baseline) {
    return baseline.equals(Scorer.MEAN_OF_CONTEXT) ? "mean-ctx" : baseline.id();
  }

  /** The model's Hit@5 minus the baseline's, in points. */
  private static String versus(EvalResult model, EvalResult baseline) {
    return finite(model.hit5())
        ? Formats.points(BestBaseline.hit5DifferencePoints(model, baseline))
        : Formats.MISSING;
  }

  /**
   * {@code apart}, {@code overlap} (the difference may be noise), or {@code overlap by doc} (apart
   * by window, not by document: {@link BestBaseline.Separation#APART_BY_WINDOW_ONLY}).
   */
  private static String overlap(EvalResult model, EvalResult baseline) {
    if (!finite(model.hit5())) {
      return Formats.MISSING;
    }
    return switch (BestBaseline.separation(model, baseline)) {
      case APART -> "apart";
      case APART_BY_WINDOW_ONLY -> "overlap by doc";
      case OVERLAP -> "overlap";
    };
  }

  private static boolean finite(Interval i) {
    return i != null
        && Double.isFinite(i.value())
        && Double.isFinite(i.low())
        && Double.isFinite(i.high());
  }

  /** A baseline's Hit@5 without its interval: the column is for comparison at a glance. */
  private static String hit5(Optional<EvalResult> baseline) {
    return baseline
        .map(b -> b.hit5() == null ? Formats.MISSING : Formats.percent(b.hit5().value()))
        .orElse("-");
  }

  /** One row per run: its values of the keys that differ, as in the report's runs table. */
  private static String settings(ReportData data, List<String> keys) {
    List<String> header = new ArrayList<>(List.of("run"));
    header.addAll(keys);
    TextTable table = TextTable.of(header.toArray(new String[0]));
    data.settings().stream()
        .sorted(Comparator.comparing(ReportData.RunSettings::runId))
        .forEach(
            s -> {
              List<String> cells = new ArrayList<>(List.of(s.runId()));
              keys.forEach(k -> cells.add(s.values().getOrDefault(k, "-")));
              table.row(cells.toArray(new String[0]));
            });
    return table.render("  ");
  }

  /** Per (C, model) its best run's Hit@5 in each evaluation, without intervals: at a glance. */
  private static TextTable trend(Comparisons.Trend t) {
    List<String> header = new ArrayList<>(List.of(">C", "model"));
    t.evalIds().forEach(id -> header.add(">" + id));
    TextTable table = TextTable.of(header.toArray(new String[0]));
    t.rows()
        .forEach(
            (key, byEval) -> {
              List<String> cells =
                  new ArrayList<>(List.of(String.valueOf(key.contextSize()), key.model()));
              for (String id : t.evalIds()) {
                ReportData.TrendPoint p = byEval.get(id);
                cells.add(p == null || p.hit5() == null ? "-" : Formats.percent(p.hit5().value()));
              }
              table.row(cells.toArray(new String[0]));
            });
    return table;
  }

  private static TextTable latency(List<Latency> latencies) {
    TextTable table =
        TextTable.of("run", "model", ">C", ">p50 ms", ">p99 ms", ">windows/s", ">batch", "device");
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
