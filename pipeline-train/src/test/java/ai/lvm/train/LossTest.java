package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LossTest {
  private static final int B = 4;
  private static final int D = 5;

  @Test
  void valueMatchesTheFormulaWrittenOut() {
    double[][] p = unitRows(random(1, B, D));
    double[][] t = random(2, B, D); // not normalised: the loss must do it
    Loss.Result r = new Loss(0.05).compute(toArray(p), toArray(t));
    double[][] y = unitRows(t);
    double mse = 0;
    double cos = 0;
    double nce = 0;
    for (int i = 0; i < B; i++) {
      double pn = 0;
      double dot = 0;
      for (int j = 0; j < D; j++) {
        mse += (p[i][j] - y[i][j]) * (p[i][j] - y[i][j]);
        pn += p[i][j] * p[i][j];
        dot += p[i][j] * y[i][j];
      }
      cos += dot / Math.sqrt(pn);
      double[] logits = new double[B];
      double sum = 0;
      for (int k = 0; k < B; k++) {
        for (int j = 0; j < D; j++) {
          logits[k] += p[i][j] * y[k][j] / 0.07;
        }
        sum += Math.exp(logits[k]);
      }
      nce += Math.log(sum) - logits[i];
    }
    mse /= B * D;
    cos /= B;
    nce /= B;
    assertThat(r.mse()).isCloseTo(mse, within(1e-12));
    assertThat(r.cosine()).isCloseTo(cos, within(1e-12));
    assertThat(r.infonce()).isCloseTo(nce, within(1e-10));
    assertThat(r.total()).isCloseTo(mse + 0.5 * (1 - cos) + 0.05 * nce, within(1e-10));
  }

  @Test
  void gradientMatchesFiniteDifferencesInDouble() {
    // Predictions off the unit sphere too: the cosine term's radial gradient is checked as well.
    INDArray p = toArray(random(3, B, D));
    INDArray t = toArray(random(4, B, D));
    Loss loss = new Loss(0.3);
    INDArray analytic = loss.compute(p, t).gradient();
    double h = 1e-6;
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < D; j++) {
        double old = p.getDouble(i, j);
        p.putScalar(i, j, old + h);
        double plus = loss.compute(p, t).total();
        p.putScalar(i, j, old - h);
        double minus = loss.compute(p, t).total();
        p.putScalar(i, j, old);
        assertThat(analytic.getDouble(i, j)).isCloseTo((plus - minus) / (2 * h), within(1e-7));
      }
    }
  }

  @Test
  void perfectPredictionsLeaveOnlyTheContrastiveTerm() {
    double[][] y = unitRows(random(5, B, D));
    Loss.Result r = new Loss(0.0).compute(toArray(y), toArray(y));
    assertThat(r.mse()).isCloseTo(0, within(1e-14));
    assertThat(r.cosine()).isCloseTo(1, within(1e-14));
    assertThat(r.total()).isCloseTo(0, within(1e-14));
    assertThat(r.infonce()).isPositive();
  }

  @Test
  void floatInputsGiveAFloatGradient() {
    INDArray p = toArray(unitRows(random(6, B, D))).castTo(DataType.FLOAT);
    INDArray t = toArray(random(7, B, D)).castTo(DataType.FLOAT);
    Loss.Result r = new Loss(0.03).compute(p, t);
    assertThat(r.gradient().dataType()).isEqualTo(DataType.FLOAT);
    assertThat(r.gradient().shape()).containsExactly(B, D);
    double exact = new Loss(0.03).compute(p.castTo(DataType.DOUBLE), t).total();
    assertThat(r.total()).isCloseTo(exact, within(1e-5));
  }

  static double[][] random(long seed, int rows, int cols) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = rng.nextDouble() * 2 - 1;
      }
    }
    return a;
  }

  static double[][] unitRows(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      double s = 0;
      for (double v : a[i]) {
        s += v * v;
      }
      out[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = a[i][j] / Math.sqrt(s);
      }
    }
    return out;
  }

  static INDArray toArray(double[][] a) {
    return Nd4j.create(a).castTo(DataType.DOUBLE);
  }
}
