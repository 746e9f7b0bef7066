package ai.lvm.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleSummaryTest {
  private static final String TEXT = ConsoleSummary.format(Fixtures.data());

  @Test
  void oneBlockPerSplitAndBankWithEachRunBesideItsBaselines() {
    assertThat(TEXT)
        .contains("Evaluation eval-7  snapshot 20261124T071500Z")
        .contains("val split, corpus bank", "test split, corpus bank")
        .contains("copy-last@5", "mean-ctx@5", "chance@5");
    assertThat(TEXT.indexOf("val split")).isLessThan(TEXT.indexOf("test split"));

    String gru = line(Fixtures.GRU_100);
    assertThat(gru)
        .contains("memory-gru", " 100 ", "75.6% [74.1, 77.0]", "0.600")
        .contains("62.3%", "40.0%", "0.050%"); // copy-last, mean-of-context, chance at C = 100
    assertThat(line(Fixtures.LSTM_500)).contains("66.0%", "45.0%");
  }

  @Test
  void everyBaselineHasAColumnAndEachRunIsComparedWithTheBestOne() {
    assertThat(TEXT).contains("mean-last-3@5", "best baseline", "vs best@5", "95% CIs");
    assertThat(line(Fixtures.GRU_100))
        .contains("65.0%") // mean-last-3 at C = 100
        .containsPattern("mean-last-3 +\\+10\\.6 pts +apart");
    // Intervals touching at 63%: the difference may be noise.
    assertThat(line(Fixtures.LSTM_100)).containsPattern("mean-last-3 +-4\\.0 pts +overlap");
    assertThat(line(Fixtures.GRU_500)).containsPattern("copy-last +\\+4\\.0 pts +overlap");
    assertThat(line(Fixtures.LSTM_500)).containsPattern("copy-last +-8\\.0 pts +apart");
    // The paired comparison: 60 windows only the model hit, 20 only the baseline, of 4,000, in
    // four documents of 1,000 (20/5, 15/5, 15/5 and 10/5): wider by document, still above 0.
    assertThat(TEXT).contains("paired vs best@5 [95%]");
    assertThat(line(Fixtures.GRU_100))
        .contains("+1.0 [+0.6, +1.4] p=8.6e-06, 4 docs [+0.4, +1.6] better");
  }

  @Test
  void theSettingsThatDifferAndTheTrendOverEvaluations() {
    String settings = block("settings that differ between the runs");
    assertThat(settings.lines().findFirst().orElseThrow())
        .containsPattern("run +model +context-size +learning-rate")
        .doesNotContain("hidden-size", "seed");
    assertThat(settings).containsPattern(Fixtures.GRU_500 + " +memory-gru +500 +0\\.001");
    String trend = block("Hit@5 by evaluation, oldest first: test split, corpus bank");
    assertThat(trend.lines().findFirst().orElseThrow()).containsPattern("C +model +eval-6 +eval-7");
    assertThat(trend).containsPattern("100 +memory-gru +70\\.0% +75\\.6%");
    assertThat(trend).containsPattern("500 +lstm +- +58\\.0%");
  }

  /** The lines after the line {@code title} up to the next blank line. */
  private static String block(String title) {
    int start = TEXT.indexOf(title + "\n");
    assertThat(start).as(title).isNotNegative();
    String rest = TEXT.substring(start + title.length() + 1);
    int end = rest.indexOf("\n\n");
    return end < 0 ? rest : rest.substring(0, end);
  }

  @Test
  void columnsAlign() {
    List<String> block = TEXT.lines().dropWhile(l -> !l.contains("Hit@5")).limit(6).toList();
    String header = block.get(0);
    int hit5End = header.indexOf("Hit@5") + "Hit@5".length();
    int runStart = header.indexOf("run");

    for (String row : block.subList(2, block.size())) {
      // Right-aligned: every Hit@5 cell ends where the header does; each row as wide as the rule.
      assertThat(row.charAt(hit5End - 1)).as(row).isEqualTo(']');
      assertThat(row.charAt(hit5End)).as(row).isEqualTo(' ');
      assertThat(row.length()).as(row).isEqualTo(block.get(1).length());
      assertThat(row.substring(runStart)).startsWith(Fixtures.SNAPSHOT);
    }
  }

  @Test
  void latencyLinesOrANoteWhenNoneWereMeasured() {
    assertThat(TEXT).contains("latency").contains("p50 ms", "p99 ms", "cpu (2 threads)", "1.20");

    String none =
        ConsoleSummary.format(
            new ReportData("e", "s", "now", Fixtures.results(), List.of(), List.of()));
    assertThat(none).contains("latency: not measured").contains(Fixtures.GRU_500);

    String empty = ConsoleSummary.format(new ReportData("e", "s", "now", null, null, null));
    assertThat(empty).contains("no evaluation results");
  }

  private static String line(String runId) {
    return TEXT.lines().filter(l -> l.contains(runId)).findFirst().orElseThrow();
  }
}
