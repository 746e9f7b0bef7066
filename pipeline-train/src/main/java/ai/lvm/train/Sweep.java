package ai.lvm.train;

import ai.lvm.config.InvalidInputException;
import ai.lvm.format.SnapshotManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Expands a sweep (context sizes x models x seeds) over a snapshot into runs, refusing context
 * sizes the snapshot does not have, and (unless allowed) those its manifest marks insufficient.
 */
public final class Sweep {
  private Sweep() {}

  /**
   * @param contextSizes the sizes asked for; empty = every sufficient size of the snapshot
   */
  public static List<RunSpec> expand(
      SnapshotManifest manifest,
      Optional<List<Integer>> contextSizes,
      List<String> models,
      List<Long> seeds,
      boolean allowInsufficient) {
    List<Integer> sizes = contextSizes.orElseGet(() -> sufficientSizes(manifest));
    List<String> refused = new ArrayList<>();
    for (int c : sizes) {
      SnapshotManifest.ContextSize size =
          manifest
              .contextSize(c)
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "Invalid lvm.train.context-sizes: snapshot '"
                              + manifest.snapshotId()
                              + "' has no context size "
                              + c
                              + "; it has "
                              + manifest.contextSizes().stream()
                                  .map(SnapshotManifest.ContextSize::contextSize)
                                  .toList()
                              + "."));
      if (!allowInsufficient) {
        Sufficiency.problem(manifest, size.contextSize()).ifPresent(refused::add);
      }
    }
    if (!refused.isEmpty()) {
      throw new InvalidInputException(
          "Cannot train on snapshot '"
              + manifest.snapshotId()
              + "': "
              + String.join("; ", refused)
              + ". "
              + Sufficiency.HOW_TO_FORCE);
    }
    List<RunSpec> runs = new ArrayList<>();
    for (int c : sizes) {
      for (String model : models) {
        for (long seed : seeds) {
          runs.add(new RunSpec(manifest.snapshotId(), c, model, seed));
        }
      }
    }
    return List.copyOf(runs);
  }

  private static List<Integer> sufficientSizes(SnapshotManifest manifest) {
    List<Integer> sizes =
        manifest.contextSizes().stream()
            .filter(s -> s.sufficiency().sufficient())
            .map(SnapshotManifest.ContextSize::contextSize)
            .toList();
    if (sizes.isEmpty()) {
      throw new InvalidInputException(
          "Cannot train on snapshot '"
              + manifest.snapshotId()
              + "': its manifest marks no context size sufficient ("
              + manifest.contextSizes().stream()
                  .map(
                      s ->
                          "C="
                              + s.contextSize()
                              + ": "
                              + s.sufficiency().trainWindows()
                              + " < "
                              + s.sufficiency().threshold())
                  .toList()
              + "). Name sizes in lvm.train.context-sizes with"
              + " lvm.train.allow-insufficient=true, or export a larger corpus.");
    }
    return sizes;
  }
}
