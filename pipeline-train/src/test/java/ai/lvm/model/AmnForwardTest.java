package ai.lvm.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * amn's forward pass against an independent plain-Java implementation of the reference equations
 * (docs/protocols.md, "The reference system"): attention over the context scored against the
 * mean-of-context baseline, the residual MLP, normalisation and the residual prediction. Shares
 * nothing with the model's code but its parameters.
 */
class AmnForwardTest {
  private static final int B = 2;
  private static final int C = 4;
  private static final int D = 5;
  private static final int H = 6;

  @Test
  void matchesThePlainJavaEquations() {
    ModelSpec spec = new ModelSpec(Amn.TYPE, D, H, 1, 1, 0.0, PredictionMode.RESIDUAL, 3);
    LatentVectorModel model = Models.create(spec, DataType.DOUBLE);
    SplittableRandom rng = new SplittableRandom(11);
    double[][][] x = new double[B][C][D];
    double[] flat = new double[B * C * D];
    for (int b = 0, i = 0; b < B; b++) {
      for (int c = 0; c < C; c++) {
        for (int d = 0; d < D; d++, i++) {
          x[b][c][d] = rng.nextGaussian();
          flat[i] = x[b][c][d];
        }
      }
    }
    double[][] got =
        model.forward(Nd4j.create(flat, new long[] {B, C, D}, 'c'), false).toDoubleMatrix();
    Map<String, INDArray> p = model.parameters().values();
    for (int b = 0; b < B; b++) {
      double[] expected = reference(x[b], p);
      for (int d = 0; d < D; d++) {
        assertThat(got[b][d]).isCloseTo(expected[d], org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  private static double[] reference(double[][] x, Map<String, INDArray> p) {
    int a = H / 2;
    double[] baseline = new double[D];
    for (double[] v : x) {
      for (int d = 0; d < D; d++) {
        baseline[d] += v[d] / C;
      }
    }
    double[] q = linear(p, "query_encoder", baseline);
    double[] scores = new double[C];
    for (int c = 0; c < C; c++) {
      double[] k = linear(p, "context_encoder", x[c]);
      for (int j = 0; j < a; j++) {
        scores[c] += k[j] * q[j] / Math.sqrt(a);
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      max = Math.max(max, s);
    }
    double sum = 0;
    double[] w = new double[C];
    for (int c = 0; c < C; c++) {
      w[c] = Math.exp(scores[c] - max);
      sum += w[c];
    }
    double[] in = new double[2 * D];
    System.arraycopy(baseline, 0, in, 0, D);
    for (int c = 0; c < C; c++) {
      for (int d = 0; d < D; d++) {
        in[D + d] += w[c] / sum * x[c][d];
      }
    }
    double[] h0 = layerNorm(p, "residual_net.2", gelu(linear(p, "residual_net.0", in)));
    double[] h1 = layerNorm(p, "residual_net.5", gelu(linear(p, "residual_net.3", h0)));
    double[] r = linear(p, "residual_net.6", h1);
    double[] out = new double[D];
    for (int d = 0; d < D; d++) {
      out[d] = r[d] + baseline[d];
    }
    out = unit(out);
    for (int d = 0; d < D; d++) {
      out[d] += x[C - 1][d];
    }
    return unit(out);
  }

  private static double[] linear(Map<String, INDArray> p, String name, double[] in) {
    double[][] w = p.get(name + ".weight").toDoubleMatrix();
    double[] bias = p.get(name + ".bias").toDoubleVector();
    double[] out = new double[w.length];
    for (int o = 0; o < w.length; o++) {
      out[o] = bias[o];
      for (int i = 0; i < in.length; i++) {
        out[o] += w[o][i] * in[i];
      }
    }
    return out;
  }

  private static double[] layerNorm(Map<String, INDArray> p, String name, double[] v) {
    double mean = 0;
    for (double e : v) {
      mean += e / v.length;
    }
    double var = 0;
    for (double e : v) {
      var += (e - mean) * (e - mean) / v.length;
    }
    double[] gamma = p.get(name + ".weight").toDoubleVector();
    double[] beta = p.get(name + ".bias").toDoubleVector();
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (v[i] - mean) / Math.sqrt(var + 1e-5) * gamma[i] + beta[i];
    }
    return out;
  }

  /** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)), with erf from its Taylor series (|x| small here). */
  private static double[] gelu(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = 0.5 * v[i] * (1 + erf(v[i] / Math.sqrt(2)));
    }
    return out;
  }

  private static double erf(double z) {
    if (Math.abs(z) > 3) {
      return Math.signum(z) * (1 - erfcAsymptotic(Math.abs(z)));
    }
    double term = z;
    double sum = z;
    for (int n = 1; n < 200; n++) {
      term *= -z * z / n;
      sum += term / (2 * n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  private static double erfcAsymptotic(double z) {
    return Math.exp(-z * z) / (z * Math.sqrt(Math.PI)) * (1 - 1 / (2 * z * z));
  }

  private static double[] unit(double[] v) {
    double s = 0;
    for (double e : v) {
      s += e * e;
    }
    double[] out = v.clone();
    for (int i = 0; i < v.length; i++) {
      out[i] /= Math.sqrt(s);
    }
    return out;
  }
}
