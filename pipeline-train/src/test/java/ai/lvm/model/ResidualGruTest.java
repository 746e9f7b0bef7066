package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ResidualGruTest {

  private static INDArray unitRows(INDArray a) {
    return a.divColumnVector(a.norm2(1).reshape(a.size(0), 1));
  }

  @Test
  void referenceSizeHasTheReferenceParameterCount() {
    ModelSpec ref = ModelSpec.reference(ResidualGru.TYPE, 768);
    assertThat(Models.create(ref).parameters().count()).isEqualTo(7_095_552L);
    assertThat(Models.parameterCount(ref)).isEqualTo(7_095_552L);
  }

  @Test
  void smallConfigCountsAsTheFormulaSays() {
    int d = 7;
    int h = 5;
    int blocks = 3;
    long expected = (d * h + h) + blocks * (3L * h * (2 * h + 2) + 2 * h) + (h * d + d);
    ModelSpec spec =
        new ModelSpec(ResidualGru.TYPE, d, h, blocks, 0, 0.1, PredictionMode.RESIDUAL, 1);
    assertThat(Models.create(spec).parameters().count()).isEqualTo(expected);
    assertThat(Models.create(spec).buffers()).isEmpty();
  }
}
