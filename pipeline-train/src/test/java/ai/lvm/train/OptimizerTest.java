package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.lvm.model.Parameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OptimizerTest {

  @Test
  void adamWTakesTheHandComputedTwoSteps() {
    // Step 1 by hand: p = 1 * (1 - 0.1 * 0.01) = 0.999; m = 0.05, v = 2.5e-4; m^ = 0.5,
    // sqrt(v^) = 0.5; p -= 0.1 * 0.5 / (0.5 + 1e-8) -> 0.899000002. Step 2 likewise (see below).
    Parameters params = new Parameters();
    INDArray p = params.add("w", Nd4j.createFromArray(1.0f, -2.0f));
    AdamW adam = new AdamW(0.01);
    params.gradient("w").assign(Nd4j.createFromArray(0.5f, -1.0f));
    adam.step(params, 0.1);
    assertThat(p.getDouble(0)).isCloseTo(0.899000002, within(1e-6));
    assertThat(p.getDouble(1)).isCloseTo(-1.898000001, within(1e-6));
    params.gradient("w").assign(Nd4j.createFromArray(-0.2f, 0.3f));
    adam.step(params, 0.1);
    // Computed in double with the torch.optim.AdamW update order.
    assertThat(p.getDouble(0)).isCloseTo(0.8635404181145108, within(1e-6));
    assertThat(p.getDouble(1)).isCloseTo(-1.8533171424282264, within(1e-6));
    assertThat(adam.steps()).containsEntry("w", 2L);
  }

  @Test
  void restoredStateContinuesIdentically() {
    Parameters a = twoParameters();
    Parameters b = twoParameters();
    AdamW first = new AdamW(1e-4);
    stepWith(first, a, 0.3f);
    AdamW second = new AdamW(1e-4);
    second.restore(first.state(), first.steps());
    b.values().get("w").assign(a.values().get("w"));
    b.values().get("b").assign(a.values().get("b"));
    stepWith(first, a, -0.7f);
    stepWith(second, b, -0.7f);
    assertThat(b.values().get("w").data().asFloat())
        .containsExactly(a.values().get("w").data().asFloat());
    assertThat(b.values().get("b").data().asFloat())
        .containsExactly(a.values().get("b").data().asFloat());
  }

  /** A float64 model's moments stay float64 through a checkpoint (gradient checks resume too). */
  @Test
  void restoredStateKeepsTheModelsFloatType() {
    Parameters a = new Parameters(DataType.DOUBLE);
    a.add("w", Nd4j.create(new double[] {0.1, -0.2, 0.3}, new long[] {3}));
    Parameters b = new Parameters(DataType.DOUBLE);
    b.add("w", Nd4j.create(new double[] {0.1, -0.2, 0.3}, new long[] {3}));
    AdamW first = new AdamW(1e-4);
    stepWith(first, a, 0.3f);
    AdamW second = new AdamW(1e-4);
    second.restore(first.state(), first.steps());
    assertThat(second.state().get("w/m").dataType()).isEqualTo(DataType.DOUBLE);
    b.values().get("w").assign(a.values().get("w"));
    stepWith(first, a, -0.7f);
    stepWith(second, b, -0.7f);
    assertThat(b.values().get("w").toDoubleVector())
        .containsExactly(a.values().get("w").toDoubleVector());
  }

  @Test
  void clippingScalesToTheGlobalNormAndReportsThePreClipNorm() {
    INDArray g1 = Nd4j.createFromArray(3.0, 0.0);
    INDArray g2 = Nd4j.createFromArray(0.0, 4.0);
    double norm = GradientClipping.clipByGlobalNorm(List.of(g1, g2), 1.0);
    assertThat(norm).isCloseTo(5.0, within(1e-12));
    double coefficient = 1.0 / (5.0 + 1e-6);
    assertThat(g1.getDouble(0)).isCloseTo(3 * coefficient, within(1e-12));
    assertThat(g2.getDouble(1)).isCloseTo(4 * coefficient, within(1e-12));

    INDArray small = Nd4j.createFromArray(0.3, 0.4);
    assertThat(GradientClipping.clipByGlobalNorm(List.of(small), 1.0))
        .isCloseTo(0.5, within(1e-12));
    assertThat(small.getDouble(0)).isEqualTo(0.3);

    INDArray nan = Nd4j.createFromArray(Double.NaN, 1.0);
    assertThat(GradientClipping.clipByGlobalNorm(List.of(nan), 1.0)).isNaN();
  }

  @Test
  void cosineScheduleFollowsCosineAnnealingLr() {
    CosineSchedule standard = new CosineSchedule(1e-4, 49, 1e-5, 1);
    assertThat(standard.lr(1)).isEqualTo(1e-4);
    assertThat(standard.lr(2))
        .isCloseTo(1e-5 + 0.5 * 9e-5 * (1 + Math.cos(Math.PI / 49)), within(1e-18));
    assertThat(new CosineSchedule(1e-4, 48, 1e-5, 1).lr(25))
        .isCloseTo(1e-5 + 0.5 * 9e-5, within(1e-18));
    assertThat(standard.lr(50)).isCloseTo(1e-5, within(1e-18));
    // Periodic beyond T_max, like PyTorch's scheduler.
    assertThat(standard.lr(51)).isCloseTo(standard.lr(49), within(1e-18));

    CosineSchedule reference = new CosineSchedule(1e-4, 49, 1e-5, 2);
    assertThat(reference.lr(1)).isEqualTo(1e-4);
    assertThat(reference.lr(2)).isEqualTo(1e-4);
    assertThat(reference.lr(3)).isEqualTo(standard.lr(2));
    assertThat(reference.lr(50)).isEqualTo(standard.lr(49));
  }

  private static Parameters twoParameters() {
    Parameters p = new Parameters();
    p.add("w", Nd4j.linspace(-1, 1, 6, DataType.FLOAT).reshape(2, 3));
    p.add("b", Nd4j.createFromArray(0.1f, 0.2f));
    return p;
  }

  private static void stepWith(AdamW adam, Parameters p, float scale) {
    for (Map.Entry<String, INDArray> e : p.values().entrySet()) {
      p.gradient(e.getKey()).assign(e.getValue().mul(scale).addi(0.05));
    }
    adam.step(p, 1e-2);
    p.zeroGradients();
  }
}
