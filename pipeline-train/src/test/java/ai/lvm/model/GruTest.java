package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GruTest {

  /** The reference equations, loops over double arrays, independent of the ND4J code. */
  static double[][][] referenceGru(
      double[][][] x, // [T][B][nIn]
      double[][] wIh, // [3H][nIn]
      double[][] wHh, // [3H][H]
      double[] bIh,
      double[] bHh) {
    int steps = x.length;
    int batch = x[0].length;
    int hid = wHh[0].length;
    double[][][] out = new double[steps][batch][hid];
    for (int b = 0; b < batch; b++) {
      double[] h = new double[hid];
      for (int t = 0; t < steps; t++) {
        double[] next = new double[hid];
        for (int j = 0; j < hid; j++) {
          double ir = bIh[j] + dot(wIh[j], x[t][b]);
          double iz = bIh[hid + j] + dot(wIh[hid + j], x[t][b]);
          double in = bIh[2 * hid + j] + dot(wIh[2 * hid + j], x[t][b]);
          double hr = bHh[j] + dot(wHh[j], h);
          double hz = bHh[hid + j] + dot(wHh[hid + j], h);
          double hn = bHh[2 * hid + j] + dot(wHh[2 * hid + j], h);
          double r = 1 / (1 + Math.exp(-(ir + hr)));
          double z = 1 / (1 + Math.exp(-(iz + hz)));
          double n = Math.tanh(in + r * hn);
          next[j] = (1 - z) * n + z * h[j];
        }
        h = next;
        out[t][b] = h.clone();
      }
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[][] matrix(INDArray a) {
    return a.castTo(DataType.DOUBLE).toDoubleMatrix();
  }

  /** Batch 1 takes the single-window kernel ({@link VectorGemm#rowDotAdd}), batch 3 the other. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3})
  void layerMatchesReferenceEquationsInFloat32(int batch) {
    int steps = 6;
    int nIn = 5;
    int hid = 37; // not a multiple of 4 or of a vector's lanes: every tail of the kernels runs
    Parameters p = new Parameters(DataType.FLOAT);
    GruLayer layer = new GruLayer(p, "g", 0, nIn, 0, hid, new SplittableRandom(1));
    // larger weights than the default init so the gates leave their linear range
    p.values().values().forEach(v -> v.muli(3));
    INDArray x = Nd4j.rand(DataType.FLOAT, (long) steps * batch, nIn).subi(0.5).muli(4);
    INDArray out = layer.forward(x, null, steps, batch);

    double[][] xm = matrix(x);
    double[][][] x3 = new double[steps][batch][];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        x3[t][b] = xm[t * batch + b];
      }
    }
    double[][][] ref =
        referenceGru(
            x3,
            matrix(p.value("g.weight_ih_l0")),
            matrix(p.value("g.weight_hh_l0")),
            p.value("g.bias_ih_l0").castTo(DataType.DOUBLE).toDoubleVector(),
            p.value("g.bias_hh_l0").castTo(DataType.DOUBLE).toDoubleVector());
    double worst = 0;
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < hid; j++) {
          worst = Math.max(worst, Math.abs(out.getDouble(t * batch + b, j) - ref[t][b][j]));
        }
      }
    }
    assertThat(worst).isLessThan(1e-5);
  }

  @Test
  void constantInputEqualsConcatenatedInput() {
    int steps = 5;
    int batch = 2;
    Parameters p1 = new Parameters(DataType.DOUBLE);
    Parameters p2 = new Parameters(DataType.DOUBLE);
    GruLayer split = new GruLayer(p1, "g", 0, 3, 2, 4, new SplittableRandom(7));
    GruLayer whole = new GruLayer(p2, "g", 0, 5, 0, 4, new SplittableRandom(7));
    INDArray x = Nd4j.rand(DataType.DOUBLE, (long) steps * batch, 3);
    INDArray c = Nd4j.rand(DataType.DOUBLE, batch, 2);
    INDArray cat = Nd4j.hstack(x, Nd4j.vstack(java.util.Collections.nCopies(steps, c)));
    assertThat(
            split
                .forward(x, c, steps, batch)
                .equalsWithEps(whole.forward(cat, null, steps, batch), 1e-12))
        .isTrue();
  }

  @Test
  void stackGradientsMatchFiniteDifferences() {
    int steps = 7;
    int batch = 3;
    int nIn = 4;
    int nConst = 2;
    Parameters p = new Parameters(DataType.DOUBLE);
    Gru gru =
        new Gru(
            p,
            "gru",
            nIn,
            nConst,
            5,
            3,
            0.1,
            new SplittableRandom(3),
            Nd4j.getRandomFactory().getNewRandomInstance(3));
    p.values().values().forEach(v -> v.muli(2));
    INDArray x = Nd4j.rand(DataType.DOUBLE, (long) steps * batch, nIn).subi(0.5).muli(2);
    INDArray c = Nd4j.rand(DataType.DOUBLE, batch, nConst);
    INDArray wSeq = Nd4j.rand(DataType.DOUBLE, (long) steps * batch, 5).subi(0.5);
    INDArray wLast = Nd4j.rand(DataType.DOUBLE, batch, 5).subi(0.5);
    java.util.function.DoubleSupplier loss =
        () -> {
          INDArray out = gru.forward(x, c, steps, batch, false);
          return out.mul(wSeq).sumNumber().doubleValue()
              + Tensors.rows(out, (long) (steps - 1) * batch, (long) steps * batch)
                  .mul(wLast)
                  .sumNumber()
                  .doubleValue();
        };
    gru.forward(x, c, steps, batch, false);
    p.zeroGradients();
    INDArray dx = gru.backward(wSeq, wLast);
    INDArray dc = gru.constantGradient();
    double worstParams = GradCheck.check(p.values(), p.gradients(), loss, 12, 1e-6, 11);
    double worstInputs =
        GradCheck.check(Map.of("x", x, "c", c), Map.of("x", dx, "c", dc), loss, 12, 1e-6, 12);
    assertThat(Math.max(worstParams, worstInputs)).isLessThan(1e-6);
  }

  /**
   * The float32 CPU path does the gate math in Java loops; the float64 path (the one the
   * finite-difference check covers) uses ND4J ops. Both paths on the same float32 weights must
   * agree, forward and backward.
   */
  @ParameterizedTest
  @CsvSource({
    "6, 3, 5", // small: only the vector kernel's scalar tails run
    "5, 7, 40", // a group of four rows and three single rows, full vector blocks and tails
    "4, 1, 40" // one window: the recurrence streams W_hh's stored rows
  })
  void javaGatePathEqualsNd4jOpPath(int steps, int batch, int hidden) {
    Parameters pa = new Parameters(DataType.FLOAT);
    Parameters pb = new Parameters(DataType.FLOAT);
    GruLayer fast = new GruLayer(pa, "g", 0, 4, 2, hidden, new SplittableRandom(5));
    GruLayer ops = new GruLayer(pb, "g", 0, 4, 2, hidden, new SplittableRandom(5));
    assertThat(fast.javaGates).isEqualTo(JavaGates.available(DataType.FLOAT));
    fast.javaGates = true;
    ops.javaGates = false;
    INDArray x = Nd4j.rand(DataType.FLOAT, (long) steps * batch, 4).subi(0.5).muli(3);
    INDArray c = Nd4j.rand(DataType.FLOAT, batch, 2);
    INDArray dSeq = Nd4j.rand(DataType.FLOAT, (long) steps * batch, hidden).subi(0.5);
    INDArray ya = fast.forward(x, c, steps, batch);
    INDArray yb = ops.forward(x, c, steps, batch);
    assertThat(ya.equalsWithEps(yb, 1e-6)).isTrue();
    INDArray dxa = fast.backward(dSeq, null);
    INDArray dxb = ops.backward(dSeq, null);
    assertThat(dxa.equalsWithEps(dxb, 1e-5)).isTrue();
    assertThat(fast.constantGradient().equalsWithEps(ops.constantGradient(), 1e-5)).isTrue();
    for (String k : pa.gradients().keySet()) {
      assertThat(pa.gradient(k).equalsWithEps(pb.gradient(k), 1e-5)).as(k).isTrue();
    }
  }
}
