package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.metrics.Interval;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BestBaselineTest {
  private static EvalResult row(Scorer scorer, int c, Integer lane, double hit5, double mrr) {
    Interval h = new Interval(hit5, hit5 - 0.02, hit5 + 0.02);
    return new EvalResult(
        "run",
        "gru",
        scorer,
        c,
        "test",
        "corpus",
        lane,
        100,
        1000,
        990,
        h,
        h,
        h,
        new Interval(mrr, mrr, mrr),
        h,
        0.001,
        0.005,
        0.01,
        null,
        null);
  }

  @Test
  void theHighestHit5BaselineOfEachContextSizeAndLaneIsNamedAndModelsAreNotBaselines() {
    EvalResult model = row(Scorer.MODEL, 100, null, 0.90, 0.5);
    EvalResult copy100 = row(Scorer.COPY_LAST, 100, null, 0.60, 0.5);
    EvalResult last3At100 = row(Scorer.meanLast(3), 100, null, 0.65, 0.5);
    EvalResult copy500 = row(Scorer.COPY_LAST, 500, null, 0.70, 0.5);
    EvalResult last3At500 = row(Scorer.meanLast(3), 500, null, 0.50, 0.5);
    EvalResult copyLane = row(Scorer.COPY_LAST, 100, 2, 0.80, 0.5);
    EvalResult last3Lane = row(Scorer.meanLast(3), 100, 2, 0.30, 0.5);
    List<EvalResult> rows =
        List.of(model, copy100, last3At100, copy500, last3At500, copyLane, last3Lane);

    Map<BestBaseline.Key, EvalResult> best = BestBaseline.of(rows);

    assertThat(best).hasSize(3);
    assertThat(best.get(BestBaseline.Key.of(model))).isEqualTo(last3At100);
    assertThat(best.get(BestBaseline.Key.of(copy500))).isEqualTo(copy500);
    assertThat(best.get(BestBaseline.Key.of(copyLane))).isEqualTo(copyLane);
    assertThat(BestBaseline.of(rows, model)).contains(last3At100);
    assertThat(BestBaseline.of(List.of(model), model)).isEmpty();
  }

  @Test
  void tiesGoToTheHigherMrrThenToTheSimplerBaselineWhateverTheRowOrder() {
    EvalResult a = row(Scorer.meanLast(5), 100, null, 0.6, 0.40);
    EvalResult b = row(Scorer.meanLast(3), 100, null, 0.6, 0.40);
    EvalResult c = row(Scorer.MEAN_OF_CONTEXT, 100, null, 0.6, 0.30);
    EvalResult nan = row(Scorer.COPY_LAST, 100, null, Double.NaN, 0.9);
    for (List<EvalResult> order : List.of(List.of(a, b, c, nan), List.of(nan, c, b, a))) {
      assertThat(BestBaseline.of(order).values()).containsExactly(b);
      assertThat(BestBaseline.of(order, a)).contains(b);
    }
  }

  @Test
  void differenceInPointsAndIntervalOverlap() {
    EvalResult model = row(Scorer.MODEL, 100, null, 0.756, 0.5);
    EvalResult base = row(Scorer.COPY_LAST, 100, null, 0.65, 0.5);
    assertThat(BestBaseline.hit5DifferencePoints(model, base))
        .isCloseTo(10.6, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(BestBaseline.overlap(model.hit5(), base.hit5())).isFalse();
    // Touching bounds overlap: the difference may be noise.
    assertThat(BestBaseline.overlap(new Interval(0.5, 0.4, 0.6), new Interval(0.7, 0.6, 0.8)))
        .isTrue();
    assertThat(BestBaseline.overlap(new Interval(0.7, 0.6, 0.8), new Interval(0.5, 0.4, 0.6)))
        .isTrue();
  }

  /**
   * Apart needs the intervals by document apart too, where both rows have one: the Python docs' gru
   * at C = 500 (Wilson apart by 0.5 points, by document overlapping by 0.7) reads "apart by window
   * only".
   */
  @Test
  void apartNeedsTheIntervalsByDocumentApartWhereBothHaveOne() {
    EvalResult model = row(Scorer.MODEL, 500, null, 0.172, 0.1);
    EvalResult base = row(Scorer.contextAr(5), 500, null, 0.13, 0.1);
    assertThat(BestBaseline.separation(model, base)).isEqualTo(BestBaseline.Separation.APART);
    Interval modelByDocument = new Interval(0.172, 0.148, 0.197);
    Interval baseByDocument = new Interval(0.13, 0.112, 0.154);
    assertThat(
            BestBaseline.separation(
                model.withHit5ByDocument(modelByDocument), base.withHit5ByDocument(baseByDocument)))
        .isEqualTo(BestBaseline.Separation.APART_BY_WINDOW_ONLY);
    assertThat(
            BestBaseline.separation(
                model.withHit5ByDocument(new Interval(0.172, 0.16, 0.19)),
                base.withHit5ByDocument(baseByDocument)))
        .isEqualTo(BestBaseline.Separation.APART);
    // Only one side with an interval by document: the Wilson verdict stands.
    assertThat(BestBaseline.separation(model.withHit5ByDocument(modelByDocument), base))
        .isEqualTo(BestBaseline.Separation.APART);
    EvalResult close = row(Scorer.contextAr(5), 500, null, 0.16, 0.1);
    assertThat(BestBaseline.separation(model, close)).isEqualTo(BestBaseline.Separation.OVERLAP);
  }
}
