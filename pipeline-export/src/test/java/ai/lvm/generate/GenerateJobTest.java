package ai.lvm.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.lvm.config.LvmConfig;
import ai.lvm.format.CorpusSchema;
import ai.lvm.testing.SparkTests;
import ai.lvm.testing.TestCorpora;
import ai.lvm.window.SyntheticWalk;
import ai.lvm.window.Vectors;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateJobTest {
  private static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTests.start("GenerateJobTest");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private GenerateJob.Result generate(String name, Map<String, ?> overrides) {
    Map<String, Object> m = new HashMap<>(overrides);
    m.put("lvm.generate.output", dir.resolve(name).toString());
    m.putIfAbsent("lvm.generate.chunks", 1234);
    m.putIfAbsent("lvm.generate.dimension", 16);
    m.putIfAbsent("lvm.generate.min-doc-chunks", 5);
    m.putIfAbsent("lvm.generate.max-doc-chunks", 60);
    return new GenerateJob().run(spark, GenerateConfig.from(LvmConfig.of(m)));
  }

  private List<Row> read(String name) {
    return spark
        .read()
        .parquet(dir.resolve(name).toString())
        .orderBy(CorpusSchema.DOC_ID, CorpusSchema.CHUNK_INDEX)
        .collectAsList();
  }

  @Test
  void theCorpusIsTheSameBitForBitWhateverThePartitioning() {
    GenerateJob.Result a = generate("a", Map.of("lvm.generate.partitions", 1));
    generate("b", Map.of("lvm.generate.partitions", 5));
    List<Row> ra = read("a");
    List<Row> rb = read("b");
    assertThat(ra).hasSize(1234);
    assertThat(a.manifest().rows()).isEqualTo(1234);
    assertThat(a.manifest().dimension()).isEqualTo(16);
    for (int i = 0; i < ra.size(); i++) {
      assertThat(ra.get(i).getString(0)).isEqualTo(rb.get(i).getString(0));
      assertThat(ra.get(i).getList(2)).isEqualTo(rb.get(i).getList(2));
    }
    assertThat(ra.stream().map(r -> r.getString(0)).distinct().count())
        .isEqualTo(a.manifest().documents());
  }

  @Test
  void vectorsAreUnitLengthAndTheNextStepIsLearnable() {
    generate("c", Map.of("lvm.generate.chunks", 3000, "lvm.generate.lanes", 2));
    List<Row> rows = read("c");
    SyntheticWalk walk = new SyntheticWalk(16, 2, 0.35, 42);
    double copyLast = 0;
    double oracle = 0;
    int pairs = 0;
    for (int i = 0; i + 1 < rows.size(); i++) {
      Row r = rows.get(i);
      Row next = rows.get(i + 1);
      float[] x = TestCorpora.toFloats(r.getList(2));
      assertThat(Vectors.norm(x)).isCloseTo(1.0, within(1e-5));
      if (!r.getString(0).equals(next.getString(0))) {
        continue;
      }
      float[] y = TestCorpora.toFloats(next.getList(2));
      double[] xd = new double[16];
      double[] rx = new double[16];
      for (int j = 0; j < 16; j++) {
        xd[j] = x[j];
      }
      walk.rotate(r.getInt(5), xd, rx);
      float[] rxf = new float[16];
      for (int j = 0; j < 16; j++) {
        rxf[j] = (float) rx[j];
      }
      copyLast += Vectors.cosine(x, 0, y, 0, 16);
      oracle += Vectors.cosine(rxf, 0, y, 0, 16);
      pairs++;
    }
    // Knowing the lane's rotation predicts the next vector far better than copying the last one.
    assertThat(oracle / pairs).isGreaterThan(copyLast / pairs + 0.1);
  }

  @Test
  void regeneratingWithOtherSettingsIntoThePublishedCorpusIsRefused() {
    generate("d", Map.of());
    assertThat(generate("d", Map.of()).alreadyPublished()).isTrue();
    assertThatThrownBy(() -> generate("d", Map.of("lvm.generate.seed", 7)))
        .hasMessageContaining("a corpus with other settings is already published");
  }
}
