package ai.lvm.eval.report;

import ai.lvm.eval.BestBaseline;
import ai.lvm.eval.EvalResult;
import ai.lvm.eval.Latency;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The report's {@code index.html}: one self-contained page that shows the PNGs shipped with it. */
final class HtmlPage {
  private static final String CSS =
      """
      body { font-family: system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
             color: #222; max-width: 1240px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
      h1 { font-size: 1.6em; margin-bottom: 0.2em; }
      h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ddd; }
      h3 { font-size: 1.05em; }
      .meta, .muted { color: #666; }
      .note { background: #f7f7f2; border-left: 4px solid #c8c89a; padding: 0.4em 1em;
              max-width: 62em; }
      table { border-collapse: collapse; margin: 0.5em 0 1.2em; font-size: 14px;
              font-variant-numeric: tabular-nums; }
      th, td { padding: 3px 10px; border-bottom: 1px solid #e2e2e2; text-align: right;
               white-space: nowrap; }
      th { background: #f3f3f3; }
      .t { text-align: left; }
      tbody + tbody { border-top: 2px solid #aaa; }
      tr.baseline td { color: #555; }
      tr.chance td { color: #777; font-style: italic; }
      tr.hit td { background: #eef6ea; }
      td.text { text-align: left; white-space: normal; min-width: 24em; max-width: 60em; }
      img { max-width: 100%; height: auto; border: 1px solid #eee; }
      """;

  private final StringBuilder out = new StringBuilder(16_384);
  private final ReportData data;

  private HtmlPage(ReportData data) {
    this.data = data;
  }

  /**
   * The page. {@code hitCharts} names the chart of each section that has one; {@code trainingChart}
   * and {@code latencyChart} are null when the report ships no such chart.
   */
  static String render(
      ReportData data,
      List<Section> sections,
      Map<Section, String> hitCharts,
      List<Comparisons.Trend> trends,
      Map<Comparisons.Trend, String> trendCharts,
      String trainingChart,
      String latencyChart) {
    HtmlPage page = new HtmlPage(data);
    page.head();
    page.howToRead();
    if (sections.isEmpty()) {
      page.out.append("<p class=\"muted\">No evaluation results.</p>\n");
    }
    for (Section s : sections) {
      page.section(s, hitCharts.get(s));
    }
    page.runs(sections);
    page.trend(trends, trendCharts);
    page.examples();
    page.training(trainingChart);
    page.latency(latencyChart);
    page.out.append("</body>\n</html>\n");
    return page.out.toString();
  }

  private void head() {
    String title = "Evaluation " + data.evalId() + ", snapshot " + data.snapshotId();
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(Html.escape(title))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(Html.escape(title))
        .append("</h1>\n<p class=\"meta\">Created ")
        .append(Html.escape(data.createdAt()))
        .append(". Runs: ")
        .append(data.results().stream().map(EvalResult::runId).distinct().count())
        .append(".</p>\n");
  }

  private void howToRead() {
    out.append(
        """
        <div class="note">
        <p><b>How to read this.</b> Each table scores the runs' models on one split against one \
        candidate bank. Hit@K is the share of windows whose true next vector ranks in the top K of \
        the candidates: the true target plus every bank vector not excluded (the window's own \
        context is excluded).</p>
        <p><b>Baselines</b> score the same windows without training: <i>copy-last</i> predicts the \
        last context vector, <i>mean-of-context</i> the normalised mean of the context, \
        <i>mean-last-k</i> the normalised mean of the last k context vectors (the whole context \
        when k is C or more). A model is only worth its Hit@K above theirs: each table is followed \
        by each model's Hit@5 against the <b>best baseline</b>, the one with the highest Hit@5 at \
        its context size. <b>Chance</b> is the Hit@K of a random ranking, the mean of \
        min(1, k / candidates) over the windows.</p>
        <p><b>Ties</b> count as hits: a candidate scoring exactly as the target (a repeated chunk) \
        does not push it down. <b>Intervals</b> in brackets are 95%: Wilson score intervals for \
        Hit@K, normal approximation for MRR and mean cosine. Overlapping intervals mean the \
        difference may be noise.</p>
        </div>
        """);
  }

  private void section(Section s, String chart) {
    out.append("<h2>").append(Html.escape(s.title())).append("</h2>\n");
    out.append("<table>\n<thead><tr>");
    header("Scorer", "Run", "Model", "C", "Hit@1", "Hit@5", "Hit@10", "MRR", "Mean cosine");
    header("Windows", "Candidates");
    out.append("</tr></thead>\n");
    for (int c : s.contextSizes()) {
      out.append("<tbody>\n");
      s.overall().stream().filter(r -> r.contextSize() == c).forEach(this::resultRow);
      s.chance(c).ifPresent(this::chanceRow);
      out.append("</tbody>\n");
    }
    out.append("</table>\n");
    versusBestBaseline(s);
    if (chart != null) {
      image(chart, "Hit@5 by context size, " + s.title());
    }
    List<EvalResult> lanes = s.lanes();
    if (!lanes.isEmpty()) {
      out.append("<h3>By target lane</h3>\n<table>\n<thead><tr>");
      header("Lane", "Scorer", "Run", "Model", "C", "Hit@1", "Hit@5", "Hit@10", "MRR");
      header("Windows", "Chance Hit@5");
      out.append("</tr></thead>\n<tbody>\n");
      for (EvalResult r : lanes) {
        boolean model = r.scorer().isModel();
        out.append(model ? "<tr>" : "<tr class=\"baseline\">");
        cell(String.valueOf(r.lane()));
        text(r.scorer().id());
        text(model ? r.runId() : "");
        text(model ? r.model() : "");
        cell(String.valueOf(r.contextSize()));
        hits(r);
        cell(Formats.decimal(r.mrr()));
        cell(Formats.count(r.windows()));
        cell(Formats.percent(r.chance5()));
        out.append("</tr>\n");
      }
      out.append("</tbody>\n</table>\n");
    }
  }

  /**
   * Each model's Hit@5 against the best baseline at its context size: the difference in points,
   * whether the two 95% intervals overlap, and the paired comparison on the same windows (its
   * interval, exact McNemar p-value and interval by target document), which is what says whether
   * the model is better.
   */
  private void versusBestBaseline(Section s) {
    List<EvalResult> models = s.models();
    if (models.isEmpty()) {
      return;
    }
    out.append("<h3>Models against the best baseline (Hit@5)</h3>\n<table>\n<thead><tr>");
    header("Run", "Model", "C", "Hit@5", "Best baseline", "Baseline Hit@5", "Difference");
    header("95% intervals", "Paired difference [95%], p, by document");
    out.append("</tr></thead>\n<tbody>\n");
    for (EvalResult r : models) {
      Optional<EvalResult> best = s.bestBaseline(r);
      out.append("<tr>");
      text(r.runId());
      text(r.model());
      cell(String.valueOf(r.contextSize()));
      cell(Formats.percent(r.hit5()));
      text(best.map(b -> b.scorer().id()).orElse("none"));
      cell(best.map(b -> Formats.percent(b.hit5())).orElse(""));
      cell(best.map(b -> Formats.points(BestBaseline.hit5DifferencePoints(r, b))).orElse(""));
      text(best.map(b -> overlapText(r, b)).orElse(""));
      text(best.isPresent() ? Formats.paired(r.hit5Gain()) : "");
      out.append("</tr>\n");
    }
    out.append("</tbody>\n</table>\n");
  }

  private static String overlapText(EvalResult model, EvalResult baseline) {
    if (model.hit5() == null || !Double.isFinite(model.hit5().low() + model.hit5().high())) {
      return Formats.MISSING;
    }
    return switch (BestBaseline.separation(model, baseline)) {
      case APART -> "apart";
      case APART_BY_WINDOW_ONLY -> "apart by window, overlapping by document: may be noise";
      case OVERLAP -> "overlap: may be noise";
    };
  }

  /** A model row, or a baseline row: baselines belong to the windows of C, not to one run. */
  private void resultRow(EvalResult r) {
    boolean model = r.scorer().isModel();
    out.append(model ? "<tr>" : "<tr class=\"baseline\">");
    text(r.scorer().id());
    text(model ? r.runId() : "");
    text(model ? r.model() : "");
    cell(String.valueOf(r.contextSize()));
    hits(r);
    cell(Formats.decimal(r.mrr()));
    cell(Formats.decimal(r.meanCosine()));
    cell(Formats.count(r.windows()));
    cell(Formats.candidates(r.candidates()));
    out.append("</tr>\n");
  }

  private void chanceRow(EvalResult r) {
    out.append("<tr class=\"chance\">");
    text("chance");
    text("");
    text("");
    cell(String.valueOf(r.contextSize()));
    cell(Formats.percent(r.chance1()));
    cell(Formats.percent(r.chance5()));
    cell(Formats.percent(r.chance10()));
    cell("");
    cell("");
    cell("");
    cell(Formats.candidates(r.candidates()));
    out.append("</tr>\n");
  }

  private void hits(EvalResult r) {
    cell(Formats.percent(r.hit1()));
    cell(Formats.percent(r.hit5()));
    cell(Formats.percent(r.hit10()));
  }

  /**
   * Each run's varying settings beside its Hit@K, per split and bank, best Hit@5 first within a
   * context size, with the best baseline of the same windows for reference: how a grid reads.
   */
  private void runs(List<Section> sections) {
    out.append("<h2>Runs and their settings</h2>\n");
    List<String> keys = Comparisons.varyingKeys(data.settings());
    if (data.settings().isEmpty()) {
      out.append(
          "<p class=\"muted\">No training_runs rows for these runs: settings unknown.</p>\n");
    } else if (keys.isEmpty()) {
      out.append("<p>The runs share every setting.</p>\n");
    } else {
      out.append("<p>The settings that differ between the evaluated runs (from <code>")
          .append("training_runs</code>); the settings every run shares are left out.</p>\n");
    }
    for (Section s : sections) {
      List<EvalResult> models =
          s.models().stream()
              .sorted(
                  Comparator.comparingInt(EvalResult::contextSize)
                      .thenComparing((EvalResult r) -> r.hit5() == null ? 0 : -r.hit5().value())
                      .thenComparing(EvalResult::runId))
              .toList();
      if (models.isEmpty()) {
        continue;
      }
      out.append("<h3>").append(Html.escape(s.title())).append("</h3>\n<table>\n<thead><tr>");
      header("Run");
      keys.forEach(k -> out.append("<th class=\"t\">").append(Html.escape(k)).append("</th>"));
      header("Hit@1", "Hit@5", "Hit@10", "Best baseline", "Baseline Hit@5");
      out.append("</tr></thead>\n<tbody>\n");
      for (EvalResult r : models) {
        Map<String, String> values = Comparisons.settingsOf(data.settings(), r.runId());
        Optional<EvalResult> best = s.bestBaseline(r);
        out.append("<tr>");
        text(r.runId());
        keys.forEach(k -> text(values.getOrDefault(k, "")));
        hits(r);
        text(best.map(b -> b.scorer().id()).orElse("none"));
        cell(best.map(b -> Formats.percent(b.hit5())).orElse(""));
        out.append("</tr>\n");
      }
      out.append("</tbody>\n</table>\n");
    }
  }

  /**
   * This evaluation's Hit@5 beside the earlier evaluations of the same split and bank in {@code
   * eval_results}: per (C, model), its best run in each, oldest evaluation first.
   */
  private void trend(List<Comparisons.Trend> trends, Map<Comparisons.Trend, String> charts) {
    out.append("<h2>Trend across evaluations</h2>\n");
    if (trends.stream().allMatch(t -> t.evalIds().size() < 2)) {
      out.append("<p class=\"muted\">No earlier evaluation of the same split and bank in")
          .append(" eval_results: nothing to compare with yet.</p>\n");
      return;
    }
    out.append("<p>Hit@5 of the best run of each context size and model type in each evaluation")
        .append(" of the same split and bank (the last ")
        .append(Comparisons.TREND_EVALUATIONS)
        .append(" evaluations, oldest first; this one is <b>")
        .append(Html.escape(data.evalId()))
        .append("</b>). Snapshots may differ between evaluations: a nightly run trains and")
        .append(" scores each night's snapshot.</p>\n");
    for (Comparisons.Trend t : trends) {
      if (t.evalIds().size() < 2) {
        continue;
      }
      out.append("<h3>").append(Html.escape(t.title())).append("</h3>\n<table>\n<thead><tr>");
      header("C", "Model");
      for (int i = 0; i < t.evalIds().size(); i++) {
        String id = t.evalIds().get(i);
        out.append("<th title=\"")
            .append(Html.escape(t.evaluatedAt().get(id)))
            .append("\">")
            .append(i + 1)
            .append(". ")
            .append(Html.escape(id))
            .append(id.equals(data.evalId()) ? " (this)" : "")
            .append("</th>");
      }
      out.append("</tr></thead>\n<tbody>\n");
      t.rows()
          .forEach(
              (key, byEval) -> {
                out.append("<tr>");
                cell(String.valueOf(key.contextSize()));
                text(key.model());
                for (String id : t.evalIds()) {
                  ReportData.TrendPoint p = byEval.get(id);
                  cell(p == null ? "" : Formats.percent(p.hit5()));
                }
                out.append("</tr>\n");
              });
      out.append("</tbody>\n</table>\n");
      String chart = charts.get(t);
      if (chart != null) {
        image(chart, "Hit@5 over evaluations, " + t.title());
      }
    }
  }

  /** Longest text an example cell shows: a chunk is a few sentences, a page is not. */
  static final int EXAMPLE_TEXT_CHARS = 280;

  /**
   * A few test windows read as text: the end of the context, the target, and what the model ranked
   * first, so a reader sees what a hit and a miss look like.
   */
  private void examples() {
    out.append("<h2>Example windows</h2>\n");
    if (data.examples().isEmpty()) {
      out.append("<p class=\"muted\">No example windows in this evaluation.</p>\n");
      return;
    }
    ReportData.Example first = data.examples().get(0);
    out.append("<p>")
        .append(data.examples().size())
        .append(" windows of the ")
        .append(Html.escape(first.split()))
        .append(" split, chosen by a hash of their window id (the same windows every night), as")
        .append(" ranked by run <b>")
        .append(Html.escape(first.runId()))
        .append("</b> (the best Hit@5 there): the chunk before the target, the target, and the")
        .append(" model's top ")
        .append(first.neighbours().size())
        .append(" candidates; the target among them is highlighted. Texts are cut at ")
        .append(EXAMPLE_TEXT_CHARS)
        .append(" characters.</p>\n");
    for (ReportData.Example e : data.examples()) {
      out.append("<h3>Window ")
          .append(e.windowId())
          .append(" (C = ")
          .append(e.contextSize())
          .append("): target ranked ")
          .append(e.rank())
          .append("</h3>\n<table>\n<thead><tr>");
      header("", "Chunk", "Cosine", "Text");
      out.append("</tr></thead>\n<tbody>\n");
      if (e.previous() != null) {
        exampleRow("context end", e.previous(), false);
      }
      exampleRow("target", e.target(), false);
      for (int i = 0; i < e.neighbours().size(); i++) {
        ReportData.Chunk n = e.neighbours().get(i);
        exampleRow("#" + (i + 1), n, n.sameChunk(e.target()));
      }
      out.append("</tbody>\n</table>\n");
    }
  }

  private void exampleRow(String label, ReportData.Chunk c, boolean hit) {
    out.append(hit ? "<tr class=\"hit\">" : "<tr>");
    text(label);
    text(c.docId() + " #" + c.chunkIndex());
    cell(c.cosine() == null ? "" : String.format(java.util.Locale.ROOT, "%.3f", c.cosine()));
    out.append("<td class=\"text\">")
        .append(c.text() == null ? "<i>no text in the corpus</i>" : Html.escape(clip(c.text())))
        .append("</td></tr>\n");
  }

  /** The text cut at a word boundary near {@link #EXAMPLE_TEXT_CHARS}, marked with an ellipsis. */
  static String clip(String text) {
    String t = text.strip().replaceAll("\\s+", " ");
    if (t.length() <= EXAMPLE_TEXT_CHARS) {
      return t;
    }
    int cut = t.lastIndexOf(' ', EXAMPLE_TEXT_CHARS);
    return t.substring(0, cut > EXAMPLE_TEXT_CHARS / 2 ? cut : EXAMPLE_TEXT_CHARS) + " \u2026";
  }

  private void training(String chart) {
    out.append("<h2>Training curves</h2>\n");
    if (chart == null) {
      out.append("<p class=\"muted\">No training history in this evaluation.</p>\n");
      return;
    }
    out.append(
        "<p>Mean training loss and validation Hit@5 (among the validation split's targets, the"
            + " training job's protocol) by epoch, per run.</p>\n");
    image(chart, "Training loss and validation Hit@5 by epoch");
  }

  private void latency(String chart) {
    out.append("<h2>Latency</h2>\n");
    if (data.latencies().isEmpty()) {
      out.append("<p class=\"muted\">No latency measurements in this evaluation.</p>\n");
      return;
    }
    out.append("<table>\n<thead><tr>");
    header("Run", "Model", "C", "p50 ms", "p99 ms", "Windows/s", "Batch", "Device");
    out.append("</tr></thead>\n<tbody>\n");
    List<Latency> sorted =
        data.latencies().stream()
            .sorted(
                Comparator.comparingInt(Latency::contextSize)
                    .thenComparing(Latency::model)
                    .thenComparing(Latency::runId))
            .toList();
    for (Latency l : sorted) {
      out.append("<tr>");
      text(l.runId());
      text(l.model());
      cell(String.valueOf(l.contextSize()));
      cell(Formats.millis(l.p50Millis()));
      cell(Formats.millis(l.p99Millis()));
      cell(Formats.rate(l.windowsPerSecond()));
      cell(String.valueOf(l.batchSize()));
      text(l.device());
      out.append("</tr>\n");
    }
    out.append("</tbody>\n</table>\n");
    if (chart != null) {
      image(chart, "p50 and p99 latency by context size");
    }
  }

  private void header(String... names) {
    for (String name : names) {
      boolean left =
          List.of(
                  "Scorer",
                  "Run",
                  "Model",
                  "Device",
                  "Best baseline",
                  "95% intervals",
                  "",
                  "Chunk",
                  "Text")
              .contains(name);
      out.append(left ? "<th class=\"t\">" : "<th>").append(Html.escape(name)).append("</th>");
    }
  }

  private void text(String value) {
    out.append("<td class=\"t\">").append(Html.escape(value)).append("</td>");
  }

  private void cell(String value) {
    out.append("<td>").append(Html.escape(value)).append("</td>");
  }

  private void image(String file, String alt) {
    out.append("<p><img src=\"")
        .append(Html.escape(file))
        .append("\" alt=\"")
        .append(Html.escape(alt))
        .append("\" width=\"")
        .append(Plot.WIDTH)
        .append("\"></p>\n");
  }
}
