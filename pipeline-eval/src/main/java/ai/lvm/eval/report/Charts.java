package ai.lvm.eval.report;

import ai.lvm.checkpoint.EpochRecord;
import ai.lvm.eval.EvalResult;
import ai.lvm.eval.Latency;
import ai.lvm.eval.Scorer;
import ai.lvm.eval.TrainingCurve;
import ai.lvm.metrics.Interval;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The report's charts, built from its data; the file names are {@link Report}'s business. */
final class Charts {
  private Charts() {}

  /**
   * Hit@5 against context size: one series per model type, each baseline dashed, each point with
   * its 95% interval, and chance as a dashed reference line.
   */
  static Plot hitAtK(Section section) {
    Plot plot =
        new Plot("Hit@5 by context size: " + section.title(), "context size C", "Hit@5 (95% CI)")
            .categoricalX()
            .percentY()
            .yFromZero();
    // One series per model type; a model's seeds at one C are its several points there.
    Map<String, List<Plot.Point>> byModel = new TreeMap<>();
    for (EvalResult r : section.models()) {
      byModel
          .computeIfAbsent(r.model(), k -> new ArrayList<>())
          .add(point(r.contextSize(), r.hit5()));
    }
    byModel.forEach((model, points) -> plot.add(Plot.Series.of(model, points)));
    for (Scorer baseline : section.baselines()) {
      List<Plot.Point> points = new ArrayList<>();
      for (int c : section.contextSizes()) {
        section.baseline(baseline, c).ifPresent(r -> points.add(point(c, r.hit5())));
      }
      if (!points.isEmpty()) {
        plot.add(Plot.Series.of(baseline.id() + " (baseline)", points).withLine(Plot.Line.DASHED));
      }
    }
    addChance(plot, section);
    return plot;
  }

  private static Plot.Point point(int contextSize, Interval hit) {
    if (hit == null) {
      return Plot.Point.of(contextSize, Double.NaN); // a missing metric: the plot skips it
    }
    return Plot.Point.withError(contextSize, hit.value(), hit.low(), hit.high());
  }

  /**
   * Chance depends on the candidates, which vary a little with C: one line at the mean keeps the
   * chart readable, and its label gives the range when the levels differ at the shown precision.
   */
  private static void addChance(Plot plot, Section section) {
    DoubleSummaryStatistics chance =
        section.contextSizes().stream()
            .mapToDouble(c -> section.chance(c).orElseThrow().chance5())
            .summaryStatistics();
    if (chance.getCount() == 0) {
      return;
    }
    String low = Formats.percent(chance.getMin());
    String high = Formats.percent(chance.getMax());
    String range = low.equals(high) ? low : low + " to " + high;
    plot.referenceLine(chance.getAverage(), "chance (5 / candidates): " + range);
  }

  /**
   * Training loss (top) and validation Hit@5 (bottom) by epoch, one series per run. A run keeps its
   * colour and marker in both panels, so the panels read together.
   */
  static List<Plot> training(List<TrainingCurve> curves, String snapshotId) {
    Plot loss = new Plot("Training loss by epoch", "epoch", "mean training loss per window");
    Plot val =
        new Plot("Validation Hit@5 by epoch", "epoch", "validation Hit@5").percentY().yFromZero();
    List<TrainingCurve> sorted =
        curves.stream()
            .sorted(
                Comparator.comparingInt(TrainingCurve::contextSize)
                    .thenComparing(TrainingCurve::model)
                    .thenComparing(TrainingCurve::runId))
            .toList();
    for (int i = 0; i < sorted.size(); i++) {
      TrainingCurve curve = sorted.get(i);
      String label = shortRun(curve.runId(), snapshotId);
      List<Plot.Point> losses = new ArrayList<>();
      List<Plot.Point> hits = new ArrayList<>();
      for (EpochRecord e : curve.epochs()) {
        losses.add(Plot.Point.of(e.epoch(), e.loss()));
        if (e.valHit5() != null) {
          hits.add(Plot.Point.of(e.epoch(), e.valHit5()));
        }
      }
      loss.add(Plot.Series.of(label, losses).withColour(i));
      val.add(Plot.Series.of(label, hits).withColour(i));
    }
    return List.of(loss, val);
  }

  /** p50 (solid) and p99 (dashed) latency against context size, one colour per model type. */
  static Plot latency(List<Latency> latencies) {
    Plot plot =
        new Plot("Single-window latency by context size", "context size C", "milliseconds")
            .categoricalX()
            .yFromZero();
    Map<String, List<Latency>> byModel = new TreeMap<>();
    // By run within a model, so the input's order does not change the picture.
    for (Latency l : latencies.stream().sorted(Comparator.comparing(Latency::runId)).toList()) {
      byModel.computeIfAbsent(l.model(), k -> new ArrayList<>()).add(l);
    }
    int colour = 0;
    for (Map.Entry<String, List<Latency>> e : byModel.entrySet()) {
      List<Plot.Point> p50 = new ArrayList<>();
      List<Plot.Point> p99 = new ArrayList<>();
      for (Latency l : e.getValue()) {
        p50.add(Plot.Point.of(l.contextSize(), l.p50Millis()));
        p99.add(Plot.Point.of(l.contextSize(), l.p99Millis()));
      }
      plot.add(Plot.Series.of(e.getKey() + " p50", p50).withColour(colour));
      plot.add(
          Plot.Series.of(e.getKey() + " p99", p99).withColour(colour).withLine(Plot.Line.DASHED));
      colour++;
    }
    return plot;
  }

  /**
   * Hit@5 over evaluations, oldest first (x: the evaluation's number in the trend table), one
   * series per (C, model) with its best run's interval.
   */
  static Plot trend(Comparisons.Trend trend, String evalId) {
    Plot plot =
        new Plot(
                "Hit@5 over evaluations: " + trend.title(),
                "evaluation (numbered as in the table; " + evalId + " is the last)",
                "Hit@5 (95% CI)")
            .categoricalX()
            .percentY()
            .yFromZero();
    int colour = 0;
    for (Map.Entry<Comparisons.Key, Map<String, ReportData.TrendPoint>> row :
        trend.rows().entrySet()) {
      List<Plot.Point> points = new ArrayList<>();
      for (int i = 0; i < trend.evalIds().size(); i++) {
        ReportData.TrendPoint p = row.getValue().get(trend.evalIds().get(i));
        if (p != null) {
          points.add(point(i + 1, p.hit5()));
        }
      }
      plot.add(
          Plot.Series.of(row.getKey().model() + " C=" + row.getKey().contextSize(), points)
              .withColour(colour++));
    }
    return plot;
  }

  /** A run id without the snapshot prefix every run of the report shares. */
  static String shortRun(String runId, String snapshotId) {
    String prefix = snapshotId + "-";
    return runId.startsWith(prefix) && runId.length() > prefix.length()
        ? runId.substring(prefix.length())
        : runId;
  }
}
