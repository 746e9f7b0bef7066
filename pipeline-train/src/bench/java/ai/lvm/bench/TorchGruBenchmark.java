package ai.lvm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.lvm.config.CommandLine;
import ai.lvm.config.LvmConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The same-run peer of {@link GruStepBenchmark}: for each context size, our memory-gru training
 * step and the same step in PyTorch 2.7.1 (through DJL's PyTorch engine, offline), alternating
 * iteration by iteration so that load from other processes hits both alike; then the bare
 * reference GRU stack (input 1536, 4 x 512) in both; and the single-window inference latency of
 * the same memory-gru in both (B = 1, dropout off, no autograd, up to the prediction in Java
 * memory); with a dense 2048^3 matmul in each engine. All in one JVM on one thread. A benchmark-only build (Maven profile {@code bench-torch}); PyTorch
 * never enters the jobs' runtime.
 *
 * <p>The PyTorch model is memory-gru as the reference wrote it (docs/protocols.md, "The reference system"), op for op: input
 * LayerNorm, zero-query memory read m0, {@code nn.GRU} over {@code [x_t ; m0]} (1536 wide, dropout
 * 0.1 between layers), read with h_T, fusion Linear-GELU-Dropout-LayerNorm, head
 * Linear-GELU-Dropout-Linear, {@code normalize(x_last + normalize(raw))}; the loss {@code MSE + 0.5
 * (1 - cos) + 0.03 InfoNCE(0.07)}; autograd backward; the memory write without gradient;
 * global-norm clipping at 1.0; AdamW (lr 1e-4, weight decay 1e-4) as {@code torch.optim.AdamW}'s
 * single-tensor CPU path does it, op by op.
 *
 * <p>{@code bin/bench-torch [--set lvm.bench.step-context-sizes=[100,500,1000]] [--set
 * lvm.bench.step-iterations=3]}
 */
public final class TorchGruBenchmark {
  private static final int D = GruStepBenchmark.D;
  private static final int H = GruStepBenchmark.H;
  private static final int L = GruStepBenchmark.LAYERS;
  private static final int SLOTS = 2048;
  private static final float DROP = 0.1f;

  private TorchGruBenchmark() {}

  public static void main(String[] args) {
    LvmConfig config = CommandLine.parse(args).load();
    config.rejectUnknownKeys(List.of("bench"));
    List<Integer> sizes = config.intList("lvm.bench.step-context-sizes", 1, 100_000);
    int iterations = config.intInRange("lvm.bench.step-iterations", 0, 10_000);
    int b = config.intInRange("lvm.bench.step-batch", 1, 100_000);
    int latencyIterations = config.intInRange("lvm.bench.latency-iterations", 1, 100_000);
    Engine engine = Engine.getEngine("PyTorch");
    System.out.printf(
        "ND4J %s, OMP_NUM_THREADS=%s; PyTorch %s (DJL), %s threads; B=%d, %d timed iterations"
            + " after 2 warm-up%n",
        org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName(),
        System.getenv("OMP_NUM_THREADS"),
        engine.getVersion(),
        System.getProperty("ai.djl.pytorch.num_threads", "default"),
        b,
        iterations);
    List<String> rows = new ArrayList<>();
    List<String> latencyRows = new ArrayList<>();
    try (NDManager manager = engine.newBaseManager()) {
      double ndGflops = GruStepBenchmark.matmulGflops(2048, 5);
      double ptGflops = torchMatmulGflops(manager, 2048, 5);
      System.out.printf(
          "dense matmul 2048^3: ND4J %.1f GFLOP/s, PyTorch %.1f GFLOP/s%n", ndGflops, ptGflops);
      for (int c : sizes) {
        GruStepBenchmark.ModelStep ours = new GruStepBenchmark.ModelStep(b, c);
        TorchMemoryGru torch = new TorchMemoryGru(manager, engine, b, c);
        double[] oursMs = new double[iterations];
        double[] torchMs = new double[iterations];
        double[] oursFb = new double[iterations];
        double[] torchFb = new double[iterations];
        for (int i = iterations == 0 ? 0 : -2; i < iterations; i++) { // 0: inference only
          double[] o = ours.run();
          double[] t = torch.run();
          if (i >= 0) {
            oursFb[i] = o[1];
            oursMs[i] = o[2];
            torchFb[i] = t[0];
            torchMs[i] = t[1];
          }
          System.out.printf(
              "  C=%d memory-gru fwd+loss+bwd / whole step: ours %.0f / %.0f ms,"
                  + " PyTorch %.0f / %.0f ms%n",
              c, o[1], o[2], t[0], t[1]);
        }
        // Single-window inference (B = 1, no dropout, no gradient), interleaved the same way.
        org.nd4j.linalg.api.ndarray.INDArray oneOurs =
            org.nd4j.linalg.factory.Nd4j.randn(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, c, D);
        NDArray oneTorch = manager.randomNormal(new Shape(1, c, D));
        double[] oursInfer = new double[latencyIterations];
        double[] torchInfer = new double[latencyIterations];
        for (int i = -3; i < latencyIterations; i++) {
          long t0 = System.nanoTime();
          ours.model.forward(oneOurs, false).data().asFloat();
          double o = (System.nanoTime() - t0) / 1e6;
          double t = torch.infer(oneTorch);
          if (i >= 0) {
            oursInfer[i] = o;
            torchInfer[i] = t;
          }
        }
        oneTorch.close();
        torch.close();
        double oi = GruStepBenchmark.median(oursInfer);
        double ti = GruStepBenchmark.median(torchInfer);
        System.out.printf(
            "  C=%d single-window inference (median of %d): ours %.2f ms, PyTorch %.2f ms (%.2fx)%n",
            c, latencyIterations, oi, ti, oi / ti);
        latencyRows.add(
            String.format(
                "| %d | %.2f | %.2f | %.2fx | %.2f | %.2f |",
                c,
                oi,
                ti,
                oi / ti,
                sorted(oursInfer)[(int) Math.ceil(0.9 * latencyIterations) - 1],
                sorted(torchInfer)[(int) Math.ceil(0.9 * latencyIterations) - 1]));
        GruStepBenchmark.StackStep oursStack = new GruStepBenchmark.StackStep(b, c);
        TorchStack torchStack = new TorchStack(manager, engine, b, c);
        double[] oursStackMs = new double[iterations];
        double[] torchStackMs = new double[iterations];
        for (int i = iterations == 0 ? 0 : -2; i < iterations; i++) {
          double o = oursStack.run()[1];
          double t = torchStack.run();
          if (i >= 0) {
            oursStackMs[i] = o;
            torchStackMs[i] = t;
          }
          System.out.printf("  C=%d GRU stack fwd+bwd: ours %.0f ms, torch %.0f ms%n", c, o, t);
        }
        torchStack.close();
        if (iterations > 0) {
          double ofb = GruStepBenchmark.median(oursFb);
          double tfb = GruStepBenchmark.median(torchFb);
          double om = GruStepBenchmark.median(oursMs);
          double tm = GruStepBenchmark.median(torchMs);
          double os = GruStepBenchmark.median(oursStackMs);
          double ts = GruStepBenchmark.median(torchStackMs);
          rows.add(
              String.format(
                  "| %d | %,.0f | %,.0f | %.2fx | %,.0f | %,.0f | %.2fx | %.1f | %,.0f"
                      + " | %,.0f | %,.0f | %.2fx | %.1f |",
                  c,
                  ofb,
                  tfb,
                  ofb / tfb,
                  om,
                  tm,
                  om / tm,
                  b * 1000 / om,
                  b * c * 1000 / om,
                  os,
                  ts,
                  os / ts,
                  ndGflops));
        }
      }
    }
    System.out.println();
    System.out.println(
        "| C | ours fwd+loss+bwd ms | PyTorch | ratio | ours whole step ms | PyTorch | ratio"
            + " | windows/s (ours) | context vectors/s (ours) | ours GRU stack fwd+bwd ms | PyTorch"
            + " | ratio | ND4J matmul GFLOP/s |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    System.out.println(
        "| C | ours inference p50 ms | PyTorch p50 ms | ratio | ours p90 ms | PyTorch p90 ms |");
    System.out.println("|---|---|---|---|---|---|");
    latencyRows.forEach(System.out::println);
  }

  private static double[] sorted(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s;
  }

  private static double torchMatmulGflops(NDManager manager, int n, int reps) {
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.randomUniform(0, 1, new Shape(n, n));
      NDArray bm = m.randomUniform(0, 1, new Shape(n, n));
      a.matMul(bm).close();
      double[] t = new double[reps];
      for (int i = 0; i < reps; i++) {
        long t0 = System.nanoTime();
        a.matMul(bm).close();
        t[i] = (System.nanoTime() - t0) / 1e9;
      }
      return 2.0 * n * n * n / GruStepBenchmark.median(t) / 1e9;
    }
  }

  /** GRU parameters in {@code torch.gru}'s flat order: per layer w_ih, w_hh, b_ih, b_hh. */
  private static NDList gruParams(NDManager m, int nIn) {
    NDList p = new NDList();
    float bound = (float) (1 / Math.sqrt(H));
    for (int l = 0; l < L; l++) {
      p.add(uniform(m, bound, 3 * H, l == 0 ? nIn : H));
      p.add(uniform(m, bound, 3 * H, H));
      p.add(uniform(m, bound, 3 * H));
      p.add(uniform(m, bound, 3 * H));
    }
    return p;
  }

  private static NDArray uniform(NDManager m, float bound, long... shape) {
    NDArray a = m.randomUniform(-bound, bound, new Shape(shape));
    a.setRequiresGradient(true);
    return a;
  }

  /** memory-gru in PyTorch, the reference's way (see the class comment). */
  private static final class TorchMemoryGru implements AutoCloseable {
    private final Engine engine;
    private final NDManager m;
    private final int b;
    private final int c;
    private final NDArray x;
    private final NDArray targets;
    private final NDArray memory;
    private final NDArray h0;
    private final NDList gru;
    private final NDArray wq;
    private final NDArray bq;
    private final NDArray wg;
    private final NDArray bg;
    private final NDArray gIn;
    private final NDArray bIn;
    private final NDArray wf;
    private final NDArray bf;
    private final NDArray gF;
    private final NDArray bF;
    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray b2;
    private final List<NDArray> params = new ArrayList<>();
    private final List<NDArray> moment1 = new ArrayList<>();
    private final List<NDArray> moment2 = new ArrayList<>();
    private int t;

    TorchMemoryGru(NDManager parent, Engine engine, int b, int c) {
      this.engine = engine;
      this.m = parent.newSubManager();
      this.b = b;
      this.c = c;
      x = m.randomNormal(new Shape(b, c, D));
      targets = m.randomNormal(new Shape(b, D));
      memory = m.randomNormal(0, 0.01f, new Shape(SLOTS, D), DataType.FLOAT32);
      h0 = m.zeros(new Shape(L, b, H));
      gru = gruParams(m, 2 * D);
      float hb = (float) (1 / Math.sqrt(H));
      wq = uniform(m, hb, D, H);
      bq = uniform(m, hb, D);
      wg = uniform(m, hb, SLOTS, H);
      bg = uniform(m, hb, SLOTS);
      gIn = m.ones(new Shape(D));
      bIn = m.zeros(new Shape(D));
      float fb = (float) (1 / Math.sqrt(H + D));
      wf = uniform(m, fb, H, H + D);
      bf = uniform(m, fb, H);
      gF = m.ones(new Shape(H));
      bF = m.zeros(new Shape(H));
      w1 = uniform(m, hb, 2 * H, H);
      b1 = uniform(m, hb, 2 * H);
      float wb = (float) (1 / Math.sqrt(2 * H));
      w2 = uniform(m, wb, D, 2 * H);
      b2 = uniform(m, wb, D);
      for (NDArray a : List.of(gIn, bIn, gF, bF)) {
        a.setRequiresGradient(true);
      }
      params.addAll(gru);
      params.addAll(List.of(wq, bq, wg, bg, gIn, bIn, wf, bf, gF, bF, w1, b1, w2, b2));
      for (NDArray p : params) {
        moment1.add(m.zeros(p.getShape()));
        moment2.add(m.zeros(p.getShape()));
      }
    }

    /** read(p): cosine attention of the normalised queries over the normalised memory rows. */
    private NDArray read(NDArray p, NDArray memoryUnit) {
      NDArray sims = p.normalize(2, 1, 1e-12).matMul(memoryUnit.transpose());
      return sims.softmax(1).matMul(memory);
    }

    /**
     * {prediction, h_T, raw}: the forward pass over {@code input [B, C, D]}, with dropout when
     * {@code training}.
     */
    private NDArray[] forward(NDArray input, boolean training) {
      long batch = input.getShape().get(0);
      long steps = input.getShape().get(1);
      NDArrayEx ex = input.getNDArrayInternal();
      NDArray xn = ex.layerNorm(input, new Shape(D), gIn, bIn, 1e-5f).singletonOrThrow();
      NDArray memoryUnit = memory.normalize(2, 1, 1e-12);
      NDArray m0 = read(bq.reshape(1, D), memoryUnit);
      NDArray u =
          NDArrays.concat(new NDList(xn, m0.reshape(1, 1, D).broadcast(batch, steps, D)), 2);
      NDArray start = batch == b ? h0 : h0.get(":, 0:" + batch + ", :");
      NDArray seq = ex.gru(u, start, gru, true, L, DROP, training, false, true).get(0);
      NDArray hT = seq.get(":, -1, :");
      NDArray m1 = read(ex.linear(hT, wq, bq).singletonOrThrow(), memoryUnit);
      NDArray f = ex.linear(NDArrays.concat(new NDList(hT, m1), 1), wf, bf).singletonOrThrow();
      f = ex.dropout(f.getNDArrayInternal().gelu(), DROP, training).singletonOrThrow();
      f = ex.layerNorm(f, new Shape(H), gF, bF, 1e-5f).singletonOrThrow();
      NDArray g = ex.linear(f, w1, b1).singletonOrThrow().getNDArrayInternal().gelu();
      g = ex.dropout(g, DROP, training).singletonOrThrow();
      NDArray raw = ex.linear(g, w2, b2).singletonOrThrow();
      NDArray y = raw.normalize(2, 1, 1e-12).add(input.get(":, -1, :")).normalize(2, 1, 1e-12);
      return new NDArray[] {y, hT, raw};
    }

    /**
     * Milliseconds of one inference forward of {@code one [1, C, D]} (no autograd, no dropout),
     * up to the prediction in Java memory, as evaluation's latency probe times ours.
     */
    double infer(NDArray one) {
      long t0 = System.nanoTime();
      try (NDScope scope = new NDScope()) {
        forward(one, false)[0].toFloatArray();
      }
      return (System.nanoTime() - t0) / 1e6;
    }

    /** Milliseconds of {forward + loss + backward, whole step}. */
    double[] run() {
      long t0 = System.nanoTime();
      long t1;
      try (NDScope scope = new NDScope()) {
        NDArray hT;
        NDArray raw;
        try (GradientCollector collector = engine.newGradientCollector()) {
          NDArray[] out = forward(x, true);
          NDArray y = out[0];
          hT = out[1];
          raw = out[2];
          NDArray target = targets.normalize(2, 1, 1e-8);
          NDArray diff = y.sub(target);
          NDArray mse = diff.square().mean();
          NDArray cos =
              y.mul(target).sum(new int[] {1}).div(y.norm(new int[] {1}).maximum(1e-8f)).mean();
          NDArray logits = y.matMul(target.transpose()).div(0.07f);
          NDArray nce = logits.logSoftmax(1).mul(m.eye(b)).sum().neg().div(b);
          NDArray loss = mse.add(cos.neg().add(1).mul(0.5f)).add(nce.mul(0.03f));
          collector.backward(loss);
        }
        t1 = System.nanoTime();
        // memory write, no gradient: M <- 0.9 M + 0.1 (mean_b softmax(W_g h_T + b_g)) x mean_b raw
        NDArrayEx ex = x.getNDArrayInternal();
        NDArray gate = ex.linear(hT.stopGradient(), wg, bg).singletonOrThrow().softmax(1);
        NDArray meanGate = gate.mean(new int[] {0}).reshape(SLOTS, 1);
        NDArray outer = meanGate.matMul(raw.stopGradient().mean(new int[] {0}).reshape(1, D));
        memory.muli(0.9f).addi(outer.muli(0.1f));
        clipAndStep();
      }
      return new double[] {(t1 - t0) / 1e6, (System.nanoTime() - t0) / 1e6};
    }

    private void clipAndStep() {
      double sumSq = 0;
      List<NDArray> grads = new ArrayList<>();
      for (NDArray p : params) {
        NDArray g = p.getGradient();
        grads.add(g);
        sumSq += g.square().sum().getFloat();
      }
      double norm = Math.sqrt(sumSq);
      double coef = 1.0 / (norm + 1e-6);
      if (coef < 1) {
        for (NDArray g : grads) {
          g.muli(coef);
        }
      }
      // DJL's fused native AdamW (decoupled decay, bias correction folded into the rate); it also
      // zeroes the gradient, as optimizer.zero_grad() would
      t++;
      double lr = GruStepBenchmark.LR;
      double corrected = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
      for (int i = 0; i < params.size(); i++) {
        NDArray p = params.get(i);
        p.getNDArrayInternal()
            .adamUpdate(
                new NDList(p, grads.get(i), moment1.get(i), moment2.get(i)),
                new NDList(p),
                (float) lr,
                (float) corrected,
                (float) GruStepBenchmark.WEIGHT_DECAY,
                1f,
                -1f,
                0.9f,
                0.999f,
                1e-8f,
                false,
                true);
      }
    }

    @Override
    public void close() {
      m.close();
    }
  }

  /** The bare reference GRU stack (input 1536) forward + backward of sum(h_T). */
  private static final class TorchStack implements AutoCloseable {
    private final Engine engine;
    private final NDManager m;
    private final NDArray u;
    private final NDArray h0;
    private final NDList gru;

    TorchStack(NDManager parent, Engine engine, int b, int c) {
      this.engine = engine;
      m = parent.newSubManager();
      u = m.randomNormal(new Shape(b, c, 2 * D));
      h0 = m.zeros(new Shape(L, b, H));
      gru = gruParams(m, 2 * D);
    }

    double run() {
      long t0 = System.nanoTime();
      try (NDScope scope = new NDScope();
          GradientCollector collector = engine.newGradientCollector()) {
        NDArrayEx ex = u.getNDArrayInternal();
        NDArray seq = ex.gru(u, h0, gru, true, L, DROP, true, false, true).get(0);
        collector.backward(seq.get(":, -1, :").sum());
      }
      return (System.nanoTime() - t0) / 1e6;
    }

    @Override
    public void close() {
      m.close();
    }
  }
}
