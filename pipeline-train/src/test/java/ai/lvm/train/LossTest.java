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

  @Test
  void corpusNegativesWithHardNegativesMatchTheFormulaWrittenOut() {
    // 3 positions x 2 windows, time-major (row t * 2 + b); a bank of 4 whose row 2 copies target 1.
    int windows = 2;
    int rows = 3 * windows;
    double[][] p = random(11, rows, D);
    double[][] y = unitRows(random(12, rows, D));
    double[][] bank = unitRows(random(13, 4, D));
    bank[2] = y[1].clone();
    Loss loss = new Loss(new Loss.Weights(0.2, 0.3, 1.0), 0.1);
    Loss.Result r =
        loss.compute(toArray(p), toArray(y), new Loss.Negatives(toArray(bank), windows));
    double nce = 0;
    for (int i = 0; i < rows; i++) {
      double positive = dot(p[i], y[i]) / 0.1;
      double sum = Math.exp(positive);
      for (int j = 0; j < bank.length; j++) {
        if (!(i == 1 && j == 2)) { // the copy of the target is not a negative
          sum += Math.exp(dot(p[i], bank[j]) / 0.1);
        }
      }
      for (int later = i + windows; later < rows; later += windows) { // same window, later t
        sum += Math.exp(dot(p[i], y[later]) / 0.1);
      }
      nce += Math.log(sum) - positive;
    }
    assertThat(r.infonce()).isCloseTo(nce / rows, within(1e-10));
  }

  @Test
  void corpusNegativesGradientMatchesFiniteDifferencesInDouble() {
    int windows = 2;
    int rows = 4 * windows;
    INDArray p = toArray(random(14, rows, D));
    INDArray t = toArray(random(15, rows, D));
    INDArray bank = toArray(unitRows(random(16, 7, D)));
    for (Loss.Negatives negatives :
        new Loss.Negatives[] {new Loss.Negatives(bank, 0), new Loss.Negatives(bank, windows)}) {
      Loss loss = new Loss(new Loss.Weights(0.7, 0.4, 1.3), 0.2);
      INDArray analytic = loss.compute(p, t, negatives).gradient();
      double h = 1e-6;
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < D; j++) {
          double old = p.getDouble(i, j);
          p.putScalar(i, j, old + h);
          double plus = loss.compute(p, t, negatives).total();
          p.putScalar(i, j, old - h);
          double minus = loss.compute(p, t, negatives).total();
          p.putScalar(i, j, old);
          assertThat(analytic.getDouble(i, j))
              .as("hard windows " + negatives.hardWindows())
              .isCloseTo((plus - minus) / (2 * h), within(1e-7));
        }
      }
    }
  }

  /**
   * d total / d log tau of a learned temperature against central differences in log tau, on each
   * InfoNCE path of the loss: in-batch negatives, corpus negatives, corpus plus hard negatives (a
   * bank row copies a target, so the masking is crossed too). MSE and cosine weights are non-zero:
   * they must contribute nothing.
   */
  @Test
  void temperatureGradientMatchesFiniteDifferencesOnEveryPath() {
    int windows = 2;
    int rows = 4 * windows;
    INDArray p = toArray(random(21, rows, D));
    double[][] targets = random(22, rows, D);
    double[][] bankRows = unitRows(random(23, 6, D));
    bankRows[3] = unitRows(targets)[5].clone();
    INDArray t = toArray(targets);
    INDArray bank = toArray(bankRows);
    Loss.Negatives[] paths = {
      Loss.Negatives.IN_BATCH, new Loss.Negatives(bank, 0), new Loss.Negatives(bank, windows)
    };
    String[] names = {"in-batch", "corpus", "corpus + hard"};
    for (int k = 0; k < paths.length; k++) {
      Loss loss = new Loss(new Loss.Weights(0.7, 0.4, 1.3), 0.2);
      // several temperatures: the gradient changes sign between sharp and flat softmaxes
      for (double tau : new double[] {0.05, 0.2, 0.9}) {
        loss.setTemperature(tau);
        Loss.Negatives negatives = paths[k];
        double analytic = loss.compute(p, t, negatives).dLogTemperature();
        double numeric = dTotalDLogTau(loss, tau, () -> loss.compute(p, t, negatives).total());
        assertThat(analytic).as(names[k] + " at tau " + tau).isNotZero();
        assertThat(analytic)
            .as(names[k] + " at tau " + tau)
            .isCloseTo(numeric, within(1e-7 * Math.max(1, Math.abs(numeric))));
      }
    }
  }

  /** The in-batch derivative against its formula written out: l_+ - sum_j s_j l_j per row. */
  @Test
  void temperatureGradientIsThePositiveLogitMinusTheSoftmaxMeanLogit() {
    double tau = 0.3;
    double[][] p = random(24, B, D);
    double[][] y = unitRows(random(25, B, D));
    Loss loss = new Loss(new Loss.Weights(0, 0, 0.5), tau);
    double expected = 0;
    for (int i = 0; i < B; i++) {
      double[] l = new double[B];
      double sum = 0;
      for (int j = 0; j < B; j++) {
        l[j] = dot(p[i], y[j]) / tau;
        sum += Math.exp(l[j]);
      }
      double mean = 0;
      for (int j = 0; j < B; j++) {
        mean += Math.exp(l[j]) / sum * l[j];
      }
      expected += l[i] - mean;
    }
    expected *= 0.5 / B;
    assertThat(loss.compute(toArray(p), toArray(y)).dLogTemperature())
        .isCloseTo(expected, within(1e-12));
    // without InfoNCE the temperature does not enter the loss at all
    assertThat(
            new Loss(new Loss.Weights(1, 0.5, 0), tau)
                .compute(toArray(p), toArray(y))
                .dLogTemperature())
        .isZero();
  }

  /**
   * Dense targets through {@link TrainStep} (a float64 memory-gru predicting at every position, the
   * warm-up positions dropped), with in-batch and with corpus plus hard negatives: the derivative
   * the trainer accumulates is that of the micro-batch's loss.
   */
  @Test
  void temperatureGradientWithDenseTargetsMatchesFiniteDifferences() {
    int windows = 3;
    int c = 4;
    ai.lvm.model.LatentVectorModel model =
        ai.lvm.model.Models.create(
            new ai.lvm.model.ModelSpec(
                "memory-gru", D, 6, 1, 4, 0.0, ai.lvm.model.PredictionMode.BASE, 3, 2),
            DataType.DOUBLE);
    Nd4j.getRandom().setSeed(26);
    model
        .parameters()
        .values()
        .values()
        .forEach(v -> v.addi(Nd4j.randn(DataType.DOUBLE, v.shape()).muli(0.3)));
    INDArray contexts = toArray(random(27, windows * c, D)).reshape('c', windows, c, D);
    ai.lvm.reader.WindowBatch batch =
        new ai.lvm.reader.WindowBatch(
            new long[] {0, 1, 2}, contexts, toArray(random(28, windows, D)));
    INDArray pool = toArray(unitRows(random(29, 5, D)));
    for (boolean corpus : new boolean[] {false, true}) {
      java.util.Map<String, Object> keys = new java.util.HashMap<>();
      keys.put("targets", "every");
      keys.put("warm-up", 1);
      keys.put("negatives", corpus ? "corpus" : "in-batch");
      keys.put("hard-negatives", corpus);
      keys.put("negative-count", 8); // above the pool: the whole pool, the same every call
      keys.put("learn-temperature", true);
      Recipe recipe = Recipe.fromMap(keys);
      Loss loss = recipe.loss();
      TrainStep step =
          new TrainStep(recipe, loss, ai.lvm.model.Readout.EVERY, corpus ? pool : null);
      double tau = 0.15;
      loss.setTemperature(tau);
      double analytic = step.run(model, batch).dLogTemperature();
      double numeric = dTotalDLogTau(loss, tau, () -> step.run(model, batch).total());
      assertThat(analytic).as("corpus " + corpus).isNotZero();
      assertThat(analytic)
          .as("corpus " + corpus)
          .isCloseTo(numeric, within(1e-7 * Math.max(1, Math.abs(numeric))));
    }
  }

  /** Central difference of {@code total} in u = log tau around {@code tau}, at eps 1e-6. */
  private static double dTotalDLogTau(
      Loss loss, double tau, java.util.function.DoubleSupplier total) {
    double h = 1e-6;
    loss.setTemperature(Math.exp(Math.log(tau) + h));
    double plus = total.getAsDouble();
    loss.setTemperature(Math.exp(Math.log(tau) - h));
    double minus = total.getAsDouble();
    loss.setTemperature(tau);
    return (plus - minus) / (2 * h);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
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
