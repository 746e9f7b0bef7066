package ai.lvm.eval.report;

import ai.lvm.eval.report.ReportData.RunSettings;
import ai.lvm.eval.report.ReportData.TrendPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the report's comparison sections derive from their data: the settings that tell the runs
 * apart, and this evaluation's Hit@5 beside earlier ones. Shared by the page and the console.
 */
final class Comparisons {
  /** Evaluations a trend shows, this one included: a fortnight of nights stays readable. */
  static final int TREND_EVALUATIONS = 8;

  /** The keys the runs of a sweep are told apart by first, when they vary. */
  private static final List<String> FIRST = List.of("model", "context-size", "seed");

  private Comparisons() {}

  /**
   * The keys whose values differ between the runs (a run without the key counts as a value of its
   * own), model, context size and seed first, then by name. Constant keys are left out: in a grid
   * they are the dozens of settings every run shares.
   */
  static List<String> varyingKeys(List<RunSettings> settings) {
    Set<String> keys = new TreeSet<>();
    settings.forEach(s -> keys.addAll(s.values().keySet()));
    List<String> varying = new ArrayList<>();
    for (String key : keys) {
      Set<String> values = new HashSet<>();
      settings.forEach(s -> values.add(Objects.requireNonNullElse(s.values().get(key), "\0")));
      if (values.size() > 1) {
        varying.add(key);
      }
    }
    varying.sort(
        Comparator.comparingInt((String k) -> FIRST.contains(k) ? FIRST.indexOf(k) : FIRST.size())
            .thenComparing(k -> k));
    return varying;
  }

  /** A run's settings by id; empty values for a run the table did not know. */
  static Map<String, String> settingsOf(List<RunSettings> settings, String runId) {
    return settings.stream()
        .filter(s -> s.runId().equals(runId))
        .findFirst()
        .map(RunSettings::values)
        .orElse(Map.of());
  }

  /**
   * The trend of one split and bank: its evaluations, oldest first (at most {@link
   * #TREND_EVALUATIONS}, the newest), and per (C, model) the best run's Hit@5 in each.
   *
   * @param rows (C, model) to evaluation id to the best row of that (C, model) there
   */
  record Trend(
      String split,
      String bank,
      List<String> evalIds,
      Map<String, String> evaluatedAt,
      Map<Key, Map<String, TrendPoint>> rows) {
    String title() {
      return split + " split, " + bank + " bank";
    }
  }

  /** A trend row: a context size and a model type, in that order. */
  record Key(int contextSize, String model) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = Integer.compare(contextSize, o.contextSize);
      return c != 0 ? c : model.compareTo(o.model);
    }
  }

  /**
   * The trends of some model rows, one per split and bank, in the order of {@link Section}. The
   * best run of a (C, model) represents it in each evaluation: a grid evaluates several runs of the
   * same model, and the trend asks whether the model got better, not whether one run did.
   */
  static List<Trend> trends(List<TrendPoint> points) {
    Map<List<String>, List<TrendPoint>> bySplitBank = new TreeMap<>(splitBankOrder());
    for (TrendPoint p : points) {
      bySplitBank.computeIfAbsent(List.of(p.split(), p.bank()), k -> new ArrayList<>()).add(p);
    }
    List<Trend> trends = new ArrayList<>();
    bySplitBank.forEach(
        (k, ps) -> {
          Map<String, String> at = new TreeMap<>();
          ps.forEach(p -> at.merge(p.evalId(), p.evaluatedAt(), Comparisons::min));
          List<String> ids =
              at.keySet().stream()
                  .sorted(
                      Comparator.comparing((String id) -> at.get(id))
                          .thenComparing(Comparator.naturalOrder()))
                  .toList();
          ids = ids.subList(Math.max(0, ids.size() - TREND_EVALUATIONS), ids.size());
          Set<String> shown = new HashSet<>(ids);
          Map<Key, Map<String, TrendPoint>> rows = new TreeMap<>();
          for (TrendPoint p : ps) {
            if (!shown.contains(p.evalId())) {
              continue;
            }
            rows.computeIfAbsent(new Key(p.contextSize(), p.model()), x -> new LinkedHashMap<>())
                .merge(p.evalId(), p, Comparisons::better);
          }
          Map<String, String> evaluatedAt = new LinkedHashMap<>();
          ids.forEach(id -> evaluatedAt.put(id, at.get(id)));
          trends.add(new Trend(k.get(0), k.get(1), ids, evaluatedAt, rows));
        });
    return trends;
  }

  private static String min(String a, String b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }

  /** The row with the higher Hit@5; ties to the smaller run id, so the choice is stable. */
  private static TrendPoint better(TrendPoint a, TrendPoint b) {
    double x = a.hit5() == null ? Double.NEGATIVE_INFINITY : a.hit5().value();
    double y = b.hit5() == null ? Double.NEGATIVE_INFINITY : b.hit5().value();
    if (x != y) {
      return x > y ? a : b;
    }
    return a.runId().compareTo(b.runId()) <= 0 ? a : b;
  }

  private static Comparator<List<String>> splitBankOrder() {
    return Comparator.comparingInt((List<String> k) -> Section.splitRank(k.get(0)))
        .thenComparing(k -> k.get(0))
        .thenComparing(k -> k.get(1));
  }
}
