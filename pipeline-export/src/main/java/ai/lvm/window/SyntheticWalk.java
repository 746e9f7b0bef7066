package ai.lvm.window;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Synthetic documents with a learnable next-step structure: each document is a walk on the unit
 * sphere, {@code x[t+1] = normalize(R_lane x[t] + noise * g)}, where {@code R_lane} is a fixed
 * random rotation of its lane (independent 2-D rotations of randomly paired coordinates, by angles
 * in [0.2, 0.9] rad) and {@code g} is Gaussian noise of unit expected norm. Copying the last vector
 * scores cos(theta); a model that learns {@code R_lane} does better, so the data can tell a trained
 * model from the copy-last baseline.
 *
 * <p>Everything is a pure function of (seed, document index): any partitioning gives the same
 * corpus, bit for bit.
 */
public final class SyntheticWalk implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dimension;
  private final double noise;
  private final long seed;
  private final int[][] pairs; // per lane: coordinate pairs (2 per rotation)
  private final double[][] cos;
  private final double[][] sin;

  public SyntheticWalk(int dimension, int lanes, double noise, long seed) {
    if (dimension < 2 || lanes < 1 || noise < 0) {
      throw new IllegalArgumentException("dimension >= 2, lanes >= 1, noise >= 0");
    }
    this.dimension = dimension;
    this.noise = noise;
    this.seed = seed;
    this.pairs = new int[lanes][];
    this.cos = new double[lanes][];
    this.sin = new double[lanes][];
    for (int lane = 0; lane < lanes; lane++) {
      SplittableRandom rng = new SplittableRandom(mix(seed, -1 - lane));
      int[] perm = new int[dimension];
      for (int i = 0; i < dimension; i++) {
        perm[i] = i;
      }
      for (int i = dimension - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      pairs[lane] = perm;
      cos[lane] = new double[dimension / 2];
      sin[lane] = new double[dimension / 2];
      for (int k = 0; k < dimension / 2; k++) {
        double theta = 0.2 + 0.7 * rng.nextDouble();
        cos[lane][k] = StrictMath.cos(theta);
        sin[lane][k] = StrictMath.sin(theta);
      }
    }
  }

  public int lanes() {
    return pairs.length;
  }

  /** Length of document {@code doc}, uniform in [min, max]. */
  public int length(long doc, int min, int max) {
    return min + new SplittableRandom(mix(seed, 2 * doc)).nextInt(max - min + 1);
  }

  /** Lane of document {@code doc}. */
  public int lane(long doc) {
    return new SplittableRandom(mix(seed, 2 * doc + 1)).nextInt(lanes());
  }

  /** The first {@code length} vectors of document {@code doc}, each of unit norm. */
  public float[][] document(long doc, int length) {
    SplittableRandom rng = new SplittableRandom(mix(seed ^ 0x5DEECE66DL, doc));
    int lane = lane(doc);
    double[] x = new double[dimension];
    double[] next = new double[dimension];
    for (int i = 0; i < dimension; i++) {
      x[i] = gaussian(rng);
    }
    normalise(x);
    float[][] out = new float[length][];
    for (int t = 0; t < length; t++) {
      out[t] = toFloats(x);
      rotate(lane, x, next);
      double scale = noise / Math.sqrt(dimension);
      for (int i = 0; i < dimension; i++) {
        next[i] += scale * gaussian(rng);
      }
      normalise(next);
      double[] tmp = x;
      x = next;
      next = tmp;
    }
    return out;
  }

  /** {@code out = R_lane x}: the noiseless next step, which a perfect model predicts. */
  public void rotate(int lane, double[] x, double[] out) {
    System.arraycopy(x, 0, out, 0, dimension);
    int[] p = pairs[lane];
    for (int k = 0; k < dimension / 2; k++) {
      int a = p[2 * k];
      int b = p[2 * k + 1];
      out[a] = cos[lane][k] * x[a] - sin[lane][k] * x[b];
      out[b] = sin[lane][k] * x[a] + cos[lane][k] * x[b];
    }
  }

  private static float[] toFloats(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  private static void normalise(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    double inv = 1 / Math.sqrt(s);
    for (int i = 0; i < x.length; i++) {
      x[i] *= inv;
    }
  }

  /** Box-Muller on the generator's own doubles (SplittableRandom has no nextGaussian in 17). */
  private static double gaussian(SplittableRandom rng) {
    double u = 1 - rng.nextDouble();
    double v = rng.nextDouble();
    return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
  }

  private static long mix(long seed, long n) {
    long z = seed * 0x9E3779B97F4A7C15L + n;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
