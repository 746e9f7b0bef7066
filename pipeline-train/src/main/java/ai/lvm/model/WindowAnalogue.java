package ai.lvm.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What followed the earlier places of the window that look like its present: an attention read of
 * the window by its own latest vector, with no parameters. The {@code base} head's optional
 * analogue terms ({@link PredictionHead}, {@code lvm.train.base-analogue}) weigh its two outputs by
 * learned scalars.
 *
 * <p>For read-out position t of a window of unit vectors u_0 .. u_{C-1} (each context vector scaled
 * to unit length), the candidates are the positions i whose successor lies at least {@link #GAP}
 * positions before t ({@code i <= t - 1 - GAP}, so the latest few vectors, which context-ar already
 * reads, are not their own analogues), weighted by
 *
 * <pre>
 *   a_ti = softmax_i( u_i . u_t / TEMPERATURE )
 *   successor_t = sum_i a_ti u_{i+1}     what came next after the places like u_t
 *   neighbour_t = sum_i a_ti u_i         those places themselves
 * </pre>
 *
 * A position with no candidates ({@code t <= GAP}) reads zero for both. The two are separate
 * outputs so that a head can learn "move as the analogue moved" ({@code successor - neighbour}) or
 * "go where the analogue went" ({@code successor}) or neither.
 *
 * <p>Why: text repeats itself inside a document (a function's parameters listed like the previous
 * one's, a table's rows, a manual's option entries), and after a place like the present the window
 * often shows what comes next. Measured outside the project on the Python documentation's training
 * windows (C = 100, corpus bank): context-ar-5 plus half the successor-minus-neighbour move lifts
 * Hit@5 from 10.7% to 13.0%; on the kernel pages it does not help (docs/training.md). So the head
 * learns how much to use per corpus, starting at none. {@link #TEMPERATURE} and {@link #GAP} were
 * chosen on those training windows.
 *
 * <p>Cost per window: C^2 D multiply-adds for the similarities and 2 C^2 D for the two reads at
 * {@link Readout#EVERY}, 3 C D at {@link Readout#LAST}. The contexts are input, so nothing here
 * takes a gradient.
 */
public final class WindowAnalogue {
  private WindowAnalogue() {}

  /**
   * The base head's learned weights (alpha on the successor read, gamma on the neighbour read) of a
   * model's parameters, or null where the model has none ({@code lvm.train.base-analogue} off).
   */
  public static double[] headWeights(Parameters params) {
    INDArray stored = params.values().get(PredictionHead.ANALOGUE);
    return stored == null
        ? null
        : new double[] {
          PredictionHead.ANALOGUE_SCALE * stored.getDouble(0),
          PredictionHead.ANALOGUE_SCALE * stored.getDouble(1)
        };
  }

  /** The softmax temperature over cosine similarities. */
  public static final double TEMPERATURE = 0.05;

  /** How many of the latest positions before t are never candidates (their successors). */
  public static final int GAP = 3;

  /**
   * The two reads at each read-out position, float32.
   *
   * @param successor {@code sum_i a_ti u_{i+1}}: {@code [B, D]} at LAST, time-major {@code [C * B,
   *     D]} at EVERY (rows {@code t * B + b})
   * @param neighbour {@code sum_i a_ti u_i}, the same shape
   */
  public record Reads(INDArray successor, INDArray neighbour) {}

  /** The reads of contexts {@code [B, C, D]}. */
  public static Reads read(INDArray contexts, Readout readout) {
    int b = (int) contexts.size(0);
    int c = (int) contexts.size(1);
    int d = (int) contexts.size(2);
    int first = readout == Readout.EVERY ? 0 : c - 1;
    int positions = c - first;
    float[] successor = new float[positions * b * d];
    float[] neighbour = new float[positions * b * d];
    INDArray all = contexts.castTo(DataType.FLOAT).dup('c');
    for (int w = 0; w < b; w++) {
      INDArray u = L2Norm.unitRows(all.slice(w).dup('c')); // [C, D]
      // Only positions with a candidate read anything: t >= GAP + 1, candidates i < t - GAP.
      int from = Math.max(first, GAP + 1);
      if (from >= c) {
        continue;
      }
      int keys = c - 1 - GAP; // i = 0 .. c - 2 - GAP at the latest position
      INDArray queries = Tensors.rows(u, from, c);
      float[] s =
          Tensors.mm(queries, Tensors.rows(u, 0, keys), false, true).data().asFloat(); // [T, keys]
      float[] weights = new float[(c - from) * keys];
      for (int t = from; t < c; t++) {
        int row = (t - from) * keys;
        int n = t - GAP; // candidates 0 .. n - 1
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          max = Math.max(max, s[row + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
          double e = Math.exp((s[row + i] - max) / TEMPERATURE);
          weights[row + i] = (float) e;
          sum += e;
        }
        for (int i = 0; i < n; i++) {
          weights[row + i] /= (float) sum;
        }
      }
      INDArray a = Nd4j.create(weights, new long[] {c - from, keys}, 'c');
      float[] next = Tensors.mm(a, Tensors.rows(u, 1, keys + 1), false, false).data().asFloat();
      float[] self = Tensors.mm(a, Tensors.rows(u, 0, keys), false, false).data().asFloat();
      for (int t = from; t < c; t++) {
        int out = ((t - first) * b + w) * d;
        int in = (t - from) * d;
        System.arraycopy(next, in, successor, out, d);
        System.arraycopy(self, in, neighbour, out, d);
      }
    }
    long[] shape = {(long) positions * b, d};
    return new Reads(Nd4j.create(successor, shape, 'c'), Nd4j.create(neighbour, shape, 'c'));
  }
}
