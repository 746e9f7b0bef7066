package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import ai.lvm.format.Json;
import ai.lvm.format.SnapshotManifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SweepTest {
  /** The golden v1 manifest: C=100 sufficient (1,520 >= 1,000), C=500 not (303 < 1,000). */
  private static SnapshotManifest manifest() throws IOException {
    try (InputStream in =
        SweepTest.class.getResourceAsStream("/golden/snapshot-manifest-v1.json")) {
      return Json.read(in.readAllBytes(), SnapshotManifest.class);
    }
  }

  @Test
  void expandsSizesModelsAndSeedsWithStableRunIds() throws IOException {
    List<RunSpec> runs =
        Sweep.expand(
            manifest(), Optional.empty(), List.of("memory-gru", "lstm"), List.of(1L, 2L), false);
    assertThat(runs).hasSize(4);
    assertThat(runs).allMatch(r -> r.contextSize() == 100);
    assertThat(runs.get(0).runId()).isEqualTo("20261124T072119Z-c100-memory-gru-s1");
  }

  @Test
  void anInsufficientSizeIsRefusedQuotingTheCountsUnlessAllowed() throws IOException {
    SnapshotManifest m = manifest();
    assertThatThrownBy(
            () ->
                Sweep.expand(
                    m, Optional.of(List.of(100, 500)), List.of("gru"), List.of(42L), false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "C=500 has 303 training windows, below the export's threshold of 1000")
        .hasMessageContaining("lvm.train.allow-insufficient=true");
    assertThat(Sweep.expand(m, Optional.of(List.of(500)), List.of("gru"), List.of(42L), true))
        .extracting(RunSpec::contextSize)
        .containsExactly(500);
  }

  @Test
  void aSizeTheSnapshotLacksIsNamed() throws IOException {
    assertThatThrownBy(
            () ->
                Sweep.expand(
                    manifest(), Optional.of(List.of(1000)), List.of("gru"), List.of(42L), true))
        .hasMessageContaining("has no context size 1000; it has [100, 500]");
  }
}
