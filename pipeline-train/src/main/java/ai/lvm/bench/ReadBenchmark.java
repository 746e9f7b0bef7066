package ai.lvm.bench;

import ai.lvm.config.CommandLine;
import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.format.Snapshot;
import ai.lvm.format.Split;
import ai.lvm.job.JobMain;
import ai.lvm.reader.WindowBatch;
import ai.lvm.reader.WindowReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Read-back throughput of window files into ND4J: reads every training window of one context size
 * of a snapshot with {@link WindowReader} (batches of 16) and reports windows/s and MB/s, next to a
 * raw sequential read of the same files through the same FileSystem measured in the same run.
 *
 * <p>{@code bin/lvm bench-read --set lvm.root=bench --set lvm.bench.read-context-size=1000}
 */
public final class ReadBenchmark {
  private ReadBenchmark() {}

  public static void main(String[] args) {
    JobMain.tool("lvm-bench-read", args, ReadBenchmark::run);
  }

  private static void run(CommandLine cli) throws IOException {
    LvmConfig config = cli.load();
    config.rejectUnknownKeys(List.of("train", "bench"));
    String root = config.string("lvm.root");
    int c = config.intInRange("lvm.bench.read-context-size", 1, 1_000_000);
    Optional<String> id = config.optionalString("lvm.train.snapshot");
    Configuration conf = new Configuration();
    Snapshot snapshot = Snapshot.open(root, id, conf);
    int d = snapshot.manifest().corpus().dimension();
    Path dir = snapshot.data(c, Split.TRAIN);

    long rawBytes = 0;
    long start = System.nanoTime();
    FileSystem fs = dir.getFileSystem(conf);
    byte[] buf = new byte[8 << 20];
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.getPath().getName().endsWith(".parquet")) {
        try (InputStream in = fs.open(s.getPath())) {
          for (int n; (n = in.read(buf)) > 0; ) {
            rawBytes += n;
          }
        }
      }
    }
    double rawSeconds = (System.nanoTime() - start) / 1e9;

    long windows = 0;
    start = System.nanoTime();
    try (WindowReader reader = WindowReader.open(conf, dir, c, d)) {
      Optional<WindowBatch> batch;
      while ((batch = reader.next(16)).isPresent()) {
        windows += batch.get().size();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (windows == 0) {
      throw new InvalidInputException("No training windows for C=" + c + " in " + dir);
    }
    double rawRate = rawBytes / rawSeconds;
    double rate = rawBytes / seconds;
    System.out.printf(
        "snapshot %s, C=%d, D=%d: %,d windows, %.2f GB of Parquet%n",
        snapshot.manifest().snapshotId(), c, d, windows, rawBytes / 1e9);
    System.out.println("| reader | seconds | windows/s | MB/s | vs raw read |");
    System.out.println("|---|---|---|---|---|");
    System.out.printf(
        "| raw sequential read (FileSystem) | %.1f | | %.0f | 1.00x |%n",
        rawSeconds, rawRate / 1e6);
    System.out.printf(
        "| WindowReader into ND4J [16, C, D] | %.1f | %,.0f | %.0f | %.2fx |%n",
        seconds, windows / seconds, rate / 1e6, rate / rawRate);
  }
}
