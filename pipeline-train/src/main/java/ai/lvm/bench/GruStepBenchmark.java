package ai.lvm.bench;

import ai.lvm.config.CommandLine;
import ai.lvm.config.LvmConfig;
import ai.lvm.model.Gru;
import ai.lvm.model.LatentVectorModel;
import ai.lvm.model.MemoryGru;
import ai.lvm.model.ModelSpec;
import ai.lvm.model.Models;
import ai.lvm.model.Parameters;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one training forward+backward of memory-gru at the reference size (D 768, H 512, 4 layers,
 * 2048 slots, B 8) and of the bare reference GRU stack (input 1536, the case DEPENDENCIES.md
 * measured for PyTorch and SameDiff), next to a dense 2048^3 matrix multiply in the same JVM, so
 * the figures can be read against the machine's matmul speed. Medians of several iterations after
 * warm-up. Run with {@code OMP_NUM_THREADS=1}.
 *
 * <p>{@code bin/lvm bench-train [--set lvm.bench.step-context-size=100] [--set
 * lvm.bench.step-iterations=5] [--set lvm.bench.step-batch=8]}
 */
public final class GruStepBenchmark {
  private GruStepBenchmark() {}

  public static void main(String[] args) {
    LvmConfig config = CommandLine.parse(args).load();
    config.rejectUnknownKeys(List.of("bench"));
    int c = config.intInRange("lvm.bench.step-context-size", 1, 100_000);
    int iterations = config.intInRange("lvm.bench.step-iterations", 1, 10_000);
    int b = config.intInRange("lvm.bench.step-batch", 1, 100_000);
    int d = 768;
    System.out.printf(
        "backend %s, OMP_NUM_THREADS=%s, B=%d C=%d%n",
        Nd4j.getBackend().getClass().getSimpleName(), System.getenv("OMP_NUM_THREADS"), b, c);

    double gflops = matmulGflops(2048, 5);
    System.out.printf("dense matmul 2048^3: %.1f GFLOP/s%n", gflops);

    ModelSpec spec = ModelSpec.reference(MemoryGru.TYPE, d);
    LatentVectorModel model = Models.create(spec);
    Nd4j.getRandom().setSeed(1);
    INDArray x = Nd4j.randn(DataType.FLOAT, b, c, d);
    INDArray dy = Nd4j.randn(DataType.FLOAT, b, d);
    double[] fwd = new double[iterations];
    double[] step = new double[iterations];
    for (int i = -2; i < iterations; i++) {
      long t0 = System.nanoTime();
      model.forward(x, true);
      long t1 = System.nanoTime();
      model.parameters().zeroGradients();
      model.backward(dy);
      model.afterStep();
      long t2 = System.nanoTime();
      if (i >= 0) {
        fwd[i] = (t1 - t0) / 1e6;
        step[i] = (t2 - t0) / 1e6;
      }
    }
    System.out.printf(
        "memory-gru (%,d params) forward %.0f ms, forward+backward %.0f ms, %.0f windows/s%n",
        model.parameters().count(), median(fwd), median(step), b * 1000 / median(step));

    // the bare stack as DEPENDENCIES.md measured it: input 1536, 4 x 512, no constant-input trick
    Parameters p = new Parameters();
    Gru gru =
        new Gru(
            p,
            "gru",
            2 * d,
            0,
            512,
            4,
            0.1,
            new SplittableRandom(1),
            Nd4j.getRandomFactory().getNewRandomInstance(1));
    INDArray u = Nd4j.randn(DataType.FLOAT, (long) c * b, 2 * d);
    INDArray dLast = Nd4j.randn(DataType.FLOAT, b, 512);
    double[] gFwd = new double[iterations];
    double[] gStep = new double[iterations];
    for (int i = -2; i < iterations; i++) {
      long t0 = System.nanoTime();
      gru.forward(u, null, c, b, true);
      long t1 = System.nanoTime();
      gru.backward(null, dLast);
      long t2 = System.nanoTime();
      if (i >= 0) {
        gFwd[i] = (t1 - t0) / 1e6;
        gStep[i] = (t2 - t0) / 1e6;
      }
    }
    System.out.printf(
        "GRU stack 1536->512 x4 forward %.0f ms, forward+backward %.0f ms"
            + " (DEPENDENCIES.md, 1 thread: PyTorch 207 / 588 ms, SameDiff gru 383 / 3,632 ms)%n",
        median(gFwd), median(gStep));
  }

  private static double matmulGflops(int n, int reps) {
    INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray bm = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray out = Nd4j.create(DataType.FLOAT, n, n);
    Nd4j.gemm(a, bm, out, false, false, 1.0, 0.0);
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      Nd4j.gemm(a, bm, out, false, false, 1.0, 0.0);
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    return 2.0 * n * n * n / median(t) / 1e9;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
