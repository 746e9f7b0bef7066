package ai.lvm.eval;

import ai.lvm.bench.GruStepBenchmark;
import ai.lvm.config.CommandLine;
import ai.lvm.config.LvmConfig;
import ai.lvm.job.JobMain;
import ai.lvm.metrics.BankProduct;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code bin/lvm bench-eval}: the evaluation's exact top-10 ({@link DistributedRanking}, the code
 * path of the job) over a bank of random unit vectors (default 1,000,000 x 384) for random queries
 * (default 10,000), on the session's executors. Reports queries/s and the achieved GFLOP/s of the
 * score products (2 x queries x bank x D) next to the ceiling measured in the same JVM: a dense
 * float32 matrix multiply of one block pair's shape on one thread, times the task slots, and the
 * same multiply run on every slot at once.
 */
public final class RankingBenchmark {
  private RankingBenchmark() {}

  public static void main(String[] args) {
    JobMain.tool("lvm-bench-eval", args, RankingBenchmark::run);
  }

  private static void run(CommandLine cli) {
    LvmConfig config = cli.load();
    config.rejectUnknownKeys(List.of("spark", "bench", "eval"));
    int bankSize = config.intInRange("lvm.bench.eval-bank", EvalConfig.MAX_K + 1, 100_000_000);
    int queries = config.intInRange("lvm.bench.eval-queries", 1, 10_000_000);
    int d = config.intInRange("lvm.bench.eval-dimension", 1, 65_536);
    int queryBlock = config.intInRange("lvm.eval.query-block", 1, 65_536);
    int bankBlock = config.intInRange("lvm.eval.bank-block", EvalConfig.MAX_K, 10_000_000);
    SparkSession spark = JobMain.session("lvm-bench-eval", config);
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int slots = jsc.defaultParallelism();
      double blockGflops = GruStepBenchmark.matmulGflops(queryBlock, d, bankBlock, 5);
      double squareGflops = GruStepBenchmark.matmulGflops(2048, 3);
      System.out.printf(
          "OMP_NUM_THREADS=%s, %d task slots; dense matmul on one thread: %.1f GFLOP/s at"
              + " %dx%dx%d (one block pair), %.1f GFLOP/s at 2048^3%n",
          System.getenv("OMP_NUM_THREADS"),
          slots,
          blockGflops,
          queryBlock,
          d,
          bankBlock,
          squareGflops);

      double kernelGflops = pairGflops(queryBlock, d, bankBlock, 9);
      System.out.printf(
          "one pair ranked on one thread (BankProduct + count + top-%d scan): %.1f GFLOP/s ="
              + " %.2fx the block-shape matmul, %.2fx the 2048^3 matmul%n",
          EvalConfig.MAX_K, kernelGflops, kernelGflops / blockGflops, kernelGflops / squareGflops);

      JavaRDD<BankBlock> bank = randomBank(jsc, bankSize, d, bankBlock, slots);
      bank.persist(StorageLevel.MEMORY_AND_DISK());
      long t0 = System.nanoTime();
      long stored = bank.map(b -> (long) b.size).reduce(Long::sum);
      System.out.printf(
          "bank: %,d random unit vectors of D = %d in blocks of %d (%.1f s to generate)%n",
          stored, d, bankBlock, (System.nanoTime() - t0) / 1e9);

      // Warm-up (JIT, BLAS) on a tenth of the queries, then the timed run.
      rank(jsc, bank, Math.max(1, queries / 10), d, queryBlock, slots);
      t0 = System.nanoTime();
      long ranked = rank(jsc, bank, queries, d, queryBlock, slots);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double gflops = 2.0 * queries * (double) bankSize * d / seconds / 1e9;
      double ceiling = blockGflops * slots;
      double together = concurrentMatmulGflops(jsc, slots, queryBlock, d, bankBlock);
      System.out.printf(
          "top-%d of %,d queries over %,d vectors: %.1f s, %.0f queries/s, %.1f GFLOP/s"
              + " = %.2fx the ceiling (%.1f GFLOP/s = %d slots x %.1f)"
              + " = %.2fx the block-shape matmul run on all %d slots at once (%.1f GFLOP/s)%n",
          EvalConfig.MAX_K,
          ranked,
          bankSize,
          seconds,
          queries / seconds,
          gflops,
          gflops / ceiling,
          ceiling,
          slots,
          blockGflops,
          gflops / together,
          slots,
          together);
      bank.unpersist();
    } finally {
      spark.stop();
    }
  }

  /**
   * The block-shape matmul run as one Spark task per slot at the same time, GFLOP/s summed: the
   * machine's ceiling with every core busy, as the ranking runs. One thread's rate times the slots
   * assumes the cores do not slow each other (shared caches, memory bandwidth, clock), which on a
   * small shared machine they do; both ratios are printed.
   */
  static double concurrentMatmulGflops(JavaSparkContext jsc, int slots, int m, int k, int n) {
    return jsc.parallelize(IntStream.range(0, slots).boxed().toList(), slots)
        .map(i -> GruStepBenchmark.matmulGflops(m, k, n, 15))
        .reduce(Double::sum);
  }

  /**
   * GFLOP/s of ranking one (query block, bank block) pair as a task does ({@link BlockRanker} with
   * one reused {@link BankProduct}), counting the product's 2 x q x n x d only; median of reps.
   */
  private static double pairGflops(int q, int d, int n, int reps) {
    SplittableRandom rng = new SplittableRandom(7);
    List<ScoredWindow> queries = new ArrayList<>(q);
    for (int i = 0; i < q; i++) {
      queries.add(query(i, unit(rng, d)));
    }
    QueryBlock block = new QueryBlock("corpus", d, queries);
    List<BankBlock.Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entries.add(new BankBlock.Entry("d" + (i / 1000), i % 1000, unit(rng, d)));
    }
    BankBlock bank = BankBlock.of("corpus", d, entries);
    BankProduct kernel = new BankProduct();
    for (int i = 0; i < 3; i++) { // warm-up: the JIT compiles the scans
      BlockRanker.rank(block, bank, EvalConfig.MAX_K, kernel);
    }
    double seconds =
        GruStepBenchmark.medianSeconds(
            () -> BlockRanker.rank(block, bank, EvalConfig.MAX_K, kernel), reps);
    return 2.0 * q * n * d / seconds / 1e9;
  }

  /** A query with a middling target score outside the bank: ranks vary, nothing excluded. */
  private static ScoredWindow query(int i, float[] p) {
    return new ScoredWindow(
        new QueryKey(0, i),
        "corpus",
        "query",
        i,
        null,
        new String[0],
        p,
        0.0,
        new String[] {"query"},
        new long[] {i},
        new int[] {1});
  }

  private static long rank(
      JavaSparkContext jsc, JavaRDD<BankBlock> bank, int n, int d, int queryBlock, int slots) {
    JavaRDD<ScoredWindow> queries =
        jsc.parallelize(IntStream.range(0, slots).boxed().toList(), slots)
            .flatMap(
                part -> {
                  SplittableRandom rng = new SplittableRandom(1000 + part);
                  List<ScoredWindow> out = new ArrayList<>();
                  for (int i = part; i < n; i += slots) {
                    out.add(query(i, unit(rng, d)));
                  }
                  return out.iterator();
                });
    return DistributedRanking.rank(queries, bank, d, queryBlock, EvalConfig.MAX_K).count();
  }

  private static JavaRDD<BankBlock> randomBank(
      JavaSparkContext jsc, int size, int d, int blockSize, int slots) {
    int blocks = (size + blockSize - 1) / blockSize;
    return jsc.parallelize(IntStream.range(0, blocks).boxed().toList(), slots)
        .map(
            b -> {
              SplittableRandom rng = new SplittableRandom(b);
              int from = b * blockSize;
              int to = Math.min(size, from + blockSize);
              List<BankBlock.Entry> entries = new ArrayList<>(to - from);
              for (int i = from; i < to; i++) {
                entries.add(new BankBlock.Entry("d" + (i / 1000), i % 1000, unit(rng, d)));
              }
              return BankBlock.of("corpus", d, entries);
            });
  }

  private static float[] unit(SplittableRandom rng, int d) {
    float[] v = new float[d];
    for (int j = 0; j < d; j++) {
      v[j] = (float) (rng.nextDouble() * 2 - 1);
    }
    UnitVectors.normalise(v, 0, d);
    return v;
  }
}
