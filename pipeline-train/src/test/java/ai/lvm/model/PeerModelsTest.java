package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What every peer model (gru, lstm, amn) must satisfy, checked the same way: the whole model's
 * gradients against finite differences in both prediction modes, unit-norm predictions, and fitting
 * one batch. memory-gru has the same checks with its memory in MemoryGruTest.
 */
class PeerModelsTest {

  private static INDArray unitRows(INDArray a) {
    return a.divColumnVector(a.norm2(1).reshape(a.size(0), 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gru", "lstm", "amn"})
  void gradientsMatchFiniteDifferencesInBothModes(String type) {
    for (PredictionMode mode : PredictionMode.values()) {
      ModelSpec spec = new ModelSpec(type, 6, 5, 2, 0, 0.0, mode, 9);
      LatentVectorModel m = Models.create(spec, DataType.DOUBLE);
      GradCheck.perturb(m, 8, 0.2);
      INDArray x = unitRows(Nd4j.randn(DataType.DOUBLE, 3 * 5, 6)).reshape(3, 5, 6);
      double worst = GradCheck.checkModel(m, x, Readout.LAST, 8, 21);
      assertThat(worst).as(type + " " + mode.configName()).isLessThan(1e-6);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gru", "lstm", "amn"})
  void predictionsAreUnitRows(String type) {
    ModelSpec spec = new ModelSpec(type, 6, 5, 2, 0, 0.1, PredictionMode.RESIDUAL, 9);
    INDArray y =
        Models.create(spec)
            .forward(unitRows(Nd4j.randn(DataType.FLOAT, 8, 6)).reshape(2, 4, 6), true);
    assertThat(y.norm2(1).sub(1.0).amaxNumber().doubleValue()).isLessThan(1e-5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gru", "lstm", "amn"})
  void overfitsOneBatch(String type) {
    ModelSpec spec = new ModelSpec(type, 16, 16, 2, 0, 0.0, PredictionMode.RESIDUAL, 7);
    INDArray x = unitRows(Nd4j.randn(DataType.FLOAT, 8 * 6, 16)).reshape(8, 6, 16);
    INDArray xLast = x.get(NDArrayIndex.all(), NDArrayIndex.point(5), NDArrayIndex.all());
    INDArray target = unitRows(xLast.add(unitRows(Nd4j.randn(DataType.FLOAT, 8, 16))));
    assertThat(MemoryGruTest.overfit(Models.create(spec), x, target, 400)).isLessThan(1e-3);
  }
}
