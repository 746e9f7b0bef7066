package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The recurrent models' dense read-out ({@link Readout#EVERY}) and the {@code base} prediction
 * mode: gradients against finite differences, causality (a prediction never sees a later position),
 * agreement with the whole-window read-out at the last position, and a new model with the base head
 * predicting exactly its base.
 */
class DenseReadoutTest {
  private static final int B = 3;
  private static final int C = 5;
  private static final int D = 6;

  private static INDArray unitRows(INDArray a) {
    return a.divColumnVector(a.norm2(1).reshape(a.size(0), 1));
  }

  private static INDArray contexts(DataType type, long seed) {
    Nd4j.getRandom().setSeed(seed);
    return unitRows(Nd4j.randn(type, B * C, D)).reshape(B, C, D);
  }

  private static ModelSpec spec(String type, PredictionMode mode, int baseK) {
    return spec(type, mode, baseK, 0);
  }

  private static ModelSpec spec(String type, PredictionMode mode, int baseK, int baseLags) {
    return new ModelSpec(type, D, 5, 2, 7, 0.0, mode, 9, baseK, 1).withBaseLags(baseLags);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory-gru", "gru", "lstm"})
  void denseGradientsMatchFiniteDifferences(String type) {
    for (PredictionMode mode : PredictionMode.values()) {
      // the base mode with the mean of the last 2 and, in its last round, with context-ar-3
      for (int baseLags : mode == PredictionMode.BASE ? new int[] {0, 3} : new int[] {0}) {
        denseGradientsMatchFiniteDifferences(type, spec(type, mode, 2, baseLags));
      }
    }
  }

  private static void denseGradientsMatchFiniteDifferences(String type, ModelSpec spec) {
    LatentVectorModel m = Models.create(spec, DataType.DOUBLE);
    GradCheck.perturb(m, 8, 0.2);
    INDArray x = contexts(DataType.DOUBLE, 3);
    double worst = GradCheck.checkModel(m, x, Readout.EVERY, 8, 21);
    assertThat(worst)
        .as(type + " " + spec.prediction().configName() + " base-lags " + spec.baseLags())
        .isLessThan(1e-6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory-gru", "gru", "lstm"})
  void densePredictionsAreCausalAndEndWithTheWholeWindowPrediction(String type) {
    LatentVectorModel m = Models.create(spec(type, PredictionMode.RESIDUAL, 1), DataType.DOUBLE);
    INDArray x = contexts(DataType.DOUBLE, 4);
    INDArray every = m.forward(x, false, Readout.EVERY).dup();
    INDArray last = m.forward(x, false, Readout.LAST);
    INDArray lastRows =
        every.get(NDArrayIndex.interval((long) (C - 1) * B, (long) C * B), NDArrayIndex.all());
    assertThat(lastRows.sub(last).amaxNumber().doubleValue()).isLessThan(1e-12);

    // Changing position 3 changes no prediction made at positions 0..2.
    INDArray changed = x.dup();
    changed.get(NDArrayIndex.all(), NDArrayIndex.point(3), NDArrayIndex.all()).muli(-1);
    INDArray after = m.forward(changed, false, Readout.EVERY);
    double early =
        after
            .get(NDArrayIndex.interval(0, 3L * B), NDArrayIndex.all())
            .sub(every.get(NDArrayIndex.interval(0, 3L * B), NDArrayIndex.all()))
            .amaxNumber()
            .doubleValue();
    double late =
        after
            .get(NDArrayIndex.interval(3L * B, (long) C * B), NDArrayIndex.all())
            .sub(every.get(NDArrayIndex.interval(3L * B, (long) C * B), NDArrayIndex.all()))
            .amaxNumber()
            .doubleValue();
    assertThat(early).isLessThan(1e-12);
    assertThat(late).isGreaterThan(1e-6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory-gru", "gru", "lstm", "mix"})
  void aNewModelWithTheBaseHeadPredictsExactlyItsBase(String type) {
    INDArray x = contexts(DataType.FLOAT, 5);
    // dense: position t's base is mean-last-k of positions max(0, t - k + 1)..t ...
    for (int k : new int[] {1, 3, 9}) {
      assertPredictsItsBase(
          Models.create(spec(type, PredictionMode.BASE, k)), x, w -> Baselines.meanLastK(w, k));
    }
    // ... and with base-lags L the context-ar-L baseline fitted to positions 0..t
    for (int lags : new int[] {2, 4}) {
      assertPredictsItsBase(
          Models.create(spec(type, PredictionMode.BASE, 3, lags)),
          x,
          w -> Baselines.contextAr(w, lags));
    }
  }

  /** The model's prediction from every prefix of x (and from all of it) is {@code baseline}'s. */
  private static void assertPredictsItsBase(
      LatentVectorModel m, INDArray x, java.util.function.UnaryOperator<INDArray> baseline) {
    String spec = m.spec().toString();
    assertThat(m.forward(x, true).sub(baseline.apply(x)).amaxNumber().doubleValue())
        .as(spec)
        .isLessThan(1e-6);
    INDArray every = m.forward(x, false, Readout.EVERY);
    for (int t = 0; t < C; t++) {
      INDArray prefix =
          x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1), NDArrayIndex.all()).dup();
      INDArray rows =
          every.get(NDArrayIndex.interval((long) t * B, (long) (t + 1) * B), NDArrayIndex.all());
      assertThat(rows.sub(baseline.apply(prefix)).amaxNumber().doubleValue())
          .as(spec + ", t = " + t)
          .isLessThan(1e-6);
    }
  }

  @org.junit.jupiter.api.Test
  void meanLastKIsTheUnitMeanOfTheLastKVectors() {
    INDArray x = Nd4j.create(new float[] {1, 0, 0, 1, 3, 4}, new long[] {1, 3, 2}, 'c');
    assertThat(Baselines.meanLastK(x, 1).toFloatVector()).containsExactly(0.6f, 0.8f);
    // (0 + 3, 1 + 4) / 2 = (1.5, 2.5), unit: (0.5145, 0.8575)
    float[] two = Baselines.meanLastK(x, 2).toFloatVector();
    assertThat(two[0] / two[1]).isCloseTo(0.6f, org.assertj.core.api.Assertions.within(1e-6f));
    // k above C: the whole context
    assertThat(Baselines.meanLastK(x, 10).toFloatVector())
        .containsExactly(Baselines.meanLastK(x, 3).toFloatVector());
    assertThat(Baselines.name(1)).isEqualTo("copy-last");
    assertThat(Baselines.name(3)).isEqualTo("mean-last-3");
  }
}
