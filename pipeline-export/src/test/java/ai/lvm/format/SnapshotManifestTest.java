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
    assertThat(c100.paths()).containsEntry("train", SnapshotLayout.dataPath(100, Split.TRAIN));
    assertThat(c100.sufficiency().sufficient()).isTrue();
    assertThat(m.contextSize(500).orElseThrow().sufficiency().sufficient()).isFalse();
  }

  @Test
  void writingItBackGivesTheSameBytes() throws IOException {
    SnapshotManifest m = Json.read(golden(), SnapshotManifest.class);
    assertThat(new String(Json.write(m), StandardCharsets.UTF_8))
        .isEqualTo(new String(golden(), StandardCharsets.UTF_8));
  }
}
