package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.format.Split;
import ai.lvm.window.ArticleSplit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which documents the {@code held-out} bank keeps, and the snapshots it refuses. */
class HeldOutBankTest {

  private static SnapshotManifest manifest(String protocol, Map<String, Object> config) {
    return new SnapshotManifest(
        1,
        "s1",
        "2026-12-02T00:00:00Z",
        "test",
        protocol,
        new SnapshotManifest.Corpus("corpus", "f", 10, 2, 4),
        config,
        null,
        Map.of(),
        List.of());
  }

  @Test
  void theSplitIsTheOneTheExportAssignedDocumentsWith() {
    ArticleSplit split =
        EvalJob.heldOutSplit(
            manifest("article", Map.of("split", Map.of("train", 0.8, "val", 0.1, "test", 0.1))));
    ArticleSplit export = new ArticleSplit(0.8, 0.1, 0.1);
    for (int i = 0; i < 200; i++) {
      String doc = "doc-" + i;
      assertThat(split.assign(doc)).as(doc).isEqualTo(export.assign(doc));
    }
    assertThat(List.of("a", "b", "c", "d").stream().map(split::assign))
        .as("some documents are held out, some are not")
        .contains(Split.TRAIN);
  }

  @Test
  void aSeedProtocolSnapshotHasNoHeldOutDocumentsAndIsRefusedWithTheWayOut() {
    assertThatThrownBy(() -> EvalJob.heldOutSplit(manifest("seed", Map.of())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("lvm.eval.bank = held-out")
        .hasMessageContaining("seed protocol")
        .hasMessageContaining("Use bank = corpus or split-targets");
  }

  @Test
  void aManifestWithoutSplitFractionsIsRefused() {
    assertThatThrownBy(() -> EvalJob.heldOutSplit(manifest("article", Map.of())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("records no split fractions");
  }
}
