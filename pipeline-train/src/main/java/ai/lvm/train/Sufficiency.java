package ai.lvm.train;

import ai.lvm.format.SnapshotManifest;
import java.util.Optional;

/**
 * The export's data-sufficiency verdict, read on the training side: a context size with fewer
 * training windows than the export's threshold is not trained unless {@code
 * lvm.train.allow-insufficient=true} (the reference system was unstable below ~1,000).
 */
final class Sufficiency {
  static final String HOW_TO_FORCE =
      "The reference system was unstable below ~1,000 training windows. Export a larger corpus,"
          + " train other sizes, or set lvm.train.allow-insufficient=true.";

  private Sufficiency() {}

  /** Why context size {@code c} of {@code manifest} is insufficient, if it is. */
  static Optional<String> problem(SnapshotManifest manifest, int c) {
    return manifest
        .contextSize(c)
        .map(SnapshotManifest.ContextSize::sufficiency)
        .filter(s -> s != null && !s.sufficient())
        .map(
            s ->
                "C="
                    + c
                    + " has "
                    + s.trainWindows()
                    + " training windows, below the export's threshold of "
                    + s.threshold());
  }
}
