package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central-difference gradient checks in float64: compares an analytic gradient array with {@code
 * (L(p + eps) - L(p - eps)) / 2 eps} at sampled entries.
 */
final class GradCheck {
  static final double EPS = 1e-6;

  private GradCheck() {}

  /**
   * Relative error |a - n| / max(|a| + |n|, 1e-2). The floor keeps near-zero gradients from being
   * judged on the ~1e-10 round-off that central differences at eps 1e-6 carry in float64: below
   * 1e-2 this is an absolute error scaled by 100.
   */
  static double relError(double analytic, double numeric) {
    return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-2);
  }

  /**
   * Checks up to {@code perArray} random entries of each array against the loss; returns the worst
   * relative error and asserts it is below {@code tol}.
   */
  static double check(
      Map<String, INDArray> values,
      Map<String, INDArray> analytic,
      DoubleSupplier loss,
      int perArray,
      double tol,
      long seed) {
    Random rng = new Random(seed);
    double worst = 0;
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, INDArray> e : values.entrySet()) {
      INDArray v = e.getValue();
      INDArray g = analytic.get(e.getKey());
      INDArray flatV = v.reshape(v.length());
      INDArray flatG = g.reshape(g.length());
      for (int k = 0; k < Math.min(perArray, v.length()); k++) {
        long i = perArray >= v.length() ? k : (long) (rng.nextDouble() * v.length());
        double orig = flatV.getDouble(i);
        flatV.putScalar(i, orig + EPS);
        double up = loss.getAsDouble();
        flatV.putScalar(i, orig - EPS);
        double down = loss.getAsDouble();
        flatV.putScalar(i, orig);
        double numeric = (up - down) / (2 * EPS);
        double a = flatG.getDouble(i);
        double err = relError(a, numeric);
        worst = Math.max(worst, err);
        if (err > tol) {
          failures.add(e.getKey() + "[" + i + "] analytic " + a + " numeric " + numeric);
        }
      }
    }
    assertThat(failures).as("gradient mismatches").isEmpty();
    return worst;
  }
}
