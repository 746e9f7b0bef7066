package ai.lvm.bench;

import ai.lvm.config.CommandLine;
import ai.lvm.config.LvmConfig;
import ai.lvm.export.ExportConfig;
import ai.lvm.export.ExportJob;
import ai.lvm.generate.GenerateConfig;
import ai.lvm.generate.GenerateJob;
import ai.lvm.job.JobMain;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Export throughput: generates a corpus (default 1,000,000 vectors at D = 768, reused when it is
 * already there), exports it once per context size (default 100 and 1000) and reports vectors/s and
 * bytes written/s, next to the raw sequential write speed of the same disk measured in the same run
 * (2 GiB written and fsynced). Local file systems only (it sizes directories on disk).
 *
 * <p>{@code bin/lvm bench-export [--set lvm.generate.chunks=N] [--set
 * lvm.export.context-sizes=[100,1000]]}
 */
public final class ExportBenchmark {
  private static final long DISK_PROBE_BYTES = 2L << 30;

  private ExportBenchmark() {}

  public static void main(String[] args) {
    JobMain.tool("lvm-bench-export", args, ExportBenchmark::run);
  }

  private static void run(CommandLine cli) throws IOException {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("lvm.root", "bench");
    defaults.put("lvm.generate.output", "bench/corpus/d768");
    defaults.put("lvm.generate.chunks", "1000000");
    defaults.put("lvm.generate.dimension", "768");
    defaults.put("lvm.export.corpus", "bench/corpus/d768");
    defaults.put("lvm.export.context-sizes", "[100,1000]");
    defaults.put("lvm.export.min-train-sequences", "0");
    defaults.putAll(cli.overrides());
    LvmConfig config = LvmConfig.load(cli.configFile(), defaults);
    config.rejectUnknownKeys(List.of("spark", "generate", "export"));
    ExportConfig base = ExportConfig.from(config);
    GenerateConfig generate = GenerateConfig.from(config);
    Path root = Path.of(base.root()).toAbsolutePath();
    Files.createDirectories(root);

    double diskBytesPerSecond = diskWriteSpeed(root);
    SparkSession spark = JobMain.session("lvm-bench-export", config);
    List<String> lines = new ArrayList<>();
    try {
      long t0 = System.nanoTime();
      GenerateJob.Result corpus = new GenerateJob().run(spark, generate);
      double generateSeconds = (System.nanoTime() - t0) / 1e9;
      long vectors = corpus.manifest().rows();
      int d = corpus.manifest().dimension();
      lines.add(
          String.format(
              "corpus: %,d vectors, D=%d (%s%.1f s)",
              vectors,
              d,
              corpus.alreadyPublished() ? "reused; generated earlier in " : "generated in ",
              generateSeconds));
      lines.add(
          String.format(
              "disk: raw sequential write %.0f MB/s (%.1f GiB, fsync) in %s",
              diskBytesPerSecond / 1e6, DISK_PROBE_BYTES / (double) (1L << 30), root));
      lines.add("");
      lines.add(
          "| C | windows | seconds | vectors/s | bytes written | written MB/s | vs raw disk |");
      lines.add("|---|---|---|---|---|---|---|");
      for (int c : base.contextSizes()) {
        String id = "bench-c" + c + "-" + System.currentTimeMillis();
        Map<String, Object> over = new HashMap<>();
        over.put("lvm.export.context-sizes", List.of(c));
        over.put("lvm.export.snapshot-id", id);
        ExportConfig one = ExportConfig.from(withOverrides(cli, defaults, over));
        long start = System.nanoTime();
        ExportJob.Result r = new ExportJob().run(spark, one);
        double seconds = (System.nanoTime() - start) / 1e9;
        long windows =
            r.manifest().contextSizes().get(0).windows().values().stream().mapToLong(x -> x).sum();
        long bytes = sizeOnDisk(Path.of(root.toString(), "windows", id));
        double rate = bytes / seconds;
        lines.add(
            String.format(
                "| %d | %,d | %.1f | %,.0f | %.2f GB | %.0f | %.2fx |",
                c,
                windows,
                seconds,
                vectors / seconds,
                bytes / 1e9,
                rate / 1e6,
                rate / diskBytesPerSecond));
      }
    } finally {
      spark.stop();
    }
    System.out.println(String.join("\n", lines));
  }

  private static LvmConfig withOverrides(
      CommandLine cli, Map<String, String> defaults, Map<String, Object> over) {
    Map<String, String> all = new HashMap<>(defaults);
    over.forEach((k, v) -> all.put(k, v instanceof List<?> l ? l.toString() : String.valueOf(v)));
    return LvmConfig.load(cli.configFile(), all);
  }

  /** Writes and fsyncs a file in 8 MiB blocks: the disk's sequential write ceiling. */
  static double diskWriteSpeed(Path dir) throws IOException {
    Path probe = Files.createTempFile(dir, "disk-probe", ".bin");
    byte[] block = new byte[8 << 20];
    new java.util.Random(1).nextBytes(block);
    long start = System.nanoTime();
    try (FileOutputStream out = new FileOutputStream(probe.toFile())) {
      for (long written = 0; written < DISK_PROBE_BYTES; written += block.length) {
        out.write(block);
      }
      out.getFD().sync();
    } finally {
      Files.deleteIfExists(probe);
    }
    return DISK_PROBE_BYTES / ((System.nanoTime() - start) / 1e9);
  }

  static long sizeOnDisk(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
