package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Mix}: gradients against finite differences at both read-outs, the dense read-out causal
 * and ending at the whole-window prediction, and learning a lag weighting it can represent exactly.
 * A new model's start at exactly its base is DenseReadoutTest's, with the recurrent models'.
 */
class MixTest {
  private static final int B = 3;
  private static final int C = 6;
  private static final int D = 5;

  private static INDArray unitRows(INDArray a) {
    return a.divColumnVector(a.norm2(1).reshape(a.size(0), 1));
  }

  private static INDArray contexts(DataType type, long seed, int b, int c, int d) {
    Nd4j.getRandom().setSeed(seed);
    return unitRows(Nd4j.randn(type, (long) b * c, d)).reshape(b, c, d);
  }

  /**
   * lags 4 < C exercises the missing lags at early positions; lags 9 > C, lags beyond the window.
   */
  private static ModelSpec spec(int baseK, int lags, double dropout) {
    return new ModelSpec(Mix.TYPE, D, 1, 1, 1, dropout, PredictionMode.BASE, 5, baseK, lags);
  }

  @ParameterizedTest
  @EnumSource(Readout.class)
  void gradientsMatchFiniteDifferences(Readout readout) {
    for (int lags : new int[] {4, 9}) {
      LatentVectorModel m = Models.create(spec(2, lags, 0.0), DataType.DOUBLE);
      GradCheck.perturb(m, 8, 0.3);
      INDArray x = contexts(DataType.DOUBLE, 3, B, C, D);
      double worst = GradCheck.checkModel(m, x, readout, 9, 21);
      assertThat(worst).as("lags " + lags).isLessThan(1e-6);
    }
  }

  @Test
  void densePredictionsAreCausalAndEndWithTheWholeWindowPrediction() {
    LatentVectorModel m = Models.create(spec(3, 4, 0.0), DataType.DOUBLE);
    GradCheck.perturb(m, 2, 0.3);
    INDArray x = contexts(DataType.DOUBLE, 6, B, C, D);
    INDArray every = m.forward(x, false, Readout.EVERY).dup();
    INDArray last = m.forward(x, false, Readout.LAST);
    INDArray lastRows =
        every.get(NDArrayIndex.interval((long) (C - 1) * B, (long) C * B), NDArrayIndex.all());
    assertThat(lastRows.sub(last).amaxNumber().doubleValue()).isLessThan(1e-12);

    INDArray changed = x.dup();
    changed.get(NDArrayIndex.all(), NDArrayIndex.point(3), NDArrayIndex.all()).muli(-1);
    INDArray after = m.forward(changed, false, Readout.EVERY);
    INDArray diff = after.sub(every);
    assertThat(diff.get(NDArrayIndex.interval(0, 3L * B), NDArrayIndex.all()).amaxNumber())
        .isEqualTo(0.0);
    assertThat(
            diff.get(NDArrayIndex.interval(3L * B, 4L * B), NDArrayIndex.all())
                .amaxNumber()
                .doubleValue())
        .isGreaterThan(1e-6);
  }

  /**
   * The next vector is the second-to-last context vector: mean-last-3 plus lag weights (-1/3, 2/3,
   * -1/3) is exactly that, so the model must reach it from its mean-last-3 start.
   */
  @Test
  void learnsALagWeightingItCanRepresent() {
    INDArray x = contexts(DataType.FLOAT, 7, 16, 8, 16);
    INDArray target =
        x.get(NDArrayIndex.all(), NDArrayIndex.point(6), NDArrayIndex.all()).dup().reshape(16, 16);
    LatentVectorModel m =
        Models.create(
            new ModelSpec(Mix.TYPE, 16, 1, 1, 1, 0.0, PredictionMode.BASE, 5, 3, 10),
            DataType.FLOAT);
    double start = 1 - m.forward(x, false).mul(target).sum(1).meanNumber().doubleValue();
    assertThat(start).isGreaterThan(0.2);
    assertThat(MemoryGruTest.overfit(m, x, target, 400)).isLessThan(1e-3);
  }

  @Test
  void needsTheBasePredictionModeAndCountsItsParameters() {
    assertThatThrownBy(
            () ->
                Models.create(
                    new ModelSpec(Mix.TYPE, D, 1, 1, 1, 0.0, PredictionMode.RESIDUAL, 5, 1, 10)))
        .hasMessageContaining("prediction: mix")
        .hasMessageContaining("base");
    assertThatThrownBy(() -> Models.create(spec(3, 0, 0.0))).hasMessageContaining("lags");
    LatentVectorModel m = Models.create(spec(3, 10, 0.0));
    assertThat(m.parameters().count()).isEqualTo(Models.parameterCount(spec(3, 10, 0.0)));
    assertThat(Models.parameterCount(ModelSpec.reference(Mix.TYPE, 384))).isEqualTo(147_850);
    assertThat(ModelSpec.fromMap(spec(3, 10, 0.0).toMap())).isEqualTo(spec(3, 10, 0.0));
    ModelSpec onContextAr =
        new ModelSpec(Mix.TYPE, D, 1, 1, 1, 0.0, PredictionMode.BASE, 5, 3, 10).withBaseLags(5);
    assertThat(onContextAr.toMap()).containsEntry("base-lags", 5);
    assertThat(ModelSpec.fromMap(onContextAr.toMap())).isEqualTo(onContextAr);
    // unset, the key is not written: the maps (and run ids) of earlier specs stay as they were
    assertThat(spec(3, 10, 0.0).toMap()).doesNotContainKey("base-lags");
  }
}
