package ai.lvm.eval.report;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The evaluation report as files: {@code index.html} and the PNG charts it shows, to be written
 * side by side into one directory. A pure function of its data: rendering the same data twice gives
 * the same bytes.
 */
public final class Report {
  /** The page; always the first file. */
  public static final String INDEX = "index.html";

  /** Training loss and validation Hit@5 by epoch; shipped when some run has history. */
  public static final String TRAINING_CHART = "training-curves.png";

  /** Latency by context size; shipped when latencies were measured. */
  public static final String LATENCY_CHART = "latency.png";

  private static final int TRAINING_PANEL_HEIGHT = 400;

  private Report() {}

  /**
   * File name to bytes, in a stable order: {@link #INDEX}, then {@code hit-at-k-<split>-<bank>.png}
   * per split and bank (val before test), then {@code trend-<split>-<bank>.png} per split and bank
   * with an earlier evaluation, then {@link #TRAINING_CHART} and {@link #LATENCY_CHART} when there
   * is something to draw.
   */
  public static Map<String, byte[]> render(ReportData data) {
    Map<String, byte[]> charts = new LinkedHashMap<>();
    Map<Section, String> hitCharts = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    List<Section> sections = Section.of(data.results());
    for (Section s : sections) {
      String name = unique(names, "hit-at-k-" + slug(s.split()) + "-" + slug(s.bank()));
      hitCharts.put(s, name);
      charts.put(name, Charts.hitAtK(s).png());
    }
    List<Comparisons.Trend> trends = Comparisons.trends(data.trend());
    Map<Comparisons.Trend, String> trendCharts = new LinkedHashMap<>();
    for (Comparisons.Trend t : trends) {
      if (t.evalIds().size() >= 2) {
        String name = unique(names, "trend-" + slug(t.split()) + "-" + slug(t.bank()));
        trendCharts.put(t, name);
        charts.put(name, Charts.trend(t, data.evalId()).png());
      }
    }
    String training = null;
    if (data.curves().stream().anyMatch(c -> !c.epochs().isEmpty())) {
      training = TRAINING_CHART;
      charts.put(
          training,
          Plot.stackedPng(
              Plot.WIDTH,
              TRAINING_PANEL_HEIGHT,
              Charts.training(data.curves(), data.snapshotId())));
    }
    String latency = null;
    if (!data.latencies().isEmpty()) {
      latency = LATENCY_CHART;
      charts.put(latency, Charts.latency(data.latencies()).png());
    }
    String html =
        HtmlPage.render(data, sections, hitCharts, trends, trendCharts, training, latency);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(INDEX, html.getBytes(StandardCharsets.UTF_8));
    files.putAll(charts);
    return files;
  }

  /**
   * A file-name-safe form of a split or bank name: they come from configuration, and a name like
   * {@code ../x} must not escape the report directory.
   */
  static String slug(String name) {
    String slug =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return slug.isEmpty() ? "x" : slug;
  }

  /** {@code base.png}, or {@code base-2.png} and so on when two names slug alike. */
  private static String unique(Set<String> taken, String base) {
    String name = base + ".png";
    for (int i = 2; !taken.add(name); i++) {
      name = base + "-" + i + ".png";
    }
    return name;
  }
}
