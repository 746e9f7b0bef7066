package ai.lvm.train;

import ai.lvm.config.InvalidInputException;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Expands a sweep (grid points x context sizes x models x seeds) over a snapshot into runs,
 * refusing context sizes the snapshot does not have, and (unless allowed) those its manifest marks
 * insufficient.
 */
public final class Sweep {
  private Sweep() {}

  /**
   * One run with the configuration of its grid point.
   *
   * @param spec what the run is and its id
   * @param config the configuration it trains with
   * @param model the model it trains (for the snapshot's dimension)
   */
  public record Run(RunSpec spec, TrainConfig config, ModelSpec model)
      implements java.io.Serializable {

    /** The run's recipe (its seed's). */
    public Recipe recipe() {
      return config.recipe(spec.seed());
    }
  }

  /** Every run of {@code sweep} on the snapshot of {@code manifest}, grid points outermost. */
  public static List<Run> expand(SnapshotManifest manifest, TrainSweep sweep) {
    TrainConfig base = sweep.base();
    List<Integer> sizes =
        contextSizes(manifest, Optional.ofNullable(base.contextSizes()), base.allowInsufficient());
    int dimension = manifest.corpus().dimension();
    List<Run> runs = new ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (TrainSweep.Point point : sweep.points()) {
      TrainConfig cfg = point.config();
      String settings = RunSpec.settingsWords(point.varying());
      for (int c : sizes) {
        for (String model : cfg.models()) {
          for (long seed : cfg.seeds()) {
            ModelSpec modelSpec = cfg.modelSpec(model, dimension, seed);
            String hash = RunSpec.hash(cfg.recipe(seed), modelSpec);
            RunSpec spec =
                new RunSpec(manifest.snapshotId(), c, model, seed, settings, hash, sweep.runName());
            if (!ids.add(spec.runId())) {
              throw new InvalidInputException(
                  "Grid points "
                      + point.varying()
                      + " and an earlier one train the same run "
                      + spec.runId()
                      + ": a grid value that changes nothing about the model or the recipe"
                      + " (e.g. the same learning rate written twice). Remove it from lvm.train.grid.");
            }
            runs.add(new Run(spec, cfg, modelSpec));
          }
        }
      }
    }
    return List.copyOf(runs);
  }

  /**
   * The context sizes to train: those asked for, each present in the snapshot and (unless allowed)
   * sufficient; or, when none are asked for, every sufficient size.
   */
  static List<Integer> contextSizes(
      SnapshotManifest manifest, Optional<List<Integer>> contextSizes, boolean allowInsufficient) {
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
    return sizes;
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
