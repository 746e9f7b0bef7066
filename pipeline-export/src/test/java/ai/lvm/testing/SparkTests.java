package ai.lvm.testing;

import org.apache.spark.sql.SparkSession;

/** One small local Spark session per test class: {@code local[2]}, no UI, few partitions. */
public final class SparkTests {
  private SparkTests() {}

  public static SparkSession start(String name) {
    return SparkSession.builder()
        .master("local[2]")
        .appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }
}
