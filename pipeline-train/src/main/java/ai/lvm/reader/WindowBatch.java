package ai.lvm.reader;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of windows as ND4J arrays.
 *
 * @param windowIds the {@code window_id} of each row
 * @param contexts [B, C, D] float32, context position major, as stored
 * @param targets [B, D] float32
 * @param segments each window's context segments, or null where the reader was not asked for them
 */
public record WindowBatch(
    long[] windowIds,
    INDArray contexts,
    INDArray targets,
    java.util.List<java.util.List<ContextSegment>> segments) {
  public WindowBatch(long[] windowIds, INDArray contexts, INDArray targets) {
    this(windowIds, contexts, targets, null);
  }

  public int size() {
    return windowIds.length;
  }
}
