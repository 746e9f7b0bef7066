package ai.lvm.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small array helpers shared by the blocks: matrix products that write into existing arrays (so the
 * recurrent loops allocate nothing per step), row slices of time-major matrices, and seeded
 * PyTorch-style initialisers (seeded in Java so that a model spec and seed fully determine the
 * initial weights, independent of ND4J's global random state).
 */
final class Tensors {
  private Tensors() {}

  /**
   * A batch of contexts checked against the model: {@code [B, C, D]} with C >= 1, cast to the
   * model's data type, contiguous in C order.
   */
  static INDArray contexts(INDArray contexts, int d, DataType dataType) {
    if (contexts.rank() != 3 || contexts.size(2) != d || contexts.size(1) < 1) {
      throw new IllegalArgumentException(
          "contexts must be [B, C, " + d + "], got " + contexts.shapeInfoToString());
    }
    return contexts.castTo(dataType).dup('c');
  }

  /** {@code [B, C, D]} to time-major rows {@code t * B + b}: {@code [C * B, D]}, for the RNNs. */
  static INDArray timeMajor(INDArray x) {
    long b = x.size(0);
    long c = x.size(1);
    long d = x.size(2);
    return x.permute(1, 0, 2).dup('c').reshape('c', c * b, d);
  }

  /**
   * The rows a read-out predicts from, of a time-major sequence {@code [C * B, H]}: the last step's
   * {@code [B, H]} at LAST, the whole sequence at EVERY.
   */
  static INDArray readOut(INDArray seq, Readout readout, long b, long c) {
    return readout == Readout.LAST ? rows(seq, (c - 1) * b, c * b).dup('c') : seq;
  }

  /** The inverse of {@link #readOut} for gradients: {@code [C * B, H]}, zero where not read. */
  static INDArray sequenceGradient(INDArray dRead, Readout readout, long b, long c) {
    if (readout == Readout.EVERY) {
      return dRead;
    }
    INDArray dSeq = Nd4j.zeros(dRead.dataType(), c * b, dRead.size(1));
    rows(dSeq, (c - 1) * b, c * b).assign(dRead);
    return dSeq;
  }

  /** {@code op(a) x op(b)} as a new c-order array. */
  static INDArray mm(INDArray a, INDArray b, boolean transA, boolean transB) {
    long rows = transA ? a.size(1) : a.size(0);
    long cols = transB ? b.size(0) : b.size(1);
    INDArray c = Nd4j.create(a.dataType(), new long[] {rows, cols}, 'c');
    Nd4j.gemm(a, b, c, transA, transB, 1.0, 0.0);
    return c;
  }

  /**
   * {@code c += op(a) x op(b)}. The target must be a contiguous c-order array or row block; a
   * strided target goes through a temporary.
   */
  static void mmAdd(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB) {
    if (isDenseRows(c)) {
      Nd4j.gemm(a, b, c, transA, transB, 1.0, 1.0);
    } else {
      c.addi(mm(a, b, transA, transB));
    }
  }

  /** {@code c = op(a) x op(b)} into an existing contiguous array or row block. */
  static void mmInto(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB) {
    if (isDenseRows(c)) {
      Nd4j.gemm(a, b, c, transA, transB, 1.0, 0.0);
    } else {
      c.assign(mm(a, b, transA, transB));
    }
  }

  private static boolean isDenseRows(INDArray c) {
    return c.ordering() == 'c' && c.elementWiseStride() == 1 && c.stride(0) == c.size(1);
  }

  /**
   * Rows {@code [from, to)} of a 2-d array, as a view. Built from the buffer, offset and strides
   * directly: in ND4J 1.0.0-M2.1 {@code get(interval(..), all())} on a view that already has an
   * offset returns an empty array when the interval ends at the last row (seen with a [21, 5] view
   * of a [24, 5] array and rows [18, 21)).
   */
  static INDArray rows(INDArray a, long from, long to) {
    checkRange(a, 0, from, to);
    return Nd4j.create(
        a.data(),
        new long[] {to - from, a.size(1)},
        new long[] {a.stride(0), a.stride(1)},
        a.offset() + from * a.stride(0),
        'c');
  }

  /** Columns {@code [from, to)} of a 2-d array, as a view (see {@link #rows}). */
  static INDArray cols(INDArray a, long from, long to) {
    checkRange(a, 1, from, to);
    return Nd4j.create(
        a.data(),
        new long[] {a.size(0), to - from},
        new long[] {a.stride(0), a.stride(1)},
        a.offset() + from * a.stride(1),
        'c');
  }

  private static void checkRange(INDArray a, int dim, long from, long to) {
    if (a.rank() != 2 || from < 0 || to > a.size(dim) || from >= to) {
      throw new IllegalArgumentException(
          "bad range ["
              + from
              + ", "
              + to
              + ") of dimension "
              + dim
              + " of "
              + a.shapeInfoToString());
    }
  }

  /** Uniform on {@code [-bound, bound)}: PyTorch's Linear and GRU initialisation. */
  static INDArray uniform(SplittableRandom rng, DataType type, double bound, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    double[] v = new double[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (2 * rng.nextDouble() - 1) * bound;
    }
    return Nd4j.createFromArray(v).castTo(type).reshape('c', shape);
  }

  /** Normal with mean 0 and the given standard deviation (Box-Muller on the seeded stream). */
  static INDArray normal(SplittableRandom rng, DataType type, double std, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    double[] v = new double[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i += 2) {
      double u1 = 1 - rng.nextDouble();
      double u2 = rng.nextDouble();
      double r = Math.sqrt(-2 * Math.log(u1));
      v[i] = std * r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < v.length) {
        v[i + 1] = std * r * Math.sin(2 * Math.PI * u2);
      }
    }
    return Nd4j.createFromArray(v).castTo(type).reshape('c', shape);
  }

  /** Row-wise softmax of a 2-d array (max-shifted for stability), as a new array. */
  static INDArray softmaxRows(INDArray s) {
    INDArray e = s.subColumnVector(s.max(1).reshape(s.size(0), 1));
    org.nd4j.linalg.ops.transforms.Transforms.exp(e, false);
    return e.diviColumnVector(e.sum(1).reshape(s.size(0), 1));
  }
}
