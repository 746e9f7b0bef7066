package ai.lvm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankMetricsTest {
  private static final int D = 16;

  /** Unit vectors, flat. */
  private static float[] bank(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] out = new float[n * D];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < D; j++) {
        out[i * D + j] = (float) (rng.nextDouble() * 2 - 1);
        s += out[i * D + j] * out[i * D + j];
      }
      for (int j = 0; j < D; j++) {
        out[i * D + j] /= (float) Math.sqrt(s);
      }
    }
    return out;
  }

  /** Rank of candidate {@code target} for {@code query} over the whole bank, itself excluded. */
  private static long rank(float[] bank, int n, float[] query, int target) {
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      scores[i] = Ranking.dot(query, 0, bank, i * D, D);
    }
    return 1 + Ranking.countAbove(scores, 0, n, scores[target], i -> i == target);
  }

  @Test
  void anOraclePredictorScoresHitAt1OfOne() {
    int n = 500;
    float[] bank = bank(n, 1);
    long[] ranks = new long[n];
    double[] cos = new double[n];
    for (int t = 0; t < n; t++) {
      float[] query = java.util.Arrays.copyOfRange(bank, t * D, t * D + D);
      ranks[t] = rank(bank, n, query, t);
      cos[t] = Ranking.dot(query, 0, bank, t * D, D);
    }
    RankMetrics m = RankMetrics.of(ranks, cos);
    assertThat(m.hits().get(1).value()).isEqualTo(1.0);
    assertThat(m.mrr().value()).isEqualTo(1.0);
    assertThat(m.meanCosine().value()).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void aRandomPredictorScoresAboutKOverNWithinItsInterval() {
    int n = 200;
    float[] bank = bank(n, 2);
    float[] queries = bank(2000, 3);
    long[] ranks = new long[2000];
    double[] cos = new double[2000];
    SplittableRandom rng = new SplittableRandom(4);
    for (int q = 0; q < 2000; q++) {
      int target = rng.nextInt(n);
      float[] query = java.util.Arrays.copyOfRange(queries, q * D, q * D + D);
      ranks[q] = rank(bank, n, query, target);
      cos[q] = Ranking.dot(query, 0, bank, target * D, D);
    }
    RankMetrics m = RankMetrics.of(ranks, cos);
    for (int k : RankMetrics.KS) {
      Interval hit = m.hits().get(k);
      double chance = Ranking.chance(k, n);
      assertThat(chance).as("Hit@%d", k).isBetween(hit.low(), hit.high());
    }
  }

  @Test
  void tiesAndCopiesOfTheTargetCountAsHits() {
    double[] scores = {0.9, 0.5, 0.9, 0.95};
    // Target is index 0 (0.9): one candidate scores higher, the copy at index 2 ties.
    assertThat(1 + Ranking.countAbove(scores, 0, 4, scores[0], i -> i == 0)).isEqualTo(2);
  }

  @Test
  void excludedCandidatesNeverCount() {
    double[] scores = {0.1, 0.99, 0.98, 0.2};
    // The context chunks 1 and 2 score higher than the target at 0 but are excluded.
    assertThat(Ranking.countAbove(scores, 0, 4, scores[0], i -> i == 1 || i == 2)).isEqualTo(1);
  }

  @Test
  void kLargerThanTheBankCapsChanceAtOne() {
    assertThat(Ranking.chance(10, 4)).isEqualTo(1.0);
    assertThat(Ranking.chance(5, 1000)).isEqualTo(0.005);
    RankMetrics m = RankMetrics.of(new long[] {1, 2, 3, 4}, new double[] {1, 1, 1, 1});
    assertThat(m.hits().get(10).value()).isEqualTo(1.0);
  }

  @Test
  void wilsonMatchesTheFormulaOnKnownValues() {
    // 75.65% Hit@5 on 115 windows (the reference's Phase-3): the formula by hand.
    Interval i = Interval.wilson(87, 115);
    double p = 87.0 / 115;
    double z = Interval.Z95;
    double centre = (p + z * z / 230) / (1 + z * z / 115);
    double half = z * Math.sqrt(p * (1 - p) / 115 + z * z / (4.0 * 115 * 115)) / (1 + z * z / 115);
    assertThat(i.low()).isCloseTo(centre - half, within(1e-12));
    assertThat(i.high()).isCloseTo(centre + half, within(1e-12));
    // About +-8 points there, as the reference's own Phase-3 figures showed (docs/protocols.md).
    assertThat((i.high() - i.low()) / 2).isCloseTo(0.078, within(0.01));
    assertThat(Interval.wilson(0, 10).low()).isZero();
    assertThat(Interval.wilson(10, 10).high()).isEqualTo(1.0);
  }

  @Test
  void meanIntervalIsTheNormalApproximation() {
    Interval i = Interval.mean(new double[] {1, 2, 3, 4});
    double s = Math.sqrt(((1.5 * 1.5) * 2 + 0.5 * 0.5 * 2) / 3);
    assertThat(i.value()).isEqualTo(2.5);
    assertThat(i.high() - i.value()).isCloseTo(Interval.Z95 * s / 2, within(1e-12));
  }
}
