package ai.lvm.eval.report;

import ai.lvm.eval.BestBaseline;
import ai.lvm.eval.EvalResult;
import ai.lvm.eval.Scorer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The results of one split against one candidate bank: one table, one chart and one console block.
 *
 * @param split {@code val} or {@code test}
 * @param bank {@code corpus} or {@code split-targets}
 * @param rows model rows, and one baseline row per scorer, context size and lane, in display order
 */
record Section(String split, String bank, List<EvalResult> rows) {

  /** Lane (overall first), context size, scorer (model first), run: the order tables read in. */
  private static final Comparator<EvalResult> ORDER =
      Comparator.comparing(EvalResult::lane, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingInt(EvalResult::contextSize)
          .thenComparing(EvalResult::scorer)
          .thenComparing(EvalResult::runId);

  /** The sections of some results: splits in pipeline order (val, then test), banks by name. */
  static List<Section> of(List<EvalResult> results) {
    Map<List<String>, List<EvalResult>> bySplitBank = new LinkedHashMap<>();
    results.stream()
        .sorted(
            Comparator.comparingInt((EvalResult r) -> splitRank(r.split()))
                .thenComparing(EvalResult::split)
                .thenComparing(EvalResult::bank)
                .thenComparing(ORDER))
        .forEach(
            r ->
                bySplitBank
                    .computeIfAbsent(List.of(r.split(), r.bank()), k -> new ArrayList<>())
                    .add(r));
    List<Section> sections = new ArrayList<>();
    bySplitBank.forEach((k, rows) -> sections.add(new Section(k.get(0), k.get(1), distinct(rows))));
    return sections;
  }

  static int splitRank(String split) {
    return switch (split) {
      case "train" -> 0;
      case "val" -> 1;
      case "test" -> 2;
      default -> 3;
    };
  }

  /**
   * Keeps every model row but one baseline row per scorer, context size and lane. Each run's
   * evaluation scores the baselines on its own windows, and within one snapshot the windows are
   * fixed by the context size, so runs of the same C repeat the same baseline numbers.
   */
  private static List<EvalResult> distinct(List<EvalResult> sorted) {
    Set<List<Object>> seen = new HashSet<>();
    List<EvalResult> kept = new ArrayList<>();
    for (EvalResult r : sorted) {
      if (r.scorer().isModel() || seen.add(List.of(r.scorer(), r.contextSize(), lane(r)))) {
        kept.add(r);
      }
    }
    return List.copyOf(kept);
  }

  private static Object lane(EvalResult r) {
    return r.lane() == null ? "all" : r.lane(); // List.of refuses null
  }

  /** Rows over all windows (lane null). */
  List<EvalResult> overall() {
    return rows.stream().filter(r -> r.lane() == null).toList();
  }

  /** Per-lane breakdown rows; empty when the evaluation had no lanes. */
  List<EvalResult> lanes() {
    return rows.stream().filter(r -> r.lane() != null).toList();
  }

  /** Context sizes of the overall rows, ascending. */
  List<Integer> contextSizes() {
    return overall().stream().map(EvalResult::contextSize).distinct().sorted().toList();
  }

  /** Overall rows of the runs' models, by context size then run. */
  List<EvalResult> models() {
    return overall().stream().filter(r -> r.scorer().isModel()).toList();
  }

  /** The baselines of the overall rows, in {@link Scorer} order: one console column each. */
  List<Scorer> baselines() {
    return overall().stream()
        .map(EvalResult::scorer)
        .filter(s -> !s.isModel())
        .distinct()
        .sorted()
        .toList();
  }

  /** The best baseline ({@link BestBaseline}) on the windows and lane of a row. */
  Optional<EvalResult> bestBaseline(EvalResult row) {
    return BestBaseline.of(rows, row);
  }

  /** The overall row of a baseline at a context size. */
  Optional<EvalResult> baseline(Scorer scorer, int contextSize) {
    return overall().stream()
        .filter(r -> r.scorer().equals(scorer) && r.contextSize() == contextSize)
        .findFirst();
  }

  /**
   * Any overall row at a context size, for its chance levels and candidates: those depend on the
   * windows and the bank only, not on the scorer.
   */
  Optional<EvalResult> chance(int contextSize) {
    return overall().stream().filter(r -> r.contextSize() == contextSize).findFirst();
  }

  /** A heading: {@code test split, corpus bank}. */
  String title() {
    return split + " split, " + bank + " bank";
  }
}
