package ai.lvm.bench;

import ai.lvm.config.CommandLine;
import ai.lvm.config.LvmConfig;
import ai.lvm.job.JobMain;
import ai.lvm.model.Gru;
import ai.lvm.model.LatentVectorModel;
import ai.lvm.model.MemoryGru;
import ai.lvm.model.ModelSpec;
import ai.lvm.model.Models;
import ai.lvm.model.Parameters;
import ai.lvm.train.AdamW;
import ai.lvm.train.GradientClipping;
import ai.lvm.train.Loss;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one training step of memory-gru at the reference size (D 768, H 512, 4 layers, 2048 slots,
 * B 8) as the trainer runs it (forward, the reference loss, backward, memory write, global-norm
 * clipping, AdamW), and the bare reference GRU stack (input 1536, the case measured against
 * SameDiff's gru op (docs/architecture.md) for PyTorch and SameDiff), next to a dense 2048^3 matrix
 * multiply in the same JVM, so the figures can be read against the machine's matmul speed. Medians
 * of several iterations after warm-up. Run with {@code OMP_NUM_THREADS=1}. {@code bin/bench-torch}
 * runs the same cases, interleaved with PyTorch's.
 *
 * <p>{@code bin/lvm bench-train [--set lvm.bench.step-context-size=100] [--set
 * lvm.bench.step-iterations=5] [--set lvm.bench.step-batch=8]}
 */
public final class GruStepBenchmark {
  static final int D = 768;
  static final int H = 512;
  static final int LAYERS = 4;
  static final double LR = 1e-4;
  static final double WEIGHT_DECAY = 1e-4;
  static final double ALPHA = 0.03;

  private GruStepBenchmark() {}

  public static void main(String[] args) {
    JobMain.tool("lvm-bench-train", args, GruStepBenchmark::run);
  }

  private static void run(CommandLine cli) {
    LvmConfig config = cli.load();
    config.rejectUnknownKeys(List.of("bench"));
    int c = config.intInRange("lvm.bench.step-context-size", 1, 100_000);
    int iterations = config.intInRange("lvm.bench.step-iterations", 1, 10_000);
    int b = config.intInRange("lvm.bench.step-batch", 1, 100_000);
    System.out.printf(
        "backend %s, OMP_NUM_THREADS=%s, B=%d C=%d%n",
        Nd4j.getBackend().getClass().getSimpleName(), System.getenv("OMP_NUM_THREADS"), b, c);
    System.out.printf("dense matmul 2048^3: %.1f GFLOP/s%n", matmulGflops(2048, 5));

    ModelStep step = new ModelStep(b, c);
    double[] fwd = new double[iterations];
    double[] fwdBwd = new double[iterations];
    double[] full = new double[iterations];
    for (int i = -2; i < iterations; i++) {
      double[] t = step.run();
      if (i >= 0) {
        fwd[i] = t[0];
        fwdBwd[i] = t[1];
        full[i] = t[2];
      }
    }
    System.out.printf(
        "memory-gru (%,d params) forward %.0f ms, forward+loss+backward %.0f ms,"
            + " training step (+ memory write, clipping, AdamW) %.0f ms, %.1f windows/s%n",
        step.model.parameters().count(),
        median(fwd),
        median(fwdBwd),
        median(full),
        b * 1000 / median(full));

    StackStep stack = new StackStep(b, c);
    double[] gFwd = new double[iterations];
    double[] gStep = new double[iterations];
    for (int i = -2; i < iterations; i++) {
      double[] t = stack.run();
      if (i >= 0) {
        gFwd[i] = t[0];
        gStep[i] = t[1];
      }
    }
    System.out.printf(
        "GRU stack 1536->512 x4 forward %.0f ms, forward+backward %.0f ms%n",
        median(gFwd), median(gStep));
  }

  /**
   * One memory-gru training step on a fixed random batch: zero gradients, forward (training), loss,
   * backward, memory write, clipping at 1.0, AdamW (lr 1e-4, weight decay 1e-4), one micro-batch
   * per optimizer step.
   */
  public static final class ModelStep {
    final LatentVectorModel model;
    private final INDArray x;
    private final INDArray targets;
    private final Loss loss = new Loss(ALPHA);
    private final AdamW optimizer = new AdamW(WEIGHT_DECAY);

    public ModelStep(int b, int c) {
      model = Models.create(ModelSpec.reference(MemoryGru.TYPE, D));
      Nd4j.getRandom().setSeed(1);
      x = Nd4j.randn(DataType.FLOAT, b, c, D);
      targets = Nd4j.randn(DataType.FLOAT, b, D);
    }

    /** Milliseconds of {forward, forward + loss + backward, whole step}. */
    public double[] run() {
      long t0 = System.nanoTime();
      model.parameters().zeroGradients();
      INDArray predictions = model.forward(x, true);
      long t1 = System.nanoTime();
      Loss.Result r = loss.compute(predictions, targets);
      model.backward(r.gradient());
      long t2 = System.nanoTime();
      model.afterStep();
      GradientClipping.clipByGlobalNorm(model.parameters().gradients().values(), 1.0);
      optimizer.step(model.parameters(), LR);
      long t3 = System.nanoTime();
      return new double[] {(t1 - t0) / 1e6, (t2 - t0) / 1e6, (t3 - t0) / 1e6};
    }
  }

  /** Forward + backward of the bare reference GRU stack (input 1536, 4 x 512, dropout 0.1). */
  public static final class StackStep {
    private final Gru gru;
    private final INDArray u;
    private final INDArray dLast;
    private final int b;
    private final int c;

    public StackStep(int b, int c) {
      this.b = b;
      this.c = c;
      gru =
          new Gru(
              new Parameters(),
              "gru",
              2 * D,
              0,
              H,
              LAYERS,
              0.1,
              new SplittableRandom(1),
              Nd4j.getRandomFactory().getNewRandomInstance(1));
      u = Nd4j.randn(DataType.FLOAT, (long) c * b, 2 * D);
      dLast = Nd4j.randn(DataType.FLOAT, b, H);
    }

    /** Milliseconds of {forward, forward+backward}. */
    public double[] run() {
      long t0 = System.nanoTime();
      gru.forward(u, null, c, b, true);
      long t1 = System.nanoTime();
      gru.backward(null, dLast);
      long t2 = System.nanoTime();
      return new double[] {(t1 - t0) / 1e6, (t2 - t0) / 1e6};
    }
  }

  /** GFLOP/s of an n x n x n float32 matrix multiply through ND4J (median of reps). */
  public static double matmulGflops(int n, int reps) {
    return matmulGflops(n, n, n, reps);
  }

  /**
   * GFLOP/s of a {@code [m, k] x [k, n]} float32 matrix multiply through ND4J on this thread
   * (median of reps, after one untimed): the machine's own ceiling next to a benchmark's figure.
   */
  public static double matmulGflops(int m, int k, int n, int reps) {
    INDArray a = Nd4j.rand(DataType.FLOAT, m, k);
    INDArray bm = Nd4j.rand(DataType.FLOAT, k, n);
    INDArray out = Nd4j.create(DataType.FLOAT, m, n);
    Nd4j.gemm(a, bm, out, false, false, 1.0, 0.0);
    return 2.0
        * m
        * k
        * n
        / medianSeconds(() -> Nd4j.gemm(a, bm, out, false, false, 1.0, 0.0), reps)
        / 1e9;
  }

  /**
   * GFLOP/s of the bank-product kernel ({@link ai.lvm.metrics.BankProduct#product}, {@code [q, d] x
   * [n, d]^T} into its reused buffer) on this thread, median of reps after one untimed: the
   * corpus-negative scoring of training and the ranking of evaluation, next to {@link
   * #matmulGflops}.
   */
  public static double bankProductGflops(int q, int d, int n, int reps) {
    INDArray queries = Nd4j.rand(DataType.FLOAT, q, d);
    INDArray bank = Nd4j.rand(DataType.FLOAT, n, d);
    ai.lvm.metrics.BankProduct kernel = new ai.lvm.metrics.BankProduct();
    kernel.product(queries, bank, 1.0);
    return 2.0 * q * d * n / medianSeconds(() -> kernel.product(queries, bank, 1.0), reps) / 1e9;
  }

  /** Median wall seconds of {@code reps} runs of {@code op} (warm it up first). */
  public static double medianSeconds(Runnable op, int reps) {
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      op.run();
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    return median(t);
  }

  public static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
