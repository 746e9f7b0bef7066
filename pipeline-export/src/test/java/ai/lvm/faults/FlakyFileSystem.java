package ai.lvm.faults;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@code flaky://}, whose first {@link #FAILURES} creations
 * of a Parquet part file fail: tasks that fail once, as on a flaky cluster, with no hook in the
 * pipeline's code. Register with {@code spark.hadoop.fs.flaky.impl}.
 */
public class FlakyFileSystem extends RawLocalFileSystem {
  public static final int FAILURES = 2;
  public static final AtomicInteger FAILED = new AtomicInteger();

  /**
   * Failed opens of checkpoint data ({@code parameters.bin}): a scoring task that fails to load.
   */
  public static final AtomicInteger FAILED_OPENS = new AtomicInteger();

  /**
   * A {@code local[2, 4]} session (up to 4 attempts per task) in which {@code flaky://} paths go
   * through this file system: for the tests that inject task failures.
   */
  public static org.apache.spark.sql.SparkSession session(String name) {
    return org.apache.spark.sql.SparkSession.builder()
        .master("local[2,4]")
        .appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.hadoop.fs.flaky.impl", FlakyFileSystem.class.getName())
        .config("spark.hadoop.fs.flaky.impl.disable.cache", "true")
        .getOrCreate();
  }

  @Override
  public URI getUri() {
    return URI.create("flaky:///");
  }

  @Override
  public String getScheme() {
    return "flaky";
  }

  @Override
  public FSDataOutputStream create(
      Path f,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    failOnce(f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(
      Path f, boolean overwrite, int bufferSize, short replication, long blockSize, Progressable p)
      throws IOException {
    failOnce(f);
    return super.create(f, overwrite, bufferSize, replication, blockSize, p);
  }

  @Override
  public org.apache.hadoop.fs.FSDataInputStream open(Path f, int bufferSize) throws IOException {
    if (f.getName().equals("parameters.bin") && FAILED_OPENS.getAndIncrement() < FAILURES) {
      throw new IOException("injected failure opening " + f);
    }
    return super.open(f, bufferSize);
  }

  private static void failOnce(Path f) throws IOException {
    if (f.getName().startsWith("part-") && FAILED.getAndIncrement() < FAILURES) {
      throw new IOException("injected failure creating " + f);
    }
  }
}
