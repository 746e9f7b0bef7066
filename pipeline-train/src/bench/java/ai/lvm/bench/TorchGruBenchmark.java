package ai.lvm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.recurrent.GRU;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.lvm.config.CommandLine;
import ai.lvm.config.LvmConfig;
import java.util.Arrays;
import java.util.List;

/**
 * The same-run peer of {@link GruStepBenchmark}: first our ND4J figures, then the reference GRU
 * stack (input 1536, 4 layers of 512, B 8) forward and forward+backward in PyTorch through DJL's
 * PyTorch engine, in the same JVM, on one thread. A benchmark-only build (Maven profile {@code
 * bench-torch}); PyTorch never enters the jobs' runtime.
 *
 * <p>{@code bin/bench-torch [--set lvm.bench.step-context-size=100]}
 */
public final class TorchGruBenchmark {
  private TorchGruBenchmark() {}

  public static void main(String[] args) {
    GruStepBenchmark.main(args);
    LvmConfig config = CommandLine.parse(args).load();
    config.rejectUnknownKeys(List.of("bench"));
    int c = config.intInRange("lvm.bench.step-context-size", 1, 100_000);
    int iterations = config.intInRange("lvm.bench.step-iterations", 1, 10_000);
    int b = config.intInRange("lvm.bench.step-batch", 1, 100_000);
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = engine.newBaseManager()) {
      GRU gru =
          GRU.builder().setStateSize(512).setNumLayers(4).optBatchFirst(true).build();
      gru.initialize(manager, DataType.FLOAT32, new Shape(b, c, 1536));
      for (Parameter p : gru.getParameters().values()) {
        p.getArray().setRequiresGradient(true);
      }
      ParameterStore store = new ParameterStore(manager, false);
      NDArray x = manager.randomNormal(new Shape(b, c, 1536));
      double[] fwd = new double[iterations];
      double[] step = new double[iterations];
      for (int i = -2; i < iterations; i++) {
        long t0 = System.nanoTime();
        long t1;
        try (GradientCollector collector = engine.newGradientCollector()) {
          NDList out = gru.forward(store, new NDList(x), true);
          NDArray last = out.singletonOrThrow().get(":, -1, :");
          t1 = System.nanoTime();
          collector.backward(last.sum());
        }
        long t2 = System.nanoTime();
        if (i >= 0) {
          fwd[i] = (t1 - t0) / 1e6;
          step[i] = (t2 - t0) / 1e6;
        }
      }
      System.out.printf(
          "PyTorch %s (DJL, %s threads) GRU stack 1536->512 x4 forward %.0f ms,"
              + " forward+backward %.0f ms (same JVM, same run)%n",
          engine.getVersion(),
          System.getProperty("ai.djl.pytorch.num_threads", "default"),
          median(fwd),
          median(step));
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
