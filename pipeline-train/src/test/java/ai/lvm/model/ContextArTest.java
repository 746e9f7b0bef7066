package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Baselines#contextAr}: equal to the ridge regression written out pair by pair (design
 * matrix, normal equations, a general LU solve), right on a window that is an exact linear
 * recurrence, and its edge cases.
 */
class ContextArTest {

  /** Contexts [B, C, D] as a float array, position major. */
  private static INDArray contexts(float[] x, int b, int c, int d) {
    return Nd4j.create(x, new long[] {b, c, d}, 'c');
  }

  private static float[] random(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return x;
  }

  /**
   * The baseline from its definition: one row of features per pair, the normal equations summed
   * pair by pair and coordinate by coordinate, solved by LU; then applied and normalised.
   */
  private static double[] bruteForce(float[] x, int w, int c, int d, int lags) {
    int l = Math.min(lags, c - 1);
    int pairs = c - l;
    double ridge = Baselines.CONTEXT_AR_RIDGE * pairs;
    double[][] g = new double[l][l];
    double[] rhs = new double[l];
    for (int t = l - 1; t <= c - 2; t++) {
      for (int j = 0; j < d; j++) {
        double[] features = new double[l];
        for (int i = 0; i < l; i++) {
          features[i] = x[(w * c + t - i) * d + j];
        }
        double next = x[(w * c + t + 1) * d + j];
        for (int i = 0; i < l; i++) {
          rhs[i] += features[i] * next;
          for (int m = 0; m < l; m++) {
            g[i][m] += features[i] * features[m];
          }
        }
      }
    }
    int prior = Math.min(3, l);
    for (int i = 0; i < l; i++) {
      g[i][i] += ridge;
      rhs[i] += i < prior ? ridge / prior : 0;
    }
    RealVector weights =
        new LUDecomposition(new Array2DRowRealMatrix(g))
            .getSolver()
            .solve(new ArrayRealVector(rhs));
    double[] p = new double[d];
    for (int i = 0; i < l; i++) {
      for (int j = 0; j < d; j++) {
        p[j] += weights.getEntry(i) * x[(w * c + c - 1 - i) * d + j];
      }
    }
    double norm = Math.sqrt(java.util.Arrays.stream(p).map(v -> v * v).sum());
    for (int j = 0; j < d; j++) {
      p[j] /= norm;
    }
    return p;
  }

  @Test
  void equalsTheRidgeRegressionWrittenOutPairByPair() {
    int b = 3;
    int d = 7;
    for (int[] cl : new int[][] {{20, 5}, {12, 3}, {6, 2}, {4, 5}}) {
      int c = cl[0];
      int lags = cl[1];
      float[] x = random(b * c * d, 31L * c + lags);
      float[] p = Baselines.contextAr(contexts(x, b, c, d), lags).dup('c').data().asFloat();
      for (int w = 0; w < b; w++) {
        double[] expected = bruteForce(x, w, c, d, lags);
        for (int j = 0; j < d; j++) {
          assertThat((double) p[w * d + j])
              .as("C %d, L %d, window %d, coordinate %d", c, lags, w, j)
              .isCloseTo(expected[j], within(1e-5));
        }
      }
    }
  }

  @Test
  void eachPositionsBaseIsTheFitOfItsPrefixAlone() {
    int b = 2;
    int c = 9;
    int d = 5;
    INDArray window = contexts(random(b * c * d, 77), b, c, d);
    INDArray every = Baselines.contextArBase(window, 4, Readout.EVERY);
    assertThat(every.shape()).containsExactly((long) c * b, d);
    for (int t = 0; t < c; t++) {
      INDArray prefix =
          window.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1), NDArrayIndex.all()).dup();
      INDArray rows =
          L2Norm.unitRows(
              every
                  .get(NDArrayIndex.interval((long) t * b, (long) (t + 1) * b), NDArrayIndex.all())
                  .dup());
      assertThat(rows.sub(Baselines.contextAr(prefix, 4)).amaxNumber().doubleValue())
          .as("position %d", t)
          .isLessThan(1e-6);
    }
    // The whole window's row is the LAST read-out.
    assertThat(
            Baselines.contextArBase(window, 4, Readout.LAST)
                .sub(
                    every.get(
                        NDArrayIndex.interval((long) (c - 1) * b, (long) c * b),
                        NDArrayIndex.all()))
                .amaxNumber()
                .doubleValue())
        .isLessThan(1e-7);
  }

  @Test
  void predictsTheNextStepOfARotationThatMeanLastKCannot() {
    // x_t = (cos t, sin t, 0): exactly x_{t+1} = 2 cos(1) x_t - x_{t-1}.
    int c = 40;
    int d = 3;
    float[] x = new float[c * d];
    for (int t = 0; t < c; t++) {
      x[t * d] = (float) Math.cos(t);
      x[t * d + 1] = (float) Math.sin(t);
    }
    INDArray window = contexts(x, 1, c, d);
    double[] next = {Math.cos(c), Math.sin(c), 0};
    double ar = cosine(Baselines.contextAr(window, 2), next);
    double meanLast3 = cosine(Baselines.meanLastK(window, 3), next);
    // Within a few degrees: the ridge pulls the weights towards mean-last-3's (0.997 at lambda
    // 0.1).
    assertThat(ar).isGreaterThan(0.99);
    // mean-last-3 points at the middle of the last three, 2 rad behind the next step.
    assertThat(meanLast3).isCloseTo(Math.cos(2), within(1e-4));
  }

  @Test
  void lagsAreCappedAtCMinusOneAndOneVectorIsCopyLast() {
    float[] x = random(2 * 3 * 4, 5);
    INDArray c3 = contexts(x, 2, 3, 4);
    assertThat(Baselines.contextAr(c3, 5).data().asFloat())
        .containsExactly(Baselines.contextAr(c3, 2).data().asFloat());
    INDArray c1 = contexts(random(2 * 4, 6), 2, 1, 4);
    assertThat(Baselines.contextAr(c1, 5).data().asFloat())
        .containsExactly(Baselines.meanLastK(c1, 1).data().asFloat());
  }

  @Test
  void aZeroContextPredictsZeroAndLagsMustBePositive() {
    INDArray zeros = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 10, 4);
    assertThat(Baselines.contextAr(zeros, 3).data().asFloat()).containsOnly(0f);
    assertThatThrownBy(() -> Baselines.contextAr(zeros, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lags must be >= 1");
  }

  private static double cosine(INDArray unit, double[] v) {
    float[] p = unit.dup('c').data().asFloat();
    double dot = 0;
    double norm = 0;
    for (int j = 0; j < v.length; j++) {
      dot += p[j] * v[j];
      norm += v[j] * v[j];
    }
    return dot / Math.sqrt(norm);
  }
}
