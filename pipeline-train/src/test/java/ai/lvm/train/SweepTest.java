package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.format.Json;
import ai.lvm.format.SnapshotManifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepTest {
  /** The golden v1 manifest: C=100 sufficient (1,520 >= 1,000), C=500 not (303 < 1,000). */
  private static SnapshotManifest manifest() throws IOException {
    try (InputStream in =
        SweepTest.class.getResourceAsStream("/golden/snapshot-manifest-v1.json")) {
      return Json.read(in.readAllBytes(), SnapshotManifest.class);
    }
  }

  private static TrainSweep sweep(Map<String, Object> settings) {
    Map<String, Object> m = new HashMap<>(settings);
    m.putIfAbsent("lvm.root", "/tmp/lvm");
    return TrainSweep.from(LvmConfig.of(m));
  }

  private static List<String> ids(Map<String, Object> settings) throws IOException {
    return Sweep.expand(manifest(), sweep(settings)).stream().map(r -> r.spec().runId()).toList();
  }

  @Test
  void expandsSizesModelsAndSeedsWithStableRunIds() throws IOException {
    Map<String, Object> m =
        Map.of("lvm.train.models", List.of("memory-gru", "lstm"), "lvm.train.seeds", List.of(1, 2));
    List<Sweep.Run> runs = Sweep.expand(manifest(), sweep(m));
    assertThat(runs).hasSize(4);
    assertThat(runs).allMatch(r -> r.spec().contextSize() == 100);
    assertThat(runs.get(0).spec().runId())
        .matches("20261124T072119Z-c100-memory-gru-s1-[0-9a-f]{8}");
    assertThat(ids(m))
        .as("the same settings, the same ids: a resubmitted sweep resumes")
        .isEqualTo(ids(m));
  }

  @Test
  void aChangedHyperparameterIsANewRunAndLoggingIsNot() throws IOException {
    String base = ids(Map.of()).get(0);
    assertThat(ids(Map.of("lvm.train.learning-rate", 1e-3)).get(0))
        .startsWith("20261124T072119Z-c100-memory-gru-s42-")
        .isNotEqualTo(base);
    assertThat(ids(Map.of("lvm.train.hidden-size", 64)).get(0)).isNotEqualTo(base);
    assertThat(ids(Map.of("lvm.train.log-every-steps", 7)).get(0))
        .as("how often a run logs changes nothing it learns")
        .isEqualTo(base);
    assertThat(ids(Map.of("lvm.train.run-name", "nightly")).get(0)).isEqualTo("nightly-" + base);
  }

  @Test
  void aGridExpandsIntoEveryCombinationNamedByItsValues() throws IOException {
    Map<String, Object> m = new HashMap<>();
    m.put("lvm.train.grid.learning-rate", List.of(1e-4, 3e-4));
    m.put("lvm.train.grid.hidden-size", List.of(16, 32));
    m.put("lvm.train.seeds", List.of(1, 2));
    List<Sweep.Run> runs = Sweep.expand(manifest(), sweep(m));
    assertThat(runs).hasSize(8);
    assertThat(runs.stream().map(r -> r.spec().runId()).distinct()).hasSize(8);
    Sweep.Run first = runs.get(0);
    assertThat(first.spec().runId())
        .matches(
            "20261124T072119Z-c100-memory-gru-s1-hidden-size16-learning-rate0.0001-[0-9a-f]{8}");
    assertThat(first.config().hiddenSize()).isEqualTo(16);
    assertThat(first.config().recipe(1).learningRate()).isEqualTo(1e-4);
    Sweep.Run last = runs.get(7);
    assertThat(last.config().hiddenSize()).isEqualTo(32);
    assertThat(last.config().recipe(1).learningRate()).isEqualTo(3e-4);
    assertThat(last.config().resolved()).containsEntry("hidden-size", 32);
    // The grid point with the default learning rate is the run a plain sweep would train.
    Map<String, Object> plain = Map.of("lvm.train.hidden-size", 32, "lvm.train.seeds", List.of(2));
    assertThat(last.spec().settingsHash())
        .isEqualTo(Sweep.expand(manifest(), sweep(plain)).get(0).spec().settingsHash());
  }

  @Test
  void gridMistakesAreRefusedWithTheFix() {
    assertThatThrownBy(() -> sweep(Map.of("lvm.train.grid.learning-rat", List.of(1e-4))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("there is no key lvm.train.learning-rat");
    assertThatThrownBy(() -> sweep(Map.of("lvm.train.grid.seeds", List.of(1, 2))))
        .hasMessageContaining("list its values in lvm.train.seeds itself");
    assertThatThrownBy(() -> sweep(Map.of("lvm.train.grid.hidden-size", List.of(16, 16))))
        .hasMessageContaining("16 is listed twice");
    assertThatThrownBy(() -> sweep(Map.of("lvm.train.grid.hidden-size", 16)))
        .hasMessageContaining("a non-empty list of values");
    assertThatThrownBy(() -> sweep(Map.of("lvm.train.grid.hidden-size", List.of(16, -1))))
        .hasMessageContaining("Grid point {hidden-size=-1}")
        .hasMessageContaining("lvm.train.hidden-size");
    assertThatThrownBy(() -> sweep(Map.of("lvm.train.run-name", "my run")))
        .hasMessageContaining("lvm.train.run-name");
  }

  @Test
  void anInsufficientSizeIsRefusedQuotingTheCountsUnlessAllowed() throws IOException {
    assertThatThrownBy(() -> ids(Map.of("lvm.train.context-sizes", List.of(100, 500))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "C=500 has 303 training windows, below the export's threshold of 1000")
        .hasMessageContaining("lvm.train.allow-insufficient=true");
    Map<String, Object> allowed =
        Map.of("lvm.train.context-sizes", List.of(500), "lvm.train.allow-insufficient", true);
    assertThat(Sweep.expand(manifest(), sweep(allowed)))
        .extracting(r -> r.spec().contextSize())
        .containsExactly(500);
  }

  @Test
  void aSizeTheSnapshotLacksIsNamed() {
    assertThatThrownBy(
            () ->
                ids(
                    Map.of(
                        "lvm.train.context-sizes",
                        List.of(1000),
                        "lvm.train.allow-insufficient",
                        true)))
        .hasMessageContaining("has no context size 1000; it has [100, 500]");
  }
}
