package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

class MemoryGruTest {

  private static ModelSpec tiny(PredictionMode mode, double dropout) {
    return new ModelSpec(MemoryGru.TYPE, 6, 5, 2, 7, dropout, mode, 3);
  }

  private static INDArray unitRows(INDArray a) {
    return a.divColumnVector(a.norm2(1).reshape(a.size(0), 1));
  }

  private static INDArray contexts(DataType type, long b, long c, long d, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray x = Nd4j.randn(type, b * c, d);
    return unitRows(x).reshape(b, c, d);
  }

  @Test
  void referenceSizeHasTheReferenceParameterCount() {
    ModelSpec ref = ModelSpec.reference(MemoryGru.TYPE, 768);
    LatentVectorModel m = Models.create(ref);
    assertThat(m.parameters().count()).isEqualTo(11_292_160L);
    assertThat(MemoryGru.parameterCount(ref)).isEqualTo(11_292_160L);
    assertThat(m.buffers().get(MemoryGru.MEMORY).shape()).containsExactly(2048, 768);
    assertThat(m.parameters().dataType()).isEqualTo(DataType.FLOAT);
  }

  @Test
  void smallConfigsCountAsTheFormulaSays() {
    for (int[] s : new int[][] {{6, 5, 2, 7, 8}, {16, 12, 3, 4, 20}, {10, 4, 1, 3, 6}}) {
      int d = s[0];
      int h = s[1];
      int layers = s[2];
      int slots = s[3];
      int w = 2 * h; // the reference's head width
      long gru = 3L * h * (2 * d + h + 2) + (layers - 1) * 3L * h * (2 * h + 2);
      long expected =
          2L * d
              + (h * d + d)
              + (h * slots + slots)
              + gru
              + ((h + d) * h + h)
              + 2L * h
              + (h * w + w)
              + (w * d + d);
      ModelSpec spec =
          new ModelSpec(MemoryGru.TYPE, d, h, layers, slots, 0.1, PredictionMode.RESIDUAL, 1);
      assertThat(Models.create(spec).parameters().count()).isEqualTo(expected);
    }
  }

  @Test
  void predictionsAreUnitRowsAndSeedDeterministic() {
    ModelSpec spec = tiny(PredictionMode.RESIDUAL, 0.1);
    LatentVectorModel a = Models.create(spec);
    LatentVectorModel b = Models.create(spec);
    INDArray x = contexts(DataType.FLOAT, 3, 4, 6, 1);
    INDArray ya = a.forward(x, false);
    assertThat(ya.shape()).containsExactly(3, 6);
    assertThat(ya.norm2(1).sub(1.0).amaxNumber().doubleValue()).isLessThan(1e-5);
    assertThat(ya.equalsWithEps(b.forward(x, false), 0)).isTrue();
    assertThat(a.forward(x, true).equalsWithEps(b.forward(x, true), 0)).isTrue();
    LatentVectorModel other = Models.create(spec.withSeed(4));
    assertThat(ya.equalsWithEps(other.forward(x, false), 1e-3)).isFalse();
  }

  @Test
  void wholeModelGradientsMatchFiniteDifferencesInBothModes() {
    for (PredictionMode mode : PredictionMode.values()) {
      LatentVectorModel m = Models.create(tiny(mode, 0.0), DataType.DOUBLE);
      // non-trivial LayerNorm affine parameters and memory so every path carries gradient
      Nd4j.getRandom().setSeed(5);
      for (String n : new String[] {"input_norm", "fusion.3"}) {
        m.parameters()
            .value(n + ".weight")
            .addi(
                Nd4j.randn(DataType.DOUBLE, m.parameters().value(n + ".weight").shape()).muli(0.3));
        m.parameters()
            .value(n + ".bias")
            .addi(Nd4j.randn(DataType.DOUBLE, m.parameters().value(n + ".bias").shape()).muli(0.3));
      }
      m.buffers().get(MemoryGru.MEMORY).muli(20);
      INDArray x = contexts(DataType.DOUBLE, 3, 5, 6, 2);
      double worst = GradCheck.checkModel(m, x, Readout.LAST, 8, 17);
      assertThat(worst).as(mode.configName()).isLessThan(1e-6);
      assertThat(m.parameters().gradient("memory.write_gate.weight").amaxNumber().doubleValue())
          .isZero();
    }
  }

  /**
   * Targets are unit(x_last + unit(noise)): reachable in both modes (in residual mode y lies within
   * 90 degrees of x_last, so an arbitrary random target is not).
   */
  @Test
  void overfitsOneBatchInBothModes() {
    for (PredictionMode mode : PredictionMode.values()) {
      ModelSpec spec = new ModelSpec(MemoryGru.TYPE, 16, 16, 2, 8, 0.0, mode, 7);
      LatentVectorModel m = Models.create(spec);
      INDArray x = contexts(DataType.FLOAT, 8, 6, 16, 3);
      INDArray xLast = x.get(NDArrayIndex.all(), NDArrayIndex.point(5), NDArrayIndex.all());
      INDArray target = unitRows(xLast.add(unitRows(Nd4j.randn(DataType.FLOAT, 8, 16))));
      assertThat(overfit(m, x, target, 400)).as(mode.configName()).isLessThan(1e-3);
    }
  }

  /** Adam on loss = mean(1 - cos) (written here: the recipe's optimiser lives elsewhere). */
  static double overfit(LatentVectorModel m, INDArray x, INDArray target, int maxSteps) {
    Map<String, INDArray> mom = new HashMap<>();
    Map<String, INDArray> vel = new HashMap<>();
    double lr = 1e-2;
    long b = x.size(0);
    double loss = Double.NaN;
    for (int step = 1; step <= maxSteps; step++) {
      INDArray y = m.forward(x, true);
      loss = 1 - y.mul(target).sum(1).meanNumber().doubleValue();
      if (loss < 1e-3) {
        break;
      }
      m.parameters().zeroGradients();
      m.backward(target.neg().divi(b));
      m.afterStep();
      for (var e : m.parameters().values().entrySet()) {
        INDArray g = m.parameters().gradient(e.getKey());
        INDArray mt = mom.computeIfAbsent(e.getKey(), k -> g.like());
        INDArray vt = vel.computeIfAbsent(e.getKey(), k -> g.like());
        mt.muli(0.9).addi(g.mul(0.1));
        vt.muli(0.999).addi(g.mul(g).muli(0.001));
        double c1 = 1 - Math.pow(0.9, step);
        double c2 = 1 - Math.pow(0.999, step);
        INDArray denom = Transforms.sqrt(vt.div(c2)).addi(1e-8);
        e.getValue().subi(mt.div(c1).divi(denom).muli(lr));
      }
    }
    return loss;
  }

  /**
   * Forwards reuse the memory's unit rows until the memory changes: a training write, or a restore
   * through {@link MemoryGru#buffers()}, must be seen by the next forward.
   */
  @Test
  void aForwardSeesTheMemoryAsWrittenOrRestored() {
    ModelSpec spec = tiny(PredictionMode.RESIDUAL, 0);
    INDArray x = contexts(DataType.DOUBLE, 2, 4, 6, 9);
    MemoryGru m = (MemoryGru) Models.create(spec, DataType.DOUBLE);
    INDArray first = m.forward(x, false).dup();
    assertThat(m.forward(x, false).equalsWithEps(first, 0)).as("cached rows, same output").isTrue();

    m.forward(x, true);
    m.afterStep(); // writes the memory
    MemoryGru fresh = (MemoryGru) Models.create(spec, DataType.DOUBLE);
    fresh.buffers().get(MemoryGru.MEMORY).assign(m.buffers().get(MemoryGru.MEMORY));
    assertThat(m.forward(x, false).equalsWithEps(fresh.forward(x, false), 1e-12))
        .as("after the write")
        .isTrue();

    Nd4j.getRandom().setSeed(3);
    INDArray restored = Nd4j.randn(DataType.DOUBLE, 7, 6);
    m.buffers().get(MemoryGru.MEMORY).assign(restored); // as Checkpoint.restore does
    fresh.buffers().get(MemoryGru.MEMORY).assign(restored);
    INDArray afterRestore = m.forward(x, false);
    assertThat(afterRestore.equalsWithEps(fresh.forward(x, false), 1e-12))
        .as("after a restore")
        .isTrue();
    assertThat(afterRestore.equalsWithEps(first, 1e-6)).isFalse();
  }

  @Test
  void memoryUpdatesOnlyAfterTrainingAndAsTheFormulaSays() {
    ModelSpec spec = tiny(PredictionMode.RESIDUAL, 0.1);
    MemoryGru m = (MemoryGru) Models.create(spec, DataType.DOUBLE);
    INDArray memory = m.buffers().get(MemoryGru.MEMORY);
    INDArray x = contexts(DataType.DOUBLE, 3, 4, 6, 4);

    INDArray before = memory.dup();
    m.forward(x, false);
    m.afterStep();
    assertThat(memory.equalsWithEps(before, 0)).as("inference leaves memory").isTrue();

    m.forward(x, true);
    m.parameters().zeroGradients();
    m.backward(Nd4j.randn(DataType.DOUBLE, 3, 6));
    Map<String, INDArray> grads = new HashMap<>();
    m.parameters().gradients().forEach((k, v) -> grads.put(k, v.dup()));
    double[][] h = m.lastHidden().toDoubleMatrix();
    double[][] raw = m.lastRaw().toDoubleMatrix();
    double[][] wg = m.parameters().value("memory.write_gate.weight").toDoubleMatrix();
    double[] bg = m.parameters().value("memory.write_gate.bias").toDoubleVector();
    m.afterStep();

    int slots = 7;
    int d = 6;
    double[] meanGate = new double[slots];
    for (double[] hb : h) {
      double[] logits = new double[slots];
      double max = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < slots; s++) {
        logits[s] = bg[s];
        for (int j = 0; j < hb.length; j++) {
          logits[s] += wg[s][j] * hb[j];
        }
        max = Math.max(max, logits[s]);
      }
      double sum = 0;
      for (int s = 0; s < slots; s++) {
        logits[s] = Math.exp(logits[s] - max);
        sum += logits[s];
      }
      for (int s = 0; s < slots; s++) {
        meanGate[s] += logits[s] / sum / h.length;
      }
    }
    double worst = 0;
    for (int s = 0; s < slots; s++) {
      for (int k = 0; k < d; k++) {
        double meanRaw = 0;
        for (double[] r : raw) {
          meanRaw += r[k] / raw.length;
        }
        double expected = 0.9 * before.getDouble(s, k) + 0.1 * meanGate[s] * meanRaw;
        worst = Math.max(worst, Math.abs(memory.getDouble(s, k) - expected));
      }
    }
    assertThat(worst).isLessThan(1e-12);
    assertThat(memory.equalsWithEps(before, 1e-6)).isFalse();
    m.parameters()
        .gradients()
        .forEach((k, v) -> assertThat(v.equalsWithEps(grads.get(k), 0)).as(k).isTrue());

    INDArray once = memory.dup();
    m.afterStep();
    assertThat(memory.equalsWithEps(once, 0)).as("one update per micro-batch").isTrue();
  }

  @Test
  void invalidSpecsNameTheField() {
    ModelSpec ok = tiny(PredictionMode.RESIDUAL, 0.1);
    assertThatThrownBy(
            () -> Models.create(new ModelSpec("nope", 6, 5, 2, 7, 0.1, PredictionMode.DIRECT, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("type");
    assertThatThrownBy(
            () ->
                Models.create(
                    new ModelSpec(MemoryGru.TYPE, 0, 5, 2, 7, 0.1, PredictionMode.DIRECT, 1)))
        .hasMessageStartingWith("dimension");
    assertThatThrownBy(
            () ->
                Models.create(
                    new ModelSpec(MemoryGru.TYPE, 6, 5, 0, 7, 0.1, PredictionMode.DIRECT, 1)))
        .hasMessageStartingWith("layers");
    assertThatThrownBy(
            () ->
                Models.create(
                    new ModelSpec(MemoryGru.TYPE, 6, 5, 2, -1, 0.1, PredictionMode.DIRECT, 1)))
        .hasMessageStartingWith("memorySlots");
    assertThatThrownBy(() -> Models.create(ok.withDropout(1.0))).hasMessageStartingWith("dropout");
    assertThatThrownBy(() -> Models.create(ok.withPrediction(null)))
        .hasMessageStartingWith("prediction");
    assertThatThrownBy(() -> Models.create(ok).forward(Nd4j.zeros(DataType.FLOAT, 2, 3, 5), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[B, C, 6]");
  }
}
