package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link WindowAnalogue} against the formula written as plain loops, its causality, and the base
 * head's analogue terms: a new model still predicts exactly its base, the two weights' gradients
 * agree with finite differences, and a spec carries the switch through its written form.
 */
class WindowAnalogueTest {
  private static final int B = 3;
  private static final int C = 9;
  private static final int D = 6;

  private static INDArray contexts(DataType type, long seed) {
    Nd4j.getRandom().setSeed(seed);
    // not unit rows: the read scales each vector to unit length itself
    return Nd4j.randn(type, B, C, D).muli(1.7);
  }

  /** The successor and neighbour reads of window w at position t, as the formula says. */
  private static double[][] plainRead(INDArray x, int w, int t) {
    double[][] u = new double[C][D];
    for (int i = 0; i < C; i++) {
      double n = 0;
      for (int j = 0; j < D; j++) {
        n += x.getDouble(w, i, j) * x.getDouble(w, i, j);
      }
      for (int j = 0; j < D; j++) {
        u[i][j] = x.getDouble(w, i, j) / Math.sqrt(n);
      }
    }
    double[] successor = new double[D];
    double[] neighbour = new double[D];
    int candidates = t - WindowAnalogue.GAP;
    if (candidates < 1) {
      return new double[][] {successor, neighbour};
    }
    double[] e = new double[candidates];
    double sum = 0;
    for (int i = 0; i < candidates; i++) {
      double dot = 0;
      for (int j = 0; j < D; j++) {
        dot += u[i][j] * u[t][j];
      }
      e[i] = Math.exp(dot / WindowAnalogue.TEMPERATURE);
      sum += e[i];
    }
    for (int i = 0; i < candidates; i++) {
      for (int j = 0; j < D; j++) {
        successor[j] += e[i] / sum * u[i + 1][j];
        neighbour[j] += e[i] / sum * u[i][j];
      }
    }
    return new double[][] {successor, neighbour};
  }

  @Test
  void readsAreTheFormulasAtEveryPositionAndAtTheLast() {
    INDArray x = contexts(DataType.FLOAT, 1);
    WindowAnalogue.Reads every = WindowAnalogue.read(x, Readout.EVERY);
    WindowAnalogue.Reads last = WindowAnalogue.read(x, Readout.LAST);
    assertThat(every.successor().shape()).containsExactly((long) C * B, D);
    assertThat(last.successor().shape()).containsExactly(B, D);
    double worst = 0;
    for (int w = 0; w < B; w++) {
      for (int t = 0; t < C; t++) {
        double[][] want = plainRead(x, w, t);
        for (int j = 0; j < D; j++) {
          worst = Math.max(worst, Math.abs(every.successor().getDouble(t * B + w, j) - want[0][j]));
          worst = Math.max(worst, Math.abs(every.neighbour().getDouble(t * B + w, j) - want[1][j]));
          if (t == C - 1) {
            worst = Math.max(worst, Math.abs(last.successor().getDouble(w, j) - want[0][j]));
            worst = Math.max(worst, Math.abs(last.neighbour().getDouble(w, j) - want[1][j]));
          }
        }
      }
    }
    assertThat(worst).isLessThan(1e-5);
    // the first positions have no candidate and read zero; the later ones read unit-size mixtures
    assertThat(every.successor().getRow(0).amaxNumber().doubleValue()).isZero();
    assertThat(every.successor().getRow((long) (C - 1) * B).norm2Number().doubleValue())
        .isGreaterThan(0.1);
  }

  @Test
  void aPositionReadsNothingAfterItAndNothingInTheGap() {
    INDArray x = contexts(DataType.FLOAT, 2);
    INDArray before = WindowAnalogue.read(x, Readout.EVERY).successor();
    int t = 6;
    // changing the positions t - GAP + 1 .. C - 1 changes nothing read at t (its candidates are
    // i <= t - 1 - GAP, their successors i + 1 <= t - GAP; its own vector u_t is the query)
    INDArray changed = x.dup();
    changed
        .get(
            NDArrayIndex.all(),
            NDArrayIndex.interval(t - WindowAnalogue.GAP + 1, C),
            NDArrayIndex.all())
        .muli(-3);
    changed
        .get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all())
        .assign(x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()));
    INDArray after = WindowAnalogue.read(changed, Readout.EVERY).successor();
    double same =
        after
            .get(NDArrayIndex.interval((long) t * B, (long) (t + 1) * B), NDArrayIndex.all())
            .sub(
                before.get(
                    NDArrayIndex.interval((long) t * B, (long) (t + 1) * B), NDArrayIndex.all()))
            .amaxNumber()
            .doubleValue();
    assertThat(same).isLessThan(1e-6);
    double lastMoved =
        after
            .get(NDArrayIndex.interval((long) (C - 1) * B, (long) C * B), NDArrayIndex.all())
            .sub(
                before.get(
                    NDArrayIndex.interval((long) (C - 1) * B, (long) C * B), NDArrayIndex.all()))
            .amaxNumber()
            .doubleValue();
    assertThat(lastMoved).isGreaterThan(1e-3);
  }

  private static ModelSpec spec(String type) {
    int lags = Mix.TYPE.equals(type) ? 4 : 1; // lags mean something to mix only
    return new ModelSpec(type, D, 5, 2, 7, 0.0, PredictionMode.BASE, 9, 3, lags, 5, true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory-gru", "gru", "lstm", "mix"})
  void aNewModelWithTheAnalogueTermsStillPredictsExactlyItsBase(String type) {
    LatentVectorModel with = Models.create(spec(type));
    LatentVectorModel without = Models.create(spec(type).withAnalogue(false));
    assertThat(with.parameters().count()).isEqualTo(without.parameters().count() + 2);
    assertThat(Models.parameterCount(spec(type))).isEqualTo(with.parameters().count());
    assertThat(with.parameters().value(PredictionHead.ANALOGUE).toDoubleVector())
        .containsExactly(0, 0);
    INDArray x = contexts(DataType.FLOAT, 3);
    for (Readout r : new Readout[] {Readout.LAST, Readout.EVERY}) {
      INDArray a = with.forward(x, false, r);
      INDArray b = without.forward(x, false, r);
      assertThat(a.sub(b).amaxNumber().doubleValue()).as(type + " " + r).isLessThan(1e-6);
    }
    assertThat(
            with.forward(x, false, Readout.LAST)
                .sub(Baselines.contextAr(x, 5))
                .amaxNumber()
                .doubleValue())
        .isLessThan(1e-5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory-gru", "gru", "mix"})
  void theAnalogueWeightsGradientsMatchFiniteDifferences(String type) {
    for (Readout r : new Readout[] {Readout.LAST, Readout.EVERY}) {
      LatentVectorModel m = Models.create(spec(type), DataType.DOUBLE);
      GradCheck.perturb(m, 8, 0.2);
      assertThat(m.parameters().value(PredictionHead.ANALOGUE).amaxNumber().doubleValue())
          .isGreaterThan(0);
      double worst = GradCheck.checkModel(m, contexts(DataType.DOUBLE, 4), r, 8, 21);
      assertThat(worst).as(type + " " + r).isLessThan(1e-6);
    }
  }

  @Test
  void theAnalogueWeightsMoveThePrediction() {
    LatentVectorModel m = Models.create(spec("gru"));
    INDArray x = contexts(DataType.FLOAT, 5);
    INDArray base = m.forward(x, false, Readout.LAST).dup();
    // alpha = 0.5, gamma = -0.5, stored divided by the scale
    m.parameters().value(PredictionHead.ANALOGUE).putScalar(0, 0.5 / PredictionHead.ANALOGUE_SCALE);
    m.parameters()
        .value(PredictionHead.ANALOGUE)
        .putScalar(1, -0.5 / PredictionHead.ANALOGUE_SCALE);
    INDArray moved = m.forward(x, false, Readout.LAST);
    WindowAnalogue.Reads reads = WindowAnalogue.read(x, Readout.LAST);
    INDArray want =
        L2Norm.unitRows(
            Baselines.contextArBase(x, 5, Readout.LAST)
                .add(reads.successor().sub(reads.neighbour()).mul(0.5)));
    assertThat(moved.sub(want).amaxNumber().doubleValue()).isLessThan(1e-5);
    assertThat(moved.sub(base).amaxNumber().doubleValue()).isGreaterThan(1e-3);
  }

  @Test
  void aSpecCarriesTheSwitchThroughItsWrittenFormAndOnlyWhenSet() {
    ModelSpec on = spec("gru");
    assertThat(on.toMap()).containsEntry("base-analogue", true);
    assertThat(ModelSpec.fromMap(on.toMap())).isEqualTo(on);
    ModelSpec off = on.withAnalogue(false);
    assertThat(off.toMap()).doesNotContainKey("base-analogue");
    assertThat(ModelSpec.fromMap(off.toMap())).isEqualTo(off);
    // another head ignores the switch: no weights
    ModelSpec residual = on.withPrediction(PredictionMode.RESIDUAL);
    assertThat(Models.create(residual).parameters().values())
        .doesNotContainKey(PredictionHead.ANALOGUE);
  }
}
