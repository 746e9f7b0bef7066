package ai.lvm.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.ingest.IngestConfig.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration validation and input format detection: no Spark needed. */
class IngestConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsAndTheOutputPath() {
    IngestConfig c =
        IngestConfig.from(
            LvmConfig.of(Map.of("lvm.root", "r", "lvm.ingest.input", "in", "lvm.ingest.id", "k")));
    assertThat(c.output()).isEqualTo("r/corpus/k");
    assertThat(c.model()).isEqualTo(EncoderModel.MINILM);
    assertThat(c.format()).isEqualTo(Format.AUTO);
    assertThat(c.maxChunkChars()).isEqualTo(500);
    assertThat(c.encoderThreads()).isEqualTo(1);
    assertThat(c.onBadRecords()).isEqualTo(IngestConfig.OnBadRecords.FAIL);
    assertThat(c.npzDocumentSize()).isEmpty();
    IngestConfig timestamped =
        IngestConfig.from(LvmConfig.of(Map.of("lvm.root", "r", "lvm.ingest.input", "in")));
    assertThat(timestamped.output()).matches("r/corpus/\\d{8}T\\d{6}Z");
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> IngestConfig.from(LvmConfig.of(Map.of())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("lvm.ingest.input");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    LvmConfig.of(Map.of("lvm.ingest.input", "in", "lvm.ingest.model", "bert"))))
        .hasMessageContaining("lvm.ingest.model")
        .hasMessageContaining("minilm-int8");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    LvmConfig.of(
                        Map.of("lvm.ingest.input", "in", "lvm.ingest.min-chunk-chars", 600))))
        .hasMessageContaining("lvm.ingest.min-chunk-chars");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    LvmConfig.of(
                        Map.of(
                            "lvm.ingest.input", "in",
                            "lvm.ingest.id", "a",
                            "lvm.ingest.output", "x/b"))))
        .hasMessageContaining("both 'lvm.ingest.output'");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    LvmConfig.of(Map.of("lvm.ingest.input", "in", "lvm.ingest.id", "_bad"))))
        .hasMessageContaining("lvm.ingest.id");
  }

  @Test
  void autoDetectsTheFormatByName() throws IOException {
    Configuration conf = new Configuration();
    Files.createDirectories(dir.resolve("parts"));
    Files.writeString(dir.resolve("parts/a.jsonl"), "{}");
    Files.writeString(dir.resolve("parts/b.jsonl"), "{}");
    Files.createDirectories(dir.resolve("pages/sub"));
    Files.writeString(dir.resolve("pages/sub/a.rst.txt"), "x");
    Files.writeString(dir.resolve("one.ndjson"), "{}");
    assertThat(resolve("parts", conf)).isEqualTo(Format.JSONL);
    assertThat(resolve("pages", conf)).isEqualTo(Format.TEXT);
    assertThat(resolve("one.ndjson", conf)).isEqualTo(Format.JSONL);
    assertThat(resolve("ref.npz", conf)).isEqualTo(Format.NPZ);
    assertThat(
            IngestInputs.list(
                    Format.TEXT,
                    new org.apache.hadoop.fs.Path(dir.resolve("pages").toString()),
                    conf)
                .get(0)
                .relative())
        .isEqualTo("sub/a.rst.txt");
  }

  private Format resolve(String name, Configuration conf) {
    return IngestInputs.resolve(
        Format.AUTO, new org.apache.hadoop.fs.Path(dir.resolve(name).toString()), conf);
  }
}
