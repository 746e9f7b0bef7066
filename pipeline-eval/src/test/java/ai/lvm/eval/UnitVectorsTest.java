package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The baselines' vector functions on a hand-computed fixture. */
class UnitVectorsTest {
  /** Two windows of C = 3 vectors of D = 2, position major. */
  private static final float[] CONTEXTS = {
    1, 0, 0, 2, 3, 4, // window 0: (1,0), (0,2), (3,4)
    -1, 0, 0, -1, 0, 0 // window 1: (-1,0), (0,-1), (0,0): the last vector is zero
  };

  @Test
  void meanLastKAveragesTheLastKVectorsAndNormalises() {
    float[] p = UnitVectors.meanLast(CONTEXTS, 2, 3, 2, 2);
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
    float[] whole = UnitVectors.meanOfContext(CONTEXTS, 2, 3, 2);
    assertThat(UnitVectors.meanLast(CONTEXTS, 2, 3, 2, 3)).containsExactly(whole);
    assertThat(UnitVectors.meanLast(CONTEXTS, 2, 3, 2, 5)).containsExactly(whole);
    // Window 0's whole mean is (4/3, 2): direction (2, 3).
    double n = Math.hypot(2, 3);
    assertThat(whole[0]).isCloseTo((float) (2 / n), within(1e-6f));
    assertThat(whole[1]).isCloseTo((float) (3 / n), within(1e-6f));
    // k = 1 is copy-last, its zero vector included (it stays zero, not NaN).
    assertThat(UnitVectors.meanLast(CONTEXTS, 2, 3, 2, 1))
        .containsExactly(UnitVectors.copyLast(CONTEXTS, 2, 3, 2));
    assertThat(UnitVectors.copyLast(CONTEXTS, 2, 3, 2)).containsExactly(0.6f, 0.8f, 0f, 0f);
  }

  @Test
  void predictDispatchesOnTheBaselineAndRefusesTheModel() {
    assertThat(UnitVectors.predict(Scorer.meanLast(2), CONTEXTS, 2, 3, 2))
        .containsExactly(UnitVectors.meanLast(CONTEXTS, 2, 3, 2, 2));
    assertThat(UnitVectors.predict(Scorer.COPY_LAST, CONTEXTS, 2, 3, 2))
        .containsExactly(UnitVectors.copyLast(CONTEXTS, 2, 3, 2));
    assertThat(UnitVectors.predict(Scorer.MEAN_OF_CONTEXT, CONTEXTS, 2, 3, 2))
        .containsExactly(UnitVectors.meanOfContext(CONTEXTS, 2, 3, 2));
    assertThatThrownBy(() -> UnitVectors.predict(Scorer.MODEL, CONTEXTS, 2, 3, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UnitVectors.meanLast(CONTEXTS, 2, 3, 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
