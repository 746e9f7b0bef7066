package ai.lvm.format;

import ai.lvm.config.InvalidInputException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A published window snapshot, opened for reading: its directory and manifest. Only published
 * snapshots can be opened (see {@link Publisher}).
 */
public record Snapshot(Path directory, SnapshotManifest manifest) {

  /**
   * Opens snapshot {@code id} under {@code root}, or the one published last when {@code id} is
   * empty.
   */
  public static Snapshot open(String root, Optional<String> id, Configuration hadoopConf) {
    Publisher publisher = new SnapshotLayout(root).publisher(hadoopConf);
    String chosen =
        id.or(publisher::latest)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "Cannot find a published snapshot under "
                            + publisher.collection()
                            + ": run the export first (bin/lvm export) or check lvm.root."));
    byte[] record =
        publisher
            .readRecord(chosen)
            .orElseThrow(
                () -> {
                  List<String> ids = publisher.publishedIds();
                  return new InvalidInputException(
                      "Cannot open snapshot '"
                          + chosen
                          + "': it is not published under "
                          + publisher.collection()
                          + (ids.isEmpty() ? " (none is)." : ". Published: " + ids + "."));
                });
    SnapshotManifest manifest = Json.read(record, SnapshotManifest.class);
    if (manifest.schemaVersion() > WindowSchema.VERSION) {
      throw new InvalidInputException(
          "Cannot read snapshot '"
              + chosen
              + "': it was written with window schema version "
              + manifest.schemaVersion()
              + ", this code reads up to "
              + WindowSchema.VERSION
              + ". Upgrade the pipeline.");
    }
    return new Snapshot(publisher.path(chosen), manifest);
  }

  /** The data directory of one context size and split; fails when the snapshot lacks it. */
  public Path data(int contextSize, Split split) {
    SnapshotManifest.ContextSize size =
        manifest
            .contextSize(contextSize)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "Snapshot '"
                            + manifest.snapshotId()
                            + "' has no context size "
                            + contextSize
                            + "; it has "
                            + manifest.contextSizes().stream()
                                .map(SnapshotManifest.ContextSize::contextSize)
                                .toList()
                            + "."));
    return new Path(directory, size.paths().get(split.id()));
  }
}
