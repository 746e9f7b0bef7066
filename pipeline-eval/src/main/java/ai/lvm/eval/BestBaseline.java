package ai.lvm.eval;

import ai.lvm.metrics.Interval;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The baseline a model has to beat: per context size, split, bank and lane, the baseline with the
 * highest Hit@5 on the same windows. A model is read against the strongest untrained predictor, not
 * against whichever one a table happens to show first.
 */
public final class BestBaseline {
  /**
   * Highest Hit@5 first; equal Hit@5 goes to the higher MRR, then to the simpler baseline ({@link
   * Scorer}'s order), so the choice never depends on the order of the rows.
   */
  private static final Comparator<EvalResult> BEST_FIRST =
      Comparator.comparingDouble((EvalResult r) -> r.hit5().value())
          .thenComparingDouble(r -> r.mrr() == null ? Double.NEGATIVE_INFINITY : r.mrr().value())
          .reversed()
          .thenComparing(EvalResult::scorer);

  private BestBaseline() {}

  /** What a baseline row is compared within: one context size, split, bank and lane. */
  public record Key(int contextSize, String split, String bank, Integer lane) {
    public static Key of(EvalResult r) {
      return new Key(r.contextSize(), r.split(), r.bank(), r.lane());
    }
  }

  /**
   * The best baseline row of each key among {@code results}. Rows without a finite Hit@5 cannot be
   * ranked and are left out; a key with no baseline row has no entry. Baseline rows repeated for
   * every run of a context size carry the same numbers, so any copy serves.
   */
  public static Map<Key, EvalResult> of(Collection<EvalResult> results) {
    Map<Key, EvalResult> best = new HashMap<>();
    for (EvalResult r : results) {
      if (r.scorer().isModel() || !ranked(r)) {
        continue;
      }
      best.merge(Key.of(r), r, (a, b) -> BEST_FIRST.compare(a, b) <= 0 ? a : b);
    }
    return best;
  }

  /** The best baseline row among {@code rows} at the key of {@code row}. */
  public static Optional<EvalResult> of(Collection<EvalResult> rows, EvalResult row) {
    Key key = Key.of(row);
    return rows.stream()
        .filter(r -> !r.scorer().isModel() && ranked(r) && Key.of(r).equals(key))
        .min(BEST_FIRST);
  }

  /** {@code a}'s Hit@5 minus {@code b}'s, in percentage points; NaN where one has none. */
  public static double hit5DifferencePoints(EvalResult a, EvalResult b) {
    if (a.hit5() == null || b.hit5() == null) {
      return Double.NaN;
    }
    return 100 * (a.hit5().value() - b.hit5().value());
  }

  /**
   * Whether the two 95% intervals share a point. Overlap does not prove the difference is noise,
   * but disjoint intervals are a difference no reader should doubt; the report says which.
   */
  public static boolean overlap(Interval a, Interval b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    return a.low() <= b.high() && b.low() <= a.high();
  }

  /** How a model's Hit@5 interval stands against a baseline's ({@link #separation}). */
  public enum Separation {
    /** Apart by window and, where both rows have one, by document: a difference to rely on. */
    APART,
    /**
     * The Wilson intervals are apart but the intervals by document overlap: the gap rests on
     * counting neighbouring windows of one document as independent, and may be noise.
     */
    APART_BY_WINDOW_ONLY,
    /** The Wilson intervals overlap: the difference may be noise. */
    OVERLAP
  }

  /**
   * {@link Separation#APART} only when {@link #overlap} is false for the Wilson intervals and,
   * where both rows have a Hit@5 interval by document ({@link EvalResult#hit5ByDocument}), for
   * those too.
   */
  public static Separation separation(EvalResult model, EvalResult baseline) {
    if (overlap(model.hit5(), baseline.hit5())) {
      return Separation.OVERLAP;
    }
    Interval a = model.hit5ByDocument();
    Interval b = baseline.hit5ByDocument();
    return a != null && b != null && overlap(a, b)
        ? Separation.APART_BY_WINDOW_ONLY
        : Separation.APART;
  }

  private static boolean ranked(EvalResult r) {
    return r.hit5() != null && Double.isFinite(r.hit5().value());
  }
}
