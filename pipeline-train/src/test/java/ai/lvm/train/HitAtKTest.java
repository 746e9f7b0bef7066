package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HitAtKTest {

  @Test
  void anOraclePredictionRanksFirst() {
    INDArray targets = LossTest.toArray(LossTest.random(1, 40, 8));
    HitAtK.Result r = HitAtK.evaluate(targets.mul(3.0), targets);
    assertThat(r.ranks()).containsOnly(1);
    assertThat(r.hit(1)).isEqualTo(1.0);
  }

  @Test
  void kAtOrAbovePoolSizeIsAlwaysAHit() {
    INDArray p = LossTest.toArray(LossTest.random(2, 3, 4));
    INDArray t = LossTest.toArray(LossTest.random(3, 3, 4));
    HitAtK.Result r = HitAtK.evaluate(p, t);
    assertThat(r.pool()).isEqualTo(3);
    assertThat(r.hit(3)).isEqualTo(1.0);
    assertThat(r.hit(10)).isEqualTo(1.0);
  }

  @Test
  void aCopyOfTheTargetCountsAsAHit() {
    // Two identical candidates: each prediction ties with the other target and still ranks first.
    INDArray t = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}, {0, 1}});
    INDArray p = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}, {0, 1}});
    HitAtK.Result r = HitAtK.evaluate(p, t);
    assertThat(r.ranks()).containsExactly(1, 1, 1);
    assertThat(r.hit(1)).isEqualTo(1.0);
  }

  @Test
  void ranksCountOnlyStrictlyBetterCandidates() {
    INDArray t = Nd4j.createFromArray(new double[][] {{1, 0}, {0.8, 0.6}, {0, 1}});
    // Prediction 0 points at target 2: targets 2 and 1 beat target 0 -> rank 3.
    INDArray p = Nd4j.createFromArray(new double[][] {{0, 1}, {0.8, 0.6}, {0.6, 0.8}});
    assertThat(HitAtK.evaluate(p, t).ranks()).containsExactly(3, 1, 2);
  }

  @Test
  void nanPredictionsRankLast() {
    INDArray t = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
    INDArray p = Nd4j.createFromArray(new double[][] {{Double.NaN, 0}, {0, 1}});
    assertThat(HitAtK.evaluate(p, t).ranks()).containsExactly(2, 1);
  }

  @Test
  void randomPredictionsHitAboutKOverN() {
    int n = 600; // > one 512-row block, so blocking is exercised
    HitAtK.Result r =
        HitAtK.evaluate(
            LossTest.toArray(LossTest.random(4, n, 16)),
            LossTest.toArray(LossTest.random(5, n, 16)));
    assertThat(r.hit(10)).isBetween(0.005, 0.04);
    assertThat(r.meanRank()).isBetween(n * 0.4, n * 0.6);
  }
}
