package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class AmnTest {

  private static INDArray unitRows(INDArray a) {
    return a.divColumnVector(a.norm2(1).reshape(a.size(0), 1));
  }

  @Test
  void referenceSizeHasTheReferenceParameterCount() {
    ModelSpec ref = ModelSpec.reference(Amn.TYPE, 768);
    assertThat(Models.create(ref).parameters().count()).isEqualTo(1_510_912L);
    assertThat(Models.parameterCount(ref)).isEqualTo(1_510_912L);
  }

  @Test
  void smallConfigCountsAsTheFormulaSays() {
    int d = 7;
    int h = 5;
    int blocks = 3;
    long a = h / 2;
    long expected = 2 * (d * a + a) + (2L * d * h + h) + 2L * h + (h * a + a) + 2 * a + (a * d + d);
    ModelSpec spec = new ModelSpec(Amn.TYPE, d, h, blocks, 0, 0.1, PredictionMode.RESIDUAL, 1);
    assertThat(Models.create(spec).parameters().count()).isEqualTo(expected);
    assertThat(Models.create(spec).buffers()).isEmpty();
  }
}
