package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
   * Moves every parameter of {@code m} by {@code scale} N(0, 1) (ND4J's generator seeded with
   * {@code seed}), so a check does not run at the initialisation, where the zero-initialised output
   * layers of the base and residual heads make many gradients vanish and a wrong one goes unseen.
   */
  static void perturb(LatentVectorModel m, long seed, double scale) {
    Nd4j.getRandom().setSeed(seed);
    m.parameters()
        .values()
        .values()
        .forEach(v -> v.addi(Nd4j.randn(v.dataType(), v.shape()).muli(scale)));
  }

  /**
   * Checks every parameter gradient of a float64 model against the loss {@code sum(forward(x) *
   * w)}, w drawn from ND4J's generator as it stands (one row per read-out position, time-major at
   * {@code EVERY} as the model writes them): a training forward and {@link
   * LatentVectorModel#backward} give the analytic gradients, inference forwards the numeric ones
   * ({@link #check} with tolerance 1e-6, {@code perArray} entries an array). Returns the worst
   * relative error.
   */
  static double checkModel(
      LatentVectorModel m, INDArray x, Readout readout, int perArray, long seed) {
    long rows = readout == Readout.EVERY ? x.size(0) * x.size(1) : x.size(0);
    INDArray w = Nd4j.randn(DataType.DOUBLE, rows, x.size(2));
    m.forward(x, true, readout);
    m.parameters().zeroGradients();
    m.backward(w);
    return check(
        m.parameters().values(),
        m.parameters().gradients(),
        () -> m.forward(x, false, readout).mul(w).sumNumber().doubleValue(),
        perArray,
        1e-6,
        seed);
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
