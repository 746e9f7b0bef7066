package ai.lvm.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A manifest written by release 0.1.0 (schema version 1) is kept as a golden file: readers must
 * keep reading it, and writing it back must give the same bytes.
 */
class SnapshotManifestTest {

  private static byte[] golden() throws IOException {
    try (InputStream in =
        SnapshotManifestTest.class.getResourceAsStream("/golden/snapshot-manifest-v1.json")) {
      return in.readAllBytes();
    }
  }

  @Test
  void theVersionOneManifestStillReads() throws IOException {
    SnapshotManifest m = Json.read(golden(), SnapshotManifest.class);
    assertThat(m.schemaVersion()).isEqualTo(1);
    assertThat(m.protocol()).isEqualTo("article");
    assertThat(m.corpus().dimension()).isEqualTo(384);
    assertThat(m.streams()).containsOnlyKeys("train", "val", "test");
    SnapshotManifest.ContextSize c100 = m.contextSize(100).orElseThrow();
    assertThat(c100.stride()).isEqualTo(50);
    // Written before eval strides: every split's windows have the one stride.
    assertThat(c100.evalStride()).isNull();
    assertThat(c100.strideOf("test")).isEqualTo(50);
    assertThat(c100.paths()).containsEntry("train", SnapshotLayout.dataPath(100, Split.TRAIN));
    assertThat(c100.sufficiency().sufficient()).isTrue();
    assertThat(m.contextSize(500).orElseThrow().sufficiency().sufficient()).isFalse();
  }

  @Test
  void anEvalStrideIsWrittenAndReadBack() throws IOException {
    SnapshotManifest m = Json.read(golden(), SnapshotManifest.class);
    SnapshotManifest.ContextSize c = m.contextSize(100).orElseThrow();
    SnapshotManifest.ContextSize withEval =
        new SnapshotManifest.ContextSize(
            c.contextSize(),
            c.stride(),
            10,
            c.windows(),
            c.droppedByCoherence(),
            c.windowsSpanningDocuments(),
            c.paths(),
            c.sufficiency());
    String json =
        new String(
            Json.write(
                new SnapshotManifest(
                    m.schemaVersion(),
                    m.snapshotId(),
                    m.createdAt(),
                    m.codeVersion(),
                    m.protocol(),
                    m.corpus(),
                    m.config(),
                    m.inputQuality(),
                    m.streams(),
                    java.util.List.of(withEval))),
            StandardCharsets.UTF_8);
    assertThat(json).contains("\"stride\" : 50,\n    \"eval_stride\" : 10,");
    SnapshotManifest.ContextSize back =
        Json.read(json.getBytes(StandardCharsets.UTF_8), SnapshotManifest.class)
            .contextSize(100)
            .orElseThrow();
    assertThat(back).isEqualTo(withEval);
    assertThat(back.strideOf("train")).isEqualTo(50);
    assertThat(back.strideOf("val")).isEqualTo(10);
    assertThat(back.strideOf("test")).isEqualTo(10);
  }

  @Test
  void writingItBackGivesTheSameBytes() throws IOException {
    SnapshotManifest m = Json.read(golden(), SnapshotManifest.class);
    assertThat(new String(Json.write(m), StandardCharsets.UTF_8))
        .isEqualTo(new String(golden(), StandardCharsets.UTF_8));
  }
}
