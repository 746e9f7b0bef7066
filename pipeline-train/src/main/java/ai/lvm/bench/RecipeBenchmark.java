package ai.lvm.bench;

import ai.lvm.config.CommandLine;
import ai.lvm.config.LvmConfig;
import ai.lvm.job.JobMain;
import ai.lvm.model.LatentVectorModel;
import ai.lvm.model.Models;
import ai.lvm.model.Readout;
import ai.lvm.reader.WindowBatch;
import ai.lvm.train.Recipe;
import ai.lvm.train.TrainConfig;
import ai.lvm.train.TrainStep;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code bin/lvm bench-recipe}: training targets per second of the default recipe (dense targets,
 * 4,096 corpus negatives plus hard negatives) against the reference recipe's one target per window
 * with in-batch negatives, on the same model and micro-batch, as {@link TrainStep} runs them for
 * the trainer (forward, loss, backward; the optimizer step is the same for both and left out).
 * Printed beside a dense 2048^3 float32 matmul and the corpus-negative product's own shape, both
 * measured in the same JVM, so the figures read against this machine's ceiling.
 *
 * <p>Random unit vectors stand in for a snapshot (the step's cost does not depend on the values).
 * Keys: {@code lvm.bench.recipe-context-size} (100), {@code lvm.bench.recipe-iterations} (5), and
 * the model and recipe keys of {@code lvm.train} (model: the first of {@code models}; sizes as set,
 * e.g. the demo's {@code --config conf/demo.conf}).
 */
public final class RecipeBenchmark {
  private RecipeBenchmark() {}

  public static void main(String[] args) {
    JobMain.tool("lvm-bench-recipe", args, RecipeBenchmark::run);
  }

  private static void run(CommandLine cli) {
    LvmConfig config = cli.load();
    config.rejectUnknownKeys(List.of("bench", "train"));
    int c = config.intInRange("lvm.bench.recipe-context-size", 2, 100_000);
    int iterations = config.intInRange("lvm.bench.recipe-iterations", 1, 10_000);
    int d = config.intInRange("lvm.bench.recipe-dimension", 1, 65_536);
    TrainConfig train = TrainConfig.from(config);
    String type = train.models().get(0);
    Recipe dense = train.recipe(42);
    Recipe reference =
        Recipe.fromMap(
            new java.util.HashMap<>(
                java.util.Map.of(
                    "micro-batch", dense.microBatch(), "learning-rate", dense.learningRate())));
    int b = dense.microBatch();
    System.out.printf(
        "backend %s, OMP_NUM_THREADS=%s, %s (hidden %s, layers %s), B=%d C=%d D=%d%n",
        Nd4j.getBackend().getClass().getSimpleName(),
        System.getenv("OMP_NUM_THREADS"),
        type,
        train.hiddenSize(),
        train.layers(),
        b,
        c,
        d);
    double ceiling = GruStepBenchmark.matmulGflops(2048, 5);
    long rows = (long) b * (c - Math.min(dense.warmUp(), c - 1));
    double bankProduct =
        GruStepBenchmark.bankProductGflops((int) rows, d, dense.negativeCount(), 5);
    System.out.printf(
        "dense matmul 2048^3: %.1f GFLOP/s; corpus-negative product (BankProduct) [%d, %d] x"
            + " [%d, %d]^T: %.1f GFLOP/s (%.2fx)%n",
        ceiling, rows, d, dense.negativeCount(), d, bankProduct, bankProduct / ceiling);

    Nd4j.getRandom().setSeed(1);
    INDArray contexts = unit(Nd4j.randn(DataType.FLOAT, (long) b * c, d)).reshape(b, c, d);
    INDArray targets = unit(Nd4j.randn(DataType.FLOAT, b, d));
    WindowBatch batch = new WindowBatch(new long[b], contexts, targets);
    INDArray pool = unit(Nd4j.randn(DataType.FLOAT, dense.negativePool(), d));
    double[] perSecond = new double[2];
    String[] names = {"default (dense, corpus + hard negatives)", "reference (last, in-batch)"};
    Recipe[] recipes = {dense, reference};
    for (int r = 0; r < 2; r++) {
      Recipe recipe = recipes[r];
      LatentVectorModel model = Models.create(train.modelSpec(type, d, 42));
      Readout readout = model.supports(recipe.targets()) ? recipe.targets() : Readout.LAST;
      TrainStep step =
          new TrainStep(
              recipe,
              recipe.loss(),
              readout,
              recipe.negatives() == Recipe.NegativeSource.CORPUS ? pool : null);
      double[] seconds = new double[iterations];
      for (int i = -1; i < iterations; i++) {
        model.parameters().zeroGradients();
        long t0 = System.nanoTime();
        step.run(model, batch);
        if (i >= 0) {
          seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
      }
      double median = GruStepBenchmark.median(seconds);
      perSecond[r] = step.targetsPerBatch(b, c) / median;
      System.out.printf(
          "%s: %.0f ms per micro-batch, %d targets, %.0f targets/s, %.0f windows/s%n",
          names[r], median * 1e3, step.targetsPerBatch(b, c), perSecond[r], b / median);
    }
    System.out.printf(
        "targets/s default / reference: %.1fx (matmul ceiling in this run %.1f GFLOP/s)%n",
        perSecond[0] / perSecond[1], ceiling);
  }

  private static INDArray unit(INDArray a) {
    return a.diviColumnVector(a.norm2(1).reshape(a.size(0), 1));
  }
}
