package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TensorsTest {
  @Test
  void rowAndColumnViewsOfViewsSeeTheRightElements() {
    INDArray a = Nd4j.linspace(DataType.DOUBLE, 0, 240, 1).reshape(24, 10);
    INDArray v = Tensors.rows(a, 3, 24);
    INDArray w = Tensors.rows(v, 18, 21); // the case ND4J's own get() returns empty for
    assertThat(w.shape()).containsExactly(3, 10);
    assertThat(w.getDouble(0, 0)).isEqualTo(210.0);
    INDArray c = Tensors.rows(Tensors.cols(v, 5, 10), 18, 21);
    assertThat(c.shape()).containsExactly(3, 5);
    assertThat(c.getDouble(2, 4)).isEqualTo(239.0);
    c.assign(-1);
    assertThat(a.getDouble(23, 9)).isEqualTo(-1.0);
    assertThat(a.getDouble(23, 4)).isEqualTo(234.0);
  }

  @Test
  void matrixProductsIntoRowBlocksAccumulate() {
    INDArray a = Nd4j.rand(DataType.DOUBLE, 3, 4);
    INDArray b = Nd4j.rand(DataType.DOUBLE, 5, 4);
    INDArray big = Nd4j.ones(DataType.DOUBLE, 9, 5);
    Tensors.mmAdd(a, b, Tensors.rows(big, 3, 6), false, true);
    INDArray expected = a.mmul(b.transpose()).addi(1);
    assertThat(Tensors.rows(big, 3, 6).equalsWithEps(expected, 1e-12)).isTrue();
    assertThat(Tensors.rows(big, 6, 9).sumNumber().doubleValue()).isEqualTo(15.0);
    INDArray strided = Nd4j.zeros(DataType.DOUBLE, 4, 8);
    INDArray d = Nd4j.rand(DataType.DOUBLE, 3, 3);
    Tensors.mmAdd(a, d, Tensors.cols(strided, 2, 5), true, false);
    assertThat(Tensors.cols(strided, 2, 5).equalsWithEps(a.transpose().mmul(d), 1e-12)).isTrue();
    assertThat(strided.sumNumber().doubleValue())
        .isCloseTo(
            a.transpose().mmul(d).sumNumber().doubleValue(),
            org.assertj.core.data.Offset.offset(1e-9));
  }
}
