package ai.lvm.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.export.ExportConfig;
import ai.lvm.export.ExportJob;
import ai.lvm.format.Float32;
import ai.lvm.format.Snapshot;
import ai.lvm.format.Split;
import ai.lvm.format.WindowSchema;
import ai.lvm.testing.SparkTests;
import ai.lvm.testing.TestCorpora;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class WindowReaderTest {
  private static final int D = 6;
  private static final int C = 5;
  private static SparkSession spark;
  @TempDir static Path dir;
  private static Snapshot snapshot;

  @BeforeAll
  static void exportASnapshot() {
    spark = SparkTests.start("WindowReaderTest");
    String corpus =
        TestCorpora.write(
            spark, dir, "corpus", TestCorpora.documents(D, 11, 40, 25, 60, 33, 18, 47, 29, 52));
    Map<String, Object> m = new HashMap<>();
    m.put("lvm.root", dir.resolve("out").toString());
    m.put("lvm.export.corpus", corpus);
    m.put("lvm.export.context-sizes", List.of(C));
    m.put("lvm.export.min-train-sequences", 1);
    m.put("lvm.export.snapshot-id", "r1");
    new ExportJob().run(spark, ExportConfig.from(LvmConfig.of(m)));
    snapshot = Snapshot.open(dir.resolve("out").toString(), Optional.empty(), new Configuration());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void readsEveryWindowExactlyAsSparkDoes() {
    Path data = Path.of(snapshot.data(C, Split.TRAIN).toUri());
    Map<Long, Row> bySpark = new HashMap<>();
    for (Row r : spark.read().parquet(data.toString()).collectAsList()) {
      bySpark.put(r.getAs(WindowSchema.WINDOW_ID), r);
    }
    int seen = 0;
    try (WindowReader reader =
        WindowReader.open(new Configuration(), snapshot.data(C, Split.TRAIN), C, D)) {
      Optional<WindowBatch> batch;
      while ((batch = reader.next(7)).isPresent()) {
        WindowBatch b = batch.get();
        assertThat(b.contexts().shape()).containsExactly(b.size(), C, D);
        assertThat(b.targets().shape()).containsExactly(b.size(), D);
        for (int i = 0; i < b.size(); i++) {
          Row expected = bySpark.get(b.windowIds()[i]);
          float[] context = new float[C * D];
          Float32.decode(expected.getAs(WindowSchema.CONTEXT), context, 0);
          INDArray got = b.contexts().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
          assertThat(got.dup().data().asFloat()).containsExactly(context);
          List<Float> target = expected.getList(expected.fieldIndex(WindowSchema.TARGET));
          for (int j = 0; j < D; j++) {
            assertThat(b.targets().getFloat(i, j)).isEqualTo(target.get(j));
          }
          // The last context vector and the target give the stored coherence.
          seen++;
        }
      }
    }
    assertThat(seen).isEqualTo(bySpark.size()).isPositive();
  }

  @Test
  void aWrongShapeIsReportedNotMisread() {
    try (WindowReader reader =
        WindowReader.open(new Configuration(), snapshot.data(C, Split.TRAIN), C + 1, D)) {
      assertThatThrownBy(() -> reader.next(4)).hasMessageContaining("expected C x D x 4");
    }
  }

  @Test
  void snapshotsThatDoNotExistAreNamed() {
    assertThatThrownBy(
            () ->
                Snapshot.open(
                    dir.resolve("out").toString(), Optional.of("nope"), new Configuration()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Published: [r1]");
    assertThatThrownBy(() -> snapshot.data(1000, Split.TRAIN)).hasMessageContaining("has [5]");
    assertThatThrownBy(
            () ->
                Snapshot.open(
                    dir.resolve("empty").toString(), Optional.empty(), new Configuration()))
        .hasMessageContaining("run the export first");
  }
}
