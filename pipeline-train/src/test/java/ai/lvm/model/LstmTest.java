package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LstmTest {

  private static INDArray unitRows(INDArray a) {
    return a.divColumnVector(a.norm2(1).reshape(a.size(0), 1));
  }

  @Test
  void referenceSizeHasTheReferenceParameterCount() {
    ModelSpec ref = ModelSpec.reference(Lstm.TYPE, 768);
    assertThat(Models.create(ref).parameters().count()).isEqualTo(5_120_768L);
    assertThat(Models.parameterCount(ref)).isEqualTo(5_120_768L);
  }

  @Test
  void smallConfigCountsAsTheFormulaSays() {
    int d = 7;
    int h = 5;
    int blocks = 3;
    long expected = 4L * h * (d + h + 2) + (blocks - 1) * 4L * h * (2 * h + 2) + (h * d + d);
    ModelSpec spec = new ModelSpec(Lstm.TYPE, d, h, blocks, 0, 0.1, PredictionMode.RESIDUAL, 1);
    assertThat(Models.create(spec).parameters().count()).isEqualTo(expected);
    assertThat(Models.create(spec).buffers()).isEmpty();
  }

  @Test
  void layerMatchesReferenceEquations() {
    int steps = 5;
    int batch = 2;
    int nIn = 3;
    int hid = 4;
    Parameters p = new Parameters(DataType.FLOAT);
    LstmLayer layer = new LstmLayer(p, "l", 0, nIn, hid, new java.util.SplittableRandom(2));
    p.values().values().forEach(v -> v.muli(3));
    INDArray x = Nd4j.rand(DataType.FLOAT, (long) steps * batch, nIn).subi(0.5).muli(4);
    INDArray out = layer.forward(x, steps, batch);
    double[][] wi = p.value("l.weight_ih_l0").castTo(DataType.DOUBLE).toDoubleMatrix();
    double[][] wh = p.value("l.weight_hh_l0").castTo(DataType.DOUBLE).toDoubleMatrix();
    double[] bi = p.value("l.bias_ih_l0").castTo(DataType.DOUBLE).toDoubleVector();
    double[] bh = p.value("l.bias_hh_l0").castTo(DataType.DOUBLE).toDoubleVector();
    double worst = 0;
    for (int b = 0; b < batch; b++) {
      double[] h = new double[hid];
      double[] c = new double[hid];
      for (int t = 0; t < steps; t++) {
        double[] xt = x.getRow((long) t * batch + b).castTo(DataType.DOUBLE).toDoubleVector();
        double[] pre = new double[4 * hid];
        for (int k = 0; k < 4 * hid; k++) {
          pre[k] = bi[k] + bh[k];
          for (int m = 0; m < nIn; m++) {
            pre[k] += wi[k][m] * xt[m];
          }
          for (int m = 0; m < hid; m++) {
            pre[k] += wh[k][m] * h[m];
          }
        }
        double[] nh = new double[hid];
        for (int j = 0; j < hid; j++) {
          double ig = 1 / (1 + Math.exp(-pre[j]));
          double fg = 1 / (1 + Math.exp(-pre[hid + j]));
          double gg = Math.tanh(pre[2 * hid + j]);
          double og = 1 / (1 + Math.exp(-pre[3 * hid + j]));
          c[j] = fg * c[j] + ig * gg;
          nh[j] = og * Math.tanh(c[j]);
          worst = Math.max(worst, Math.abs(out.getDouble((long) t * batch + b, j) - nh[j]));
        }
        h = nh;
      }
    }
    assertThat(worst).isLessThan(1e-5);
  }

  /** The Java recurrence ({@link JavaLstm}) against the ND4J-op path, forward and backward. */
  @ParameterizedTest
  @CsvSource({
    "6, 3, 5", // small: only the vector gates' scalar tails run
    "5, 7, 40", // full vector blocks and tails
    "4, 1, 40" // one window: the recurrence streams W_hh's stored rows
  })
  void javaPathEqualsNd4jOpPath(int steps, int batch, int hidden) {
    Parameters pa = new Parameters(DataType.FLOAT);
    Parameters pb = new Parameters(DataType.FLOAT);
    LstmLayer fast = new LstmLayer(pa, "l", 0, 4, hidden, new java.util.SplittableRandom(5));
    LstmLayer ops = new LstmLayer(pb, "l", 0, 4, hidden, new java.util.SplittableRandom(5));
    assertThat(fast.javaGates).isEqualTo(JavaGates.available(DataType.FLOAT));
    fast.javaGates = true;
    ops.javaGates = false;
    INDArray x = Nd4j.rand(DataType.FLOAT, (long) steps * batch, 4).subi(0.5).muli(3);
    INDArray dSeq = Nd4j.rand(DataType.FLOAT, (long) steps * batch, hidden).subi(0.5);
    assertThat(fast.forward(x, steps, batch).equalsWithEps(ops.forward(x, steps, batch), 1e-6))
        .isTrue();
    assertThat(fast.backward(dSeq).equalsWithEps(ops.backward(dSeq), 1e-5)).isTrue();
    for (String k : pa.gradients().keySet()) {
      assertThat(pa.gradient(k).equalsWithEps(pb.gradient(k), 1e-5)).as(k).isTrue();
    }
  }
}
