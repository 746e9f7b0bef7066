package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each block's forward against its definition and its backward against finite differences. */
class BlocksTest {
  private static final double TOL = 1e-6;

  private static INDArray rand(long... shape) {
    return Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(4);
  }

  /** Checks dL/dx (and any parameters) for L = sum(w * f(x)). */
  private static double checkInput(
      Function<INDArray, INDArray> forward,
      Function<INDArray, INDArray> backward,
      INDArray x,
      Parameters params) {
    INDArray w = rand(forward.apply(x).shape());
    DoubleSupplier loss = () -> forward.apply(x).mul(w).sumNumber().doubleValue();
    forward.apply(x);
    params.zeroGradients();
    INDArray dx = backward.apply(w);
    double worst = GradCheck.check(Map.of("x", x), Map.of("x", dx), loss, 30, TOL, 1);
    return Math.max(worst, GradCheck.check(params.values(), params.gradients(), loss, 30, TOL, 2));
  }

  @Test
  void linearMatchesDefinitionAndGradients() {
    Parameters p = new Parameters(DataType.DOUBLE);
    Linear lin = new Linear(p, "l", 5, 3, new SplittableRandom(1));
    INDArray x = rand(4, 5);
    INDArray expected = x.mmul(p.value("l.weight").transpose()).addiRowVector(p.value("l.bias"));
    assertThat(lin.forward(x).equalsWithEps(expected, 1e-12)).isTrue();
    assertThat(checkInput(lin::forward, lin::backward, x, p)).isLessThan(TOL);
  }

  @Test
  void linearInitialisationIsBoundedLikePyTorch() {
    Parameters p = new Parameters(DataType.FLOAT);
    new Linear(p, "l", 100, 50, new SplittableRandom(1));
    assertThat(p.value("l.weight").amaxNumber().doubleValue()).isLessThanOrEqualTo(0.1);
    assertThat(p.value("l.weight").amaxNumber().doubleValue()).isGreaterThan(0.09);
  }

  @Test
  void layerNormMatchesDefinitionAndGradients() {
    Parameters p = new Parameters(DataType.DOUBLE);
    LayerNorm ln = new LayerNorm(p, "n", 6);
    p.value("n.weight").assign(rand(6));
    p.value("n.bias").assign(rand(6));
    INDArray x = rand(3, 6);
    INDArray y = ln.forward(x);
    double[] row = x.getRow(1).toDoubleVector();
    double mean = java.util.Arrays.stream(row).average().orElseThrow();
    double var = java.util.Arrays.stream(row).map(v -> (v - mean) * (v - mean)).sum() / row.length;
    double expected =
        (row[2] - mean) / Math.sqrt(var + 1e-5) * p.value("n.weight").getDouble(2)
            + p.value("n.bias").getDouble(2);
    assertThat(y.getDouble(1, 2)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(checkInput(ln::forward, ln::backward, x, p)).isLessThan(TOL);
  }

  @Test
  void geluIsTheExactErfFormWithGradient() {
    Gelu g = new Gelu();
    INDArray x = Nd4j.createFromArray(-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.5).reshape(1, 7);
    INDArray y = g.forward(x);
    // x * Phi(x), to 7 decimals: what PyTorch F.gelu (approximate="none") returns
    double[] torch = {-0.0040497, -0.1586553, -0.1003234, 0.0, 0.3457312, 0.8413447, 2.4844758};
    for (int i = 0; i < torch.length; i++) {
      assertThat(y.getDouble(0, i)).isCloseTo(torch[i], org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(checkInput(g::forward, g::backward, rand(4, 5), new Parameters(DataType.DOUBLE)))
        .isLessThan(TOL);
  }

  @Test
  void l2NormIsUnitWithJacobianVectorProduct() {
    L2Norm n = new L2Norm();
    INDArray x = rand(4, 6);
    INDArray y = n.forward(x);
    assertThat(y.norm2(1).sub(1.0).amaxNumber().doubleValue()).isLessThan(1e-12);
    assertThat(checkInput(n::forward, n::backward, x, new Parameters(DataType.DOUBLE)))
        .isLessThan(TOL);
  }

  @Test
  void dropoutIsSeededInvertedAndIdentityInInference() {
    INDArray x = Nd4j.ones(DataType.FLOAT, 200, 100);
    Dropout a = new Dropout(0.25, Nd4j.getRandomFactory().getNewRandomInstance(9));
    Dropout b = new Dropout(0.25, Nd4j.getRandomFactory().getNewRandomInstance(9));
    INDArray ya = a.forward(x, true);
    assertThat(ya.equalsWithEps(b.forward(x, true), 0)).isTrue();
    double kept = ya.gt(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    assertThat(kept).isBetween(0.73, 0.77);
    assertThat(ya.maxNumber().doubleValue())
        .isCloseTo(1 / 0.75, org.assertj.core.data.Offset.offset(1e-6));
    // the backward uses the same mask
    assertThat(a.backward(x).equalsWithEps(ya, 0)).isTrue();
    assertThat(a.forward(x, false)).isSameAs(x);
  }
}
