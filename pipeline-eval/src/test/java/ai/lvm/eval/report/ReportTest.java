package ai.lvm.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.eval.EvalResult;
import ai.lvm.eval.Scorer;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static Map<String, byte[]> files;
  private static String html;

  @BeforeAll
  static void renderOnce() {
    files = Report.render(Fixtures.data());
    html = new String(files.get(Report.INDEX), StandardCharsets.UTF_8);
  }

  @Test
  void shipsThePageThenOneChartPerSplitAndBankThenTrainingAndLatency() {
    assertThat(files.keySet())
        .containsExactly(
            "index.html",
            "hit-at-k-val-corpus.png",
            "hit-at-k-test-corpus.png",
            "trend-test-corpus.png",
            "training-curves.png",
            "latency.png");
  }

  @Test
  void runsTableShowsTheSettingsThatVaryBesideHitAtKAndTheBestBaseline() {
    String runs = between(html, "<h2>Runs and their settings</h2>", "<h2>");
    // The header of a table: the varying keys, model and C first, and not the shared ones.
    assertThat(runs)
        .contains(
            "<th class=\"t\">Run</th><th class=\"t\">model</th><th class=\"t\">context-size"
                + "</th><th class=\"t\">learning-rate</th><th>Hit@1</th>")
        .doesNotContain("hidden-size", ">seed<");
    // GRU_100's row: its learning rate, Hit@5 with interval, and mean-last-3, the best baseline
    // at C = 100, with its Hit@5.
    String row = between(runs, "<td class=\"t\">" + Fixtures.GRU_100 + "</td>", "</tr>");
    assertThat(row)
        .contains("<td class=\"t\">0.0003</td>", "75.6% [74.1, 77.0]", "mean-last-3")
        .contains("65.0% [63.0, 67.0]");
    // Within a context size, the best Hit@5 first: memory-gru (75.6%) before lstm (61%).
    assertThat(runs.indexOf(Fixtures.GRU_100)).isLessThan(runs.indexOf(Fixtures.LSTM_100));
    assertThat(count(runs, "<h3>")).as("one table per split and bank").isEqualTo(2);
  }

  @Test
  void trendListsTheEarlierEvaluationBesideThisOneWithEachModelsBestRun() {
    String trend = between(html, "<h2>Trend across evaluations</h2>", "<h2>");
    assertThat(trend)
        .contains("1. eval-6</th>", "2. eval-7 (this)</th>")
        .contains("test split, corpus bank")
        .doesNotContain("val split");
    // memory-gru at C = 100: the better of last night's two runs, then tonight's.
    String gru100 = between(trend, "<td>100</td><td class=\"t\">memory-gru</td>", "</tr>");
    assertThat(gru100).contains("70.0% [68.0, 72.0]", "75.6% [74.1, 77.0]").doesNotContain("65.0");
    // lstm at C = 500 was not evaluated last night: an empty cell, then tonight's.
    String lstm500 = between(trend, "<td>500</td><td class=\"t\">lstm</td>", "</tr>");
    assertThat(lstm500).startsWith("<td></td><td>58.0% [56.0, 60.0]</td>");
  }

  @Test
  void exampleWindowsShowTheTargetTextBesideTheTopNeighboursEscapedAndCut() {
    String examples = between(html, "<h2>Example windows</h2>", "<h2>");
    assertThat(examples)
        .contains(
            "Window 4711 (C = 100): target ranked 2", "Window 815 (C = 100): target ranked 42")
        .contains("The &lt;b&gt;cat&lt;/b&gt; sat on the mat.", "Before the cat came.")
        .contains("A dog sat on the rug.")
        .doesNotContain("<b>cat</b>", "LAST-WORD")
        .contains("word word \u2026")
        .contains("no text in the corpus");
    // The target among the neighbours (#2) is highlighted, the others are not.
    assertThat(examples).containsPattern("<tr class=\"hit\"><td class=\"t\">#2</td>");
    assertThat(count(examples, "class=\"hit\"")).isEqualTo(1);
    assertThat(HtmlPage.clip("short  text\n")).isEqualTo("short text");
  }

  @Test
  void everyChartDecodesAtItsSizeAndIsNotBlank() {
    files.forEach(
        (name, bytes) -> {
          if (name.endsWith(".png")) {
            BufferedImage image = Pngs.decode(bytes);
            assertThat(image.getWidth()).as(name).isEqualTo(Plot.WIDTH);
            assertThat(image.getHeight())
                .as(name)
                .isEqualTo(name.equals(Report.TRAINING_CHART) ? 800 : Plot.HEIGHT);
            assertThat(Pngs.inkPixels(image)).as(name).isGreaterThan(5_000);
          }
        });
  }

  @Test
  void pageShowsEveryRunWithItsIntervalsBaselinesAndChance() {
    assertThat(html)
        .contains(Fixtures.GRU_100, Fixtures.GRU_500, Fixtures.LSTM_100, Fixtures.LSTM_500)
        .contains("Evaluation eval-7, snapshot 20261124T071500Z")
        .contains("75.6% [74.1, 77.0]") // Hit@5 of GRU_100
        .contains("37.8% [37.1, 38.5]") // its Hit@1
        .contains("0.600 [0.590, 0.610]") // MRR
        .contains("0.710 [0.700, 0.720]") // mean cosine
        .contains(">copy-last<", ">mean-of-context<", ">chance<")
        .contains("0.050%") // chance Hit@5: 5 / 9,990.5
        .contains("4,000", "9,991") // windows, mean candidates 9,990.5
        .contains("How to read this", "Wilson");
  }

  @Test
  void baselinesAppearOncePerContextSizeNotOncePerRun() {
    // Two runs per C scored the baselines; each split's table shows one copy-last row per C.
    int rows = count(html, "<tr class=\"baseline\"><td class=\"t\">copy-last</td>");
    assertThat(rows).isEqualTo(2 /* splits */ * 2 /* C */);
  }

  @Test
  void everyBaselineIsShownAndEachModelIsComparedWithTheBestOne() {
    assertThat(count(html, "<tr class=\"baseline\"><td class=\"t\">mean-last-3</td>"))
        .isEqualTo(2 /* splits */ * 2 /* C */);
    assertThat(count(html, "Models against the best baseline (Hit@5)")).isEqualTo(2);
    assertThat(html).contains("<i>mean-last-k</i>");
    String gru100 = comparisonRow(Fixtures.GRU_100);
    assertThat(gru100).contains(">mean-last-3<", ">65.0% [63.0, 67.0]<", ">+10.6 pts<", ">apart<");
    assertThat(comparisonRow(Fixtures.LSTM_100)).contains(">-4.0 pts<", ">overlap: may be noise<");
    assertThat(comparisonRow(Fixtures.GRU_500)).contains(">copy-last<", ">+4.0 pts<");
  }

  /** The first row of the comparison table that names {@code runId}. */
  private static String comparisonRow(String runId) {
    String table = html.substring(html.indexOf("Models against the best baseline"));
    int at = table.indexOf(">" + runId + "<");
    return table.substring(table.lastIndexOf("<tr>", at), table.indexOf("</tr>", at));
  }

  @Test
  void laneTableOnlyWhereLanesExist() {
    assertThat(count(html, "By target lane")).isEqualTo(1);
    assertThat(html).contains("80.0% [75.0, 85.0]");
  }

  @Test
  void referencesEachChartItShipsAndNothingElse() {
    List<String> sources = new ArrayList<>();
    Matcher m = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
    while (m.find()) {
      sources.add(m.group(1));
    }
    List<String> charts = files.keySet().stream().filter(n -> n.endsWith(".png")).toList();

    assertThat(sources).containsExactlyInAnyOrderElementsOf(charts);
  }

  @Test
  void escapesStringsFromData() {
    List<EvalResult> results = new ArrayList<>(Fixtures.results());
    results.add(
        Fixtures.model("<script>alert('x')</script>", "m&m", 100, "test", null, 0.5, 0.4, 0.6));
    ReportData data =
        new ReportData("e<1>", "\"snap\"", "now", results, Fixtures.latencies(), List.of());

    String page = page(Report.render(data));

    assertThat(page)
        .doesNotContain("<script>", "e<1>", "\"snap\"")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "m&amp;m", "e&lt;1&gt;");
  }

  @Test
  void renderingIsDeterministic() {
    Map<String, byte[]> again = Report.render(Fixtures.data());

    assertThat(again.keySet()).containsExactlyElementsOf(files.keySet());
    files.forEach((name, bytes) -> assertThat(again.get(name)).as(name).isEqualTo(bytes));
  }

  @Test
  void noLatencyNoCurvesAndOneContextSize() {
    List<EvalResult> c100 =
        Fixtures.results().stream().filter(r -> r.contextSize() == 100).toList();
    Map<String, byte[]> out =
        Report.render(new ReportData("e", Fixtures.SNAPSHOT, "now", c100, List.of(), null));

    assertThat(out.keySet())
        .containsExactly("index.html", "hit-at-k-val-corpus.png", "hit-at-k-test-corpus.png");
    assertThat(page(out))
        .contains("No latency measurements", "No training history")
        .doesNotContain("latency.png", "training-curves.png");
    assertThat(Pngs.inkPixels(Pngs.decode(out.get("hit-at-k-test-corpus.png"))))
        .isGreaterThan(5_000);
  }

  @Test
  void noResultsAtAll() {
    Map<String, byte[]> out =
        Report.render(new ReportData("e", "s", "now", List.of(), List.of(), List.of()));

    assertThat(out.keySet()).containsExactly("index.html");
    assertThat(page(out)).contains("No evaluation results.");
  }

  @Test
  void splitAndBankNamesCannotEscapeTheReportDirectory() {
    EvalResult odd = Fixtures.row("r", "m", Scorer.MODEL, 100, "../../etc", null, 0.5, 0.4, 0.6);

    Map<String, byte[]> out =
        Report.render(new ReportData("e", "s", "now", List.of(odd), List.of(), List.of()));

    assertThat(out.keySet()).contains("hit-at-k-etc-corpus.png");
    assertThat(Report.slug("Test Split/2")).isEqualTo("test-split-2");
  }

  /** The text after the first {@code from} up to the next {@code to} (or the end). */
  private static String between(String text, String from, String to) {
    int start = text.indexOf(from);
    assertThat(start).as("'%s' in the page", from).isNotNegative();
    start += from.length();
    int end = text.indexOf(to, start);
    return text.substring(start, end < 0 ? text.length() : end);
  }

  private static String page(Map<String, byte[]> out) {
    return new String(out.get(Report.INDEX), StandardCharsets.UTF_8);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
