package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorGemmTest {
  /** Against a plain triple loop, on shapes that hit every branch (row groups, vector tails). */
  @ParameterizedTest
  @CsvSource({"8, 512, 1536", "8, 1536, 512", "7, 37, 101", "1, 3, 5", "5, 16, 64", "3, 1, 33"})
  void addsTheProduct(int rows, int k, int n) {
    SplittableRandom rng = new SplittableRandom(rows * 1000L + k + n);
    float[] a = random(rng, rows * k);
    float[] w = random(rng, k * n);
    float[] out = random(rng, rows * n);
    double[] expected = new double[rows * n];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        double s = out[r * n + j];
        for (int i = 0; i < k; i++) {
          s += (double) a[r * k + i] * w[i * n + j];
        }
        expected[r * n + j] = s;
      }
    }
    VectorGemm.multiplyAdd(a, rows, k, w, n, out);
    for (int i = 0; i < out.length; i++) {
      assertThat((double) out[i]).as("element %d", i).isCloseTo(expected[i], within(k));
    }
  }

  /** The single-row kernel against a plain double loop over the untransposed weights. */
  @ParameterizedTest
  @CsvSource({"512, 1536", "37, 101", "3, 5", "16, 64", "1, 3"})
  void addsTheRowDotProducts(int k, int n) {
    SplittableRandom rng = new SplittableRandom(k * 31L + n);
    float[] a = random(rng, k);
    float[] w = random(rng, n * k); // [n, k] row-major
    float[] out = random(rng, n);
    double[] expected = new double[n];
    for (int j = 0; j < n; j++) {
      double s = out[j];
      for (int i = 0; i < k; i++) {
        s += (double) a[i] * w[j * k + i];
      }
      expected[j] = s;
    }
    VectorGemm.rowDotAdd(a, k, w, n, out);
    for (int j = 0; j < n; j++) {
      assertThat((double) out[j]).as("element %d", j).isCloseTo(expected[j], within(k));
    }
  }

  private static org.assertj.core.data.Offset<Double> within(int k) {
    return org.assertj.core.data.Offset.offset(1e-5 * Math.sqrt(k) * 4);
  }

  private static float[] random(SplittableRandom rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return v;
  }
}
