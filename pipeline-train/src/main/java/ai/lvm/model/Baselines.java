package ai.lvm.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The no-training predictions every model is measured against, from the context alone. {@code
 * mean-last-k} is the unit mean of the last k context vectors; k = 1 is copy-last. The {@code base}
 * prediction mode starts a model exactly here ({@link PredictionHead}), so one function serves
 * both. {@code context-ar-L} is a linear autoregression over the last L vectors fitted to each
 * window's own context: no corpus, no training, but it adapts to the window.
 */
public final class Baselines {
  private Baselines() {}

  /**
   * The name of the mean-last-k baseline: {@code copy-last} for k = 1, else {@code mean-last-k}.
   */
  public static String name(int k) {
    return k == 1 ? "copy-last" : "mean-last-" + k;
  }

  /**
   * Unit {@code mean-last-k} predictions {@code [B, D]} (float32) of contexts {@code [B, C, D]}; k
   * above C is capped at C (the mean of the whole context).
   */
  public static INDArray meanLastK(INDArray contexts, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    INDArray x = contexts.castTo(DataType.FLOAT).dup('c');
    return L2Norm.unitRows(PredictionHead.base(x, k, Readout.LAST));
  }

  /**
   * The ridge strength of {@link #contextAr}, per fitted pair (so it means the same at every C).
   * Chosen on training windows of the two corpora of docs/protocols.md, never on validation or
   * test.
   */
  public static final double CONTEXT_AR_RIDGE = 0.1;

  /** The name of the context-autoregression baseline over L lags: {@code context-ar-<L>}. */
  public static String contextArName(int lags) {
    return "context-ar-" + lags;
  }

  /** The k of the mean-last-k whose weights {@link #contextAr} shrinks towards. */
  static final int CONTEXT_AR_PRIOR_K = 3;

  /**
   * Unit {@code context-ar-L} predictions {@code [B, D]} (float32) of contexts {@code [B, C, D]}:
   * per window, the weights w of "the next vector is a weighted sum of the last L" fitted by ridge
   * regression to the window's own C - L consecutive (last L, next) pairs, then applied to its last
   * L vectors.
   *
   * <p>With x_0 .. x_{C-1} the window, pairs t = L-1 .. C-2 (T = C - L of them):
   *
   * <pre>
   *   w = argmin  sum_t || x_{t+1} - sum_l w_l x_{t-l} ||^2  +  lambda T || w - w0 ||^2
   *     = (G + lambda T I)^-1 (b + lambda T w0),
   *   G_lm = sum_t x_{t-l} . x_{t-m},   b_l = sum_t x_{t+1} . x_{t-l},
   *   prediction = normalize( sum_l w_l x_{C-1-l} ),
   * </pre>
   *
   * with lambda = {@link #CONTEXT_AR_RIDGE} and w0 the weights of mean-last-3 (1/3 on the three
   * latest lags): a window with little evidence, or lambda large, predicts mean-last-3. G and b
   * come from the lagged dot products x_t . x_{t-d}, d = 0..L, so a window costs C (L + 1) D
   * multiply-adds plus an L x L Cholesky solve.
   *
   * <p>Edge cases: L is capped at C - 1 (at least one pair), and the prior's 3 at L; C = 1 is
   * copy-last. A window whose last L vectors sum to zero under w predicts zero, as mean-last-k
   * does.
   *
   * @throws IllegalArgumentException if {@code lags < 1}
   */
  public static INDArray contextAr(INDArray contexts, int lags) {
    return L2Norm.unitRows(contextArBase(contexts, lags, Readout.LAST));
  }

  /**
   * The unnormalised {@link #contextAr} prediction {@code sum_l w_l x_{t-l}} at each read-out
   * position, float32: {@code [B, D]} at LAST (the whole window's fit), time-major {@code [C * B,
   * D]} at EVERY (rows {@code t * B + b}), where position t's weights are fitted to the prefix x_0
   * .. x_t alone, exactly as {@link #contextAr} fits a window of t + 1 vectors (L capped at t;
   * position 0 is copy-last), so a prediction never sees a later vector. The {@code base}
   * prediction mode's base with {@code base-lags} set ({@link PredictionHead}). The lagged dot
   * products are computed once per window and the ridge system grows by one pair per position
   * ({@link LagSystem}), so a position costs O(L^2) plus an L x L solve, not a refit of its prefix.
   */
  static INDArray contextArBase(INDArray contexts, int lags, Readout readout) {
    if (lags < 1) {
      throw new IllegalArgumentException("lags must be >= 1, got " + lags);
    }
    int b = (int) contexts.size(0);
    int c = (int) contexts.size(1);
    int d = (int) contexts.size(2);
    float[] x = contexts.castTo(DataType.FLOAT).dup('c').data().asFloat();
    int first = readout == Readout.EVERY ? 0 : c - 1;
    int positions = c - first;
    float[] out = new float[positions * b * d];
    for (int w = 0; w < b; w++) {
      int from = w * c * d;
      int full = Math.min(lags, c - 1);
      double[][] lagged = laggedDots(x, from, c, d, full);
      // Every position from t = full on fits `full` lags, so one system grows along the window;
      // the shorter prefixes before it (t < lags) fit fewer. No lags at all (C = 1): copy-last.
      LagSystem system = full >= 1 ? new LagSystem(lagged, full) : null;
      for (int t = first; t < c; t++) {
        int l = Math.min(lags, t);
        int row = ((t - first) * b + w) * d;
        if (l < 1) {
          System.arraycopy(x, from + t * d, out, row, d);
          continue;
        }
        double[] weights = (l == full ? system : new LagSystem(lagged, l)).weights(t + 1);
        for (int lag = 0; lag < l; lag++) {
          int in = from + (t - lag) * d;
          for (int j = 0; j < d; j++) {
            out[row + j] += (float) (weights[lag] * x[in + j]);
          }
        }
      }
    }
    return Nd4j.create(out, new long[] {(long) positions * b, d}, 'c');
  }

  /**
   * {@code lagged[t][k] = x_t . x_{t-k}} of the window at {@code x[from ..]} ([C, D] row major).
   */
  private static double[][] laggedDots(float[] x, int from, int c, int d, int l) {
    double[][] lagged = new double[c][l + 1];
    for (int t = 0; t < c; t++) {
      for (int k = 0; k <= Math.min(l, t); k++) {
        double dot = 0;
        int a = from + t * d;
        int e = from + (t - k) * d;
        for (int j = 0; j < d; j++) {
          dot += x[a + j] * x[e + j];
        }
        lagged[t][k] = dot;
      }
    }
    return lagged;
  }

  /**
   * The ridge system of "the next vector is a weighted sum of the last l" over a window's first
   * pairs, from its lagged dot products, grown one pair at a time: {@link #weights} for a longer
   * prefix adds only the pairs it lacks, so a window's every prefix costs what its whole fit does.
   */
  private static final class LagSystem {
    private final double[][] lagged;
    private final int l;
    private final double[][] g;
    private final double[] rhs;

    /** The pair predicting vector {@code nextPair + 1} from the l before it is the next to add. */
    private int nextPair;

    LagSystem(double[][] lagged, int l) {
      this.lagged = lagged;
      this.l = l;
      this.g = new double[l][l];
      this.rhs = new double[l];
      this.nextPair = l - 1;
    }

    /**
     * The ridge-fitted weights for the first {@code n} vectors ({@code l + 1 <= n}, never less than
     * an earlier call's).
     */
    double[] weights(int n) {
      if (n - 2 < nextPair - 1) {
        throw new IllegalStateException("prefixes must not shrink: " + n + " after " + nextPair);
      }
      for (; nextPair <= n - 2; nextPair++) {
        int t = nextPair;
        for (int i = 0; i < l; i++) {
          rhs[i] += lagged[t + 1][i + 1];
          for (int m = 0; m <= i; m++) {
            g[i][m] += lagged[t - m][i - m]; // x_{t-i} . x_{t-m}, m <= i
          }
        }
      }
      int pairs = n - l;
      double ridge = CONTEXT_AR_RIDGE * pairs;
      int priorK = Math.min(CONTEXT_AR_PRIOR_K, l);
      double[][] a = new double[l][];
      double[] r = rhs.clone();
      for (int i = 0; i < l; i++) {
        a[i] = g[i].clone();
        a[i][i] += ridge;
        r[i] += i < priorK ? ridge / priorK : 0;
      }
      return choleskySolve(a, r);
    }
  }

  /**
   * Solves {@code A w = r} for a symmetric positive definite A given by its lower triangle (the
   * ridge term makes it so), in place of a general solver: L x L with L a handful.
   */
  private static double[] choleskySolve(double[][] a, double[] r) {
    int n = r.length;
    double[][] low = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= low[i][k] * low[j][k];
        }
        low[i][j] = i == j ? Math.sqrt(s) : s / low[j][j];
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = r[i];
      for (int k = 0; k < i; k++) {
        s -= low[i][k] * y[k];
      }
      y[i] = s / low[i][i];
    }
    double[] w = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < n; k++) {
        s -= low[k][i] * w[k];
      }
      w[i] = s / low[i][i];
    }
    return w;
  }
}
