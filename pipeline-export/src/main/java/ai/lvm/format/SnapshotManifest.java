package ai.lvm.format;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code manifest.json} of a window snapshot: the record that makes a snapshot published. It is
 * written last; a snapshot directory without it does not exist for readers.
 *
 * @param schemaVersion {@link WindowSchema#VERSION} of the writer
 * @param snapshotId the directory name under {@code <lvm.root>/windows/}
 * @param createdAt ISO-8601 UTC instant of publication
 * @param codeVersion the pipeline version that wrote it
 * @param protocol {@code article} or {@code seed}
 * @param corpus the input corpus and its content fingerprint
 * @param config the resolved {@code lvm.export} configuration
 * @param inputQuality what validation found and did
 * @param streams per split: documents and chunks in its stream (seed: one stream, {@code all})
 * @param contextSizes per context size: windows, gates and the sufficiency verdict
 */
public record SnapshotManifest(
    int schemaVersion,
    String snapshotId,
    String createdAt,
    String codeVersion,
    String protocol,
    Corpus corpus,
    Map<String, Object> config,
    InputQuality inputQuality,
    Map<String, Stream> streams,
    List<ContextSize> contextSizes) {

  public static final String FILE_NAME = "manifest.json";

  /** The input corpus. {@code fingerprint} changes when any row's id or vector changes. */
  public record Corpus(String path, String fingerprint, long rows, long documents, int dimension) {}

  /**
   * What validation found.
   *
   * @param rowsDropped rows removed per reason (only with {@code on-bad-rows = drop})
   * @param vectorsNormalised vectors whose L2 norm was not 1 and that were rescaled
   * @param documentsWithGaps documents whose chunk indexes are not consecutive (kept in order)
   */
  public record InputQuality(
      long rowsRead,
      long rowsUsed,
      Map<String, Long> rowsDropped,
      long vectorsNormalised,
      long documentsWithGaps) {}

  /** One split's ordered stream of chunks. */
  public record Stream(long documents, long chunks) {}

  /**
   * One context size.
   *
   * @param windows windows written per split (after the coherence gate)
   * @param droppedByCoherence windows the coherence gate removed per split
   * @param windowsSpanningDocuments windows per split whose context or target crosses a document
   * @param paths data directory per split, relative to the snapshot directory
   */
  public record ContextSize(
      int contextSize,
      int stride,
      Map<String, Long> windows,
      Map<String, Long> droppedByCoherence,
      Map<String, Long> windowsSpanningDocuments,
      Map<String, String> paths,
      Sufficiency sufficiency) {}

  /** The data-sufficiency verdict on training windows. */
  public record Sufficiency(long trainWindows, long threshold, boolean sufficient) {}

  public Optional<ContextSize> contextSize(int c) {
    return contextSizes.stream().filter(e -> e.contextSize() == c).findFirst();
  }
}
