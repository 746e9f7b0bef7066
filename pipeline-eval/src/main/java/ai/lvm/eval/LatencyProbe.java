package ai.lvm.eval;

import ai.lvm.model.LatentVectorModel;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference speed of a model: single-window latency (after warm-up, so JIT compilation and first
 * allocations are not counted) and batched throughput. Inputs are random windows: a forward pass
 * costs the same whatever the values.
 */
final class LatencyProbe {
  private LatencyProbe() {}

  /** Timings in milliseconds, sorted. */
  record Timings(double[] millis, double windowsPerSecond) {
    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    double percentile(double p) {
      int rank = (int) Math.ceil(p / 100 * millis.length);
      return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
    }
  }

  static Timings measure(
      LatentVectorModel model, int contextSize, int warmup, int samples, int batchSize) {
    int d = model.dimension();
    Nd4j.getRandom().setSeed(7);
    INDArray one = aboutUnitNorm(Nd4j.randn(DataType.FLOAT, 1, contextSize, d));
    for (int i = 0; i < warmup; i++) {
      model.forward(one, false);
    }
    double[] millis = new double[samples];
    for (int i = 0; i < samples; i++) {
      long t0 = System.nanoTime();
      model.forward(one, false);
      millis[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(millis);
    INDArray batch = aboutUnitNorm(Nd4j.randn(DataType.FLOAT, batchSize, contextSize, d));
    model.forward(batch, false);
    int reps = 2;
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      model.forward(batch, false);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Timings(millis, reps * batchSize / seconds);
  }

  /** Scaled to about unit norm per vector, like real embeddings. */
  private static INDArray aboutUnitNorm(INDArray x) {
    return x.muli(1 / Math.sqrt(x.size(2)));
  }
}
