package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.lvm.model.Baselines;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The baselines' predictions ({@link Scorer#predict}, every one a {@link Baselines#meanLastK}) on a
 * hand-computed fixture.
 */
class BaselinePredictionsTest {
  /** Two windows of C = 3 vectors of D = 2, position major. */
  private static final float[] CONTEXTS = {
    1, 0, 0, 2, 3, 4, // window 0: (1,0), (0,2), (3,4)
    -1, 0, 0, -1, 0, 0 // window 1: (-1,0), (0,-1), (0,0): the last vector is zero
  };

  private static float[] predict(Scorer baseline) {
    INDArray contexts = Nd4j.create(CONTEXTS, new long[] {2, 3, 2}, 'c');
    return baseline.predict(contexts).dup('c').data().asFloat();
  }

  @Test
  void meanLastKAveragesTheLastKVectorsAndNormalises() {
    float[] p = predict(Scorer.meanLast(2));
    // Window 0: mean of (0,2) and (3,4) = (1.5, 3), norm 3.354...
    double n0 = Math.hypot(1.5, 3);
    assertThat(p[0]).isCloseTo((float) (1.5 / n0), within(1e-6f));
    assertThat(p[1]).isCloseTo((float) (3 / n0), within(1e-6f));
    // Window 1: mean of (0,-1) and (0,0) = (0, -0.5): unit (0, -1).
    assertThat(p[2]).isCloseTo(0f, within(1e-6f));
    assertThat(p[3]).isCloseTo(-1f, within(1e-6f));
  }

  @Test
  void aKOfCOrMoreIsTheWholeContextAndKOneIsCopyLast() {
    float[] whole = predict(Scorer.MEAN_OF_CONTEXT);
    assertThat(predict(Scorer.meanLast(3))).containsExactly(whole);
    assertThat(predict(Scorer.meanLast(5))).containsExactly(whole);
    // Window 0's whole mean is (4/3, 2): direction (2, 3).
    double n = Math.hypot(2, 3);
    assertThat(whole[0]).isCloseTo((float) (2 / n), within(1e-6f));
    assertThat(whole[1]).isCloseTo((float) (3 / n), within(1e-6f));
    // k = 1 is copy-last, its zero vector included (it stays zero, not NaN).
    assertThat(predict(Scorer.meanLast(1))).containsExactly(predict(Scorer.COPY_LAST));
    assertThat(predict(Scorer.COPY_LAST)).containsExactly(0.6f, 0.8f, 0f, 0f);
  }

  @Test
  void theModelIsNotABaselineAndKMustBePositive() {
    assertThatThrownBy(() -> predict(Scorer.MODEL)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Baselines.meanLastK(Nd4j.create(CONTEXTS, new long[] {2, 3, 2}, 'c'), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void baselinesAreTheLastAndTheMeanContextVectorNormalised() {
    // Two windows, C = 2, D = 2.
    INDArray contexts =
        Nd4j.create(new float[] {3, 4, 0, 2, 1, 0, 1, 0}, new long[] {2, 2, 2}, 'c');
    assertThat(Scorer.COPY_LAST.predict(contexts).data().asFloat()).containsExactly(0, 1, 1, 0);
    float[] mean = Scorer.MEAN_OF_CONTEXT.predict(contexts).data().asFloat();
    // Mean of (3,4) and (0,2) = (1.5, 3), normalised.
    assertThat(mean[0]).isCloseTo((float) (1.5 / Math.sqrt(11.25)), within(1e-6f));
    assertThat(mean[2]).isEqualTo(1f);
  }
}
