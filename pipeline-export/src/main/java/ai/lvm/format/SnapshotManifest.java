package ai.lvm.format;

import com.fasterxml.jackson.annotation.JsonInclude;
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
   * @param stride the stride of the training windows (and of every window when {@code evalStride}
   *     is null)
   * @param evalStride the stride of the val and test windows ({@code eval_stride}); null in
   *     manifests written before it existed, whose windows all have {@code stride}. The seed
   *     protocol records its one stride here too.
   * @param windows windows written per split (after the coherence gate)
   * @param droppedByCoherence windows the coherence gate removed per split
   * @param windowsSpanningDocuments windows per split whose context or target crosses a document
   * @param paths data directory per split, relative to the snapshot directory
   */
  public record ContextSize(
      int contextSize,
      int stride,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer evalStride,
      Map<String, Long> windows,
      Map<String, Long> droppedByCoherence,
      Map<String, Long> windowsSpanningDocuments,
      Map<String, String> paths,
      Sufficiency sufficiency) {

    /** A context size whose windows all have one stride (as written before eval strides). */
    public ContextSize(
        int contextSize,
        int stride,
        Map<String, Long> windows,
        Map<String, Long> droppedByCoherence,
        Map<String, Long> windowsSpanningDocuments,
        Map<String, String> paths,
        Sufficiency sufficiency) {
      this(
          contextSize,
          stride,
          null,
          windows,
          droppedByCoherence,
          windowsSpanningDocuments,
          paths,
          sufficiency);
    }

    /** The stride of the windows of {@code split} ({@code train}, {@code val}, {@code test}). */
    public int strideOf(String split) {
      return evalStride == null || Split.TRAIN.id().equals(split) ? stride : evalStride;
    }
  }

  /** The data-sufficiency verdict on training windows. */
  public record Sufficiency(long trainWindows, long threshold, boolean sufficient) {}

  public Optional<ContextSize> contextSize(int c) {
    return contextSizes.stream().filter(e -> e.contextSize() == c).findFirst();
  }
}
